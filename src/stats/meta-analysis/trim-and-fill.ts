/**
 * Duval and Tweedie's trim-and-fill: an estimate of how many studies are missing from one side of
 * the funnel plot, and the pooled estimate with their mirror images filled in.
 */

import { matrixFromRows } from "../numeric/matrix.ts"
import { type NotEstimable, notEstimable } from "../types.ts"
import { readMetaInputs } from "./inputs.ts"
import { rmaReg } from "./rma-reg.ts"
import { type RmaUniOptions, type RmaUniResult, rmaUni } from "./rma-uni.ts"

export type TrimFillEstimator = "L0" | "R0"

export interface TrimFillOptions extends RmaUniOptions {
  /** "L0" (default) or "R0" */
  readonly estimator?: TrimFillEstimator
  /** the side where studies are missing; default chosen from the data (see trimAndFill) */
  readonly side?: "left" | "right"
}

export interface TrimFillResult {
  readonly status: "estimated"
  readonly estimator: TrimFillEstimator
  /** where studies are estimated to be missing */
  readonly side: "left" | "right"
  /** whether `side` was chosen from the data (the sign of the regression-test slope) */
  readonly sideFromData: boolean
  /** estimated number of missing studies */
  readonly k0: number
  /** metafor's standard error of k0 */
  readonly k0Se: number
  /** R0 only: p-value of the test that no study is missing; null for L0 */
  readonly k0P: number | null
  /** the filled-in studies: effects mirrored about the trimmed estimate, with their variances */
  readonly filled: { readonly yi: readonly number[]; readonly vi: readonly number[] }
  /** the model refitted to the observed and filled studies (the observed fit when k0 = 0) */
  readonly fit: RmaUniResult
  /** trimming iterations */
  readonly iterations: number
  readonly reference: string
}

const MAX_ITERATIONS = 100

/** R's round(): halves go to the even neighbour. */
const roundHalfEven = (x: number): number => {
  const r = Math.round(x)
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r
}

/**
 * Trim-and-fill on an intercept-only random-effects (or equal-effects) model.
 *
 * Algorithm (metafor 3.8 `trimfill`): the side is "right" when the slope of yᵢ on √vᵢ (a
 * meta-regression with the same τ² method) is negative, else "left" (unless given); effects are
 * flipped for "right" and sorted; then, from k0 = 0, repeatedly: fit the model to the k − k0
 * smallest effects, centre all effects at that estimate β̂, rank |yᵢ − β̂| (ties by order) and sign
 * the ranks; L0: k0 = (4·S_r − k(k + 1))/(2k − 1), S_r the sum of positive signed ranks, with
 * se = 4√var(S_r)/(2k − 1); R0: k0 = k − (the largest rank among negative deviations) − 1, se =
 * √(2·max(0, k0) + 2); k0 ← max(0, round(k0)), until k0 repeats. The k0 largest effects are then
 * mirrored about β̂ (2β̂ − yᵢ on the working scale) with their variances, and the model refitted
 * to all k + k0 studies. For R0, p(k0) = 1 − Σ_{m=−1}^{k0−1} C(m + 1, m + 1)·0.5^(m + 2).
 *
 * Reference: `metafor::trimfill(rma.uni(yi, vi, method, test), estimator)` (metafor 3.8); Duval
 * & Tweedie (2000), Biometrics 56, 455–463; J Am Stat Assoc 95, 89–98. Trim-and-fill assumes the
 * asymmetry comes from suppressed studies; with heterogeneity it can fill studies that never
 * existed. Report it as a sensitivity analysis.
 *
 * Preconditions: at least 3 studies, finite yi, vi > 0 (otherwise `NotEstimable`); `NotEstimable`
 * also when a fit fails or the trimming does not settle within 100 iterations.
 *
 * Example (R: `trimfill(rma(c(0.1, 0.3, 0.5, 0.2, 0.4), c(0.01, 0.02, 0.015, 0.01, 0.04)))`):
 *   trimAndFill(yi, vi) → side "left", k0 2, fit.estimate 0.186492845924… (R: k0 = 2 on the left,
 *   estimate 0.18649284592416887); the golden tests cover k0 from 0 to 29 on both sides.
 */
