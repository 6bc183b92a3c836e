/**
 * Empirical Bayes (EB) estimator of the between-study variance τ² (Morris 1983).
 */

import type { NotEstimable } from "../types.ts"
import { type FisherScoringOptions, scoredTau2Estimate } from "./fisher-scoring.ts"
import type { Tau2Estimate } from "./tau2-estimate.ts"

/**
 * EB estimate of τ²: the fixed point of τ² = τ² + (Σ wᵢ (yᵢ − ȳ_w)² · k/(k − 1) − k) / Σwᵢ,
 * wᵢ = 1/(vᵢ + τ²), iterated as metafor does (Hedges' start, step halving at 0, |Δτ²| ≤ 1e-5; see
 * `fisher-scoring.ts`); truncated at 0. At the fixed point Q(τ²) = k − 1, so EB and Paule–Mandel
 * estimate the same τ², up to where each algorithm stops. se = √(2k² / (k − 1)) / Σwᵢ at the estimate.
 *
 * Reference: `metafor::rma.uni(yi, vi, method = "EB")` (metafor 3.8); Morris (1983), J Am Stat
 * Assoc 78, 47–55; Berkey et al. (1995), Stat Med 14, 395–411.
 *
 * Preconditions: at least 2 studies, finite yi, finite vi > 0 (otherwise `NotEstimable`); yi and vi
 * of equal length (otherwise throws). Non-convergence also returns `NotEstimable`.
 *
 * Fields: `tau2` (≥ 0), `se` metafor's `se.tau2`, `iterations`, `k`, `method` "EB", `reference`.
 *
 * Example (R: `rma(c(0.1, 0.3, 0.5, 0.2), c(0.01, 0.02, 0.015, 0.01), method = "EB")`):
 *   tau2Eb([0.1, 0.3, 0.5, 0.2], [0.01, 0.02, 0.015, 0.01]) → tau2 0.016235583472686,
 *   se 0.024042130974780 (R: 0.016235583472685923, 0.024042130974779766)
 */
export const tau2Eb = (
  yi: ArrayLike<number>,
  vi: ArrayLike<number>,
  options: FisherScoringOptions = {},
): Tau2Estimate | NotEstimable =>
  scoredTau2Estimate(yi, vi, "EB", options, (fit) => Math.sqrt((2 * fit.k * fit.k) / (fit.k - 1)) / fit.sumW)
