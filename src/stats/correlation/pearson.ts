/**
 * Pearson's product-moment correlation and its test, matching R's `cor.test(x, y)`.
 */

import { mean } from "../descriptives/summary.ts"
import { studentTTwoSidedP } from "../distributions/students-t.ts"
import { CompensatedSum } from "../numeric/kahan.ts"
import { type CorrelationTest, type NotEstimable, notEstimable } from "../types.ts"
import { completeCases, correlationProblem } from "./complete-cases.ts"
import { fisherZInterval } from "./fisher-z.ts"

/**
 * A power of two near the largest |xᵢ − x̄|: dividing the deviations by it is exact and keeps their
 * squares away from underflow (values near 1e-200) and overflow (near 1e200), ranges where R's
 * long double accumulators still work. 1 when the deviations are all zero or not finite.
 */
const powerOfTwoScale = (values: ArrayLike<number>, centre: number): number => {
  let largest = 0
  for (let i = 0; i < values.length; i++) largest = Math.max(largest, Math.abs((values[i] as number) - centre))
  if (!(largest > 0) || !Number.isFinite(largest)) return 1
  return 2 ** Math.floor(Math.log2(largest))
}

/**
 * Pearson's correlation coefficient.
 *
 * Definition: r = Σ(xᵢ − x̄)(yᵢ − ȳ) / √(Σ(xᵢ − x̄)² · Σ(yᵢ − ȳ)²).
 * Formula: two passes — compensated means, then compensated sums of centred squares and
 * cross-products (deviations scaled by a power of two, which is exact and avoids under- and
 * overflow); r = Sxy / (√Sxx·√Syy), clamped to [−1, 1]. Centring first avoids the cancellation of
 * the one-pass Σxy − n·x̄ȳ formula.
 * Reference: R `cor(x, y)` (the same two-pass scheme in long double).
 * Preconditions: equal lengths (RangeError otherwise), no missing values (NaN propagates; use
 * {@link pearsonTest} to drop incomplete pairs), n ≥ 2. A variable with zero variance gives NaN,
 * as R's `cor` gives NA.
 * Returns: r in [−1, 1], or NaN.
 * Example: `pearson([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])` → 0.79999999999999982, identical to R
 * `sprintf("%.17g", cor(1:5, c(2, 1, 4, 3, 5)))`.
 */
export const pearson = (x: ArrayLike<number>, y: ArrayLike<number>): number => {
  const n = x.length
  if (y.length !== n) throw new RangeError(`x and y must have the same length (got ${n} and ${y.length})`)
  if (n < 2) return Number.NaN
  const mx = mean(x)
  const my = mean(y)
  const scaleX = powerOfTwoScale(x, mx)
  const scaleY = powerOfTwoScale(y, my)
  const sxx = new CompensatedSum()
  const syy = new CompensatedSum()
  const sxy = new CompensatedSum()
  for (let i = 0; i < n; i++) {
    const dx = ((x[i] as number) - mx) / scaleX
    const dy = ((y[i] as number) - my) / scaleY
    sxx.add(dx * dx)
    syy.add(dy * dy)
    sxy.add(dx * dy)
  }
  if (sxx.value === 0 || syy.value === 0) return Number.NaN
  const r = sxy.value / (Math.sqrt(sxx.value) * Math.sqrt(syy.value))
  return r >= 1 ? 1 : r <= -1 ? -1 : r
}

/** Options for {@link pearsonTest}. */
export interface PearsonOptions {
  /** confidence level of the Fisher-z interval; default 0.95 (R's `conf.level`) */
  readonly level?: number
}

/**
 * Pearson correlation test on the complete pairs of x and y.
 *
 * Definition: r as in {@link pearson}; the test of ρ = 0 and a Fisher-z confidence interval.
 * Formula: t = r·√(n − 2)/√(1 − r²) with n − 2 df, p = 2·P(T > |t|);
 * CI = tanh(atanh(r) ∓ qnorm((1 + level)/2)/√(n − 3)).
 * Reference: R `cor.test(x, y, conf.level = level)` (alternative "two.sided").
 * Preconditions: x and y of equal length, level in (0, 1) (RangeError otherwise, as programming
 * errors). Pairs where either value is NaN are dropped. Not estimable (with a reason) when fewer
 * than 4 complete pairs remain (R gives no confidence interval below 4), when a variable has zero
 * variance, or contains ±Infinity.
 * Returns: `{ status: "estimated", estimate: r, n: pairs used, ci, level, statistic: t,
 * df: n − 2, p: two-sided, method }` or `NotEstimable`. |r| = 1 gives t = ±Infinity, p = 0 and
 * the degenerate interval [r, r], as in R (e.g. x = 1:5, y = 0.3·x: R's r is exactly 1 too).
 * Example: `pearsonTest([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])` → estimate 0.79999999999999982,
 * statistic 2.3094010767585011, df 3, p 0.10408803866182807, ci [−0.27964004196935516,
 * 0.9861961933012714]; R `cor.test(1:5, c(2, 1, 4, 3, 5))` gives the same estimate, statistic and
 * upper limit, p 0.10408803866182798 and lower limit −0.27964004196935505.
 */
export const pearsonTest = (
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  options: PearsonOptions = {},
): CorrelationTest | NotEstimable => {
  const level = options.level ?? 0.95
  if (!(level > 0 && level < 1)) throw new RangeError(`the confidence level must lie in (0, 1); got ${level}`)

  // setup: complete pairs, and the conditions the estimate needs
  const [cx, cy] = completeCases(x, y) as [Float64Array, Float64Array]
  const n = cx.length
  const problem = correlationProblem([["x", cx], ["y", cy]], n, 4, "a correlation test with a confidence interval")
  if (problem !== undefined) return notEstimable(n, problem)

  // estimate
  const r = pearson(cx, cy)
  if (Number.isNaN(r)) return notEstimable(n, "the correlation could not be computed from these values")

  // inference
  const df = n - 2
  const statistic = (Math.sqrt(df) * r) / Math.sqrt(1 - r * r)
  return {
    status: "estimated",
    estimate: r,
    n,
    ci: fisherZInterval(r, n, level),
    level,
    statistic,
    df,
    p: studentTTwoSidedP(statistic, df),
    method: "Pearson's product-moment correlation (R: cor.test); t test on n - 2 df, Fisher-z interval",
  }
}