export const trimAndFill = (yi: ArrayLike<number>, vi: ArrayLike<number>, options: TrimFillOptions = {}): TrimFillResult | NotEstimable => {
  const estimator = options.estimator ?? "L0"
  const modelOptions: RmaUniOptions = {
    ...(options.method === undefined ? {} : { method: options.method }),
    ...(options.test === undefined ? {} : { test: options.test }),
    ...(options.level === undefined ? {} : { level: options.level }),
  }
  const inputs = readMetaInputs(yi, vi, 3)
  if (inputs.status !== "ok") return inputs
  const { k, yi: y, vi: v } = inputs
  const observed = rmaUni(y, v, modelOptions)
  if (observed.status !== "estimated") return observed

  // the side: from the regression of yi on their standard errors, unless given
  let side = options.side
  if (side === undefined) {
    const slope = rmaReg(y, v, matrixFromRows(Array.from(v, (x) => [1, Math.sqrt(x)])), { method: observed.method })
    if (slope.status !== "estimated") return slope
    side = slope.coefficients[1]!.estimate < 0 ? "right" : "left"
  }
  const flip = side === "right" ? -1 : 1
  const order = Array.from({ length: k }, (_, i) => i).sort((a, b) => flip * y[a]! - flip * y[b]! || a - b)
  const ys = order.map((i) => flip * y[i]!)
  const vs = order.map((i) => v[i]!)

  // trim until the number of missing studies repeats
  let k0 = 0
  let previous = -1
  let k0Se = 0
  let beta = 0
  let iterations = 0
  while (k0 !== previous) {
    previous = k0
    iterations += 1
    if (iterations > MAX_ITERATIONS) return notEstimable(k, `trim-and-fill did not settle within ${MAX_ITERATIONS} iterations`)
    const trimmed = rmaUni(ys.slice(0, k - k0), vs.slice(0, k - k0), modelOptions)
    if (trimmed.status !== "estimated") return trimmed
    beta = trimmed.estimate
    const centred = ys.map((x) => x - beta)
    const byMagnitude = Array.from({ length: k }, (_, i) => i).sort((a, b) => Math.abs(centred[a]!) - Math.abs(centred[b]!) || a - b)
    const signedRank = new Array<number>(k)
    byMagnitude.forEach((i, r) => (signedRank[i] = Math.sign(centred[i]!) * (r + 1)))
    let estimate: number
    if (estimator === "R0") {
      const negative = signedRank.filter((r) => r < 0).map((r) => -r)
      estimate = k - (negative.length === 0 ? Number.NEGATIVE_INFINITY : Math.max(...negative)) - 1
      k0Se = Math.sqrt(2 * Math.max(0, estimate) + 2)
    } else {
      const sr = signedRank.filter((r) => r > 0).reduce((a, b) => a + b, 0)
      estimate = (4 * sr - k * (k + 1)) / (2 * k - 1)
      const varSr = (k * (k + 1) * (2 * k + 1) + 10 * estimate ** 3 + 27 * estimate ** 2 + 17 * estimate - 18 * k * estimate ** 2 - 18 * k * estimate + 6 * k * k * estimate) / 24
      k0Se = (4 * Math.sqrt(varSr)) / (2 * k - 1)
    }
    k0 = Number.isFinite(estimate) ? Math.max(0, roundHalfEven(estimate)) : 0
    k0Se = Math.max(0, k0Se)
  }

  // fill: mirror the k0 largest effects about the trimmed estimate
  const filledY = ys.slice(k - k0).map((x) => flip * (2 * beta - x))
  const filledV = vs.slice(k - k0)
  const fit = k0 === 0 ? observed : rmaUni([...y, ...filledY], [...v, ...filledV], modelOptions)
  if (fit.status !== "estimated") return fit
  let k0P: number | null = null
  if (estimator === "R0") {
    // 1 − Σ_{m=−1}^{k0−1} C(m + 1, m + 1)·0.5^(m + 2) = 1 − Σ 0.5^(m + 2)
    let sum = 0
    for (let m = -1; m <= k0 - 1; m++) sum += 0.5 ** (m + 2)
    k0P = 1 - sum
  }
  return {
    status: "estimated",
    estimator,
    side,
    sideFromData: options.side === undefined,
    k0,
    k0Se,
    k0P,
    filled: { yi: filledY, vi: filledV },
    fit,
    iterations,
    reference: `metafor::trimfill(metafor::rma.uni(yi, vi, method = "${observed.method}", test = "${observed.test}"), estimator = "${estimator}")`,
  }
}
