/**
 * Comparison helpers for golden tests over many cases: every case is checked, and a failure
 * lists the worst offenders rather than stopping at the first.
 */
import { expect } from "vitest"
import { relativeError } from "../tolerances.ts"

/**
 * Relative error with conventions for special values: identical values (including equal
 * infinities, or NaN against NaN) agree exactly; values below `floor` in magnitude (subnormal
 * tails, where doubles themselves carry few digits) are compared absolutely against `floor`.
 */
export const discrepancy = (actual: number, expected: number, floor = 1e-290): number => {
  if (actual === expected || (Number.isNaN(actual) && Number.isNaN(expected))) return 0
  if (Number.isNaN(actual) || Number.isNaN(expected)) return Number.POSITIVE_INFINITY
  if (!Number.isFinite(actual) || !Number.isFinite(expected)) return Number.POSITIVE_INFINITY
  return relativeError(actual, expected, floor)
}

export interface Mismatch<C> {
  readonly case: C
  readonly actual: number
  readonly expected: number
  readonly error: number
}

/**
 * Checks `compute(case)` against `expected(case)` for every case and asserts that the worst
 * discrepancy is within `tol`. Returns the worst discrepancy (for reporting).
 */
export const expectAllClose = <C>(
  cases: readonly C[],
  compute: (c: C) => number,
  expected: (c: C) => number,
  tol: number,
  label: string,
): number => {
  const mismatches: Mismatch<C>[] = []
  let worst = 0
  for (const c of cases) {
    const actual = compute(c)
    const want = expected(c)
    const error = discrepancy(actual, want)
    worst = Math.max(worst, error)
    if (!(error <= tol)) mismatches.push({ case: c, actual, expected: want, error })
  }
  mismatches.sort((a, b) => b.error - a.error)
  expect(mismatches.slice(0, 5), `${label}: ${mismatches.length} of ${cases.length} cases beyond ${tol}`).toEqual([])
  return worst
}

/** Asserts one value against a reference with the relative tolerance. */
export const expectClose = (actual: number, expected: number, tol: number, label = ""): void => {
  const error = discrepancy(actual, expected)
  expect(error <= tol, `${label}: ${actual} vs ${expected} (relative error ${error})`).toBe(true)
}
