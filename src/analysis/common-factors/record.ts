/**
 * The common-factor breakdown as the `common_factors` record of results.json: the families'
 * shares of the outcome variance (general dominance weights), the therapist share and the
 * unexplained rest, which add up to 1, with everything behind them.
 *
 * Therapist share. The families' model leaves 1 − R² of the variance unexplained; the mixed model
 * with the same fixed effects and a therapist random intercept,
 *   improvement ~ [controls +] every family's predictors + (1 | therapist)   (REML, on the same clients),
 * splits that rest into a between-therapist part, ICC = τ² / (τ² + σ²), and a within-therapist
 * part. The therapist slice is (1 − R²) · ICC, its interval (1 − R²) times the ICC's profile
 * interval (R² held fixed), and the unexplained slice (1 − R²)(1 − ICC). Therapists are taken as
 * a separate slice because their share is a variance component, not a predictor's share of R²
 * (Wampold & Imel 2015, ch. 6; Baldwin & Imel 2013).
 */
import type { CommonFactors, CommonFactorsRecord } from "../../../data-schemas/common-factors-results.ts"
import { takeCodes } from "../../derive/select.ts"
import { notEstimable } from "../../stats/types.ts"
import type { Coding } from "../multilevel/client-inputs.ts"
import { finiteOr, fitRows } from "../multilevel/fitted.ts"
import { iccRecord } from "../multilevel/therapist-effects.ts"
import type { AnalysisSettings } from "../settings.ts"
import { MAX_SETS } from "../../stats/dominance/subsets.ts"
import { type Breakdown, commonFactorBreakdown } from "./breakdown.ts"
import type { FactorDesign } from "./families.ts"

export const COMMON_FACTORS_REFERENCE =
  "Dominance analysis: Budescu (1993), Azen & Budescu (2003); commonality analysis: Nimon, Lewis, Kane & Haynes (2008); " +
  "hierarchical regression: Cohen, Cohen, West & Aiken (2003); therapist share: REML mixed model as lme4::lmer; " +
  "bootstrap: Efron & Tibshirani (1993), m-out-of-n: Bickel, Götze & van Zwet (1997)"

/** The progress phase of the breakdown (the benchmark times it by this name). */
export const COMMON_FACTORS_PHASE = "estimating the common-factor breakdown"

type Verdict = 0 | 0.5 | 1
const verdicts = (m: ReadonlyArray<ReadonlyArray<number>>): Array<Array<Verdict | null>> =>
  m.map((row) => row.map((v) => (Number.isNaN(v) ? null : (v as Verdict))))

const outcomeDescription = (design: FactorDesign, settings: Pick<AnalysisSettings, "commonFactors" | "level" | "outcome">): string => {
  const change = settings.outcome.direction === "lower_is_better" ? "baseline − outcome" : "outcome − baseline"
  return design.outcome === "improvement"
    ? `improvement in ${settings.outcome.instrument} (${change}, positive = better): shares of its total variance`
    : `${settings.outcome.instrument} at the end of treatment adjusted for baseline: shares of the variance left after baseline (partial R²)`
}

/** The therapist slice (file comment), or why it could not be estimated. */
const therapistShare = (design: FactorDesign, therapist: Coding, rSquared: number, level: number): CommonFactorsRecord["therapist"] => {
  const names = [...design.controls.map(() => "baseline"), ...design.predictors.flatMap((p) => p.columns)]
  const codes = takeCodes(therapist.codes, design.rows)
  const fitted = fitRows(design.y, [...design.controls, ...design.columns], names, [{ name: "therapist", codes, levels: therapist.count }], level)
  if (fitted.status === "not_estimable") return fitted
  const terms = [...(design.controls.length > 0 ? ["baseline"] : []), ...design.predictors.map((p) => p.name)].join(" + ")
  const icc = iccRecord(fitted, "therapist share of the variance the families leave", `improvement ~ ${terms} + (1 | therapist)`, level)
  if (icc.status === "not_estimable") return icc
  const rest = 1 - rSquared
  return finiteOr({ ...icc, share: rest * icc.icc, share_ci: [rest * icc.icc_ci[0], rest * icc.icc_ci[1]] as [number, number] })
}

