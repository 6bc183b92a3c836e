/**
 * Sidik–Jonkman (SJ) estimator of the between-study variance τ².
 */

import { kahanSum } from "../numeric/kahan.ts"
import type { NotEstimable } from "../types.ts"
import { readMetaInputs } from "./inputs.ts"
import type { Tau2Estimate } from "./tau2-estimate.ts"
import { projectionSquareSum, weightedFit } from "./weighted-fit.ts"

/**
 * SJ estimate of τ²: one weighted step from a crude start.
 *
 * Formula: τ₀² = Σ(yᵢ − ȳ)²/k (ȳ unweighted); with wᵢ = 1/(vᵢ + τ₀²),
 * τ² = τ₀² · Σ wᵢ (yᵢ − ȳ_w)² / (k − 1) (never negative); with P at those weights,
 * se = τ₀² · √(2·Σᵢⱼ Pᵢⱼ² vᵢvⱼ + 4τ²·Σᵢⱼ Pᵢⱼ² vⱼ + 2τ⁴·tr(PP)) / (k − 1).
 * Every yᵢ equal gives τ₀² = 0 and so τ² = 0.
 *
 * Reference: `metafor::rma.uni(yi, vi, method = "SJ")` (metafor 3.8, default start); Sidik &
 * Jonkman (2005), J Biopharm Stat 15, 823–838.
 *
 * Preconditions: at least 2 studies, finite yi, finite vi > 0 (otherwise `NotEstimable`); yi and vi
 * of equal length (otherwise throws).
 *
 * Fields: `tau2` (≥ 0), `se` metafor's `se.tau2`, `iterations` 0, `k`, `method` "SJ", `reference`.
 *
 * Example (R: `rma(c(0.1, 0.3, 0.5, 0.2), c(0.01, 0.02, 0.015, 0.01), method = "SJ")`):
 *   tau2Sj([0.1, 0.3, 0.5, 0.2], [0.01, 0.02, 0.015, 0.01]) → tau2 0.018327947515410,
 *   se 0.016067580877203 (R: 0.018327947515409546, 0.0160675808772025)
 */
export const tau2Sj = (yi: ArrayLike<number>, vi: ArrayLike<number>): Tau2Estimate | NotEstimable => {
  const inputs = readMetaInputs(yi, vi)
  if (inputs.status !== "ok") return inputs
  const { k, yi: y, vi: v } = inputs
  const mean = kahanSum(y) / k
  const start = kahanSum(Float64Array.from(y, (x) => (x - mean) * (x - mean))) / k
  const fit = weightedFit(y, v, start)
  const tau2 = Math.max(0, (start * fit.rss) / (k - 1))
  const w = Float64Array.from(v, (x) => 1 / (x + start))
  const ones = new Float64Array(k).fill(1)
  const se =
    (start *
      Math.sqrt(2 * projectionSquareSum(w, v, v) + 4 * tau2 * projectionSquareSum(w, ones, v) + 2 * tau2 * tau2 * fit.tracePP)) /
    (k - 1)
  return { status: "estimated", method: "SJ", k, tau2, se, iterations: 0, reference: 'metafor::rma.uni(yi, vi, method = "SJ")' }
}
