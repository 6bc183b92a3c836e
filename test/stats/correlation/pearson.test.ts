import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { pearson, pearsonOfRanges, pearsonTest } from "../../../src/stats/correlation/pearson.ts"
import { meanAndRange } from "../../../src/stats/descriptives/summary.ts"
import { completeCases } from "../../../src/stats/correlation/complete-cases.ts"
import { tolerance } from "../../tolerances.ts"
import { expectClose } from "../compare.ts"
import { previousPearson, previousPearsonTest } from "../previous.ts"
import { awkwardColumns, ratedColumns } from "./awkward.ts"
import { fixture, propertyRuns } from "./fixture.ts"

const value = fc.double({ min: -1e3, max: 1e3, noNaN: true })
const pairs = fc.array(fc.tuple(value, value), { minLength: 4, maxLength: 60 })
// integer-valued data: a spread of at least 1, so affine maps stay well conditioned
const integerPairs = fc.array(fc.tuple(fc.integer({ min: -100, max: 100 }), fc.integer({ min: -100, max: 100 })), {
  minLength: 4,
  maxLength: 60,
})
const unzip = (ps: readonly (readonly [number, number])[]): [number[], number[]] => [ps.map((p) => p[0]), ps.map((p) => p[1])]

describe("pearson", () => {
  it("matches R cor() on the complete pairs of every fixture dataset", () => {
    for (const d of fixture.datasets) {
      const [x, y] = completeCases(d.x, d.y) as [Float64Array, Float64Array]
      expectClose(pearson(x, y), d.pearson.estimate, tolerance.closedForm, d.name)
    }
  })

  it("gives the documented example", () => {
    expect(pearson([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])).toBe(0.79999999999999982)
  })

  it("lies in [−1, 1], is symmetric in x and y, and ignores the order of the pairs", () => {
    fc.assert(
      fc.property(pairs, fc.integer({ min: 0, max: 1000 }), (ps, seed) => {
        const [x, y] = unzip(ps)
        const r = pearson(x, y)
        fc.pre(!Number.isNaN(r))
        expect(Math.abs(r)).toBeLessThanOrEqual(1)
        expect(pearson(y, x)).toBe(r)
        // a deterministic shuffle of the pairs
        const order = ps.map((_, i) => i).sort((i, j) => ((i * 7919 + seed) % 101) - ((j * 7919 + seed) % 101))
        const shuffled = order.map((i) => ps[i] as [number, number])
        const [sx, sy] = unzip(shuffled)
        expect(Math.abs(pearson(sx, sy) - r)).toBeLessThanOrEqual(1e-12)
      }),
      propertyRuns,
    )
  })

  it("is invariant under positive affine maps and flips sign under negation", () => {
    fc.assert(
      fc.property(
        integerPairs,
        fc.double({ min: 0.001, max: 1000, noNaN: true }),
        fc.double({ min: -1e4, max: 1e4, noNaN: true }),
        (ps, scale, shift) => {
          const [x, y] = unzip(ps)
          const r = pearson(x, y)
          fc.pre(!Number.isNaN(r) && Math.abs(r) < 0.999999)
          const mapped = x.map((v) => scale * v + shift)
          fc.pre(!Number.isNaN(pearson(mapped, y)))
          expect(Math.abs(pearson(mapped, y) - r)).toBeLessThanOrEqual(1e-10)
          expect(pearson(x.map((v) => -v), y)).toBeCloseTo(-r, 12)
        },
      ),
      propertyRuns,
    )
  })

  it("gives NaN for a constant variable and throws on unequal lengths", () => {
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNaN()
    expect(() => pearson([1, 2], [1, 2, 3])).toThrow(RangeError)
  })
})

