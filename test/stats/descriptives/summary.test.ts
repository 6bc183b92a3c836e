import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  fiveNumberSummary,
  mean,
  meanAndRange,
  meanAndStandardDeviation,
  quantileSorted,
  standardDeviation,
  variance,
} from "../../../src/stats/descriptives/summary.ts"
import { tolerance } from "../../tolerances.ts"
import { expectClose } from "../compare.ts"
import { fixture, propertyRuns } from "../correlation/fixture.ts"
import { previousMean, previousVariance } from "../previous.ts"

// every variable of every correlation dataset, with R's descriptives of its non-missing values
const variables = fixture.datasets.flatMap((d) => [
  { label: `${d.name}.x`, values: d.x, reference: d.describe_x },
  { label: `${d.name}.y`, values: d.y, reference: d.describe_y },
])
const present = (values: readonly number[]): number[] => values.filter((v) => !Number.isNaN(v))
const sample = fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 2, maxLength: 60 })

describe("mean", () => {
  it("matches R mean() on every fixture variable", () => {
    for (const v of variables) expectClose(mean(present(v.values)), v.reference.mean, tolerance.closedForm, v.label)
  })

  it("gives the documented example", () => {
    expect(mean([1, 2, 3, 4, 10])).toBe(4)
  })

  it("is equivariant under shifts and scaling", () => {
    fc.assert(
      fc.property(sample, fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: 0.01, max: 100, noNaN: true }), (xs, c, s) => {
        const m = mean(xs)
        const scale = Math.max(...xs.map(Math.abs), 1)
        expect(Math.abs(mean(xs.map((x) => x + c)) - (m + c))).toBeLessThanOrEqual(1e-12 * (scale + Math.abs(c)))
        expect(Math.abs(mean(xs.map((x) => s * x)) - s * m)).toBeLessThanOrEqual(1e-12 * s * scale)
      }),
      propertyRuns,
    )
  })

  it("propagates NaN and infinities as R does, and gives NaN for no values", () => {
    expect(mean([1, Number.NaN])).toBeNaN()
    expect(mean([1, Number.POSITIVE_INFINITY])).toBe(Number.POSITIVE_INFINITY)
    expect(mean([])).toBeNaN()
  })
})

describe("variance", () => {
  it("matches R var() on every fixture variable, including one offset by 1e6", () => {
    for (const v of variables) expectClose(variance(present(v.values)), v.reference.var, tolerance.closedForm, v.label)
  })

  it("gives the documented example", () => {
    expect(variance([1, 2, 3, 4, 10])).toBe(12.5)
  })

  it("is invariant under shifts and scales with the square", () => {
    fc.assert(
      fc.property(sample, fc.double({ min: -1e4, max: 1e4, noNaN: true }), (xs, c) => {
        const v = variance(xs)
        const scale = Math.max(...xs.map((x) => x * x), 1)
        expect(Math.abs(variance(xs.map((x) => x + c)) - v)).toBeLessThanOrEqual(1e-9 * (scale + c * c))
        expect(Math.abs(variance(xs.map((x) => -3 * x)) - 9 * v)).toBeLessThanOrEqual(1e-12 * 9 * scale)
      }),
      propertyRuns,
    )
  })

  it("is zero for constant values and NaN below two values", () => {
    expect(variance([0.1, 0.1, 0.1])).toBe(0)
    expect(variance([5])).toBeNaN()
    expect(variance([1, Number.NaN, 3])).toBeNaN()
  })
})

describe("standardDeviation", () => {
  it("matches R sd() on every fixture variable", () => {
    for (const v of variables) {
      expectClose(standardDeviation(present(v.values)), v.reference.sd, tolerance.closedForm, v.label)
    }
  })

  it("gives the documented example", () => {
    expect(standardDeviation([2, 4, 4, 4, 5, 5, 7, 9])).toBe(2.1380899352993952)
  })
})

describe("quantileSorted", () => {
  it("matches R quantile(type = 7) at seven probabilities on every fixture variable", () => {
    for (const v of variables) {
      const sorted = Float64Array.from(present(v.values)).sort()
      v.reference.probs.forEach((p, i) => {
        expectClose(quantileSorted(sorted, p), v.reference.quantiles[i] ?? Number.NaN, tolerance.closedForm, `${v.label} p=${p}`)
      })
    }
  })

  it("gives the documented examples bit for bit", () => {
    expect(quantileSorted([1, 2, 3, 4, 10], 0.25)).toBe(2)
    expect(quantileSorted([1, 2, 3, 4, 10], 0.9)).toBe(7.5999999999999979)
  })

  it("runs from the minimum to the maximum and never decreases in p", () => {
    fc.assert(
      fc.property(sample, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (xs, p, q) => {
        const sorted = Float64Array.from(xs).sort()
        expect(quantileSorted(sorted, 0)).toBe(sorted[0])
        expect(quantileSorted(sorted, 1)).toBe(sorted[sorted.length - 1])
        const [lo, hi] = p <= q ? [p, q] : [q, p]
        expect(quantileSorted(sorted, lo)).toBeLessThanOrEqual(quantileSorted(sorted, hi))
      }),
      propertyRuns,
    )
  })

  it("gives NaN for no values or p outside [0, 1]", () => {
    expect(quantileSorted([], 0.5)).toBeNaN()
    expect(quantileSorted([1, 2], 1.5)).toBeNaN()
    expect(quantileSorted([1, 2], Number.NaN)).toBeNaN()
  })
})

