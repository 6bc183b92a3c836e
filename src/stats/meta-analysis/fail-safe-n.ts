/**
 * Fail-safe N: how many unpublished null studies it would take to overturn a result.
 */

import { kahanSum } from "../numeric/kahan.ts"
import { normalCdf, normalQuantile } from "../distributions/normal.ts"
import type { NotEstimable } from "../types.ts"
import { readMetaInputs } from "./inputs.ts"

export type FailSafeType = "Rosenthal" | "Orwin" | "Rosenberg"

export interface FailSafeResult {
  readonly status: "estimated"
  readonly type: FailSafeType
  readonly k: number
  /** the number of added studies with effect 0, in whole studies: `exact` rounded up (as metafor) */
  readonly n: number
  /** the same before rounding */
  readonly exact: number
  /** the p-value of the combined test (Rosenthal: one-sided Stouffer; Rosenberg: two-sided); null for Orwin */
  readonly p: number | null
  /** Orwin: the effect size the added studies would bring the mean down to; null otherwise */
  readonly target: number | null
  readonly alpha: number
  readonly reference: string
}

/**
 * Fail-safe N by Rosenthal's, Orwin's or Rosenberg's method.
 *
 * Formulas: Rosenthal (Stouffer): zᵢ = yᵢ/√vᵢ, z̄ = |Σzᵢ|/√k, p = P(Z > z̄),
 *   N = max(0, k(z̄/z₁₋α)² − k) (one-sided α);
 * Orwin (unweighted): ȳ the mean effect, target ȳ/2 unless given, N = max(0, k(ȳ − target)/target);
 * Rosenberg: w = 1/v, the fixed-effect z = Σwy/√Σw, N = max(0, k((Σwy/z₁₋α/₂)² − Σw)/Σw),
 *   p two-sided.
 *
 * Reference: `metafor::fsn(yi, vi, type = ...)` (metafor 3.8, alpha = .05, Stouffer's test for
 * Rosenthal); Rosenthal (1979), Psychol Bull 86, 638–641; Orwin (1983), J Educ Stat 8, 157–159;
 * Rosenberg (2005), Evolution 59, 464–468. Fail-safe numbers ignore heterogeneity and the
 * direction of missing studies; report them beside, never instead of, the regression test and
 * trim-and-fill.
 *
 * Preconditions: at least 2 studies, finite yi, vi > 0 (otherwise `NotEstimable`); 0 < alpha < 1.
 *
 * Example (R: `fsn(c(0.1, 0.3, 0.5, 0.2, 0.4), c(0.01, 0.02, 0.015, 0.01, 0.04))`): n 42,
 * p 2.71453677364789e-7; with type "Orwin" n 5 (target 0.15); "Rosenberg" n 25.
 */
/** Whole studies, as metafor rounds: up, unless within √eps of a whole number. */
const wholeStudies = (n: number): number => (Number.isFinite(n) && Math.abs(n - Math.round(n)) >= Math.sqrt(Number.EPSILON) ? Math.ceil(n) : Math.round(n))

export const failSafeN = (
  yi: ArrayLike<number>,
  vi: ArrayLike<number>,
  options: { readonly type?: FailSafeType; readonly alpha?: number; readonly target?: number } = {},
): FailSafeResult | NotEstimable => {
  const type = options.type ?? "Rosenthal"
  const alpha = options.alpha ?? 0.05
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must lie strictly between 0 and 1 (got ${alpha})`)
  const inputs = readMetaInputs(yi, vi)
  if (inputs.status !== "ok") return inputs
  const { k, yi: y, vi: v } = inputs
  const reference = `metafor::fsn(yi, vi, type = "${type}"${alpha === 0.05 ? "" : `, alpha = ${alpha}`})`
  if (type === "Rosenthal") {
    const zBar = Math.abs(kahanSum(Float64Array.from(y, (yi_, i) => yi_ / Math.sqrt(v[i]!)))) / Math.sqrt(k)
    const n = Math.max(0, k * (zBar / normalQuantile(alpha, false)) ** 2 - k)
    return { status: "estimated", type, k, n: wholeStudies(n), exact: n, p: normalCdf(zBar, false), target: null, alpha, reference }
  }
  if (type === "Orwin") {
    const mean = kahanSum(y) / k
    let target = options.target ?? mean / 2
    if (Math.sign(target) !== Math.sign(mean)) target = -target
    const n = target === 0 ? Number.POSITIVE_INFINITY : Math.max(0, (k * (mean - target)) / target)
    return { status: "estimated", type, k, n: wholeStudies(n), exact: n, p: null, target, alpha, reference }
  }
  const w = Float64Array.from(v, (x) => 1 / x)
  const sumW = kahanSum(w)
  const sumWy = kahanSum(Float64Array.from(y, (yi_, i) => w[i]! * yi_))
  const z = sumWy / Math.sqrt(sumW)
  const excess = (sumWy / normalQuantile(alpha / 2, false)) ** 2 - sumW
  const n = Math.max(0, (k * excess) / sumW)
  return { status: "estimated", type, k, n: wholeStudies(n), exact: n, p: 2 * normalCdf(Math.abs(z), false), target: null, alpha, reference }
}
