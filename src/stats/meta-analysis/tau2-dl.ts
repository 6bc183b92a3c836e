/**
 * DerSimonian–Laird (DL) method-of-moments estimator of the between-study variance τ².
 */

import type { NotEstimable } from "../types.ts"
import { readMetaInputs } from "./inputs.ts"
import type { Tau2Estimate } from "./tau2-estimate.ts"
import { weightedFit } from "./weighted-fit.ts"

/**
 * DL estimate of τ²: Cochran's Q set equal to its expectation and solved for τ².
 *
 * Formula: with fixed-effect weights wᵢ = 1/vᵢ and Q = Σ wᵢ (yᵢ − ȳ_w)²,
 *   τ² = max(0, (Q − (k − 1)) / (Σw − Σw²/Σw)).
 * se (metafor's `se.tau2`) = √(2(k − 1) + 4τ²·tr P + 2τ⁴·tr(PP)) / tr P, P at the fixed-effect weights.
 *
 * Reference: `metafor::rma.uni(yi, vi, method = "DL")` (metafor 3.8); DerSimonian & Laird (1986),
 * Control Clin Trials 7, 177–188.
 *
 * Preconditions: at least 2 studies, finite yi, finite vi > 0 (otherwise `NotEstimable`); yi and vi
 * of equal length (otherwise throws).
 *
 * Fields: `tau2` (≥ 0), `se`, `iterations` (always 0), `k`, `method` "DL", `reference`.
 *
 * Example (R: `rma(c(0.1, 0.3, 0.5, 0.2), c(0.01, 0.02, 0.015, 0.01), method = "DL")`):
 *   tau2Dl([0.1, 0.3, 0.5, 0.2], [0.01, 0.02, 0.015, 0.01]).tau2 → 0.016363636363636
 *   (R: 0.016363636363636361; exactly 0.9/55)
 */
export const tau2Dl = (yi: ArrayLike<number>, vi: ArrayLike<number>): Tau2Estimate | NotEstimable => {
  const inputs = readMetaInputs(yi, vi)
  if (inputs.status !== "ok") return inputs
  const k = inputs.k
  const fixed = weightedFit(inputs.yi, inputs.vi, 0)
  const q = Math.max(0, fixed.rss)
  const tau2 = Math.max(0, (q - (k - 1)) / fixed.traceP)
  const se =
    Math.sqrt(2 * (k - 1) + 4 * tau2 * fixed.traceP + 2 * tau2 * tau2 * fixed.tracePP) / fixed.traceP
  return { status: "estimated", method: "DL", k, tau2, se, iterations: 0, reference: 'metafor::rma.uni(yi, vi, method = "DL")' }
}
