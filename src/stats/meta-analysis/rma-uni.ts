/**
 * Random-effects (and equal-effects) meta-analysis of one effect size per study: the pooling step
 * of the primary pipeline (per-site alliance–outcome correlations on the Fisher z scale).
 *
 * Phases, as in metafor's `rma.uni`:
 *   setup → estimate τ² → pooled estimate → inference → heterogeneity → output
 */

import { chiSquaredCdf } from "../distributions/chi-squared.ts"
import { type Interval, type NotEstimable, notEstimable } from "../types.ts"
import { h2FromQ, h2FromTau2, i2FromQ, i2FromTau2 } from "./heterogeneity.ts"
import { type MetaInputs, readMetaInputs } from "./inputs.ts"
import { levelArgument, type NullableInterval, qProfile, type Tau2ConfidenceInterval } from "./q-profile.ts"
import { tau2Dl } from "./tau2-dl.ts"
import { tau2Eb } from "./tau2-eb.ts"
import type { Tau2Estimate, Tau2Method } from "./tau2-estimate.ts"
import { tau2He } from "./tau2-he.ts"
import { tau2Hs } from "./tau2-hs.ts"
import { tau2Ml } from "./tau2-ml.ts"
import { tau2Pm } from "./tau2-pm.ts"
import { tau2Reml } from "./tau2-reml.ts"
import { tau2Sj } from "./tau2-sj.ts"
import { criticalValue, twoSidedP } from "./wald.ts"
import { weightedFit } from "./weighted-fit.ts"

/**
 * τ² method, named as in metafor: REML (default), ML, DerSimonian–Laird (DL), Hedges (HE),
 * Hunter–Schmidt (HS), Sidik–Jonkman (SJ), Paule–Mandel (PM), empirical Bayes (EB), or the
 * equal-effects model (τ² = 0; metafor "EE"/"FE").
 */
export type RmaMethod = Tau2Method | "EE"
/** Test for the pooled estimate: normal ("z", metafor's default) or Knapp–Hartung ("knha"). */
export type RmaTest = "z" | "knha"

export interface RmaUniOptions {
  readonly method?: RmaMethod
  readonly test?: RmaTest
  /** confidence level for the CI, PI and τ² interval, as a proportion (default 0.95) */
  readonly level?: number
}

/** A fitted intercept-only meta-analytic model (field names follow src/stats/types.ts). */
export interface RmaUniResult {
  readonly status: "estimated"
  /** number of studies */
  readonly k: number
  /** pooled estimate μ̂ on the yi scale (Fisher z for correlations) */
  readonly estimate: number
  /** standard error of μ̂ (Knapp–Hartung adjusted when test = "knha") */
  readonly se: number
  /** confidence interval for μ at `level` */
  readonly ci: Interval
  /**
   * prediction interval for a new study's true effect, μ̂ ± crit·√(se² + τ²) (metafor `predict()`);
   * for EE τ² = 0, so it equals the CI (metafor's `predict()` leaves it out)
   */
  readonly pi: Interval
  readonly level: number
  /** z or t statistic μ̂ / se */
  readonly statistic: number
  /** t degrees of freedom k − 1 for "knha"; null for "z" */
  readonly df: number | null
  /** two-sided p-value of H0: μ = 0 */
  readonly p: number
  /** between-study variance (0 for EE) */
  readonly tau2: number
  /** metafor's se.tau2; null for EE */
  readonly tau2Se: number | null
  /** √τ² */
  readonly tau: number
  /** I² in percent */
  readonly i2: number
  /** H² */
  readonly h2: number
  /** Cochran's Q from the fixed-effect weights 1/vᵢ */
  readonly q: number
  readonly qDf: number
  readonly qP: number
  /** typical within-study variance s² used by I² and H² (metafor `vt`) */
  readonly typicalVariance: number
  /** Knapp–Hartung variance factor s²_w (metafor `s2w`, not truncated at 1); null for "z" */
  readonly knhaFactor: number | null
  /**
   * Q-profile interval for τ² at `level`; null for EE, and null when the interval is empty or a
   * bound lies beyond the search limit or could not be found (then `tau2CiNote` says which, and
   * `qProfile` keeps whichever bound exists)
   */
  readonly tau2Ci: Interval | null
  /** the I² interval implied by `tau2Ci` (percent); null whenever `tau2Ci` is */
  readonly i2Ci: Interval | null
  /** the H² interval implied by `tau2Ci`; null whenever `tau2Ci` is */
  readonly h2Ci: Interval | null
  /** why a τ²-interval bound is 0 or missing; null when both are ordinary roots (and for EE) */
  readonly tau2CiNote: string | null
  /** the full Q-profile record, bound by bound (see `q-profile.ts`); null for EE */
  readonly qProfile: Tau2ConfidenceInterval | null
  /** percent weight of each study in μ̂, 100·wᵢ/Σw with wᵢ = 1/(vᵢ + τ²) (metafor `weights()`) */
  readonly weights: readonly number[]
  readonly method: RmaMethod
  readonly test: RmaTest
  /** Fisher scoring iterations for REML/ML/EB, root-search steps for PM; 0 otherwise */
  readonly iterations: number
  /** the R call this result matches */
  readonly reference: string
}

