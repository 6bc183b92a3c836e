/**
 * One-way comparison of group means: Welch's heteroscedastic F test (Welch 1951), R's
 * `oneway.test(y ~ g)` default, and the classic equal-variance F test, `oneway.test(y ~ g,
 * var.equal = TRUE)` (the F of `aov`).
 *
 * Welch, with group sizes n_i, means ȳ_i, variances s_i², weights w_i = n_i / s_i², W = Σw_i and
 * the weighted grand mean ȳ_w = Σw_i ȳ_i / W:
 *
 *   A = Σ w_i (ȳ_i − ȳ_w)² / (k − 1),   λ = Σ (1 − w_i/W)² / (n_i − 1),
 *   F = A / (1 + 2(k − 2)λ / (k² − 1)),  df = (k − 1, (k² − 1) / (3λ)).
 *
 * Used for early alliance across clinical-outcome categories (issue 7). Each group needs at least
 * two values and, for Welch, a positive variance; groups that do not qualify make the test NaN.
 */
import { mean, variance } from "../descriptives/summary.ts"
import { fisherFCdf } from "../distributions/f.ts"

export interface GroupSummary {
  readonly n: number
  readonly mean: number
  readonly variance: number
}

export interface OneWayTest {
  readonly statistic: number
  readonly df1: number
  readonly df2: number
  readonly p: number
}

/** n, mean and variance (n − 1 denominator) of one group. */
export const groupSummary = (values: ArrayLike<number>): GroupSummary => ({ n: values.length, mean: mean(values), variance: variance(values) })

const result = (statistic: number, df1: number, df2: number): OneWayTest => ({ statistic, df1, df2, p: fisherFCdf(statistic, df1, df2, false) })
const nan: OneWayTest = { statistic: Number.NaN, df1: Number.NaN, df2: Number.NaN, p: Number.NaN }

/** Welch's F test of equal means (file comment). */
export const welchOneWay = (groups: ReadonlyArray<ArrayLike<number>>): OneWayTest => {
  const s = groups.map(groupSummary)
  const k = s.length
  if (k < 2 || s.some((g) => g.n < 2 || !(g.variance > 0))) return nan
  const w = s.map((g) => g.n / g.variance)
  const total = w.reduce((a, b) => a + b, 0)
  const grand = s.reduce((sum, g, i) => sum + w[i]! * g.mean, 0) / total
  const a = s.reduce((sum, g, i) => sum + w[i]! * (g.mean - grand) ** 2, 0) / (k - 1)
  const lambda = s.reduce((sum, g, i) => sum + (1 - w[i]! / total) ** 2 / (g.n - 1), 0)
  return result(a / (1 + (2 * (k - 2) * lambda) / (k * k - 1)), k - 1, (k * k - 1) / (3 * lambda))
}

/** The equal-variance F test of equal means (between-groups over within-groups mean square). */
export const classicOneWay = (groups: ReadonlyArray<ArrayLike<number>>): OneWayTest => {
  const s = groups.map(groupSummary)
  const k = s.length
  const n = s.reduce((sum, g) => sum + g.n, 0)
  if (k < 2 || n <= k || s.some((g) => g.n < 1)) return nan
  const grand = s.reduce((sum, g) => sum + g.n * g.mean, 0) / n
  const between = s.reduce((sum, g) => sum + g.n * (g.mean - grand) ** 2, 0) / (k - 1)
  const within = s.reduce((sum, g) => sum + (g.n > 1 ? (g.n - 1) * g.variance : 0), 0) / (n - k)
  return result(between / within, k - 1, n - k)
}
