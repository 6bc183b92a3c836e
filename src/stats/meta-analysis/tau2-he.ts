/**
 * Hedges' (HE) method-of-moments estimator of the between-study variance τ².
 */

import type { NotEstimable } from "../types.ts"
import { hedgesTau2 } from "./fisher-scoring.ts"
import { readMetaInputs } from "./inputs.ts"
import type { Tau2Estimate } from "./tau2-estimate.ts"
import { projectionSquareSum } from "./weighted-fit.ts"

/**
 * HE estimate of τ²: the unweighted residual sum of squares set equal to its expectation.
 *
 * Formula: with P = I − 11ᵀ/k, τ² = max(0, (Σ(yᵢ − ȳ)² − tr(PV)) / (k − 1)), tr(PV) = (1 − 1/k)Σvᵢ;
 * se = √(2·Σᵢⱼ Pᵢⱼ² vᵢvⱼ + 4τ²·tr(PV) + 2τ⁴(k − 1)) / (k − 1).
 *
 * Reference: `metafor::rma.uni(yi, vi, method = "HE")` (metafor 3.8); Hedges (1983), Psychol Bull
 * 93, 388–395; Hedges & Olkin (1985).
 *
 * Preconditions: at least 2 studies, finite yi, finite vi > 0 (otherwise `NotEstimable`); yi and vi
 * of equal length (otherwise throws).
 *
 * Fields: `tau2` (≥ 0), `se` metafor's `se.tau2`, `iterations` 0, `k`, `method` "HE", `reference`.
 *
 * Example (R: `rma(c(0.1, 0.3, 0.5, 0.2), c(0.01, 0.02, 0.015, 0.01), method = "HE")`):
 *   tau2He([0.1, 0.3, 0.5, 0.2], [0.01, 0.02, 0.015, 0.01]) → tau2 0.015416666666667,
 *   se 0.023974330408137 (R: 0.015416666666666667, 0.023974330408136915)
 */
export const tau2He = (yi: ArrayLike<number>, vi: ArrayLike<number>): Tau2Estimate | NotEstimable => {
  const inputs = readMetaInputs(yi, vi)
  if (inputs.status !== "ok") return inputs
  const { k, vi: v } = inputs
  const tau2 = Math.max(0, hedgesTau2(inputs.yi, v))
  const tracePV = (1 - 1 / k) * v.reduce((sum, x) => sum + x, 0)
  const pvpv = projectionSquareSum(new Float64Array(k).fill(1), v, v)
  const se = Math.sqrt(2 * pvpv + 4 * tau2 * tracePV + 2 * tau2 * tau2 * (k - 1)) / (k - 1)
  return { status: "estimated", method: "HE", k, tau2, se, iterations: 0, reference: 'metafor::rma.uni(yi, vi, method = "HE")' }
}
