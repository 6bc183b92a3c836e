/**
 * Ranks with ties averaged, the ranking behind Spearman's rho.
 */

/**
 * Ranks of `values`, ties given the average of the ranks they span.
 *
 * Definition: rank(xᵢ) = 1 + #{j : xⱼ < xᵢ} + (#{j : xⱼ = xᵢ} − 1)/2.
 * Formula: sort the indices by value (stable), then give each run of equal values the mean of
 * the positions it occupies, (first + last)/2 in 1-based positions.
 * Reference: R `rank(x, ties.method = "average")` (the default).
 * Preconditions: no NaN (R would keep NA as NA; callers drop incomplete cases first). −0 and 0
 * count as tied, as in R.
 * Returns: a Float64Array of ranks in the input order; they always sum to n(n + 1)/2.
 * Example: `ranks([10, 20, 10, 30])` → [1.5, 3, 1.5, 4] (R: `rank(c(10, 20, 10, 30))`).
 */
export const ranks = (values: ArrayLike<number>): Float64Array => {
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