describe("fiveNumberSummary", () => {
  it("matches R on every fixture variable, skipping the missing values", () => {
    for (const v of variables) {
      const s = fiveNumberSummary(v.values)
      const q = v.reference.quantiles
      expect(s.n).toBe(v.reference.n)
      expectClose(s.mean, v.reference.mean, tolerance.closedForm, `${v.label} mean`)
      expectClose(s.sd, v.reference.sd, tolerance.closedForm, `${v.label} sd`)
      expect([s.min, s.max]).toEqual([q[0], q[6]])
      expectClose(s.q1, q[2] ?? Number.NaN, tolerance.closedForm, `${v.label} q1`)
      expectClose(s.median, q[3] ?? Number.NaN, tolerance.closedForm, `${v.label} median`)
      expectClose(s.q3, q[4] ?? Number.NaN, tolerance.closedForm, `${v.label} q3`)
    }
  })

  it("gives the documented example", () => {
    expect(fiveNumberSummary([1, 2, Number.NaN, 3, 4, 10])).toEqual({
      n: 5,
      mean: 4,
      sd: 3.5355339059327378,
      min: 1,
      q1: 2,
      median: 3,
      q3: 4,
      max: 10,
    })
  })

  it("reports n so that callers can see when there is too little data (SD NaN for n = 1, all NaN for 0)", () => {
    const one = fiveNumberSummary([Number.NaN, 7, Number.NaN])
    expect(one).toMatchObject({ n: 1, mean: 7, min: 7, median: 7, max: 7 })
    expect(one.sd).toBeNaN()
    const none = fiveNumberSummary([Number.NaN])
    expect(none.n).toBe(0)
    expect([none.mean, none.sd, none.min, none.q1, none.median, none.q3, none.max].every(Number.isNaN)).toBe(true)
  })
})

describe("against the previous implementations", () => {
  /** Values of every kind a summary meets: scores, ratings, counts, extremes, infinities, −0 and NaN. */
  const cell = fc.oneof(
    { weight: 5, arbitrary: fc.integer({ min: 0, max: 40 }) },
    { weight: 3, arbitrary: fc.integer({ min: 100, max: 500 }).map((r) => r / 100) },
    { weight: 3, arbitrary: fc.double() },
    { weight: 1, arbitrary: fc.constantFrom(-0, 0, 1e300, -1e300, 1e-300, Number.POSITIVE_INFINITY, Number.NaN) },
  )
  const column = fc.array(cell, { maxLength: 120 })

  it("meanAndRange gives the previous mean bit for bit, and Math.min/Math.max of the values", () => {
    fc.assert(
      fc.property(column, (values) => {
        const { mean: m, min, max } = meanAndRange(values)
        expect(Object.is(m, previousMean(values))).toBe(true)
        expect(Object.is(mean(values), previousMean(values))).toBe(true)
        const hasNaN = values.some(Number.isNaN)
        expect(Object.is(min, hasNaN ? Number.NaN : Math.min(Number.POSITIVE_INFINITY, ...values))).toBe(true)
        expect(Object.is(max, hasNaN ? Number.NaN : Math.max(Number.NEGATIVE_INFINITY, ...values))).toBe(true)
      }),
      propertyRuns,
    )
  })

  it("variance, standardDeviation and meanAndStandardDeviation give the previous values bit for bit", () => {
    fc.assert(
      fc.property(column, (values) => {
        expect(Object.is(variance(values), previousVariance(values))).toBe(true)
        expect(Object.is(standardDeviation(values), Math.sqrt(previousVariance(values)))).toBe(true)
        const both = meanAndStandardDeviation(values)
        expect(Object.is(both.mean, previousMean(values))).toBe(true)
        expect(Object.is(both.sd, Math.sqrt(previousVariance(values)))).toBe(true)
      }),
      propertyRuns,
    )
    expect(meanAndStandardDeviation([2, 4, 4, 4, 5, 5, 7, 9])).toEqual({ mean: 5, sd: 2.1380899352993952 })
  })

  it("fiveNumberSummary gives the previous summary bit for bit, by counting (whole numbers) or by sorting", () => {
    /** The previous fiveNumberSummary: the present values sorted with the typed-array sort. */
    const previousSummary = (values: ArrayLike<number>) => {
      const present = Array.from(values).filter((v) => !Number.isNaN(v))
      const sorted = Float64Array.from(present).sort()
      const n = present.length
      return [n, previousMean(present), Math.sqrt(previousVariance(present)), n === 0 ? Number.NaN : sorted[0]!,
        quantileSorted(sorted, 0.25), quantileSorted(sorted, 0.5), quantileSorted(sorted, 0.75), n === 0 ? Number.NaN : sorted[n - 1]!]
    }
    const counts = fc.array(fc.oneof(fc.integer({ min: 0, max: 30 }), fc.constant(Number.NaN)), { maxLength: 200 })
    const wide = fc.array(fc.integer({ min: 0, max: 70_000 }), { maxLength: 50 })
    fc.assert(
      fc.property(fc.oneof(counts, wide, column), fc.boolean(), (values, typed) => {
        const s = fiveNumberSummary(typed ? Float64Array.from(values) : values)
        const actual = [s.n, s.mean, s.sd, s.min, s.q1, s.median, s.q3, s.max]
        previousSummary(values).forEach((expected, k) => expect(Object.is(actual[k], expected)).toBe(true))
      }),
      propertyRuns,
    )
    // −0 must keep its place before 0, as the typed-array sort puts it
    expect(Object.is(fiveNumberSummary([0, -0, 3]).min, -0)).toBe(true)
  })
})
