import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { ranks } from "../../../src/stats/correlation/ranks.ts"
import { completeCases } from "../../../src/stats/correlation/complete-cases.ts"
import { differences, previousRanks } from "../previous.ts"
import { fixture, propertyRuns } from "./fixture.ts"

describe("ranks", () => {
  it("matches R rank() (average ties) on every fixture variable", () => {
    for (const d of fixture.datasets) {
      const [x, y] = completeCases(d.x, d.y) as [Float64Array, Float64Array]
      expect(Array.from(ranks(x)), `${d.name}.x`).toEqual(d.rank_x)
      expect(Array.from(ranks(y)), `${d.name}.y`).toEqual(d.rank_y)
    }
  })

  it("gives the documented example", () => {
    expect(Array.from(ranks([10, 20, 10, 30]))).toEqual([1.5, 3, 1.5, 4])
  })

  it("sums to n(n + 1)/2, gives tied values equal ranks and keeps the order of distinct values", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 80 }), (xs) => {
        const r = ranks(xs)
        const n = xs.length
        expect(r.reduce((a, b) => a + b, 0)).toBe((n * (n + 1)) / 2)
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            const [xi, xj, ri, rj] = [xs[i] as number, xs[j] as number, r[i] as number, r[j] as number]
            if (xi === xj) expect(ri).toBe(rj)
            if (xi < xj) expect(ri).toBeLessThan(rj)
          }
        }
      }),
      propertyRuns,
    )
  })

  it("treats infinities as the extreme values and −0 as tied with 0", () => {
    expect(Array.from(ranks([Number.POSITIVE_INFINITY, 0, Number.NEGATIVE_INFINITY, -0]))).toEqual([4, 2.5, 1, 2.5])
    expect(ranks([]).length).toBe(0)
  })

  it("gives the previous comparison-sort ranks bit for bit, by the table route (many ties) and the sorting route (few)", () => {
    const ratings = fc.array(fc.integer({ min: 100, max: 500 }).map((r) => r / 100), { minLength: 8, maxLength: 400 })
    const scores = fc.array(fc.integer({ min: -27, max: 27 }), { maxLength: 400 })
    const continuous = fc.array(fc.double({ noNaN: true }), { maxLength: 400 })
    const mixed = fc.array(fc.constantFrom(0, -0, 1, -1, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2.5), { maxLength: 100 })
    fc.assert(
      fc.property(fc.oneof(ratings, scores, continuous, mixed), (values) => {
        expect(differences(ranks(values), previousRanks(values))).toEqual([])
      }),
      propertyRuns,
    )
  })

  it("gives the previous ranks on a hundred thousand early-alliance-like means and whole-number improvements", () => {
    const means = Float64Array.from({ length: 100_000 }, (_, i) => Number(((100 + ((i * 7919) % 400)) / 100 / 3 + 2).toPrecision(12)))
    const improvement = Float64Array.from({ length: 100_000 }, (_, i) => ((i * 104729) % 41) - 13)
    const continuous = Float64Array.from({ length: 100_000 }, (_, i) => Math.sin(i * 1.3))
    for (const values of [means, improvement, continuous]) expect(differences(ranks(values), previousRanks(values))).toEqual([])
  })
})

