/**
 * Fisher's F distribution.
 */

import { brent } from "../numeric/root-finding.ts"
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

/**
 * Quantile function of F(df1, df2).
 *
 * Definition: the x with P(F ≤ x) = p (or P(F > x) = p when `lowerTail = false`).
 * Formula: the smaller of the two tail probabilities is targeted (1 − p is exact for p ≥ ½), and
 * log(tail(x)) = log(target) is solved in log x by Brent's method to full double precision, from a
 * bracket around x = 1 widened until it holds the root.
 * Reference: R `qf(p, df1, df2, lower.tail = lowerTail)`; golden values in
 * test/reference/distributions.R (df from (1, 1) to (30000, 5), tails to 1e-10).
 * Preconditions: p in [0, 1], df1, df2 > 0. The lower-tail p = 0 gives 0 and p = 1 Infinity
 * (reversed for the upper tail); NaN for invalid arguments.
 * Returns: the quantile.
 * Example: `fisherFQuantile(0.975, 2799, 11196)` is the F quantile of the Feldt interval of an
 * alpha over 2,800 clients and 5 items.
 */
export const fisherFQuantile = (p: number, df1: number, df2: number, lowerTail = true): number => {
  if ([p, df1, df2].some(Number.isNaN) || df1 <= 0 || df2 <= 0 || p < 0 || p > 1) return Number.NaN
  if (p === (lowerTail ? 0 : 1)) return 0
  if (p === (lowerTail ? 1 : 0)) return Number.POSITIVE_INFINITY
  // the tail to solve on: the one whose probability is at most ½
  const upper = lowerTail ? p > 0.5 : p < 0.5
  const target = Math.log(upper === !lowerTail ? p : 0.5 - p + 0.5)
  const gap = (u: number) => Math.log(fisherFCdf(Math.exp(u), df1, df2, !upper)) - target
  // the lower tail grows with x, the upper tail shrinks: widen [lo, hi] (in log x) until the signs differ
  let lo = -1
  let hi = 1
  while (lo > -745 && gap(lo) * (upper ? -1 : 1) > 0) lo *= 2
  while (hi < 710 && gap(hi) * (upper ? -1 : 1) < 0) hi *= 2
  const root = brent(gap, Math.max(lo, -745), Math.min(hi, 709), { tolerance: 1e-15 })
  return root.status === "converged" ? Math.exp(root.root) : Number.NaN
}
