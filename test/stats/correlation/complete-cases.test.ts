import { describe, expect, it } from "vitest"
import { allFinite, completeCases, correlationProblem, isConstant } from "../../../src/stats/correlation/complete-cases.ts"

describe("completeCases", () => {
  it("gives the documented example", () => {
    expect(completeCases([1, Number.NaN, 3], [4, 5, Number.NaN]).map((c) => Array.from(c))).toEqual([[1], [4]])
  })

  it("keeps the rows with no NaN in their original order, keeping infinities as R does", () => {
    const [a, b, c] = completeCases([1, 2, 3, 4], [Number.POSITIVE_INFINITY, 6, 7, Number.NaN], [9, Number.NaN, 8, 7])
    expect([a, b, c].map((col) => Array.from(col ?? []))).toEqual([[1, 3], [Number.POSITIVE_INFINITY, 7], [9, 8]])
  })

  it("throws a RangeError for columns of different lengths", () => {
    expect(() => completeCases([1, 2], [1, 2, 3])).toThrow(RangeError)
  })
})

describe("allFinite", () => {
  it("is false as soon as one value is infinite or NaN", () => {
    expect(allFinite([1, 2, 3])).toBe(true)
    expect(allFinite([1, Number.NEGATIVE_INFINITY])).toBe(false)
    expect(allFinite([Number.NaN])).toBe(false)
  })
})

describe("isConstant", () => {
  it("is true for identical values, including a single value or none", () => {
    expect(isConstant([0.1, 0.1, 0.1])).toBe(true)
    expect(isConstant([2])).toBe(true)
    expect(isConstant([])).toBe(true)
    expect(isConstant([1, 1.0000000000000002])).toBe(false)
  })
})

describe("correlationProblem", () => {
  it("names the first problem in plain words, or returns undefined", () => {
    const ok = correlationProblem([["x", [1, 2, 3]], ["y", [3, 1, 2]]], 3, 3, "a test")
    expect(ok).toBeUndefined()
    expect(correlationProblem([["x", [1, 2]]], 2, 4, "a test")).toBe("a test needs at least 4 complete cases; only 2 available")
    expect(correlationProblem([["x", [1, 1, 1]], ["y", [1, 2, 3]]], 3, 3, "a test")).toBe(
      "x has no variance: all 3 complete cases have the same value",
    )
    expect(correlationProblem([["alliance", [1, Number.POSITIVE_INFINITY, 3]]], 3, 3, "a test")).toBe(
      "alliance contains infinite values",
    )
  })
})
