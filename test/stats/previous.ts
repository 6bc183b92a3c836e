/**
 * The straightforward implementations that the issue-3 optimisations replaced, kept verbatim as
 * references for differential tests: the faster code must give the same numbers, bit for bit.
 */
import { correlationProblem } from "../../src/stats/correlation/complete-cases.ts"
import { fisherZInterval } from "../../src/stats/correlation/fisher-z.ts"
import { studentTCdf, studentTTwoSidedP } from "../../src/stats/distributions/students-t.ts"
import { type CorrelationTest, type NotEstimable, notEstimable } from "../../src/stats/types.ts"

/** Neumaier's compensated sum (src/stats/numeric/kahan.ts before). */
class CompensatedSum {
  private sum = 0
  private compensation = 0

  add(term: number): this {
    const t = this.sum + term
    if (Math.abs(this.sum) >= Math.abs(term)) {
      this.compensation += this.sum - t + term
    } else {
      this.compensation += term - t + this.sum
    }
    this.sum = t
    return this
  }

  get value(): number {
    return Number.isFinite(this.sum) ? this.sum + this.compensation : this.sum
  }
}

const kahanSum = (values: ArrayLike<number>): number => {
  const s = new CompensatedSum()
  for (let i = 0; i < values.length; i++) s.add(values[i] as number)
  return s.value
}

/** R's mean(): compensated sum, then one refinement pass (src/stats/descriptives/summary.ts before). */
export const previousMean = (values: ArrayLike<number>): number => {
  const n = values.length
  if (n === 0) return Number.NaN
  const first = kahanSum(values) / n
  if (!Number.isFinite(first)) return first
  const residual = new CompensatedSum()
  for (let i = 0; i < n; i++) residual.add((values[i] as number) - first)
  return first + residual.value / n
}

