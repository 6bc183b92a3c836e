/**
 * Complete cases: the rows in which no variable is missing (NaN). Correlation estimators use
 * only these rows, as R's `cor.test` (`complete.cases(x, y)`) and `cor(use = "complete.obs")` do.
 */

import { type MeanAndRange, meanAndRange } from "../descriptives/summary.ts"

/**
 * Keeps the rows where every column has a value.
 *
 * Definition: row i is complete when no `columns[k][i]` is NaN.
 * Reference: R `complete.cases(...)` followed by subsetting (±Infinity count as present, as in R).
 * Preconditions: all columns have the same length; otherwise a RangeError is thrown, since that
 * is a programming error rather than a property of the data.
 * Returns: one array per column, holding the complete rows in their original order: a new
 * Float64Array when rows were dropped, the column itself when none was (callers only read them, and
 * a million-row copy costs time and garbage collection).
 * Example: `completeCases([1, NaN, 3], [4, 5, NaN])` → [[1], [4]].
 */
export const completeCases = (...columns: readonly ArrayLike<number>[]): ArrayLike<number>[] => {
  const length = commonLength(columns)
  if (!columns.some(hasNaN)) return [...columns]
  if (columns.length === 2) return completePairs(columns[0]!, columns[1]!)
  const missing = new Uint8Array(length)
  for (const column of columns) markMissing(column, missing)
  const kept = length - countMarked(missing)
  return columns.map((column) => keepUnmarked(column, missing, kept))
}

/**
 * {@link completeCases}, with the {@link meanAndRange} of each complete column.
 *
 * The means are computed on the columns straight away: a NaN makes its column's mean NaN (and
 * meanAndRange stops at the first), so when no mean is NaN no column has a NaN, and the columns,
 * complete as they are, have been read once less than by completeCases followed by meanAndRange.
 * Otherwise (some NaN, or ±Infinity of both signs in one column) the complete cases are selected
 * and their ranges computed: the result is the same either way.
 * Preconditions: as for completeCases (a RangeError for columns of different lengths).
 * Example: `completeCasesWithRanges([1, NaN, 3], [4, 5, 6])` → columns [[1, 3], [4, 6]], ranges
 * [{ mean: 2, min: 1, max: 3 }, { mean: 5, min: 4, max: 6 }].
 */
export const completeCasesWithRanges = (
  ...columns: readonly ArrayLike<number>[]
): { readonly columns: ArrayLike<number>[]; readonly ranges: MeanAndRange[] } => {
  commonLength(columns)
  const ranges: MeanAndRange[] = []
  for (const column of columns) {
    const range = meanAndRange(column)
    if (Number.isNaN(range.mean)) {
      const complete = completeCases(...columns)
      return { columns: complete, ranges: complete.map((c) => meanAndRange(c)) }
    }
    ranges.push(range)
  }
  return { columns: [...columns], ranges }
}

/** The length all columns share; a RangeError (a programming error) when they differ. */
const commonLength = (columns: readonly ArrayLike<number>[]): number => {
  const length = columns[0]?.length ?? 0
  for (const column of columns) {
    if (column.length !== length) {
      throw new RangeError(`variables must have the same length (got ${columns.map((c) => c.length).join(" and ")})`)
    }
  }
  return length
}

/** True when some value is NaN (reading stops at the first). */
const hasNaN = (column: ArrayLike<number>): boolean => {
  let i = 0
  while (i < column.length && !Number.isNaN(column[i] as number)) i++
  return i < column.length
}

/**
 * The complete pairs of two columns in one pass (the case of every correlation test): each pair
 * is written at the next free position, which advances only past complete pairs — no branch on
 * scattered NaNs. Views of two full-length arrays are returned.
 */
const completePairs = (x: ArrayLike<number>, y: ArrayLike<number>): Float64Array[] => {
  const cx = new Float64Array(x.length)
  const cy = new Float64Array(x.length)
  let kept = 0
  for (let i = 0; i < x.length; i++) {
    const a = x[i] as number
    const b = y[i] as number
    cx[kept] = a
    cy[kept] = b
    kept += Number(a === a) & Number(b === b) // 1 when neither is NaN
  }
  return [cx.subarray(0, kept), cy.subarray(0, kept)]
}

