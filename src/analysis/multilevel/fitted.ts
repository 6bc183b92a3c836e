/**
 * Fitting a mixed model on selected rows and turning the fit into the records of
 * data-schemas/multilevel-results.ts (shared by the therapist-effects, decomposition and
 * within/between analyses).
 */
import type { MixedCoefficientRecord, StandardizedCoefficientRecord, VarianceComponentRecord } from "../../../data-schemas/multilevel-results.ts"
import { columnVariance, DesignError, type GroupingFactor, type MixedModelSummary, summarise } from "../../stats/mixed-models/design.ts"
import { fitMixedModel, type MixedCoefficient, type MixedModelFit } from "../../stats/mixed-models/lmm.ts"
import { type NotEstimable, notEstimable } from "../../stats/types.ts"

export interface Fitted {
  readonly status: "estimated"
  readonly summary: MixedModelSummary
  readonly fit: MixedModelFit
}

/** Summarises and fits by REML; NotEstimable with the reason when the design or the fit fails. */
export const fitRows = (
  y: Float64Array,
  columns: ReadonlyArray<Float64Array>,
  names: ReadonlyArray<string>,
  factors: ReadonlyArray<GroupingFactor>,
  level: number,
): Fitted | NotEstimable => {
  let summary: MixedModelSummary
  try {
    summary = summarise({ y, columns, names: ["(Intercept)", ...names], factors })
  } catch (error) {
    if (error instanceof DesignError) return notEstimable(y.length, error.message)
    throw error
  }
  const fit = fitMixedModel(summary, { method: "REML", level })
  return fit.status === "estimated" ? { status: "estimated", summary, fit } : fit
}

export const coefficientRecord = (c: MixedCoefficient): MixedCoefficientRecord => ({
  term: c.name,
  estimate: c.estimate,
  se: c.se,
  df: c.df,
  statistic: c.statistic,
  p: c.p,
  ci: [c.ci[0], c.ci[1]],
})

/** A coefficient with its standardized value β·SD(x)/SD(y) (and interval, scaled alike). */
export const standardizedRecord = (c: MixedCoefficient, sdX: number, sdY: number): StandardizedCoefficientRecord => {
  const scale = sdX / sdY
  return { ...coefficientRecord(c), standardized: c.estimate * scale, standardized_ci: [c.ci[0] * scale, c.ci[1] * scale] }
}

/** The variance components (each factor's intercept variance, then the residual) with their shares. */
export const varianceComponents = (fit: MixedModelFit): VarianceComponentRecord[] => {
  const parts = [...fit.components.map((c) => ({ source: c.factor, groups: c.groups as number | null, variance: c.variances[0]! })), { source: "residual", groups: null, variance: fit.residualVariance }]
  const total = parts.reduce((s, c) => s + c.variance, 0)
  return parts.map((c) => ({ ...c, share: c.variance / total }))
}

/** The fields every fitted-model record shares. */
export const fittedFields = (fit: MixedModelFit, formula: string) => ({
  status: "estimated" as const,
  formula,
  n: fit.n,
  fixed: fit.coefficients.map(coefficientRecord),
  variance_components: varianceComponents(fit),
  reml_criterion: fit.criterion,
  singular: fit.singular,
  reference: fit.reference,
})

/** The coefficient named `term`. */
export const coefficient = (fit: MixedModelFit, term: string): MixedCoefficient => fit.coefficients.find((c) => c.name === term)!

/** The path of the first number in `value` that is not finite, or null when all are. */
const nonFinite = (value: unknown, path: string): string | null => {
  if (typeof value === "number") return Number.isFinite(value) ? null : path
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nonFinite(value[i], `${path}[${i}]`)
      if (found !== null) return found
    }
    return null
  }
  if (value !== null && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) {
      const found = nonFinite(v, path === "" ? key : `${path}.${key}`)
      if (found !== null) return found
    }
  }
  return null
}

/**
 * The record, or NotEstimable when a number in it is not finite: a fit the data cannot support
 * (a coefficient on 2 therapists has Satterthwaite df near 0, so an infinite interval) is reported
 * with the reason, never as NaN or Infinity.
 */
export const finiteOr = <T extends { readonly status: "estimated"; readonly n: number }>(record: T): T | NotEstimable => {
  const path = nonFinite(record, "")
  return path === null
    ? record
    : notEstimable(record.n, `the fit gave no finite value for ${path}: these data cannot support this model (typically too few therapists, or too few clients per therapist)`)
}

/** SD over the model's rows of a fixed-effect column (by name) or, for "(response)", of y — from the summary, without another pass over the rows. */
export const columnSd = (summary: MixedModelSummary, name: string): number =>
  Math.sqrt(columnVariance(summary, name === "(response)" ? summary.p : summary.names.indexOf(name)))

/** Weights of a contrast over the fitted terms: +1 for `plus`, −1 for `minus`. */
export const contrastWeights = (fit: MixedModelFit, plus: string, minus: string): Float64Array =>
  Float64Array.from(fit.coefficients, (c) => (c.name === plus ? 1 : c.name === minus ? -1 : 0))
