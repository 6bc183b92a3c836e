/**
 * `tables/multilevel.csv`: one row per fixed effect, contrast, variance component and ICC of every
 * multilevel model — model, formula, kind, term, estimate, se, df, statistic, p, ci_low, ci_high,
 * standardized, status, reason. A model that could not be fitted keeps one row with its reason.
 */
import type { MixedCoefficientRecord, StandardizedCoefficientRecord } from "../../../data-schemas/multilevel-results.ts"
import type { Results } from "../../../data-schemas/results.ts"
import type { Cell } from "../tables.ts"

export const MULTILEVEL_COLUMNS = ["model", "formula", "kind", "term", "estimate", "se", "df", "statistic", "p", "ci_low", "ci_high", "standardized", "status", "reason"] as const

type Fitted = {
  readonly status: "estimated"
  readonly formula: string
  readonly fixed: ReadonlyArray<MixedCoefficientRecord>
  readonly variance_components: ReadonlyArray<{ readonly source: string; readonly variance: number }>
}
type Model = Fitted | { readonly status: "not_estimable"; readonly reason: string }

const coefficientRow = (model: string, formula: string, kind: string, c: MixedCoefficientRecord, standardized: number | null): Cell[] => [
  model, formula, kind, c.term, c.estimate, c.se, c.df, c.statistic, c.p, c.ci[0], c.ci[1], standardized, "estimated", null,
]

const modelRows = (model: string, m: Model, extra: (m: Fitted) => Cell[][] = () => []): Cell[][] => {
  if (m.status !== "estimated") return [[model, null, null, null, null, null, null, null, null, null, null, null, "not_estimable", m.reason]]
  return [
    ...m.fixed.map((c) => coefficientRow(model, m.formula, "fixed", c, null)),
    ...extra(m),
    ...m.variance_components.map((v): Cell[] => [model, m.formula, "variance", v.source, v.variance, null, null, null, null, null, null, null, "estimated", null]),
  ]
}

const split = (model: string, formula: string, parts: ReadonlyArray<StandardizedCoefficientRecord>, difference: MixedCoefficientRecord): Cell[][] => [
  ...parts.map((c) => coefficientRow(model, formula, "standardized", c, c.standardized)),
  coefficientRow(model, formula, "contrast", difference, null),
]

export const multilevelRows = (results: Results): Cell[][] => {
  const m = results.multilevel
  const icc = (name: string, model: (typeof m.therapist_effects)["adjusted"]) =>
    modelRows(name, model, (fitted) =>
      model.status === "estimated" ? [[name, fitted.formula, "icc", "therapist ICC", model.icc, null, null, null, null, model.icc_ci[0], model.icc_ci[1], null, "estimated", null]] : [],
    )
  const d = m.decomposition
  const w = m.within_between
  return [
    ...icc("therapist_icc", m.therapist_effects.unadjusted),
    ...icc("therapist_icc_adjusted", m.therapist_effects.adjusted),
    ...modelRows("site_adjusted", m.therapist_effects.site_adjusted),
    ...modelRows("alliance_decomposition", d, (f) => (d.status === "estimated" ? split("alliance_decomposition", f.formula, [d.between, d.within], d.difference) : [])),
    ...modelRows("within_between", w, (f) => (w.status === "estimated" ? split("within_between", f.formula, [w.between, w.within], w.difference) : [])),
  ]
}