interface Tau2Phase {
  readonly tau2: number
  readonly tau2Se: number | null
  readonly iterations: number
}

/** The τ² estimators by method. */
const TAU2_ESTIMATORS: Readonly<Record<Tau2Method, (yi: Float64Array, vi: Float64Array) => Tau2Estimate | NotEstimable>> = {
  REML: tau2Reml,
  ML: tau2Ml,
  DL: tau2Dl,
  HE: tau2He,
  HS: tau2Hs,
  SJ: tau2Sj,
  PM: tau2Pm,
  EB: tau2Eb,
}

/** Phase 2: τ² by the requested method (EE fixes it at 0). */
const estimateTau2 = (inputs: MetaInputs, method: RmaMethod): Tau2Phase | NotEstimable => {
  if (method === "EE") return { tau2: 0, tau2Se: null, iterations: 0 }
  const estimated = TAU2_ESTIMATORS[method](inputs.yi, inputs.vi)
  return estimated.status === "estimated"
    ? { tau2: estimated.tau2, tau2Se: estimated.se, iterations: estimated.iterations }
    : estimated
}

/** Phase 4: standard error, test statistic, p, CI and PI for the pooled estimate. */
const inference = (
  inputs: MetaInputs,
  estimate: number,
  variance: number,
  rss: number,
  tau2: number,
  test: RmaTest,
  level: number,
) => {
  const df = inputs.k - 1
  // Knapp–Hartung: scale the variance by s²_w = Σ wᵢ(yᵢ − μ̂)² / (k − 1), untruncated (metafor
  // test = "knha"; only test = "adhoc" truncates at 1). rmaUni has already declined the case
  // Σ wᵢ(yᵢ − μ̂)² ≤ eps, where metafor sets s²_w = 0.
  const knhaFactor = test === "knha" ? rss / df : null
  const se = Math.sqrt(variance * (knhaFactor ?? 1))
  const statistic = estimate / se
  const p = twoSidedP(statistic, test, df)
  const crit = criticalValue(test, df, level)
  const ci: Interval = [estimate - crit * se, estimate + crit * se]
  const piHalf = crit * Math.sqrt(se * se + tau2)
  const pi: Interval = [estimate - piHalf, estimate + piHalf]
  return { se, statistic, df: test === "knha" ? df : null, p, ci, pi, knhaFactor }
}

/** An interval with both bounds present, or null. */
const complete = (interval: NullableInterval | undefined): Interval | null =>
  interval !== undefined && interval[0] !== null && interval[1] !== null ? [interval[0], interval[1]] : null

const referenceCall = (method: RmaMethod, test: RmaTest, level: number): string =>
  `metafor::rma.uni(yi, vi, method = "${method}", test = "${test}"${levelArgument(level)})`

