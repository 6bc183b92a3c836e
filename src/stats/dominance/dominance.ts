/**
 * Dominance analysis of k predictor sets from the R² of every sub-model (subsets.ts): Budescu
 * (1993); Azen & Budescu (2003), *Psychological Methods* 8(2), 129–148.
 *
 * - conditional dominance at size s: C_i(s) = mean over the subsets S of s other sets of
 *   R²(S ∪ {i}) − R²(S) (s = 0 is R² of i alone);
 * - general dominance: G_i = mean over s = 0..k − 1 of C_i(s). The G_i sum to R² of the full model
 *   and equal the Shapley values of R² (and the LMG measure of relaimpo);
 * - i *completely* dominates j when R²(S ∪ {i}) > R²(S ∪ {j}) for every S of the other k − 2 sets
 *   (including the empty one); i *conditionally* dominates j when C_i(s) > C_j(s) at every s; i
 *   *generally* dominates j when G_i > G_j. Each pairwise verdict is 1 (i dominates), 0 (j does)
 *   or 0.5 (neither), as the `dominanceanalysis` R package reports them.
 */

export interface Dominance {
  /** C_i(s): k × k, row i = set, column s = number of other sets in the model */
  readonly conditional: ReadonlyArray<ReadonlyArray<number>>
  /** G_i, summing to the full model's R² */
  readonly general: ReadonlyArray<number>
  readonly fullRSquared: number
  /** k × k pairwise verdicts (row dominates column): 1, 0 or 0.5; the diagonal is NaN */
  readonly complete: ReadonlyArray<ReadonlyArray<number>>
  readonly conditionalDominance: ReadonlyArray<ReadonlyArray<number>>
  readonly generalDominance: ReadonlyArray<ReadonlyArray<number>>
}

/** Number of sets in a bit mask. */
export const popcount = (mask: number): number => {
  let count = 0
  for (let m = mask; m !== 0; m &= m - 1) count++
  return count
}

/** Binomial coefficient (small arguments). */
const choose = (n: number, r: number): number => {
  let c = 1
  for (let i = 1; i <= r; i++) c = (c * (n - r + i)) / i
  return c
}

/** Verdict of a pairwise comparison over several criteria: 1 if all favour the row, 0 if all favour the column, else 0.5. */
const verdict = (differences: ReadonlyArray<number>): number =>
  differences.every((d) => d > 0) ? 1 : differences.every((d) => d < 0) ? 0 : 0.5

/** The dominance statistics of k sets from `rSquared` indexed by bit mask (length 2^k). */
export const dominance = (rSquared: ArrayLike<number>, k: number): Dominance => {
  const full = rSquared[2 ** k - 1]!
  const conditional = Array.from({ length: k }, (_, i) =>
    Array.from({ length: k }, (_, s) => {
      let sum = 0
      for (let mask = 0; mask < 2 ** k; mask++) {
        if (mask & (1 << i) || popcount(mask) !== s) continue
        sum += rSquared[mask | (1 << i)]! - rSquared[mask]!
      }
      return sum / choose(k - 1, s)
    }),
  )
  const general = conditional.map((row) => row.reduce((a, b) => a + b, 0) / k)
  const pairwise = (compare: (i: number, j: number) => number[]) =>
    Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? Number.NaN : verdict(compare(i, j)))))
  const complete = pairwise((i, j) => {
    const differences: number[] = []
    for (let mask = 0; mask < 2 ** k; mask++) {
      if (mask & (1 << i) || mask & (1 << j)) continue
      differences.push(rSquared[mask | (1 << i)]! - rSquared[mask | (1 << j)]!)
    }
    return differences
  })
  const conditionalDominance = pairwise((i, j) => conditional[i]!.map((c, s) => c - conditional[j]![s]!))
  const generalDominance = pairwise((i, j) => [general[i]! - general[j]!])
  return { conditional, general, fullRSquared: full, complete, conditionalDominance, generalDominance }
}
