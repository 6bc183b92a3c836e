import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  allFinite,
  completeCases,
  completeCasesWithRanges,
  correlationProblem,
  correlationProblemOfRanges,
  isConstant,
} from "../../../src/stats/correlation/complete-cases.ts"
import { meanAndRange } from "../../../src/stats/descriptives/summary.ts"
import { differences, previousCompleteCases } from "../previous.ts"
import { propertyRuns } from "./fixture.ts"

/** Values with NaN (missing), infinities, −0 and repeats, so that every branch is met. */
const cell = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -5, max: 5 }).map((k) => k / 2) },
  { weight: 2, arbitrary: fc.constant(Number.NaN) },
  { weight: 1, arbitrary: fc.constantFrom(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0) },
  { weight: 2, arbitrary: fc.double({ noNaN: true }) },
)
const columns = (count: number) =>
  fc.integer({ min: 0, max: 60 }).chain((n) => fc.array(fc.array(cell, { minLength: n, maxLength: n }), { minLength: count, maxLength: count }))

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
    expect(() => completeCasesWithRanges([1, 2], [1, 2, 3])).toThrow(RangeError)
  })

  it("keeps the same rows as the previous implementation, for one, two (the one-pass route) and three columns", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }).chain(columns), (cols) => {
        const kept = completeCases(...cols)
        const reference = previousCompleteCases(...cols)
        expect(kept.length).toBe(reference.length)
        kept.forEach((column, k) => expect(differences(column, reference[k]!)).toEqual([]))
      }),
      propertyRuns,
    )
  })

  it("returns the columns themselves when no row is dropped", () => {
    const x = Float64Array.from([1, 2, 3])
    const y = [4, 5, 6]
    const [cx, cy] = completeCases(x, y)
    expect(cx).toBe(x)
    expect(cy).toBe(y)
  })
})

describe("completeCasesWithRanges", () => {
  it("gives the documented example", () => {
    const { columns: kept, ranges } = completeCasesWithRanges([1, Number.NaN, 3], [4, 5, 6])
    expect(kept.map((c) => Array.from(c))).toEqual([[1, 3], [4, 6]])
    expect(ranges).toEqual([{ mean: 2, min: 1, max: 3 }, { mean: 5, min: 4, max: 6 }])
  })

  it("is completeCases followed by meanAndRange of each column, bit for bit", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }).chain(columns), (cols) => {
        const { columns: kept, ranges } = completeCasesWithRanges(...cols)
        const reference = previousCompleteCases(...cols)
        kept.forEach((column, k) => {
          expect(differences(column, reference[k]!)).toEqual([])
          const expected = meanAndRange(reference[k]!)
          expect(differences([ranges[k]!.mean, ranges[k]!.min, ranges[k]!.max], [expected.mean, expected.min, expected.max])).toEqual([])
        })
      }),
      propertyRuns,
    )
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

describe("correlationProblemOfRanges", () => {
  it("gives correlationProblem's answer, from the ranges of the complete cases", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }).chain(columns), fc.integer({ min: 0, max: 6 }), (cols, minimum) => {
        const kept = completeCases(...cols)
        const n = kept[0]!.length
        const named = kept.map((c, k) => [`v${k}`, c] as const)
        const ranged = kept.map((c, k) => [`v${k}`, meanAndRange(c)] as const)
        expect(correlationProblemOfRanges(ranged, n, minimum, "a test")).toBe(correlationProblem(named, n, minimum, "a test"))
      }),
      propertyRuns,
    )
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
