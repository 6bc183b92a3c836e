import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { normalCdf, normalQuantile } from "../../../src/stats/distributions/normal.ts"
import { tolerance } from "../../tolerances.ts"
import { expectAllClose, expectClose } from "../compare.ts"
import { fixture, propertyRuns } from "./fixture.ts"

describe("normalCdf", () => {
  it("matches R pnorm in both tails, down to the 1e-308 underflow and across Cody's cut-offs", () => {
    const { cases } = fixture.pnorm
    expect(cases.length).toBeGreaterThan(80)
    expectAllClose(cases, (c) => normalCdf(c.x, c.lower), (c) => c.value, tolerance.distribution, fixture.pnorm.call)
  })

  it("gives the documented example exactly", () => {
    expect(normalCdf(-10)).toBe(7.6198530241605269e-24)
  })

  it("is symmetric: the lower tail at −x is the upper tail at x, bit for bit", () => {
    fc.assert(
      fc.property(fc.double({ min: -40, max: 40, noNaN: true }), (x) => {
        expect(normalCdf(-x, true)).toBe(normalCdf(x, false))
      }),
      propertyRuns,
    )
  })

  it("has tails that sum to 1 and lie in [0, 1]", () => {
    fc.assert(
      fc.property(fc.double({ min: -40, max: 40, noNaN: true }), (x) => {
        const lower = normalCdf(x)
        const upper = normalCdf(x, false)
        expect(lower).toBeGreaterThanOrEqual(0)
        expect(upper).toBeLessThanOrEqual(1)
        expect(Math.abs(lower + upper - 1)).toBeLessThanOrEqual(2 * Number.EPSILON)
      }),
      propertyRuns,
    )
  })

  it("is non-decreasing in x", () => {
    fc.assert(
      fc.property(fc.double({ min: -38, max: 9, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (x, h) => {
        expect(normalCdf(x + h)).toBeGreaterThanOrEqual(normalCdf(x))
      }),
      propertyRuns,
    )
  })

  it("returns NaN for NaN and the limits for ±Infinity", () => {
    expect(normalCdf(Number.NaN)).toBeNaN()
    expect(normalCdf(Number.NEGATIVE_INFINITY)).toBe(0)
    expect(normalCdf(Number.POSITIVE_INFINITY)).toBe(1)
    expect(normalCdf(Number.POSITIVE_INFINITY, false)).toBe(0)
  })
})

describe("normalQuantile", () => {
  it("matches R qnorm in both tails, from 1e-300 to 1 − 1e-10 and across AS 241's cut-offs", () => {
    const { cases } = fixture.qnorm
    expect(cases.length).toBeGreaterThan(60)
    expectAllClose(cases, (c) => normalQuantile(c.p, c.lower), (c) => c.value, tolerance.distribution, fixture.qnorm.call)
  })

  it("gives the documented example exactly", () => {
    expect(normalQuantile(0.975)).toBe(1.9599639845400536)
  })

  it("inverts normalCdf to 1e-12 where the problem is well conditioned", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.5, max: 37, noNaN: true }), fc.boolean(), (y, lower) => {
        // the tail that is small keeps the information: lower tail at −y, upper tail at +y
        const x = lower ? -y : y
        expectClose(normalQuantile(normalCdf(x, lower), lower), x, 1e-12, `x = ${x}`)
      }),
      propertyRuns,
    )
  })

  it("uses an upper-tail p as given, so tiny upper tails are exact", () => {
    expect(normalQuantile(1e-300, false)).toBe(-normalQuantile(1e-300, true))
  })

  it("maps 0 and 1 to infinities and rejects p outside [0, 1]", () => {
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY)
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY)
    expect(normalQuantile(0, false)).toBe(Number.POSITIVE_INFINITY)
    expect(normalQuantile(-0.1)).toBeNaN()
    expect(normalQuantile(1.1)).toBeNaN()
    expect(normalQuantile(Number.NaN)).toBeNaN()
  })
})
