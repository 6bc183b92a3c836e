/**
 * Heterogeneity statistics of a meta-analysis: Cochran's Q, the "typical" within-study variance,
 * I² and H².
 */

import { chiSquaredCdf } from "../distributions/chi-squared.ts"
import type { NotEstimable } from "../types.ts"
import { readMetaInputs } from "./inputs.ts"
import { weightedFit } from "./weighted-fit.ts"

/** Cochran's Q test of homogeneity. */
export interface CochranQ {
  readonly status: "estimated"
  /** Q = Σ wᵢ (yᵢ − ȳ_w)², wᵢ = 1/vᵢ */
  readonly q: number
  /** degrees of freedom, k − 1 */
  readonly df: number
  /** upper-tail χ²(k − 1) probability of Q */
  readonly p: number
  /** the typical within-study variance s² (see `typicalWithinVariance`) */
  readonly typicalVariance: number
  readonly k: number
}

/**
 * Cochran's Q statistic of an intercept-only model, its χ² test, and metafor's typical variance.
 *
 * Formula: Q = max(0, Σ wᵢ (yᵢ − ȳ_w)²), wᵢ = 1/vᵢ, ȳ_w = Σ wᵢ yᵢ / Σ wᵢ; p = P(χ²ₖ₋₁ > Q).
 *
 * Reference: `metafor::rma.uni(yi, vi)$QE`, `$QEp`, `$vt` (metafor 3.8; Q does not depend on the
 * τ² method); Cochran (1954), Biometrics 10, 101–129.
 *
 * Preconditions: at least 2 studies, finite yi, finite vi > 0 (otherwise `NotEstimable`).
 *
 * Fields: `q`, `df` = k − 1, `p`, `typicalVariance` s², `k`.
 *
 * Example (R: `rma(c(0.1, 0.3, 0.5, 0.2), c(0.01, 0.02, 0.015, 0.01))`):
 *   cochranQ([0.1, 0.3, 0.5, 0.2], [0.01, 0.02, 0.015, 0.01])
 *   → { q: 6.7894736842105, df: 3, p: 0.078919441152726, typicalVariance: 0.012954545454545, … }
 *   (R, %.17g: QE 6.7894736842105265, QEp 0.078919441152726255, vt 0.012954545454545451)
 */
export const cochranQ = (yi: ArrayLike<number>, vi: ArrayLike<number>): CochranQ | NotEstimable => {
  const inputs = readMetaInputs(yi, vi)
  if (inputs.status !== "ok") return inputs
  const fixed = weightedFit(inputs.yi, inputs.vi, 0)
  const df = inputs.k - 1
  const q = Math.max(0, fixed.rss)
  return {
    status: "estimated",
    q,
    df,
    p: chiSquaredCdf(q, df, false),
    typicalVariance: df / fixed.traceP,
    k: inputs.k,
  }
}

/**
 * The "typical" within-study variance s² that metafor uses to turn τ² into I² and H².
 *
 * Formula: s² = (k − 1)·Σwᵢ / ((Σwᵢ)² − Σwᵢ²), wᵢ = 1/vᵢ  (= (k − 1) / tr P at τ² = 0).
 *
 * Reference: `metafor::rma.uni(...)$vt` (i2def = "1", the default); Higgins & Thompson (2002),
 * Stat Med 21, 1539–1558, eq. 9.
 *
 * Preconditions: at least 2 finite, positive variances (otherwise `NaN` — callers validate first).
 *
 * Example: typicalWithinVariance([0.01, 0.02, 0.015, 0.01]) → 0.012954545454545 (R `vt`: 0.012954545454545451)
 */
export const typicalWithinVariance = (vi: ArrayLike<number>): number => {
  const v = Float64Array.from(vi)
  const fixed = weightedFit(new Float64Array(v.length), v, 0)
  return (v.length - 1) / fixed.traceP
}

/**
 * I² from τ²: the percentage of total variability attributable to between-study heterogeneity.
 *
 * Formula: I² = 100·τ² / (s² + τ²), s² the typical within-study variance.
 * Reference: `metafor::rma.uni(...)$I2` for random-effects fits; Higgins & Thompson (2002).
 * Preconditions: τ² ≥ 0, s² > 0. Result lies in [0, 100).
 *
 * Example: i2FromTau2(0.016713183221701761, 0.012954545454545451) → 56.334555988719 (R `I2`: 56.334555988719117)
 */
export const i2FromTau2 = (tau2: number, typicalVariance: number): number =>
  (100 * tau2) / (typicalVariance + tau2)

/**
 * H² from τ²: the ratio of total to within-study variability.
 *
 * Formula: H² = τ²/s² + 1.
 * Reference: `metafor::rma.uni(...)$H2` for random-effects fits; Higgins & Thompson (2002).
 * Preconditions: τ² ≥ 0, s² > 0. Result ≥ 1.
 *
 * Example: h2FromTau2(0.016713183221701761, 0.012954545454545451) → 2.2901404592191 (R `H2`: 2.2901404592190837)
 */
export const h2FromTau2 = (tau2: number, typicalVariance: number): number => tau2 / typicalVariance + 1

/**
 * I² from Cochran's Q, as metafor reports it for equal-effects (EE/FE) fits.
 *
 * Formula: I² = max(0, 100·(Q − df) / Q); 0 when Q = 0.
 * Reference: `metafor::rma.uni(..., method = "EE")$I2`; Higgins & Thompson (2002), eq. 10.
 * Preconditions: Q ≥ 0, df ≥ 1.
 *
 * Example: i2FromQ(6.7894736842105265, 3) → 55.813953488372 (R, method = "EE": 55.813953488372093)
 */
export const i2FromQ = (q: number, df: number): number => (q > 0 ? Math.max(0, (100 * (q - df)) / q) : 0)

/**
 * H² from Cochran's Q, as metafor reports it for equal-effects (EE/FE) fits.
 *
 * Formula: H² = Q / df (0 when Q = 0, as in metafor).
 * Reference: `metafor::rma.uni(..., method = "EE")$H2`; Higgins & Thompson (2002).
 * Preconditions: Q ≥ 0, df ≥ 1.
 *
 * Example: h2FromQ(6.7894736842105265, 3) → 2.2631578947368 (R, method = "EE": 2.263157894736842)
 */
export const h2FromQ = (q: number, df: number): number => q / df
