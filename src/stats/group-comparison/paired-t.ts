/**
 * The paired t test of after − before (Student 1908; R: t.test(after, before, paired = TRUE)):
 * t = d̄ / (s_d / √n) on n − 1 df, two-sided p. Pairs with a missing value are the caller's to
 * drop. NaN statistics when there are fewer than 2 pairs or the differences do not vary.
 */
import { meanAndStandardDeviation } from "../descriptives/summary.ts"
import { studentTTwoSidedP } from "../distributions/students-t.ts"

export interface PairedT {
  readonly n: number
  readonly meanDifference: number
  readonly sdDifference: number
  readonly t: number
  readonly df: number
  readonly p: number
}

export const pairedTTest = (before: ArrayLike<number>, after: ArrayLike<number>): PairedT => {
  const n = before.length
  const differences = Float64Array.from({ length: n }, (_, i) => after[i]! - before[i]!)
  const { mean, sd } = meanAndStandardDeviation(differences)
  const t = n >= 2 && sd > 0 ? mean / (sd / Math.sqrt(n)) : Number.NaN
  return { n, meanDifference: mean, sdDifference: sd, t, df: n - 1, p: Number.isNaN(t) ? Number.NaN : studentTTwoSidedP(t, n - 1) }
}