/**
 * Intercept-only meta-analysis: pooled effect, its inference, τ², heterogeneity and weights.
 *
 * Model: yᵢ = μ + uᵢ + εᵢ, uᵢ ~ N(0, τ²), εᵢ ~ N(0, vᵢ) (τ² = 0 for "EE").
 * Formulas: wᵢ = 1/(vᵢ + τ̂²); μ̂ = Σ wᵢ yᵢ / Σ wᵢ; Var(μ̂) = 1/Σ wᵢ, times s²_w = Σ wᵢ(yᵢ − μ̂)²/(k − 1)
 * for Knapp–Hartung; statistic = μ̂/se; CI = μ̂ ± crit·se; PI = μ̂ ± crit·√(se² + τ̂²), where crit is
 * the normal quantile ("z") or the t(k − 1) quantile ("knha"); Q = Σ (1/vᵢ)(yᵢ − ȳ_FE)² on k − 1 df;
 * I² = 100·τ̂²/(s² + τ̂²), H² = τ̂²/s² + 1 with s² = (k − 1)Σw/((Σw)² − Σw²), w = 1/vᵢ (for EE:
 * I² = max(0, 100(Q − (k − 1))/Q), H² = Q/(k − 1)); τ² CI by Q-profile (`q-profile.ts`).
 *
 * Reference: `metafor::rma.uni(yi, vi, method, test)` with `predict()`, `weights()` and `confint()`
 * (metafor 3.8); Viechtbauer (2005, 2010); Knapp & Hartung (2003), Stat Med 22, 2693–2710.
 * Deliberate differences from metafor: k ≥ 2 is required (metafor fits k = 1); when every estimate
 * equals μ̂ under "knha" (s²_w = 0, so metafor reports se = 0 and a zero-width CI) this returns
 * `NotEstimable`; τ²-interval bounds are exact roots and missing bounds are null (see `q-profile.ts`).
 *
 * Preconditions: 0 < level < 1 and yi, vi of equal length (otherwise throws). `NotEstimable` for
 * k < 2, non-finite values, vᵢ ≤ 0, Fisher scoring that does not converge, or the "knha" case above.
 *
 * Fields: see {@link RmaUniResult}.
 *
 * Example (R: `rma(c(0.1, 0.3, 0.5, 0.2), c(0.01, 0.02, 0.015, 0.01))`):
 *   rmaUni([0.1, 0.3, 0.5, 0.2], [0.01, 0.02, 0.015, 0.01])
 *   → estimate 0.26315566372553, se 0.086503054284194, tau2 0.016713183221702,
 *     i2 56.334555988719, pi [-0.041717736555241, 0.56802906400631], iterations 3
 *   (14 significant digits; R %.17g: 0.26315566372553389, 0.08650305428419415, …)
 */
export const rmaUni = (
  yi: ArrayLike<number>,
  vi: ArrayLike<number>,
  options: RmaUniOptions = {},
): RmaUniResult | NotEstimable => {
  // setup
  const method = options.method ?? "REML"
  const test = options.test ?? "z"
  const level = options.level ?? 0.95
  if (!(level > 0 && level < 1)) throw new RangeError(`level must lie strictly between 0 and 1 (got ${level})`)
  const inputs = readMetaInputs(yi, vi)
  if (inputs.status !== "ok") return inputs
  const k = inputs.k

  // estimate τ²
  const tau2Phase = estimateTau2(inputs, method)
  if ("reason" in tau2Phase) return tau2Phase
  const { tau2 } = tau2Phase

  // pooled estimate
  const fit = weightedFit(inputs.yi, inputs.vi, tau2)
  const estimate = fit.mean
  if (test === "knha" && fit.rss <= Number.EPSILON) {
    return notEstimable(
      k,
      "every study estimate equals the pooled estimate, so the Knapp-Hartung standard error is 0 and " +
        'no t-based interval can be formed; use test = "z"',
    )
  }

  // inference
  const inferred = inference(inputs, estimate, 1 / fit.sumW, fit.rss, tau2, test, level)

  // heterogeneity
  const fixed = weightedFit(inputs.yi, inputs.vi, 0)
  const qDf = k - 1
  const q = Math.max(0, fixed.rss)
  const typicalVariance = qDf / fixed.traceP
  const i2 = method === "EE" ? i2FromQ(q, qDf) : i2FromTau2(tau2, typicalVariance)
  const h2 = method === "EE" ? h2FromQ(q, qDf) : h2FromTau2(tau2, typicalVariance)
  const profile = method === "EE" ? null : qProfile(inputs, level, tau2, method)

  // output
  const weights = Array.from(inputs.vi, (v) => (100 * (1 / (v + tau2))) / fit.sumW)
  return {
    status: "estimated",
    k,
    estimate,
    se: inferred.se,
    ci: inferred.ci,
    pi: inferred.pi,
    level,
    statistic: inferred.statistic,
    df: inferred.df,
    p: inferred.p,
    tau2,
    tau2Se: tau2Phase.tau2Se,
    tau: Math.sqrt(tau2),
    i2,
    h2,
    q,
    qDf,
    qP: chiSquaredCdf(q, qDf, false),
    typicalVariance,
    knhaFactor: inferred.knhaFactor,
    tau2Ci: complete(profile?.tau2),
    i2Ci: complete(profile?.i2),
    h2Ci: complete(profile?.h2),
    tau2CiNote: profile?.note ?? null,
    qProfile: profile,
    weights,
    method,
    test,
    iterations: tau2Phase.iterations,
    reference: referenceCall(method, test, level),
  }
}
