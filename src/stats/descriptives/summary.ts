/**
 * Descriptive statistics with R's conventions: compensated means, sample (n − 1) variance from
 * centred values, type-7 quantiles, and a five-number-style summary that skips missing values.
 */

import { CompensatedSum, kahanSum } from "../numeric/kahan.ts"

/**
 * Arithmetic mean.
 *
 * Definition: x̄ = Σ xᵢ / n.
 * Formula: compensated sum divided by n, then one refinement pass x̄ + Σ(xᵢ − x̄)/n — the same
 * two-step scheme as R's `mean()` (which accumulates in long double).
 * Reference: R `mean(x)`.
 * Preconditions: none. Missing values propagate (any NaN gives NaN, like `na.rm = FALSE`); an
 * empty input gives NaN.
 * Returns: the mean.
 * Example: `mean([1, 2, 3, 4, 10])` → 4 (R: `mean(c(1, 2, 3, 4, 10))`).
 */
export const mean = (values: ArrayLike<number>): number => {
  const n = values.length
  if (n === 0) return Number.NaN
  const first = kahanSum(values) / n
  if (!Number.isFinite(first)) return first
  const residual = new CompensatedSum()
  for (let i = 0; i < n; i++) residual.add((values[i] as number) - first)
  return first + residual.value / n
}

/**
 * Sample variance.
 *
 * Definition: s² = Σ (xᵢ − x̄)² / (n − 1).
 * Formula: two passes — the mean first (see {@link mean}), then the compensated sum of squared
 * deviations (the corrected two-pass algorithm of Chan, Golub & LeVeque 1983, which subtracts
 * (Σ(xᵢ − x̄))²/n to cancel the rounding left in x̄).
 * Reference: R `var(x)` (denominator n − 1).
 * Preconditions: n ≥ 2 (NaN otherwise); any NaN gives NaN.
 * Returns: the variance.
 * Example: `variance([1, 2, 3, 4, 10])` → 12.5 (R: `var(c(1, 2, 3, 4, 10))`).
 */
export const variance = (values: ArrayLike<number>): number => {
  const n = values.length
  if (n < 2) return Number.NaN
  const m = mean(values)
  if (!Number.isFinite(m)) return Number.NaN
  const squares = new CompensatedSum()
  const deviations = new CompensatedSum()
  for (let i = 0; i < n; i++) {
    const d = (values[i] as number) - m
    squares.add(d * d)
    deviations.add(d)
  }
  return (squares.value - (deviations.value * deviations.value) / n) / (n - 1)
}

/**
 * Sample standard deviation: s = √(Σ (xᵢ − x̄)² / (n − 1)).
 *
 * Reference: R `sd(x)`. Preconditions and missing values as for {@link variance}.
 * Example: `standardDeviation([2, 4, 4, 4, 5, 5, 7, 9])` → 2.1380899352993952, identical to R
 * `sprintf("%.17g", sd(c(2, 4, 4, 4, 5, 5, 7, 9)))`.
 */
export const standardDeviation = (values: ArrayLike<number>): number => Math.sqrt(variance(values))

/**
 * Quantile of already sorted values, R's type 7 (the default of `quantile()`).
 *
 * Definition: with h = 1 + (n − 1)·p and lo = ⌊h⌋, Q(p) = x₍lo₎ + (h − lo)·(x₍lo+1₎ − x₍lo₎)
 * (1-based order statistics): linear interpolation between the order statistics placed at
 * probabilities (k − 1)/(n − 1).
 * Formula: computed as (1 − g)·x₍lo₎ + g·x₍lo+1₎ with g = h − lo, in R's order of operations (the
 * 1-based h matters in the last bit), and only when the two order statistics differ.
 * Reference: Hyndman & Fan (1996) definition 7; R `quantile(x, p, type = 7)`.
 * Preconditions: `sorted` ascending without NaN (not checked); p in [0, 1]. Empty input or p
 * outside [0, 1] give NaN.
 * Returns: the quantile.
 * Example: `quantileSorted([1, 2, 3, 4, 10], 0.25)` → 2 and `(…, 0.9)` → 7.5999999999999979, identical
 * to R `sprintf("%.17g", quantile(c(1, 2, 3, 4, 10), c(0.25, 0.9)))`.
 */
export const quantileSorted = (sorted: ArrayLike<number>, p: number): number => {
  const n = sorted.length
  if (n === 0 || !(p >= 0 && p <= 1)) return Number.NaN
  const index = 1 + (n - 1) * p
  const lo = Math.floor(index)
  const low = sorted[lo - 1] as number
  if (index === lo) return low
  const high = sorted[lo] as number
  if (high === low) return low
  const g = index - lo
  return (1 - g) * low + g * high
}

/** Mean, SD, extremes and quartiles of the non-missing values (see {@link fiveNumberSummary}). */
export interface Summary {
  /** number of non-missing values summarised; check it before reporting (see below) */
  readonly n: number
  readonly mean: number
  /** sample standard deviation (n − 1) */
  readonly sd: number
  readonly min: number
  /** first quartile, type 7 */
  readonly q1: number
  /** median, type 7 */
  readonly median: number
  /** third quartile, type 7 */
  readonly q3: number
  readonly max: number
}

/**
 * Summary of a variable: mean, SD, minimum, quartiles, maximum — ignoring missing (NaN) values.
 *
 * Definition: the statistics of {@link mean}, {@link standardDeviation} and {@link quantileSorted}
 * (type 7) over the values that are not NaN.
 * Reference: R `c(mean = mean(x, na.rm = TRUE), sd = sd(x, na.rm = TRUE),
 * quantile(x, c(0, .25, .5, .75, 1), na.rm = TRUE))` (the quartiles of `fivenum()` use a
 * different rule; type 7 is what `summary()` and `quantile()` report).
 * Preconditions: none, but the statistics need data: with n = 1 the SD is NaN (R: NA), and with
 * n = 0 every field but n is NaN. The record keeps the plain shape the results schema (Summary5)
 * stores, so a caller that may see n < 2 must check `n` before reporting. ±Infinity values are
 * kept (they give an infinite mean and a NaN SD, as in R).
 * Returns: `{ n, mean, sd, min, q1, median, q3, max }`, with n the number of non-missing values.
 * Example: `fiveNumberSummary([1, 2, NaN, 3, 4, 10])` → n 5, mean 4, sd 3.5355339059327378,
 * min 1, q1 2, median 3, q3 4, max 10, identical to R's `mean`, `sprintf("%.17g", sd(...))` and
 * `quantile(...)` of `c(1, 2, 3, 4, 10)`.
 */
export const fiveNumberSummary = (values: ArrayLike<number>): Summary => {
  const present: number[] = []
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number
    if (!Number.isNaN(v)) present.push(v)
  }
  const n = present.length
  const sorted = Float64Array.from(present).sort()
  return {
    n,
    mean: mean(present),
    sd: standardDeviation(present),
    min: n === 0 ? Number.NaN : (sorted[0] as number),
    q1: quantileSorted(sorted, 0.25),
    median: quantileSorted(sorted, 0.5),
    q3: quantileSorted(sorted, 0.75),
    max: n === 0 ? Number.NaN : (sorted[n - 1] as number),
  }
}
