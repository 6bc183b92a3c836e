/**
 * Maximum-likelihood (ML) estimator of the between-study variance τ².
 */

import type { NotEstimable } from "../types.ts"
import { type FisherScoringOptions, scoredTau2Estimate } from "./fisher-scoring.ts"
import type { Tau2Estimate } from "./tau2-estimate.ts"

/**
 * ML estimate of τ² in the random-effects model yᵢ = μ + uᵢ + εᵢ, uᵢ ~ N(0, τ²), εᵢ ~ N(0, vᵢ).
 *
 * Formula: τ² maximises −½ Σ ln(vᵢ + τ²) − ½ Σ wᵢ (yᵢ − ȳ_w)², wᵢ = 1/(vᵢ + τ²), by Fisher
 * scoring τ² ← τ² + (Σ wᵢ²(yᵢ − ȳ_w)² − Σ wᵢ) / Σ wᵢ², with metafor's start, step halving and
 * stopping rule (see `fisher-scoring.ts`); truncated at 0. se = √(2 / Σ wᵢ²) at the estimate.
 * ML τ² is biased downwards for small k; prefer REML (`tau2-reml.ts`), this is for cross-checks.
 *
 * Reference: `metafor::rma.uni(yi, vi, method = "ML")` (metafor 3.8); Viechtbauer (2005).
 *
 * Preconditions: at least 2 studies, finite yi, finite vi > 0 (otherwise `NotEstimable`); yi and vi
 * of equal length (otherwise throws). Non-convergence also returns `NotEstimable`.
 *
 * Fields: `tau2` (≥ 0), `se` metafor's `se.tau2`, `iterations`, `k`, `method` "ML", `reference`.
 *
 * Example (R: `rma(c(0.1, 0.3, 0.5, 0.2), c(0.01, 0.02, 0.015, 0.01), method = "ML")`):
 *   tau2Ml([0.1, 0.3, 0.5, 0.2], [0.01, 0.02, 0.015, 0.01]).tau2 → 0.0091309433458698
 *   (R: 0.0091309433458698231)
 */
export const tau2Ml = (
  yi: ArrayLike<number>,
  vi: ArrayLike<number>,
  options: FisherScoringOptions = {},
): Tau2Estimate | NotEstimable => scoredTau2Estimate(yi, vi, "ML", options, (fit) => Math.sqrt(2 / fit.sumW2))
