/**
 * Begg and Mazumdar's rank correlation test for funnel-plot asymmetry.
 */

import { kendallTest } from "../correlation/kendall.ts"
import { kahanSum } from "../numeric/kahan.ts"
import type { NotEstimable } from "../types.ts"
import { readMetaInputs } from "./inputs.ts"

export interface RanktestResult {
  readonly status: "estimated"
  readonly k: number
  /** Kendall's tau between the standardised effects and the sampling variances */
  readonly tau: number
  /** two-sided p-value: exact without ties, else the normal approximation */
  readonly p: number
  readonly kind: "exact" | "normal"
  readonly reference: string
}

/**
 * Rank correlation test: do the standardised effect sizes correlate with their variances?
 *
 * Formula: θ̂ = Σwᵢyᵢ/Σwᵢ (wᵢ = 1/vᵢ), vᵢ* = vᵢ − 1/Σw, yᵢ* = (yᵢ − θ̂)/√vᵢ*; Kendall's tau of
 * (yᵢ*, vᵢ) with R's test, exact when no values are tied (`kendallTest`).
 *
 * Reference: `metafor::ranktest(yi, vi)` (metafor 3.8, exact = TRUE); Begg & Mazumdar (1994),
 * Biometrics 50, 1088–1101. The test has low power with few studies (fewer than about 25).
 *
 * Preconditions: at least 2 studies, finite yi, vi > 0 (otherwise `NotEstimable`).
 *
 * Example (R: `ranktest(c(0.1, 0.3, 0.5, 0.2, 0.4), c(0.01, 0.02, 0.015, 0.011, 0.04))`): tau 0.6,
 * p 0.2333333333333 (exact).
 */
export const ranktest = (yi: ArrayLike<number>, vi: ArrayLike<number>): RanktestResult | NotEstimable => {
  const inputs = readMetaInputs(yi, vi)
  if (inputs.status !== "ok") return inputs
  const { k, yi: y, vi: v } = inputs
  const w = Float64Array.from(v, (x) => 1 / x)
  const sumW = kahanSum(w)
  const theta = kahanSum(Float64Array.from(y, (yi_, i) => w[i]! * yi_)) / sumW
  const standardised = Float64Array.from(y, (yi_, i) => (yi_ - theta) / Math.sqrt(v[i]! - 1 / sumW))
  const test = kendallTest(standardised, v, true)
  if (test.status !== "estimated") return test
  return { status: "estimated", k, tau: test.estimate, p: test.p, kind: test.kind, reference: "metafor::ranktest(yi, vi)" }
}
