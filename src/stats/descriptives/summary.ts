/**
 * Descriptive statistics with R's conventions: compensated means, sample (n − 1) variance from
 * centred values, type-7 quantiles, and a five-number-style summary that skips missing values.
 */

import { additionError, compensatedValue } from "../numeric/kahan.ts"

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
export const mean = (values: ArrayLike<number>): number => meanAndRange(values).mean

/** The mean with the smallest and largest value (see {@link meanAndRange}). */
export interface MeanAndRange {
  readonly mean: number
  readonly min: number
  readonly max: number
}

/**
 * The mean, exactly as {@link mean} computes it, with the smallest and largest value, found in the
 * same pass as the sum (estimators that need both then read the values twice rather than three
 * times).
 *
 * Preconditions: none. Any NaN makes all three NaN (and ends the reading there: the sum, Math.min
 * and Math.max would stay NaN); an empty input gives a NaN mean, min +Infinity and max −Infinity.
 * Example: `meanAndRange([1, 2, 3, 4, 10])` → { mean: 4, min: 1, max: 10 }.
 */
export const meanAndRange = (values: ArrayLike<number>): MeanAndRange => {
  const n = values.length
  // compensated sums in local variables (see additionError): every estimate runs through here
  let sum = 0
  let compensation = 0
  let min = Number.POSITIVE_INFINITY
  let max = Number.NEGATIVE_INFINITY
  let i = 0
  for (; i < n; i++) {
    const v = values[i] as number
    if (Number.isNaN(v)) break // a `break`: V8 optimizes this loop badly with a `return` in it
    const t = sum + v
    compensation += additionError(sum, v, t)
    sum = t
    min = Math.min(min, v)
    max = Math.max(max, v)
  }
  if (i < n) return { mean: Number.NaN, min: Number.NaN, max: Number.NaN }
  if (n === 0) return { mean: Number.NaN, min, max }
  const first = compensatedValue(sum, compensation) / n
  if (!Number.isFinite(first)) return { mean: first, min, max }
  let residual = 0
  let residualCompensation = 0
  for (let i = 0; i < n; i++) {
    const d = (values[i] as number) - first
    const t = residual + d
    residualCompensation += additionError(residual, d, t)
    residual = t
  }
  return { mean: first + compensatedValue(residual, residualCompensation) / n, min, max }
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
export const variance = (values: ArrayLike<number>): number => varianceAbout(values, values.length < 2 ? Number.NaN : mean(values))

/** The second pass of {@link variance}, about the mean `m` of `values`. */
const varianceAbout = (values: ArrayLike<number>, m: number): number => {
  const n = values.length
  if (n < 2 || !Number.isFinite(m)) return Number.NaN
  // two compensated sums in locals (see additionError)
  let squares = 0
  let squaresError = 0
  let deviations = 0
  let deviationsError = 0
  for (let i = 0; i < n; i++) {
    const d = (values[i] as number) - m
    const square = d * d
    let t = squares + square
    squaresError += additionError(squares, square, t)
    squares = t
    t = deviations + d
    deviationsError += additionError(deviations, d, t)
    deviations = t
  }
  const sumOfSquares = compensatedValue(squares, squaresError)
  const sumOfDeviations = compensatedValue(deviations, deviationsError)
  return (sumOfSquares - (sumOfDeviations * sumOfDeviations) / n) / (n - 1)
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
 * {@link mean} and {@link standardDeviation} of the same values, the mean computed once (the
 * standard deviation needs it too): the same two numbers as the separate calls, one pass fewer.
 * Example: `meanAndStandardDeviation([2, 4, 4, 4, 5, 5, 7, 9])` → { mean: 5, sd: 2.1380899352993952 }.
 */
export const meanAndStandardDeviation = (values: ArrayLike<number>): { readonly mean: number; readonly sd: number } => {
  const m = mean(values)
  return { mean: m, sd: Math.sqrt(varianceAbout(values, m)) }
}

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
export const quantileSorted = (sorted: ArrayLike<number>, p: number): number => quantileType7(sorted.length, p, (i) => sorted[i] as number)

/**
 * The type-7 quantile at p of n values whose i-th smallest (0-based) `orderStatistic(i)` gives:
 * the arithmetic of quantileSorted, for callers that find order statistics without sorting
 * (select-quantiles.ts). `orderStatistic` is asked for at most two neighbouring indices, the
 * lower first.
 */
export const quantileType7 = (n: number, p: number, orderStatistic: (i: number) => number): number => {
  if (n === 0 || !(p >= 0 && p <= 1)) return Number.NaN
  const index = 1 + (n - 1) * p
  const lo = Math.floor(index)
  const low = orderStatistic(lo - 1)
  if (index === lo) return low
  const high = orderStatistic(lo)
  if (high === low) return low
  const g = index - lo
  return (1 - g) * low + g * high
}

/** True when some value is NaN (reading stops at the first). */
const containsNaN = (values: ArrayLike<number>): boolean => {
  let i = 0
  while (i < values.length && !Number.isNaN(values[i] as number)) i++
  return i < values.length
}

/** The values that are not NaN, in their order, as a Float64Array (`values` itself if it is one without NaN). */
const withoutNaN = (values: ArrayLike<number>): Float64Array => {
  if (values instanceof Float64Array && !containsNaN(values)) return values
  const present = new Float64Array(values.length)
  let n = 0
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number
    present[n] = v
    n += Number.isNaN(v) ? 0 : 1
  }
  return present.subarray(0, n)
}

/** Whole numbers below this are sorted by counting (see {@link sortedCopy}). */
const COUNTING_LIMIT = 1 << 16

/**
 * `values` in ascending order, as a new Float64Array. When every value is a whole number in
 * [0, 65536) — counts, such as sessions per client — by counting how often each occurs (one pass,
 * where a comparison sort of a million values takes a tenth of a second); otherwise by the
 * typed-array sort. Both give the same array: whole numbers have one representation each (−0,
 * which the typed-array sort places before 0, goes the sorting route).
 */
const sortedCopy = (values: Float64Array): Float64Array => {
  const counts = wholeNumberCounts(values)
  if (counts === undefined) return values.slice().sort()
  const sorted = new Float64Array(values.length)
  let next = 0
  for (let v = 0; v < counts.length; v++) {
    sorted.fill(v, next, next + counts[v]!)
    next += counts[v]!
  }
  return sorted
}

/** How often each whole number 0, 1, … occurs, or undefined if some value is not one below COUNTING_LIMIT. */
const wholeNumberCounts = (values: Float64Array): Int32Array | undefined => {
  let largest = 0
  let i = 0
  for (; i < values.length; i++) {
    const v = values[i]!
    if (!(Number.isInteger(v) && v >= 0 && v < COUNTING_LIMIT) || Object.is(v, -0)) break
    if (v > largest) largest = v
  }
  if (i < values.length) return undefined
  const counts = new Int32Array(largest + 1)
  for (let i = 0; i < values.length; i++) counts[values[i]!]!++
  return counts
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
  const present = withoutNaN(values)
  const n = present.length
  const sorted = sortedCopy(present)
  const moments = meanAndStandardDeviation(present)
  return {
    n,
    mean: moments.mean,
    sd: moments.sd,
    min: n === 0 ? Number.NaN : (sorted[0] as number),
    q1: quantileSorted(sorted, 0.25),
    median: quantileSorted(sorted, 0.5),
    q3: quantileSorted(sorted, 0.75),
    max: n === 0 ? Number.NaN : (sorted[n - 1] as number),
  }
}
