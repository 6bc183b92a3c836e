/**
 * Fisher's F distribution.
 */

import { regularizedIncompleteBeta } from "./special-functions.ts"

/**
 * Distribution function of F(df1, df2).
 *
 * Definition: P(F ≤ x) for F ~ F(df1, df2) (or P(F > x) with `lowerTail = false`).
 * Formula: P(F ≤ x) = I_{df1·x/(df1·x + df2)}(df1/2, df2/2) (A&S 26.6.2), with the complement
 * df2/(df1·x + df2) passed exactly, so small upper tails keep their relative accuracy.
 * Reference: R `pf(x, df1, df2, lower.tail = lowerTail)`.
 * Preconditions: df1, df2 > 0 (NaN otherwise, and for NaN arguments); x ≤ 0 gives P(F ≤ x) = 0.
 * Returns: the probability.
 * Example: `fisherFCdf(3.2, 2, 17, false)` → 0.0661425666664…; R `sprintf("%.17g", pf(3.2, 2, 17,
 * lower.tail = FALSE))` gives 0.066142566666421362.
 */
export const fisherFCdf = (x: number, df1: number, df2: number, lowerTail = true): number => {
  if ([x, df1, df2].some(Number.isNaN) || df1 <= 0 || df2 <= 0) return Number.NaN
  if (x <= 0) return lowerTail ? 0 : 1
  if (x === Number.POSITIVE_INFINITY) return lowerTail ? 1 : 0
  const denominator = df1 * x + df2
  return regularizedIncompleteBeta((df1 * x) / denominator, df1 / 2, df2 / 2, lowerTail, df2 / denominator)
}
