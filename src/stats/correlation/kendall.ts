/**
 * Kendall's rank correlation tau (tau-b) with R's test: the exact null distribution when there
 * are no ties, the normal approximation with the tie-corrected variance otherwise.
 */

import { normalCdf } from "../distributions/normal.ts"
import { type NotEstimable, notEstimable } from "../types.ts"

export interface KendallTest {
  readonly status: "estimated"
  /** tau-b: Σ sign(xᵢ − xⱼ)·sign(yᵢ − yⱼ) / √(Σ sign(xᵢ − xⱼ)² · Σ sign(yᵢ − yⱼ)²) over pairs i < j */
  readonly estimate: number
  readonly n: number
  /** "exact": T = number of concordant pairs, exact null distribution; "normal": z with tie correction */
  readonly kind: "exact" | "normal"
  /** T for "exact", z for "normal" (R's STATISTIC) */
  readonly statistic: number
  /** two-sided p-value */
  readonly p: number
  readonly method: string
}

/** The largest n for which the exact null distribution is computed (O(n³) work). */
export const MAX_EXACT_N = 1000

/**
 * The null distribution of T, the number of inversions of a random permutation of n (Kendall's):
 * P(T = k) for k = 0 … n(n − 1)/2, from the counts c_n(k) = Σ_{i<n} c_{n−1}(k − i) (R's
 * `ckendall`), kept as probabilities (each row divided by n) so that large n cannot overflow.
 */
export const kendallNullDistribution = (n: number): Float64Array => {
  let row = new Float64Array([1]) // n = 1: one permutation, no inversion
  for (let m = 2; m <= n; m++) {
    const next = new Float64Array((m * (m - 1)) / 2 + 1)
    let window = 0 // Σ row[k − m + 1 .. k]
    for (let k = 0; k < next.length; k++) {
      if (k < row.length) window += row[k]!
      if (k - m >= 0 && k - m < row.length) window -= row[k - m]!
      next[k] = window / m
    }
    row = next
  }
  return row
}

/** Sizes of the groups of equal values (only groups of two or more). */
const tieGroups = (values: ArrayLike<number>): number[] => {
  const counts = new Map<number, number>()
  for (let i = 0; i < values.length; i++) counts.set(values[i]!, (counts.get(values[i]!) ?? 0) + 1)
  return [...counts.values()].filter((t) => t > 1)
}

/**
 * Kendall's tau-b and its two-sided test.
 *
 * Definition: tau-b = (C − D)/√((n₀ − n₁)(n₀ − n₂)), C and D the concordant and discordant pairs,
 * n₀ = n(n − 1)/2, n₁ and n₂ the pairs tied in x and in y.
 * Test (R `cor.test(x, y, method = "kendall", exact)`): without ties and with `exact`, T =
 * round((tau + 1)·n(n − 1)/4) against the exact null distribution, p = min(1, 2·P(tail of q))
 * (for n ≤ MAX_EXACT_N; larger n falls back to the normal approximation, where R would compute
 * for a long time; the tail is summed directly, where R's 1 − P(T ≤ q − 1) can even turn
 * negative below 1e-15); otherwise S = tau·√((n₀ − n₁)(n₀ − n₂)) with R's tie-corrected var(S),
 * z = S/√var(S) and a two-sided normal p.
 * Reference: R `stats::cor.test(method = "kendall")` (R 4.2); Kendall (1970), *Rank Correlation
 * Methods*; Hollander & Wolfe (1973).
 * Preconditions: equal lengths (otherwise throws); finite values. `NotEstimable` for n < 2 or a
 * constant variable (tau undefined).
 * Example: `kendallTest([1, 2, 3, 4, 5], [2, 1, 4, 3, 5], true)` → estimate 0.6, T 8, p 0.2333333…
 *   (R: `cor.test(1:5, c(2, 1, 4, 3, 5), method = "kendall")`: tau 0.6, T = 8, p-value = 0.2333)
 */
export const kendallTest = (x: ArrayLike<number>, y: ArrayLike<number>, exact: boolean): KendallTest | NotEstimable => {
  if (x.length !== y.length) throw new RangeError(`x and y must have the same length (got ${x.length} and ${y.length})`)
  const n = x.length
  if (n < 2) return notEstimable(n, "Kendall's tau needs at least 2 pairs")
  let s = 0
  let pairsX = 0
  let pairsY = 0
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = Math.sign(x[i]! - x[j]!)
      const dy = Math.sign(y[i]! - y[j]!)
      s += dx * dy
      pairsX += dx * dx
      pairsY += dy * dy
    }
  }
  if (pairsX === 0 || pairsY === 0) return notEstimable(n, "Kendall's tau is undefined when a variable is constant")
  const tau = s / Math.sqrt(pairsX * pairsY)
  const xTies = tieGroups(x)
  const yTies = tieGroups(y)
  const n0 = (n * (n - 1)) / 2
  if (exact && xTies.length === 0 && yTies.length === 0 && n <= MAX_EXACT_N) {
    const q = Math.round(((tau + 1) * n0) / 2)
    // the tail on q's side, summed directly (R takes 1 − P(T ≤ q − 1), which loses small p-values)
    const distribution = kendallNullDistribution(n)
    let side = 0
    if (q > n0 / 2) for (let t = q; t < distribution.length; t++) side += distribution[t]!
    else for (let t = 0; t <= q; t++) side += distribution[t]!
    return { status: "estimated", estimate: tau, n, kind: "exact", statistic: q, p: Math.min(1, 2 * side), method: 'cor.test(x, y, method = "kendall", exact = TRUE)' }
  }
  const sum = (groups: number[], f: (t: number) => number) => groups.reduce((acc, t) => acc + f(t), 0)
  const t1 = sum(xTies, (t) => (t * (t - 1)) / 2)
  const t2 = sum(yTies, (t) => (t * (t - 1)) / 2)
  const statistic = tau * Math.sqrt((n0 - t1) * (n0 - t2))
  const v0 = n * (n - 1) * (2 * n + 5)
  const vt = sum(xTies, (t) => t * (t - 1) * (2 * t + 5))
  const vu = sum(yTies, (t) => t * (t - 1) * (2 * t + 5))
  const v1 = sum(xTies, (t) => t * (t - 1)) * sum(yTies, (t) => t * (t - 1))
  const v2 = sum(xTies, (t) => t * (t - 1) * (t - 2)) * sum(yTies, (t) => t * (t - 1) * (t - 2))
  const variance = (v0 - vt - vu) / 18 + v1 / (2 * n * (n - 1)) + v2 / (9 * n * (n - 1) * (n - 2))
  const z = statistic / Math.sqrt(variance)
  const p = 2 * Math.min(normalCdf(z), normalCdf(z, false))
  return { status: "estimated", estimate: tau, n, kind: "normal", statistic: z, p, method: 'cor.test(x, y, method = "kendall", exact = FALSE)' }
}
