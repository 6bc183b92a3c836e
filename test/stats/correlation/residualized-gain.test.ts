import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { pearson, pearsonTest } from "../../../src/stats/correlation/pearson.ts"
import { completeCases } from "../../../src/stats/correlation/complete-cases.ts"
import { residualize } from "../../../src/stats/correlation/residualized-gain.ts"
import { standardDeviation } from "../../../src/stats/descriptives/summary.ts"
import { tolerance } from "../../tolerances.ts"
import { differences, previousResidualize } from "../previous.ts"
import { awkwardColumns, ratedColumns } from "./awkward.ts"
import { fixture, propertyRuns } from "./fixture.ts"

const pairs = fc.array(fc.tuple(fc.integer({ min: -50, max: 50 }), fc.integer({ min: -50, max: 50 })), {
  minLength: 3,
  maxLength: 60,
})

describe("residualize", () => {
  it("matches R resid(lm(y ~ z, na.action = na.exclude)) on every fixture dataset, NaN where R has NA", () => {
    for (const d of fixture.datasets) {
      const actual = residualize(d.y, d.z)
      const expected = d.residual_y_on_z
      expect(actual.length).toBe(expected.length)
      // residuals pass through zero, so compare on the scale of their spread
      const spread = standardDeviation(expected.filter((v) => !Number.isNaN(v)))
      expected.forEach((want, i) => {
        const got = actual[i] as number
        if (Number.isNaN(want)) expect(got, `${d.name}[${i}]`).toBeNaN()
        else expect(Math.abs(got - want), `${d.name}[${i}]`).toBeLessThanOrEqual(tolerance.closedForm * spread)
      })
    }
  })

  it("gives the documented example", () => {
    const result = Array.from(residualize([1, 3, 2, 5, Number.NaN], [1, 2, 3, 4, 5]))
    expect(result).toEqual([-0.099999999999999867, 0.80000000000000004, -1.3, 0.59999999999999987, Number.NaN])
  })

  it("leaves residuals that sum to zero and are uncorrelated with the predictor", () => {
    fc.assert(
      fc.property(pairs, (ps) => {
        const y = ps.map((p) => p[0])
        const x = ps.map((p) => p[1])
        const e = residualize(y, x)
        const scale = Math.max(...y.map(Math.abs), 1)
        expect(Math.abs(e.reduce((a, b) => a + b, 0))).toBeLessThanOrEqual(1e-10 * scale * ps.length)
        const r = pearson(e, x)
        if (!Number.isNaN(r)) expect(Math.abs(r)).toBeLessThanOrEqual(1e-10)
      }),
      propertyRuns,
    )
  })

  it("makes the residualized-gain correlation the semipartial r = (r_ay − r_ab·r_yb)/√(1 − r_yb²)", () => {
    for (const d of fixture.datasets) {
      // alliance x, post y, baseline z: restrict to complete triples so all three r share rows
      const [a, y, b] = completeCases(d.x, d.y, d.z) as [Float64Array, Float64Array, Float64Array]
      const gain = pearsonTest(a, residualize(y, b).map((v) => -v))
      if (gain.status !== "estimated") continue
      const [ray, rab, ryb] = [pearson(a, y), pearson(a, b), pearson(y, b)]
      const semipartial = -(ray - rab * ryb) / Math.sqrt(1 - ryb * ryb)
      expect(Math.abs(gain.estimate - semipartial), d.name).toBeLessThanOrEqual(1e-12)
    }
  })

  it("follows R when the predictor is constant (y − ȳ) and handles too few pairs", () => {
    expect(Array.from(residualize([1, 2, 6], [4, 4, 4]))).toEqual([-2, -1, 3])
    expect(Array.from(residualize([5, Number.NaN], [1, 2]))).toEqual([0, Number.NaN])
    expect(Array.from(residualize([Number.NaN, 1], [1, Number.NaN]))).toEqual([Number.NaN, Number.NaN])
    expect(() => residualize([1, 2], [1])).toThrow(RangeError)
  })
})

describe("against the previous implementation", () => {
  it("residualize gives the previous residuals bit for bit", () => {
    fc.assert(
      fc.property(fc.oneof(awkwardColumns(2), ratedColumns(2)), fc.boolean(), ([y, x], typed) => {
        const actual = typed ? residualize(Float64Array.from(y!), Float64Array.from(x!)) : residualize(y!, x!)
        expect(differences(actual, previousResidualize(y!, x!))).toEqual([])
      }),
      propertyRuns,
    )
  })
})
