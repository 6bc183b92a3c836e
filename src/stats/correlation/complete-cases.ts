/**
 * Complete cases: the rows in which no variable is missing (NaN). Correlation estimators use
 * only these rows, as R's `cor.test` (`complete.cases(x, y)`) and `cor(use = "complete.obs")` do.
 */

/**
 * Keeps the rows where every column has a value.
 *
 * Definition: row i is complete when no `columns[k][i]` is NaN.
 * Reference: R `complete.cases(...)` followed by subsetting (±Infinity count as present, as in R).
 * Preconditions: all columns have the same length; otherwise a RangeError is thrown, since that
 * is a programming error rather than a property of the data.
 * Returns: one Float64Array per column, holding the complete rows in their original order.
 * Example: `completeCases([1, NaN, 3], [4, 5, NaN])` → [[1], [4]].
 */
export const completeCases = (...columns: readonly ArrayLike<number>[]): Float64Array[] => {
  const length = columns[0]?.length ?? 0
  for (const column of columns) {
    if (column.length !== length) {
      throw new RangeError(`variables must have the same length (got ${columns.map((c) => c.length).join(" and ")})`)
    }
  }
  // One pass marks incomplete rows; without any, each column is copied whole (a fast typed copy).
  const incomplete = new Uint8Array(length)
  let dropped = 0
  for (const column of columns) {
    for (let i = 0; i < length; i++) {
      if (incomplete[i] === 0 && Number.isNaN(column[i] as number)) {
        incomplete[i] = 1
        dropped++
      }
    }
  }
  if (dropped === 0) return columns.map((column) => Float64Array.from(column))
  return columns.map((column) => {
    const kept = new Float64Array(length - dropped)
    let j = 0
    for (let i = 0; i < length; i++) if (incomplete[i] === 0) kept[j++] = column[i] as number
    return kept
  })
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
): string | undefined => {
  if (n < minimum) return `${why} needs at least ${minimum} complete cases; only ${n} available`
  for (const [name, values] of columns) {
    if (!allFinite(values)) return `${name} contains infinite values`
  }
  for (const [name, values] of columns) {
    if (isConstant(values)) return `${name} has no variance: all ${n} complete cases have the same value`
  }
  return undefined
}
