/**
 * Sensitivity analyses of the three-level model, which metafor offers neither of for `rma.mv`:
 * the multilevel regression test for small-study effects, and leave-one-study-out refits.
 *
 * Multilevel Egger test (the three-level analogue of `metafor::regtest(model = "rma", predictor =
 * "sei")`; Rodgers & Pustejovsky 2021; Fernández-Castilla et al. 2021): the three-level model with
 * the standard error √vᵢ as moderator, yᵢ = β₀ + β₁√vᵢ + u_s + wᵢ + εᵢ. The slope β₁ tests funnel
 * asymmetry, model-based (z or t(k − 2)) and with CR2 cluster-robust inference (Satterthwaite df),
 * which Rodgers & Pustejovsky found to hold its size under dependence; the intercept β₀ is the
 * limit estimate, the expected effect of a study with standard error 0.
 *
 * Leave-one-study-out: the model refitted without each study (cluster) in turn — the multilevel
 * analogue of `metafor::leave1out`, dropping every effect of the study at once.
 *
 * Reference: `metafor::rma.mv(yi, vi, mods = ~ sqrt(vi), random = ~ 1 | study/es)` with
 * `clubSandwich::coef_test(vcov = "CR2", cluster = study)`; for each study s,
 * `rma.mv(yi, vi, random = ~ 1 | study/es, subset = study != s)`.
 */
import { matrixFromRows } from "../numeric/matrix.ts"
import { type Interval, type NotEstimable, notEstimable } from "../types.ts"
import { cr2ThreeLevel, type RobustCoefficient } from "./cr2.ts"
import { rmaThreeLevel, type ThreeLevelCoefficient, type ThreeLevelInput, type ThreeLevelOptions, type ThreeLevelResult } from "./three-level.ts"

/** The effects of a three-level analysis without moderators. */
export type ThreeLevelEffects = Pick<ThreeLevelInput, "yi" | "vi" | "study">

export interface ThreeLevelEggerResult {
  readonly status: "estimated"
  /** β₁, the coefficient of √vᵢ: model-based (z, or t on k − 2 df) */
  readonly slope: ThreeLevelCoefficient
  /** β₁ with CR2 se, t and Satterthwaite df */
  readonly robustSlope: RobustCoefficient
  /** β₀, the limit estimate as the standard error → 0: model-based */
  readonly limit: ThreeLevelCoefficient
  /** β₀ with CR2 inference */
  readonly robustLimit: RobustCoefficient
  /** model-based t df (k − 2) for test "t"; null for "z" */
  readonly df: number | null
  /** the fitted model */
  readonly fit: ThreeLevelResult
  readonly reference: string
}

/**
 * The multilevel Egger test (see the module comment): the three-level model on [1, √vᵢ], with
 * model-based and CR2 inference on both coefficients.
 *
 * Preconditions and `NotEstimable` as `rmaThreeLevel` with two coefficients (at least 4 effects
 * from 2 studies); also when every standard error is the same (the slope is not identified).
 *
 * Example: dat.assink2016 (REML, z): slope 1.972869, model-based p 0.000334, CR2 p 0.02712 on
 * 6.967 df; limit estimate 0.00994 (R: rma.mv(yi, vi, mods = ~ sqrt(vi), random = ~ 1 | study/es)
 * and coef_test(vcov = "CR2"): 1.97286944739738, 0.0003337386011652579, 0.027120012700059187,
 * 6.967345441511527, 0.009940973241140535).
 */
export const threeLevelEgger = (effects: ThreeLevelEffects, options: ThreeLevelOptions = {}): ThreeLevelEggerResult | NotEstimable => {
  const se = Array.from(effects.vi, Math.sqrt)
  if (se.every((s) => s === se[0])) return notEstimable(se.length, "every effect has the same standard error, so the regression test has no slope to estimate")
  const fit = rmaThreeLevel({ ...effects, x: matrixFromRows(se.map((s) => [1, s])), names: ["intrcpt", "sei"] }, options)
  if (fit.status !== "estimated") return fit
  const robust = cr2ThreeLevel(fit)
  return {
    status: "estimated",
    slope: fit.coefficients[1]!,
    robustSlope: robust.coefficients[1]!,
    limit: fit.coefficients[0]!,
    robustLimit: robust.coefficients[0]!,
    df: fit.df,
    fit,
    reference: 'metafor::rma.mv(yi, vi, mods = ~ sqrt(vi), random = ~ 1 | study/es) with clubSandwich::coef_test(vcov = "CR2", cluster = study)',
  }
}

/** The model refitted without one study. */
export interface LeftOutStudy {
  readonly status: "estimated"
  /** the study left out */
  readonly study: string
  /** effects and studies in the refit */
  readonly k: number
  readonly studies: number
  /** the first coefficient (the pooled effect without moderators) */
  readonly estimate: number
  readonly se: number
  readonly statistic: number
  readonly p: number
  readonly ci: Interval
  readonly pi: Interval
  /** [σ²₁ between, σ²₂ within] */
  readonly sigma2: readonly [number, number]
}

/** A refit that could not be made (too few studies or effects left, a design no longer of full rank). */
export interface LeftOutStudyNotEstimable extends NotEstimable {
  readonly study: string
}

/**
 * Leave-one-study-out for the three-level model: for each study (in order of first appearance),
 * `rmaThreeLevel` on the other studies' effects with the same options and moderators, reporting
 * its first coefficient, PI and σ².
 *
 * Preconditions: as `rmaThreeLevel`. A refit that is not estimable is returned as such, with the
 * study named.
 *
 * Example: dat.konstantopoulos2011 (study = district), REML: without district 11 the pooled
 * effect is 0.2069850 with σ² [0.0654405, 0.0334303] (R: rma.mv(yi, vi, random = ~ 1 |
 * district/school, subset = district != 11): 0.20698500956216648, [0.0654405009146246, 0.03343025103732727]).
 */
export const threeLevelLeaveOneOut = (input: ThreeLevelInput, options: ThreeLevelOptions = {}): ReadonlyArray<LeftOutStudy | LeftOutStudyNotEstimable> => {
  const labels = [...new Set(input.study)]
  return labels.map((left) => {
    const keep = input.study.flatMap((s, i) => (s === left ? [] : [i]))
    const x = input.x
    const refit = rmaThreeLevel(
      {
        yi: keep.map((i) => input.yi[i]!),
        vi: keep.map((i) => input.vi[i]!),
        study: keep.map((i) => input.study[i]!),
        ...(x === undefined ? {} : { x: { rows: keep.length, cols: x.cols, data: Float64Array.from(keep.flatMap((i) => Array.from(x.data.subarray(i * x.cols, (i + 1) * x.cols)))) } }),
        ...(input.names === undefined ? {} : { names: input.names }),
      },
      options,
    )
    if (refit.status !== "estimated") return { ...refit, study: left }
    const first = refit.coefficients[0]!
    return {
      status: "estimated",
      study: left,
      k: refit.k,
      studies: refit.studies,
      estimate: first.estimate,
      se: first.se,
      statistic: first.statistic,
      p: first.p,
      ci: first.ci,
      pi: refit.pi,
      sigma2: refit.sigma2,
    }
  })
}
