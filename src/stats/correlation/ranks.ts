/**
 * Ranks with ties averaged, the ranking behind Spearman's rho.
 */

import { type DistinctCodes, distinctCodes } from "../numeric/distinct-codes.ts"
import { ascendingOrder } from "../numeric/sort-order.ts"

/**
 * The table route pays when the distinct values are few: at most one per VALUES_PER_LEVEL values,
 * and at most MAX_LEVELS in all (so that data without ties give up on the table early).
 */
const VALUES_PER_LEVEL = 4
const MAX_LEVELS = 1 << 16

/**
 * Ranks of `values`, ties given the average of the ranks they span.
 *
 * Definition: rank(xᵢ) = 1 + #{j : xⱼ < xᵢ} + (#{j : xⱼ = xᵢ} − 1)/2.
 * Formula: a run of equal values occupying the 0-based sorted positions first..last gets
 * (first + last)/2 + 1. The positions come from one of two routes, which give identical ranks:
 * when the values repeat a lot (at most one distinct value in 4 and at most 65,536 of them, as with
 * ratings and scores), a table of the distinct values and their counts (numeric/distinct-codes.ts),
 * sorted on its own;
 * otherwise the sorted order of all values (a radix sort, see numeric/sort-order.ts).
 * Reference: R `rank(x, ties.method = "average")` (the default).
 * Preconditions: no NaN (R would keep NA as NA; callers drop incomplete cases first). −0 and 0
 * count as tied, as in R.
 * Returns: a Float64Array of ranks in the input order; they always sum to n(n + 1)/2.
 * Example: `ranks([10, 20, 10, 30])` → [1.5, 3, 1.5, 4] (R: `rank(c(10, 20, 10, 30))`).
 */
export const ranks = (values: ArrayLike<number>): Float64Array => {
  const table = distinctCodes(values, Math.min(MAX_LEVELS, Math.floor(values.length / VALUES_PER_LEVEL)))
  return table === undefined ? ranksBySorting(values) : ranksByLevel(table)
}

/** Ranks from a level table: the levels in ascending order take consecutive runs of positions. */
const ranksByLevel = ({ codes, levels, counts }: DistinctCodes): Float64Array => {
  const averageRank = new Float64Array(levels.length)
  let first = 0
  for (const code of ascendingOrder(levels)) {
    const last = first + counts[code]! - 1
    averageRank[code] = (first + last) / 2 + 1
    first = last + 1
  }
  const result = new Float64Array(codes.length)
  for (let i = 0; i < codes.length; i++) result[i] = averageRank[codes[i]!]!
  return result
}

/** Ranks from the sorted order of all values: each run of equal values shares its average position. */
const ranksBySorting = (values: ArrayLike<number>): Float64Array => {
  const n = values.length
  const order = ascendingOrder(values)
  const result = new Float64Array(n)
  let first = 0
  while (first < n) {
    const value = values[order[first]!] as number
    let last = first
    while (last + 1 < n && values[order[last + 1]!] === value) last++
    const averageRank = (first + last) / 2 + 1
    for (let k = first; k <= last; k++) result[order[k]!] = averageRank
    first = last + 1
  }
  return result
}
