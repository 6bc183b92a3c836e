/**
 * Restricted maximum-likelihood (REML) estimator of the between-study variance τ².
 */

import type { NotEstimable } from "../types.ts"
import { type FisherScoringOptions, scoredTau2Estimate } from "./fisher-scoring.ts"
import type { Tau2Estimate } from "./tau2-estimate.ts"

/**
 * REML estimate of τ² in the random-effects model yᵢ = μ + uᵢ + εᵢ, uᵢ ~ N(0, τ²), εᵢ ~ N(0, vᵢ).
 *
 * Formula: τ² maximises the restricted log-likelihood
 *   −½ Σ ln(vᵢ + τ²) − ½ ln Σ wᵢ − ½ Σ wᵢ (yᵢ − ȳ_w)²,   wᵢ = 1/(vᵢ + τ²),
 * found by Fisher scoring, τ² ← τ² + (Σ wᵢ²(yᵢ − ȳ_w)² − tr P) / tr(PP), with step halving at the
 * zero boundary, started at Hedges' estimator, stopped when |Δτ²| ≤ 1e-5 (metafor's defaults; see
 * `fisher-scoring.ts`), and truncated at 0. se = √(2 / tr(PP)) at the estimate.
 *
 * Reference: `metafor::rma.uni(yi, vi, method = "REML")` (metafor 3.8); Viechtbauer (2005),
 * J Educ Behav Stat 30(3), 261–293; Viechtbauer (2010), J Stat Softw 36(3).
 *
 * Preconditions: at least 2 studies, finite yi, finite vi > 0 (otherwise `NotEstimable`); yi and vi
 * of equal length (otherwise throws). Non-convergence also returns `NotEstimable`.
 *
 * Fields: `tau2` the estimate (≥ 0), `se` metafor's `se.tau2`, `iterations` Fisher scoring passes
 * (as `rma(..., verbose = TRUE)` reports), `k` studies, `method` "REML", `reference` the R call.
 *
 * Example (R: `rma(c(0.1, 0.3, 0.5, 0.2), c(0.01, 0.02, 0.015, 0.01))`):
 *   tau2Reml([0.1, 0.3, 0.5, 0.2], [0.01, 0.02, 0.015, 0.01]).tau2 → 0.016713183221702
 *   (R: 0.016713183221701761; agreement to 15 significant digits), iterations → 3
 */
export const tau2Reml = (
  yi: ArrayLike<number>,
  vi: ArrayLike<number>,
  options: FisherScoringOptions = {},
): Tau2Estimate | NotEstimable => scoredTau2Estimate(yi, vi, "REML", options, (fit) => Math.sqrt(2 / fit.tracePP))
