import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { ranks } from "../../../src/stats/correlation/ranks.ts"
import { completeCases } from "../../../src/stats/correlation/complete-cases.ts"
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
})
