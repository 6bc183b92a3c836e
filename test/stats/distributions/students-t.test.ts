import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { normalCdf } from "../../../src/stats/distributions/normal.ts"
import { studentTCdf, studentTQuantile, studentTTwoSidedP } from "../../../src/stats/distributions/students-t.ts"
import { tolerance } from "../../tolerances.ts"
import { expectAllClose, expectClose } from "../compare.ts"
import { fixture, propertyRuns } from "./fixture.ts"

const df = fc.oneof(fc.double({ min: 0.3, max: 50, noNaN: true }), fc.double({ min: 50, max: 1e7, noNaN: true }))

describe("studentTCdf", () => {
  it("matches R pt for fractional and huge df, in both tails down to 1e-300", () => {
    const { cases } = fixture.pt
    expect(cases.length).toBeGreaterThan(700)
    expectAllClose(cases, (c) => studentTCdf(c.t, c.df, c.lower), (c) => c.value, tolerance.distribution, fixture.pt.call)
  })

  it("gives the documented example", () => {
    expect(studentTCdf(-2.5, 7.5)).toBe(0.019410129136812778)
  })

  it("is symmetric: the lower tail at −t is the upper tail at t, bit for bit", () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), df, (t, nu) => {
        expect(studentTCdf(-t, nu, true)).toBe(studentTCdf(t, nu, false))
      }),
      propertyRuns,
    )
  })

  it("has tails that sum to 1, each in [0, 1]", () => {
    fc.assert(
      fc.property(fc.double({ min: -1e3, max: 1e3, noNaN: true }), df, (t, nu) => {
        const lower = studentTCdf(t, nu)
        const upper = studentTCdf(t, nu, false)
        expect(lower).toBeGreaterThanOrEqual(0)
        expect(upper).toBeLessThanOrEqual(1)
        expect(Math.abs(lower + upper - 1)).toBeLessThanOrEqual(4 * Number.EPSILON)
      }),
      propertyRuns,
    )
  })

  it("has heavier tails than the normal, approaching it as df grows", () => {
    expect(studentTCdf(-3, 5)).toBeGreaterThan(normalCdf(-3))
    expectClose(studentTCdf(-3, 1e12), normalCdf(-3), 1e-10, "df = 1e12")
    expect(studentTCdf(-3, Number.POSITIVE_INFINITY)).toBe(normalCdf(-3))
  })

  it("returns NaN for df ≤ 0 or NaN, and the limits at ±Infinity", () => {
    expect(studentTCdf(1, 0)).toBeNaN()
    expect(studentTCdf(1, -2)).toBeNaN()
    expect(studentTCdf(Number.NaN, 3)).toBeNaN()
    expect(studentTCdf(Number.NEGATIVE_INFINITY, 3)).toBe(0)
    expect(studentTCdf(Number.POSITIVE_INFINITY, 3, false)).toBe(0)
  })
})

describe("studentTTwoSidedP", () => {
  it("is twice the upper tail at |t| and matches R's 2 * pt(-abs(t), df)", () => {
    for (const c of fixture.pt.cases) {
      if (!c.lower || c.t > 0 || !Number.isFinite(c.df)) continue
      expectClose(studentTTwoSidedP(c.t, c.df), 2 * c.value, tolerance.distribution, `t = ${c.t}, df = ${c.df}`)
      expect(studentTTwoSidedP(-c.t, c.df)).toBe(studentTTwoSidedP(c.t, c.df))
    }
  })

  it("gives the documented example", () => {
    expect(studentTTwoSidedP(2.3094010767585029, 3)).toBe(0.10408803866182791)
  })

  it("lies in [0, 1] and is 1 at t = 0", () => {
    expect(studentTTwoSidedP(0, 4)).toBe(1)
    fc.assert(
      fc.property(fc.double({ noNaN: true }), df, (t, nu) => {
        const p = studentTTwoSidedP(t, nu)
        expect(p).toBeGreaterThanOrEqual(0)
        expect(p).toBeLessThanOrEqual(1)
      }),
      propertyRuns,
    )
  })
})

describe("studentTQuantile", () => {
  it("matches R qt for fractional df, in both tails down to 1e-100", () => {
    const { cases } = fixture.qt
    expect(cases.length).toBeGreaterThan(500)
    expectAllClose(cases, (c) => studentTQuantile(c.p, c.df, c.lower), (c) => c.value, tolerance.distribution, fixture.qt.call)
  })

  it("gives the documented example", () => {
    expect(studentTQuantile(0.975, 10)).toBe(2.2281388519862744)
  })

  it("inverts studentTCdf", () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-12, max: 0.49, noNaN: true }), df, fc.boolean(), (p, nu, lower) => {
        const t = studentTQuantile(p, nu, lower)
        expectClose(studentTCdf(t, nu, lower), p, 1e-12, `p = ${p}, df = ${nu}`)
      }),
      propertyRuns,
    )
  })

  it("is odd: the upper-tail quantile is minus the lower-tail one", () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-12, max: 1, noNaN: true }), df, (p, nu) => {
        expect(studentTQuantile(p, nu, false)).toBe(-studentTQuantile(p, nu, true))
      }),
      propertyRuns,
    )
  })

  it("maps 0, ½ and 1 to −Infinity, 0 and Infinity, and rejects invalid arguments", () => {
    expect(studentTQuantile(0, 3)).toBe(Number.NEGATIVE_INFINITY)
    expect(studentTQuantile(0.5, 3)).toBe(0)
    expect(studentTQuantile(1, 3)).toBe(Number.POSITIVE_INFINITY)
    expect(studentTQuantile(1.5, 3)).toBeNaN()
    expect(studentTQuantile(0.3, 0)).toBeNaN()
    expect(studentTQuantile(0.3, Number.NaN)).toBeNaN()
  })
})
