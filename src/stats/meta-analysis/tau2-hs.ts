/**
 * Hunter–Schmidt (HS) estimator of the between-study variance τ².
 */

import type { NotEstimable } from "../types.ts"
import { readMetaInputs } from "./inputs.ts"
import type { Tau2Estimate } from "./tau2-estimate.ts"
import { weightedFit } from "./weighted-fit.ts"

/**
 * HS estimate of τ²: Cochran's Q minus k, over the sum of the fixed-effect weights.
 *
 * Formula: with wᵢ = 1/vᵢ and Q = Σ wᵢ (yᵢ − ȳ_w)², τ² = max(0, (Q − k) / Σw);
 * se = √(2(k − 1) + 4τ²·tr P + 2τ⁴·tr(PP)) / Σw, P at the fixed-effect weights. Note the k (not
 * k − 1): HS is negatively biased, most for small k.
 *
 * Reference: `metafor::rma.uni(yi, vi, method = "HS")` (metafor 3.8); Hunter & Schmidt (2004),
 * *Methods of Meta-Analysis*; Viechtbauer (2005).
 *
 * Preconditions: at least 2 studies, finite yi, finite vi > 0 (otherwise `NotEstimable`); yi and vi
 * of equal length (otherwise throws).
 *
 * Fields: `tau2` (≥ 0), `se` metafor's `se.tau2`, `iterations` 0, `k`, `method` "HS", `reference`.
 *
 * Example (R: `rma(c(0.1, 0.3, 0.5, 0.2), c(0.01, 0.02, 0.015, 0.01), method = "HS")`):
 *   tau2Hs([0.1, 0.3, 0.5, 0.2], [0.01, 0.02, 0.015, 0.01]) → tau2 0.0088088642659280,
 *   se 0.013055393593465 (R: 0.0088088642659279789, 0.013055393593464892)
 */
export const tau2Hs = (yi: ArrayLike<number>, vi: ArrayLike<number>): Tau2Estimate | NotEstimable => {
  const inputs = readMetaInputs(yi, vi)
  if (inputs.status !== "ok") return inputs
  const k = inputs.k
  const fixed = weightedFit(inputs.yi, inputs.vi, 0)
  const tau2 = Math.max(0, (Math.max(0, fixed.rss) - k) / fixed.sumW)
  const se = Math.sqrt(2 * (k - 1) + 4 * tau2 * fixed.traceP + 2 * tau2 * tau2 * fixed.tracePP) / fixed.sumW
  return { status: "estimated", method: "HS", k, tau2, se, iterations: 0, reference: 'metafor::rma.uni(yi, vi, method = "HS")' }
}