const record = (design: FactorDesign, b: Breakdown, therapist: Coding, settings: Pick<AnalysisSettings, "commonFactors" | "level" | "outcome">): CommonFactorsRecord => {
  const r2 = b.fullRSquared
  const familyNames = design.families.map((f) => f.family)
  const ranks = [...b.families.general.keys()].sort((i, j) => b.families.general[j]! - b.families.general[i]!)
  const slice = therapistShare(design, therapist, r2, settings.level)
  return {
    status: "estimated",
    outcome: design.outcome,
    outcome_description: outcomeDescription(design, settings),
    n: b.n,
    n_excluded: design.excluded,
    r_squared: r2,
    families: design.families.map((f, i) => ({
      family: f.family,
      predictors: design.predictors.filter((p) => p.family === f.family).map((p) => p.name),
      general_dominance: b.families.general[i]!,
      ci: [b.intervals[i]![0], b.intervals[i]![1]],
      share_of_explained: b.families.general[i]! / r2,
      rank: ranks.indexOf(i) + 1,
      conditional: [...b.families.conditional[i]!],
    })),
    absent_families: design.absent.map((a) => ({ ...a })),
    therapist: slice,
    unexplained: 1 - r2 - (slice.status === "estimated" ? slice.share : 0),
    dominance: {
      complete: verdicts(b.families.complete),
      conditional: verdicts(b.families.conditionalDominance),
      general: verdicts(b.families.generalDominance),
    },
    predictors:
      b.predictors === null
        ? []
        : design.predictors.map((p, i) => ({
            predictor: p.name,
            family: p.family,
            columns: [...p.columns],
            general_dominance: b.predictors!.general[i]!,
            share_of_explained: b.predictors!.general[i]! / r2,
            conditional: [...b.predictors!.conditional[i]!],
          })),
    predictor_complete_dominance: b.predictors === null ? [] : verdicts(b.predictors.complete),
    predictors_skipped:
      b.predictors === null
        ? `the ${design.predictors.length} single predictors would need 2^${design.predictors.length} sub-models; at most ${MAX_SETS} are analysed one by one (the families are analysed as sets)`
        : null,
    hierarchical: b.hierarchical.map((s) => ({
      family: familyNames[s.set]!,
      r_squared: s.rSquared,
      delta_r_squared: s.deltaRSquared,
      f: s.f,
      df1: s.df1,
      df2: s.df2,
      p: s.p,
    })),
    commonality:
      b.commonality?.map((part) => ({
        families: familyNames.filter((_, i) => part.sets & (1 << i)),
        value: part.value,
        share_of_explained: part.value / r2,
      })) ?? null,
    bootstrap: {
      replicates: b.bootstrap.replicates,
      used: b.bootstrap.used,
      seed: b.bootstrap.seed,
      resample: b.bootstrap.resample,
      units: b.bootstrap.units,
      size: b.bootstrap.size,
      method: b.bootstrap.size < b.bootstrap.units ? "m_out_of_n" : "percentile",
    },
    reference: COMMON_FACTORS_REFERENCE,
  }
}

/** The `common_factors` record of `design`, or why it could not be estimated (with the absent families either way). */
export const estimateCommonFactors = (design: FactorDesign, therapist: Coding, settings: Pick<AnalysisSettings, "commonFactors" | "level" | "outcome">): CommonFactors => {
  const absent = design.absent.map((a) => ({ ...a }))
  const refuse = (reason: string): CommonFactors => ({ ...notEstimable(design.rows.length, reason), absent_families: absent })
  if (design.families.length === 0) return refuse("no family of predictors has data in this study")
  const parameters = design.controls.length + design.columns.length
  if (design.rows.length < parameters + 3) {
    return refuse(`${design.rows.length} clients have improvement and every predictor; the model with ${parameters} columns needs at least ${parameters + 3}`)
  }
  const { bootstrap } = settings.commonFactors
  const b = commonFactorBreakdown(
    design,
    therapist.codes,
    therapist.count,
    { replicates: bootstrap.replicates, seed: bootstrap.seed, resample: bootstrap.resample, maxResampleSize: bootstrap.max_resample_size },
    settings.level,
  )
  if (b === null) return refuse("the predictors are collinear: one of them (or a category's level) is a combination of the others in this sample")
  if (b.bootstrap.used === 0) return refuse("no bootstrap replicate could be analysed: resampled samples this small are collinear")
  const checked = finiteOr(record(design, b, therapist, settings))
  return checked.status === "estimated" ? checked : { ...checked, absent_families: absent }
}
