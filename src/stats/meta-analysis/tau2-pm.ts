/**
 * Paule–Mandel (PM) estimator of the between-study variance τ².
 */

import { brent } from "../numeric/root-finding.ts"
import { type NotEstimable, notEstimable } from "../types.ts"
import { readMetaInputs } from "./inputs.ts"
import type { Tau2Estimate } from "./tau2-estimate.ts"
import { weightedFit } from "./weighted-fit.ts"

/** metafor's defaults: control = list(tau2.max = 100, tol = .Machine$double.eps^0.25, maxiter = 100) */
const TAU2_MAX = 100
const TOLERANCE = Math.pow(2 ** -52, 0.25)
const MAX_ITERATIONS = 100

/** Options for {@link tau2Pm}. */
export interface Tau2PmOptions {
  /**
   * Tolerance of the root search. Default metafor's, eps^0.25 ≈ 1.2e-4, at which R's uniroot
   * stops early (the root search is R's, step for step, so the answer is metafor's to the last
   * digits); 0 asks for the exact root of the estimating equation.
   */
  readonly tolerance?: number
}

/**
 * PM estimate of τ²: the value at which the generalised Q statistic equals its expectation.
 *
 * Formula: τ² solves Q(τ²) = Σ wᵢ (yᵢ − ȳ_w)² = k − 1 with wᵢ = 1/(vᵢ + τ²); τ² = 0 when
 * Q(0) < k − 1. The root is searched on [0, 100] by Brent's method as R's `uniroot()` runs it,
 * with metafor's tolerance (see {@link Tau2PmOptions}). se = √(2k² / (k − 1)) / Σwᵢ at the estimate.
 *
 * Reference: `metafor::rma.uni(yi, vi, method = "PM")` (metafor 3.8); Paule & Mandel (1982), J Res
 * Natl Bur Stand 87, 377–385; DerSimonian & Kacker (2007), Contemp Clin Trials 28, 105–114.
 *
 * Preconditions: at least 2 studies, finite yi, finite vi > 0 (otherwise `NotEstimable`); yi and vi
 * of equal length (otherwise throws). `NotEstimable` also when Q(100) is still above k − 1 (τ² >
 * 100, metafor: "Value of 'tau2.max' too low") or the search does not converge in 100 steps.
 *
 * Fields: `tau2` (≥ 0), `se` metafor's `se.tau2`, `iterations` root-search steps, `k`, `method`
 * "PM", `reference`.
 *
 * Example (R: `rma(c(0.1, 0.3, 0.5, 0.2), c(0.01, 0.02, 0.015, 0.01), method = "PM")`):
 *   tau2Pm([0.1, 0.3, 0.5, 0.2], [0.01, 0.02, 0.015, 0.01]) → tau2 0.016235407376579,
 *   se 0.024041984736488 (R: 0.016235407376579011, 0.024041984736488168)
 */
export const tau2Pm = (yi: ArrayLike<number>, vi: ArrayLike<number>, options: Tau2PmOptions = {}): Tau2Estimate | NotEstimable => {
  const inputs = readMetaInputs(yi, vi)
  if (inputs.status !== "ok") return inputs
  const { k, yi: y, vi: v } = inputs
  const excess = (tau2: number) => weightedFit(y, v, tau2).rss - (k - 1)
  let tau2 = 0
  let iterations = 0
  if (excess(0) >= 0) {
    if (excess(TAU2_MAX) > 0) {
      return notEstimable(k, `the Paule-Mandel equation has no root below tau^2 = ${TAU2_MAX}: the studies are too heterogeneous for this estimator`)
    }
    const root = brent(excess, 0, TAU2_MAX, { tolerance: options.tolerance ?? TOLERANCE, maxIterations: MAX_ITERATIONS })
    if (root.status !== "converged") return notEstimable(k, `the Paule-Mandel root search for tau^2 failed: ${root.reason}`)
    tau2 = Math.max(0, root.root)
    iterations = root.iterations
  }
  const fit = weightedFit(y, v, tau2)
  const se = Math.sqrt((2 * k * k) / (k - 1)) / fit.sumW
  return { status: "estimated", method: "PM", k, tau2, se, iterations, reference: 'metafor::rma.uni(yi, vi, method = "PM")' }
}