/** R's var() (summary.ts before). */
export const previousVariance = (values: ArrayLike<number>): number => {
  const n = values.length
  if (n < 2) return Number.NaN
  const m = previousMean(values)
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

const powerOfTwoScale = (values: ArrayLike<number>, centre: number): number => {
  let largest = 0
  for (let i = 0; i < values.length; i++) largest = Math.max(largest, Math.abs((values[i] as number) - centre))
  if (!(largest > 0) || !Number.isFinite(largest)) return 1
  return 2 ** Math.floor(Math.log2(largest))
}

/** R's cor(x, y) (src/stats/correlation/pearson.ts before). */
export const previousPearson = (x: ArrayLike<number>, y: ArrayLike<number>): number => {
  const n = x.length
  if (y.length !== n) throw new RangeError(`x and y must have the same length (got ${n} and ${y.length})`)
  if (n < 2) return Number.NaN
  const mx = previousMean(x)
  const my = previousMean(y)
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

/** R's rank(x, ties.method = "average") by sorting indices with a comparator (ranks.ts before). */
export const previousRanks = (values: ArrayLike<number>): Float64Array => {
  const n = values.length
  const order = Array.from({ length: n }, (_, i) => i)
  order.sort((i, j) => {
    const a = values[i] as number
    const b = values[j] as number
    return a < b ? -1 : a > b ? 1 : 0
  })
  const result = new Float64Array(n)
  let start = 0
  while (start < n) {
    const value = values[order[start] as number] as number
    let end = start
    while (end + 1 < n && values[order[end + 1] as number] === value) end++
    const averageRank = (start + end) / 2 + 1
    for (let k = start; k <= end; k++) result[order[k] as number] = averageRank
    start = end + 1
  }
  return result
}

/** R's complete.cases() and subsetting, always copying (complete-cases.ts before). */
export const previousCompleteCases = (...columns: readonly ArrayLike<number>[]): Float64Array[] => {
  const length = columns[0]?.length ?? 0
  const incomplete = new Uint8Array(length)
  let dropped = 0
  for (const column of columns) {
    for (let i = 0; i < length; i++) {
      if (incomplete[i] === 0 && Number.isNaN(column[i] as number)) {
        incomplete[i] = 1
        dropped++
      }
    }
  }
  if (dropped === 0) return columns.map((column) => Float64Array.from(column))
  return columns.map((column) => {
    const kept = new Float64Array(length - dropped)
    let j = 0
    for (let i = 0; i < length; i++) if (incomplete[i] === 0) kept[j++] = column[i] as number
    return kept
  })
}

/** Bit-for-bit equality of two numbers, telling −0 from 0 and NaN equal to NaN. */
export const sameNumber = (a: number, b: number): boolean => Object.is(a, b)

/** The indices where two arrays of numbers differ bit for bit (empty when they are identical). */
export const differences = (a: ArrayLike<number>, b: ArrayLike<number>): number[] => {
  const out: number[] = []
  if (a.length !== b.length) return [-1]
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) out.push(i)
  return out
}

// The estimators as they were, on the previous building blocks above and the unchanged helpers.

/** cor.test(x, y) (pearson.ts before). */
export const previousPearsonTest = (x: ArrayLike<number>, y: ArrayLike<number>, level = 0.95): CorrelationTest | NotEstimable => {
  const [cx, cy] = previousCompleteCases(x, y) as [Float64Array, Float64Array]
  const n = cx.length
  const problem = correlationProblem([["x", cx], ["y", cy]], n, 4, "a correlation test with a confidence interval")
  if (problem !== undefined) return notEstimable(n, problem)
  const r = previousPearson(cx, cy)
  if (Number.isNaN(r)) return notEstimable(n, "the correlation could not be computed from these values")
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

/** The partial r and its test (partial-correlation.ts before). */
export const previousPartialCorrelationTest = (
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  z: ArrayLike<number>,
  level = 0.95,
): CorrelationTest | NotEstimable => {
  const [cx, cy, cz] = previousCompleteCases(x, y, z) as [Float64Array, Float64Array, Float64Array]
  const n = cx.length
  const problem = correlationProblem([["x", cx], ["y", cy], ["z", cz]], n, 5, "a partial correlation test with a confidence interval")
  if (problem !== undefined) return notEstimable(n, problem)
  const rxy = previousPearson(cx, cy)
  const rxz = previousPearson(cx, cz)
  const ryz = previousPearson(cy, cz)
  const residualX = 1 - rxz * rxz
  const residualY = 1 - ryz * ryz
  if (residualX <= 0 || residualY <= 0) {
    const which = residualX <= 0 ? "x" : "y"
    return notEstimable(n, `${which} is perfectly correlated with z, so nothing is left to correlate once z is held constant`)
  }
  const raw = (rxy - rxz * ryz) / Math.sqrt(residualX * residualY)
  const r = raw >= 1 ? 1 : raw <= -1 ? -1 : raw
  const df = n - 3
  const statistic = (r * Math.sqrt(df)) / Math.sqrt(1 - r * r)
  return {
    status: "estimated",
    estimate: r,
    n,
    ci: fisherZInterval(r, n, level, 1),
    level,
    statistic,
    df,
    p: studentTTwoSidedP(statistic, df),
    method:
      "First-order partial correlation controlling for z (R: psych::partial.r; t, p and CI as psych::corr.p(r, n - 1)); t test on n - 3 df, Fisher-z interval with se 1/sqrt(n - 4)",
  }
}

/** OLS residuals of y on x (residualized-gain.ts before). */
export const previousResidualize = (y: ArrayLike<number>, x: ArrayLike<number>): Float64Array => {
  const [cy, cx] = previousCompleteCases(y, x) as [Float64Array, Float64Array]
  const result = new Float64Array(y.length).fill(Number.NaN)
  if (cy.length === 0) return result
  const my = previousMean(cy)
  const mx = previousMean(cx)
  const sxx = new CompensatedSum()
  const sxy = new CompensatedSum()
  for (let i = 0; i < cx.length; i++) {
    const dx = (cx[i] as number) - mx
    sxx.add(dx * dx)
    sxy.add(dx * ((cy[i] as number) - my))
  }
  const slope = sxx.value > 0 ? sxy.value / sxx.value : 0
  for (let i = 0; i < y.length; i++) {
    const yi = y[i] as number
    const xi = x[i] as number
    if (!Number.isNaN(yi) && !Number.isNaN(xi)) result[i] = yi - my - slope * (xi - mx)
  }
  return result
}

/** cor.test(method = "spearman", exact = FALSE) (spearman.ts before). */
export const previousSpearmanTest = (x: ArrayLike<number>, y: ArrayLike<number>) => {
  const [cx, cy] = previousCompleteCases(x, y) as [Float64Array, Float64Array]
  const n = cx.length
  const problem = correlationProblem([["x", cx], ["y", cy]], n, 3, "a Spearman test (t approximation)")
  if (problem !== undefined) return notEstimable(n, problem)
  const rho = previousPearson(previousRanks(cx), previousRanks(cy))
  const statistic = ((n * n * n - n) * (1 - rho)) / 6
  const denominator = (n * (n * n - 1)) / 6
  const rhoAgain = 1 - statistic / denominator
  const t = rhoAgain / Math.sqrt((1 - rhoAgain * rhoAgain) / (n - 2))
  const oneSided = statistic > (n * n * n - n) / 6 ? studentTCdf(t, n - 2, true) : studentTCdf(t, n - 2, false)
  return {
    status: "estimated" as const,
    estimate: rho,
    n,
    statistic,
    p: Math.min(2 * oneSided, 1),
    method: "Spearman's rank correlation rho (R: cor.test(method = \"spearman\", exact = FALSE)); t approximation on n - 2 df",
  }
}
