import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { fisherZ, fisherZInterval, fisherZInverse } from "../../../src/stats/correlation/fisher-z.ts"
import { completeCases } from "../../../src/stats/correlation/complete-cases.ts"
import { tolerance } from "../../tolerances.ts"
import { expectClose } from "../compare.ts"
import { fixture, partialOf, propertyRuns } from "./fixture.ts"

const correlation = fc.double({ min: -0.999, max: 0.999, noNaN: true })

describe("fisherZ", () => {
  it("gives the documented example, R's atanh(0.5)", () => {
    expect(fisherZ(0.5)).toBe(0.54930614433405478)
  })

  it("is odd, increasing, and infinite at ±1", () => {
    expect(fisherZ(0)).toBe(0)
    expect(fisherZ(1)).toBe(Number.POSITIVE_INFINITY)
    expect(fisherZ(-1)).toBe(Number.NEGATIVE_INFINITY)
    expect(fisherZ(1.2)).toBeNaN()
    fc.assert(
      fc.property(correlation, (r) => {
        expect(fisherZ(-r)).toBe(-fisherZ(r))
        expect(fisherZ(Math.min(r + 1e-3, 1))).toBeGreaterThan(fisherZ(r))
      }),
      propertyRuns,
    )
  })
})

describe("fisherZInverse", () => {
  it("gives the documented example, R's tanh(0.5493061443340549)", () => {
    expect(fisherZInverse(0.5493061443340549)).toBe(0.50000000000000011)
  })

  it("inverts fisherZ and maps ±Infinity to ±1", () => {
    fc.assert(
      fc.property(correlation, (r) => {
        expect(Math.abs(fisherZInverse(fisherZ(r)) - r)).toBeLessThanOrEqual(4 * Number.EPSILON)
      }),
      propertyRuns,
    )
    expect(fisherZInverse(Number.POSITIVE_INFINITY)).toBe(1)
    expect(fisherZInverse(Number.NEGATIVE_INFINITY)).toBe(-1)
  })
})

describe("fisherZInterval", () => {
  it("reproduces R cor.test's interval from each fixture dataset's r and n, at 95% and 90%", () => {
    for (const d of fixture.datasets) {
      const n = (completeCases(d.x, d.y)[0] as Float64Array).length
      for (const reference of [d.pearson, d.pearson90]) {
        const [lower, upper] = fisherZInterval(reference.estimate, n, reference.level)
        expectClose(lower, reference.ci[0], tolerance.closedForm, `${d.name} lower`)
        expectClose(upper, reference.ci[1], tolerance.closedForm, `${d.name} upper`)
      }
    }
  })

  it("reproduces psych::corr.p's partial-correlation interval with controls = 1", () => {
    for (const d of fixture.datasets) {
      const reference = partialOf(d)
      if (reference === undefined) continue
      const [lower, upper] = fisherZInterval(reference.estimate, reference.n, 0.95, 1)
      expectClose(lower, reference.ci[0], tolerance.closedForm, `${d.name} lower`)
      expectClose(upper, reference.ci[1], tolerance.closedForm, `${d.name} upper`)
    }
  })

  it("gives the documented example", () => {
    expect(fisherZInterval(0.5, 30)).toEqual([0.17043136511180015, 0.72895855638835549])
  })

  it("contains r, stays inside [−1, 1], and narrows as n grows or the level falls", () => {
    fc.assert(
      fc.property(correlation, fc.integer({ min: 4, max: 10_000 }), (r, n) => {
        const [lower, upper] = fisherZInterval(r, n)
        expect(lower).toBeLessThanOrEqual(r)
        expect(upper).toBeGreaterThanOrEqual(r)
        expect(lower).toBeGreaterThanOrEqual(-1)
        expect(upper).toBeLessThanOrEqual(1)
        const [lowerMore, upperMore] = fisherZInterval(r, n + 10)
        expect(upperMore - lowerMore).toBeLessThanOrEqual(upper - lower)
        const [lower80, upper80] = fisherZInterval(r, n, 0.8)
        expect(upper80 - lower80).toBeLessThanOrEqual(upper - lower)
      }),
      propertyRuns,
    )
  })

  it("throws a RangeError when n − 3 − controls ≤ 0, the level is outside (0, 1), or |r| > 1", () => {
    expect(() => fisherZInterval(0.3, 3)).toThrow(RangeError)
    expect(() => fisherZInterval(0.3, 4, 0.95, 1)).toThrow(RangeError)
    expect(() => fisherZInterval(0.3, 10, 1.5)).toThrow(RangeError)
    expect(() => fisherZInterval(Number.NaN, 10)).toThrow(RangeError)
    expect(fisherZInterval(1, 10)).toEqual([1, 1])
  })
})