describe("pearsonTest", () => {
  it("matches R cor.test (estimate, t, df, p, 95% and 90% Fisher-z CI) on every fixture dataset", () => {
    for (const d of fixture.datasets) {
      for (const reference of [d.pearson, d.pearson90]) {
        const result = pearsonTest(d.x, d.y, { level: reference.level })
        const label = `${d.name} level ${reference.level}`
        expect(result.status, label).toBe("estimated")
        if (result.status !== "estimated") continue
        expectClose(result.estimate, reference.estimate, tolerance.closedForm, `${label} r`)
        expectClose(result.statistic, reference.statistic, tolerance.closedForm, `${label} t`)
        expect(result.df).toBe(reference.df)
        expectClose(result.p, reference.p, tolerance.distribution, `${label} p`)
        expectClose(result.ci[0], reference.ci[0], tolerance.closedForm, `${label} lower`)
        expectClose(result.ci[1], reference.ci[1], tolerance.closedForm, `${label} upper`)
        expect(result.level).toBe(reference.level)
      }
    }
  })

  it("gives the documented example", () => {
    expect(pearsonTest([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])).toMatchObject({
      status: "estimated",
      estimate: 0.79999999999999982,
      n: 5,
      statistic: 2.3094010767585011,
      df: 3,
      p: 0.10408803866182807,
      ci: [-0.27964004196935516, 0.9861961933012714],
    })
  })

  it("gives p in [0, 1] and a CI that contains the estimate", () => {
    fc.assert(
      fc.property(pairs, fc.double({ min: 0.5, max: 0.999, noNaN: true }), (ps, level) => {
        const [x, y] = unzip(ps)
        const result = pearsonTest(x, y, { level })
        if (result.status !== "estimated") return
        expect(result.p).toBeGreaterThanOrEqual(0)
        expect(result.p).toBeLessThanOrEqual(1)
        expect(result.ci[0]).toBeLessThanOrEqual(result.estimate)
        expect(result.ci[1]).toBeGreaterThanOrEqual(result.estimate)
        expect(result.n).toBe(ps.length)
      }),
      propertyRuns,
    )
  })

  it("drops pairs where either value is NaN and counts the pairs used", () => {
    const missing = fixture.datasets.find((d) => d.name === "missing25")
    expect(missing).toBeDefined()
    if (missing === undefined) return
    const result = pearsonTest(missing.x, missing.y)
    expect(result).toMatchObject({ status: "estimated", n: 21, df: 19 })
  })

  it("is not estimable with fewer than 4 complete pairs", () => {
    const result = pearsonTest([1, 2, 3, Number.NaN], [2, 1, 4, 5])
    expect(result).toMatchObject({ status: "not_estimable", n: 3 })
    if (result.status === "not_estimable") expect(result.reason).toMatch(/at least 4 complete cases/)
  })

  it("is not estimable when a variable has zero variance or infinite values", () => {
    const constant = pearsonTest([1, 2, 3, 4, 5], [7, 7, 7, 7, 7])
    expect(constant).toMatchObject({ status: "not_estimable", n: 5 })
    if (constant.status === "not_estimable") expect(constant.reason).toMatch(/y has no variance/)
    const infinite = pearsonTest([1, 2, 3, Number.POSITIVE_INFINITY, 5], [1, 2, 3, 4, 5])
    expect(infinite).toMatchObject({ status: "not_estimable" })
  })

  it("reports a perfect correlation as R does: t infinite, p = 0, CI [1, 1]", () => {
    expect(pearsonTest([1, 2, 3, 4, 5], [0.3, 0.6, 0.9, 1.2, 1.5])).toMatchObject({
      estimate: 1,
      statistic: Number.POSITIVE_INFINITY,
      p: 0,
      ci: [1, 1],
    })
  })

  it("throws on unequal lengths and on a level outside (0, 1)", () => {
    expect(() => pearsonTest([1, 2, 3, 4], [1, 2, 3])).toThrow(RangeError)
    expect(() => pearsonTest([1, 2, 3, 4, 5], [2, 1, 4, 3, 5], { level: 1 })).toThrow(RangeError)
    expect(() => pearsonTest([1, 2], [1, 2], { level: 95 })).toThrow(RangeError)
  })
})

describe("against the previous implementation", () => {
  const columnPairs = fc.oneof(awkwardColumns(2), ratedColumns(2)) as fc.Arbitrary<[number[], number[]]>

  it("pearson gives the previous r bit for bit, as pearsonOfRanges does", () => {
    fc.assert(
      fc.property(columnPairs, ([x, y]) => {
        expect(Object.is(pearson(x, y), previousPearson(x, y))).toBe(true)
        if (x.length >= 2) expect(Object.is(pearsonOfRanges(x, meanAndRange(x), y, meanAndRange(y)), previousPearson(x, y))).toBe(true)
      }),
      propertyRuns,
    )
  })

  it("pearsonTest gives the previous record, estimable or not, on typed and plain arrays", () => {
    fc.assert(
      fc.property(columnPairs, fc.boolean(), ([x, y], typed) => {
        const [tx, ty] = typed ? [Float64Array.from(x), Float64Array.from(y)] : [x, y]
        expect(pearsonTest(tx, ty, { level: 0.9 })).toEqual(previousPearsonTest(x, y, 0.9))
      }),
      propertyRuns,
    )
  })
})
