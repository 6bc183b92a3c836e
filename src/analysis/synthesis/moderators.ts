/**
 * Moderator analyses of `synthesize`, one moderator at a time (as researchers report them):
 *
 * - continuous: the mixed-effects meta-regression yᵢ = β₀ + β₁xᵢ + uᵢ + εᵢ with its QM test, R²
 *   analogue and the fitted line (for the bubble plot);
 * - categorical: the meta-regression on dummy codes (first level the reference, as R's
 *   treatment contrasts) with its QM test of "no difference between levels", and the subgroup
 *   analysis: a separate random-effects model per level (each with its own τ²) and the
 *   between-groups Q test of those estimates (the equal-effects model of the subgroup estimates
 *   with their squared standard errors as variances; Borenstein et al. 2009, ch. 19; as
 *   `rma(estimates, sei = se, method = "FE")` in metafor).
 *
 * Effects with the moderator missing are left out of that moderator's model, and counted.
 */
import type { ModeratorEstimateRecord, ModeratorRecord } from "../../../data-schemas/synthesis-results.ts"
import { matrixFromRows } from "../../stats/numeric/matrix.ts"
import { rmaReg, type RmaRegResult } from "../../stats/meta-analysis/rma-reg.ts"
import { rmaUni } from "../../stats/meta-analysis/rma-uni.ts"
import { criticalValue } from "../../stats/meta-analysis/wald.ts"
import type { StudyEffect } from "../../ingest/read-studies.ts"
import { modelRecord } from "./model.ts"
import type { ModeratorSetting, SynthesisSettings } from "./settings.ts"

export type { ModeratorRecord }

/** Number of points on the fitted line of a continuous moderator. */
export const FITTED_POINTS = 41

/** Levels in code-unit order (documented: R's factor() sorts by locale; give the levels to R explicitly). */
export const levelsOf = (values: ReadonlyArray<string>): string[] => [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))

const coefficients = (fit: RmaRegResult) =>
  fit.coefficients.map((c) => ({ name: c.name, estimate: c.estimate, se: c.se, statistic: c.statistic, df: fit.df, p: c.p, ci: [c.ci[0], c.ci[1]] as [number, number] }))

/** The fitted line β₀ + β₁x with its confidence band, at FITTED_POINTS points over [min, max]. */
const fittedLine = (fit: RmaRegResult, x: ReadonlyArray<number>, level: number) => {
  const low = Math.min(...x)
  const high = Math.max(...x)
  const [b0, b1] = [fit.coefficients[0]!.estimate, fit.coefficients[1]!.estimate]
  const [v00, v01, v11] = [fit.vcov[0]!, fit.vcov[1]!, fit.vcov[3]!]
  const crit = criticalValue(fit.test, fit.df ?? Number.NaN, level)
  return Array.from({ length: FITTED_POINTS }, (_, i) => {
    const at = low + ((high - low) * i) / (FITTED_POINTS - 1)
    const estimate = b0 + b1 * at
    const se = Math.sqrt(Math.max(0, v00 + 2 * at * v01 + at * at * v11))
    return { x: at, estimate, ci: [estimate - crit * se, estimate + crit * se] as [number, number] }
  })
}

const regressionRecord = (
  m: ModeratorSetting,
  fit: RmaRegResult,
  omitted: number,
  extra: Pick<ModeratorEstimateRecord, "levels" | "subgroups" | "fitted">,
): ModeratorEstimateRecord => ({
  status: "estimated",
  column: m.column,
  type: m.type,
  k: fit.k,
  omitted,
  levels: extra.levels,
  coefficients: coefficients(fit),
  qm: fit.qm,
  qm_df: [fit.qmDf[0], fit.qmDf[1]],
  qm_p: fit.qmP,
  qe: fit.qe,
  qe_df: fit.qeDf,
  qe_p: fit.qeP,
  tau2: fit.tau2,
  i2: fit.i2,
  r2: fit.r2,
  subgroups: extra.subgroups,
  fitted: extra.fitted,
  reference: fit.reference,
})

/** Subgroup models per level and the between-groups Q test of their estimates. */
const subgroupAnalysis = (levels: ReadonlyArray<string>, rows: ReadonlyArray<{ e: StudyEffect; value: string }>, settings: SynthesisSettings) => {
  const correlation = settings.effect === "correlation"
  const groups = levels.map((level) => {
    const members = rows.filter((r) => r.value === level)
    const fit = rmaUni(members.map((r) => r.e.yi), members.map((r) => r.e.vi), { method: settings.method, test: settings.test, level: settings.level })
    return { level, k: members.length, fit }
  })
  const estimated = groups.flatMap((g) => (g.fit.status === "estimated" ? [g.fit] : []))
  const skipped = groups.filter((g) => g.fit.status !== "estimated").map((g) => g.level)
  const between = estimated.length >= 2 ? rmaUni(estimated.map((f) => f.estimate), estimated.map((f) => f.se ** 2), { method: "EE" }) : null
  const note =
    skipped.length === 0
      ? null
      : `no subgroup estimate for ${skipped.map((s) => `"${s}"`).join(", ")} (too few effects); ${between === null ? "no between-groups test" : "the between-groups test compares the other levels"}`
  return {
    groups: groups.map((g) => ({ level: g.level, k: g.k, model: modelRecord(g.fit, correlation) })),
    q_between: between?.status === "estimated" ? between.q : null,
    df: between?.status === "estimated" ? between.qDf : null,
    p: between?.status === "estimated" ? between.qP : null,
    note,
  }
}

/** One moderator's analysis over the effects (rows with the moderator missing are left out). */
export const analyseModerator = (effects: ReadonlyArray<StudyEffect>, m: ModeratorSetting, settings: SynthesisSettings): ModeratorRecord => {
  const present = effects.flatMap((e) => {
    const value = e.moderators[m.column]
    return value === null || value === undefined ? [] : [{ e, value }]
  })
  const omitted = effects.length - present.length
  const notEstimable = (reason: string): ModeratorRecord => ({ status: "not_estimable", n: present.length, reason, column: m.column, type: m.type })
  const yi = present.map((r) => r.e.yi)
  const vi = present.map((r) => r.e.vi)
  const options = { method: settings.method, test: settings.test, level: settings.level }

  if (m.type === "continuous") {
    const x = present.map((r) => Number(r.value))
    if (new Set(x).size < 2) return notEstimable(`"${m.column}" takes a single value in the effects where it is present`)
    const fit = rmaReg(yi, vi, matrixFromRows(x.map((v) => [1, v])), { ...options, names: ["intrcpt", m.column] })
    if (fit.status !== "estimated") return notEstimable(fit.reason)
    return regressionRecord(m, fit, omitted, { levels: null, subgroups: null, fitted: fittedLine(fit, x, settings.level) })
  }
  const levels = levelsOf(present.map((r) => r.value))
  if (levels.length < 2) return notEstimable(`"${m.column}" has a single level (${levels[0] ?? "none"}) in the effects where it is present`)
  if (levels.length >= present.length) return notEstimable(`"${m.column}" has as many levels as effects (${levels.length}); a moderator needs several effects per level`)
  const design = present.map((r) => [1, ...levels.slice(1).map((l) => (r.value === l ? 1 : 0))])
  const fit = rmaReg(yi, vi, matrixFromRows(design), { ...options, names: ["intrcpt", ...levels.slice(1).map((l) => `${m.column}${l}`)] })
  if (fit.status !== "estimated") return notEstimable(fit.reason)
  return regressionRecord(m, fit, omitted, { levels, subgroups: subgroupAnalysis(levels, present, settings), fitted: null })
}
