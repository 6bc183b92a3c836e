import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { chiSquaredCdf, chiSquaredQuantile } from "../../../src/stats/distributions/chi-squared.ts"
import { normalCdf } from "../../../src/stats/distributions/normal.ts"
import { tolerance } from "../../tolerances.ts"
import { expectAllClose, expectClose } from "../compare.ts"
import { fixture, propertyRuns } from "./fixture.ts"

const df = fc.oneof(fc.double({ min: 0.2, max: 20, noNaN: true }), fc.double({ min: 20, max: 5000, noNaN: true }))

describe("chiSquaredCdf", () => {
  it("matches R pchisq for fractional df, with upper tails down to 1e-300", () => {
    const { cases } = fixture.pchisq
    expect(cases.length).toBeGreaterThan(400)
    expectAllClose(cases, (c) => chiSquaredCdf(c.x, c.df, c.lower), (c) => c.value, tolerance.distribution, fixture.pchisq.call)
  })

  it("gives the documented example", () => {
    expect(chiSquaredCdf(3.84, 1, false)).toBe(0.050043521248705113)
  })

  it("equals the squared normal for 1 df: P(X > z²) = 2·Φ(−|z|)", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 30, noNaN: true }), (z) => {
        expectClose(chiSquaredCdf(z * z, 1, false), 2 * normalCdf(-z), 1e-12, `z = ${z}`)
      }),
      propertyRuns,
    )
  })

  it("has tails that sum to 1, each in [0, 1]", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e4, noNaN: true }), df, (x, nu) => {
        const lower = chiSquaredCdf(x, nu)
        const upper = chiSquaredCdf(x, nu, false)
        expect(lower).toBeGreaterThanOrEqual(0)
        expect(upper).toBeLessThanOrEqual(1)
        expect(Math.abs(lower + upper - 1)).toBeLessThanOrEqual(4 * Number.EPSILON)
      }),
      propertyRuns,
    )
  })

  it("gives 0 below zero and NaN for df ≤ 0", () => {
    expect(chiSquaredCdf(-1, 3)).toBe(0)
    expect(chiSquaredCdf(0, 3, false)).toBe(1)
    expect(chiSquaredCdf(2, 0)).toBeNaN()
    expect(chiSquaredCdf(Number.NaN, 2)).toBeNaN()
  })
})

describe("chiSquaredQuantile", () => {
  it("matches R qchisq for fractional df, in both tails down to 1e-200", () => {
    const { cases } = fixture.qchisq
    expect(cases.length).toBeGreaterThan(400)
    expectAllClose(cases, (c) => chiSquaredQuantile(c.p, c.df, c.lower), (c) => c.value, tolerance.distribution, fixture.qchisq.call)
  })

  it("gives the documented example", () => {
    expect(chiSquaredQuantile(0.95, 1)).toBe(3.8414588206941294)
  })

  it("inverts chiSquaredCdf", () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-12, max: 0.5, noNaN: true }), df, fc.boolean(), (p, nu, lower) => {
        const x = chiSquaredQuantile(p, nu, lower)
        expectClose(chiSquaredCdf(x, nu, lower), p, 1e-12, `p = ${p}, df = ${nu}`)
      }),
      propertyRuns,
    )
  })

  it("maps the boundaries to 0 and Infinity and rejects invalid arguments", () => {
    expect(chiSquaredQuantile(0, 4)).toBe(0)
    expect(chiSquaredQuantile(1, 4)).toBe(Number.POSITIVE_INFINITY)
    expect(chiSquaredQuantile(0, 4, false)).toBe(Number.POSITIVE_INFINITY)
    expect(chiSquaredQuantile(1, 4, false)).toBe(0)
    expect(chiSquaredQuantile(-0.2, 4)).toBeNaN()
    expect(chiSquaredQuantile(0.2, -4)).toBeNaN()
  })
})
