/**
 * Type-7 quantiles (R's default, as quantileSorted) of an unsorted array without sorting it:
 * quickselect (Hoare 1961) puts the order statistics a quantile needs in place, O(n) expected
 * per quantile instead of O(n log n) for a sort. The result is identical to quantileSorted on the
 * sorted values: the same two order statistics, combined by the same formula (quantileType7).
 *
 * Preconditions: no NaN (not checked). The array is reordered.
 */
import { quantileType7 } from "./summary.ts"

/** Rearranges `a[from…to)` so that `a[k]` holds the value a sort would put there, smaller ones before it, larger after. */
const select = (a: Float64Array, from: number, to: number, k: number): void => {
  let left = from
  let right = to - 1
  while (right > left) {
    // median of three as pivot
    const mid = (left + right) >>> 1
    const x = a[left]!
    const y = a[mid]!
    const z = a[right]!
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y
    let i = left
    let j = right
    while (i <= j) {
      while (a[i]! < pivot) i++
      while (a[j]! > pivot) j--
      if (i <= j) {
        const t = a[i]!
        a[i] = a[j]!
        a[j] = t
        i++
        j--
      }
    }
    if (k <= j) right = j
    else if (k >= i) left = i
    else return
  }
}

/** The type-7 quantiles of `values` at each p (ascending), as quantileSorted of the sorted values would give. */
export const quantilesBySelection = (values: Float64Array, ps: ReadonlyArray<number>): number[] => {
  const n = values.length
  // order statistics are put in place in rising order; those below `from` are in place already
  let from = 0
  const orderStatistic = (i: number): number => {
    if (i >= from) {
      select(values, from, n, i)
      from = i
    }
    return values[i]!
  }
  return ps.map((p) => quantileType7(n, p, orderStatistic))
}