/** Sets missing[i] to 1 where column[i] is NaN (one simple loop per column compiles well). */
const markMissing = (column: ArrayLike<number>, missing: Uint8Array): void => {
  for (let i = 0; i < missing.length; i++) missing[i]! |= Number.isNaN(column[i] as number) ? 1 : 0
}

const countMarked = (marks: Uint8Array): number => {
  let count = 0
  for (let i = 0; i < marks.length; i++) count += marks[i]!
  return count
}

/** The `kept` values of column whose row is not marked, in order, as a new Float64Array. */
const keepUnmarked = (column: ArrayLike<number>, marks: Uint8Array, kept: number): Float64Array => {
  const out = new Float64Array(kept)
  for (let i = 0, j = 0; j < kept; i++) if (marks[i] === 0) out[j++] = column[i] as number
  return out
}

/**
 * True when every value is finite (no ±Infinity, which R's `complete.cases` keeps and `cor` then
 * turns into NaN). Example: `allFinite([1, Infinity])` → false.
 */
export const allFinite = (values: ArrayLike<number>): boolean => {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i] as number)) return false
  return true
}

/**
 * True when all values are identical, i.e. the variable has zero variance (R's `cor` gives NA and
 * warns "the standard deviation is zero"). Example: `isConstant([0.1, 0.1, 0.1])` → true.
 */
export const isConstant = (values: ArrayLike<number>): boolean => {
  for (let i = 1; i < values.length; i++) if (values[i] !== values[0]) return false
  return true
}

/**
 * Why a correlation among complete-case variables cannot be estimated, in plain words, or
 * undefined when it can: too few cases for the inference (`minimum`, described by `why`), an
 * infinite value, or a variable without variance — checked in that order.
 * Example: `correlationProblem([["x", [1, 1, 1]], ["y", [1, 2, 3]]], 3, 3, "a test")` →
 * "x has no variance: all 3 complete cases have the same value".
 */
export const correlationProblem = (
  columns: readonly (readonly [name: string, values: ArrayLike<number>])[],
  n: number,
  minimum: number,
  why: string,
): string | undefined =>
  firstProblem(
    columns.map(([name, values]) => ({ name, finite: () => allFinite(values), constant: () => isConstant(values) })),
    n,
    minimum,
    why,
  )

/**
 * {@link correlationProblem} from each variable's {@link meanAndRange} instead of its values, for
 * estimators that need the means anyway: no further pass over the values. For complete cases (no
 * NaN) every value is finite exactly when the smallest and largest are, and all values are equal
 * exactly when the smallest equals the largest (−0 and 0 count as equal, as in isConstant; no
 * values at all are finite and constant, as there).
 * Preconditions: the ranges of NaN-free values. Example: with the ranges of [1, 1, 1] and
 * [1, 2, 3], n = 3, minimum 3 → "x has no variance: all 3 complete cases have the same value".
 */
export const correlationProblemOfRanges = (
  columns: readonly (readonly [name: string, range: MeanAndRange])[],
  n: number,
  minimum: number,
  why: string,
): string | undefined =>
  firstProblem(
    columns.map(([name, { min, max }]) => ({
      name,
      finite: () => n === 0 || (Number.isFinite(min) && Number.isFinite(max)),
      constant: () => n === 0 || min === max,
    })),
    n,
    minimum,
    why,
  )

/** The checks of {@link correlationProblem}, in its order, on what is known of each variable. */
const firstProblem = (
  columns: readonly { readonly name: string; readonly finite: () => boolean; readonly constant: () => boolean }[],
  n: number,
  minimum: number,
  why: string,
): string | undefined => {
  if (n < minimum) return `${why} needs at least ${minimum} complete cases; only ${n} available`
  for (const { name, finite } of columns) {
    if (!finite()) return `${name} contains infinite values`
  }
  for (const { name, constant } of columns) {
    if (constant()) return `${name} has no variance: all ${n} complete cases have the same value`
  }
  return undefined
}
