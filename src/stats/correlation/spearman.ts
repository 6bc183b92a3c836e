/**
 * Spearman's rank correlation with the t approximation for its p-value, matching R's
 * `cor.test(x, y, method = "spearman", exact = FALSE)`.
 */

import { studentTCdf } from "../distributions/students-t.ts"
import { type NotEstimable, notEstimable } from "../types.ts"
import { completeCases, correlationProblem } from "./complete-cases.ts"
import { pearson } from "./pearson.ts"
import { ranks } from "./ranks.ts"

/** Spearman's rho with its asymptotic test (no confidence interval: R's `cor.test` gives none). */
export interface SpearmanTest {
  readonly status: "estimated"
  /** Spearman's rho: the Pearson correlation of the average-tie ranks */
  readonly estimate: number
  /** number of complete pairs used */
  readonly n: number
  /** R's statistic S = (n³ − n)(1 − rho)/6 (the sum of squared rank differences when untied) */
  readonly statistic: number
  /** two-sided p-value from the t approximation on n − 2 df */
  readonly p: number
  /** what was computed, naming the R call it matches */
  readonly method: string
}

/**
 * Spearman rank correlation test on the complete pairs of x and y.
 *
 * Definition: rho = r(rank(x), rank(y)) with ties given average ranks.
 * Formula: S = (n³ − n)(1 − rho)/6; with ρ′ = 1 − S/(n(n² − 1)/6) (rho, recomputed as R does),
 * t = ρ′/√((1 − ρ′²)/(n − 2)) on n − 2 df; p = min(1, 2·P(T > t)) when rho ≥ 0, else
 * min(1, 2·P(T < t)). This is the large-sample approximation; with ties it is what R uses anyway.
 * Reference: R `cor.test(x, y, method = "spearman", exact = FALSE)`; the exact permutation
 * p-value (R's default for n < 1290 without ties) is deliberately not offered.
 * Preconditions: equal lengths (RangeError otherwise); pairs with a NaN are dropped. Not estimable
 * (with a reason) with fewer than 3 complete pairs (the t approximation has n − 2 df), or when a
 * variable is constant or contains ±Infinity.
 * Returns: `{ status: "estimated", estimate: rho, n, statistic: S, p, method }` or `NotEstimable`.
 * Example: `spearmanTest([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])` → estimate 0.79999999999999982,
 * statistic 4.0000000000000036, p 0.10408803866182804; R
 * `cor.test(1:5, c(2, 1, 4, 3, 5), method = "spearman", exact = FALSE)` gives the same estimate and
 * statistic and p 0.10408803866182796.
 */
export const spearmanTest = (x: ArrayLike<number>, y: ArrayLike<number>): SpearmanTest | NotEstimable => {
  // setup
  const [cx, cy] = completeCases(x, y) as [ArrayLike<number>, ArrayLike<number>]
  const n = cx.length
  const problem = correlationProblem([["x", cx], ["y", cy]], n, 3, "a Spearman test (t approximation)")
  if (problem !== undefined) return notEstimable(n, problem)

  // estimate
  const rho = pearson(ranks(cx), ranks(cy))
  const statistic = ((n * n * n - n) * (1 - rho)) / 6

  // inference, in R's order of operations
  const denominator = (n * (n * n - 1)) / 6
  const rhoAgain = 1 - statistic / denominator
  const t = rhoAgain / Math.sqrt((1 - rhoAgain * rhoAgain) / (n - 2))
  const oneSided = statistic > (n * n * n - n) / 6 ? studentTCdf(t, n - 2, true) : studentTCdf(t, n - 2, false)
  return {
    status: "estimated",
    estimate: rho,
    n,
    statistic,
    p: Math.min(2 * oneSided, 1),
    method: "Spearman's rank correlation rho (R: cor.test(method = \"spearman\", exact = FALSE)); t approximation on n - 2 df",
  }
}
