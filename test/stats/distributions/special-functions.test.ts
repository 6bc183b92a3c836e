import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  devianceTerm,
  logBeta,
  logGamma,
  regularizedGammaP,
  regularizedGammaQ,
  regularizedIncompleteBeta,
  stirlingError,
} from "../../../src/stats/distributions/special-functions.ts"
import { tolerance } from "../../tolerances.ts"
import { expectAllClose, expectClose } from "../compare.ts"
import { fixture, propertyRuns } from "./fixture.ts"

const shape = fc.oneof(fc.double({ min: 0.05, max: 10, noNaN: true }), fc.double({ min: 10, max: 1e5, noNaN: true }))

describe("logGamma", () => {
  it("matches R lgamma from 1e-8 to 1e10 (absolute 1e-14 near the roots at 1 and 2)", () => {
    const { cases } = fixture.lgamma
    expectAllClose(
      cases,
      (c) => logGamma(c.x),
      (c) => c.value,
      tolerance.distribution,
      fixture.lgamma.call,
    )
  })

  it("gives the documented example and exact zeros at 1 and 2", () => {
    expect(logGamma(0.5)).toBe(0.57236494292469975)
    expect(logGamma(1)).toBe(0)
    expect(logGamma(2)).toBe(0)
  })

  it("satisfies the recurrence log Γ(x + 1) = log Γ(x) + log x", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 1e6, noNaN: true }), (x) => {
        const lhs = logGamma(x + 1)
        const rhs = logGamma(x) + Math.log(x)
        expect(Math.abs(lhs - rhs)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(lhs)))
      }),
      propertyRuns,
    )
  })

  it("returns Infinity at 0 and NaN for negative x", () => {
    expect(logGamma(0)).toBe(Number.POSITIVE_INFINITY)
    expect(logGamma(-1.5)).toBeNaN()
  })
})

describe("logBeta", () => {
  it("matches R lbeta, including parameters in the hundreds of thousands", () => {
    expectAllClose(fixture.lbeta.cases, (c) => logBeta(c.a, c.b), (c) => c.value, tolerance.distribution, fixture.lbeta.call)
  })

  it("gives the documented example and is symmetric", () => {
    expect(logBeta(0.5, 0.5)).toBe(1.1447298858493999)
    fc.assert(
      fc.property(shape, shape, (a, b) => {
        expect(logBeta(a, b)).toBe(logBeta(b, a))
      }),
      propertyRuns,
    )
  })
})

describe("stirlingError", () => {
  it("equals log Γ(n + 1) − (n + ½) log n + n − log √(2π) at exactly known points", () => {
    // log(1!) − 1.5·0 + 1 − log √(2π) = 1 − 0.9189385332046727
    expectClose(stirlingError(1), 0.0810614667953272582196702, 1e-14, "n = 1")
    expectClose(stirlingError(15), 0.00555473355196280137103869, 1e-14, "n = 15")
    expectClose(stirlingError(0.5), 0.1534264097200273452913848, 1e-14, "n = 0.5")
  })
})

describe("devianceTerm", () => {
  it("is zero at x = μ, positive elsewhere, and agrees with x log(x/μ) + μ − x away from μ", () => {
    expect(devianceTerm(7, 7)).toBe(0)
    expectClose(devianceTerm(3, 10), 3 * Math.log(0.3) + 7, 1e-14, "bd0(3, 10)")
    fc.assert(
      fc.property(shape, shape, (x, mu) => {
        expect(devianceTerm(x, mu)).toBeGreaterThanOrEqual(0)
      }),
      propertyRuns,
    )
  })
})

describe("regularizedIncompleteBeta", () => {
  it("matches R pbeta in both tails, including tails of 1e-150 and b = 5e4", () => {
    const { cases } = fixture.pbeta
    expect(cases.length).toBeGreaterThan(250)
    expectAllClose(
      cases,
      (c) => regularizedIncompleteBeta(c.x, c.a, c.b, c.lower),
      (c) => c.value,
      tolerance.distribution,
      fixture.pbeta.call,
    )
  })

  it("gives the documented example", () => {
    expect(regularizedIncompleteBeta(0.2, 2, 3)).toBe(0.18080000000000004)
  })

  it("satisfies the reflection I_x(a, b) = 1 − I_{1−x}(b, a)", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 0.999, noNaN: true }), shape, shape, (x, a, b) => {
        const lower = regularizedIncompleteBeta(x, a, b)
        const reflected = regularizedIncompleteBeta(1 - x, b, a, false)
        expect(Math.abs(lower - reflected)).toBeLessThanOrEqual(1e-13)
      }),
      propertyRuns,
    )
  })

  it("handles the end points and rejects invalid arguments", () => {
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0)
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1)
    expect(regularizedIncompleteBeta(0, 2, 3, false)).toBe(1)
    expect(regularizedIncompleteBeta(0.5, 0, 3)).toBeNaN()
    expect(regularizedIncompleteBeta(1.5, 2, 3)).toBeNaN()
  })
})

describe("regularizedGammaP", () => {
  it("matches R pgamma (lower tail)", () => {
    const cases = fixture.pgamma.cases.filter((c) => c.lower)
    expectAllClose(cases, (c) => regularizedGammaP(c.a, c.x), (c) => c.value, tolerance.distribution, fixture.pgamma.call)
  })

  it("gives the documented example and P(1, x) = 1 − e^(−x)", () => {
    expect(regularizedGammaP(2.5, 3)).toBe(0.6937810815867218)
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 50, noNaN: true }), (x) => {
        expectClose(regularizedGammaP(1, x), -Math.expm1(-x), 1e-13, `x = ${x}`)
      }),
      propertyRuns,
    )
  })
})

describe("regularizedGammaQ", () => {
  it("matches R pgamma(lower.tail = FALSE), down to 1e-298", () => {
    const cases = fixture.pgamma.cases.filter((c) => !c.lower)
    expectAllClose(cases, (c) => regularizedGammaQ(c.a, c.x), (c) => c.value, tolerance.distribution, fixture.pgamma.call)
  })

  it("gives the documented example and Q(1, x) = e^(−x)", () => {
    expect(regularizedGammaQ(0.5, 50)).toBe(1.5239706048321024e-23)
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 700, noNaN: true }), (x) => {
        expectClose(regularizedGammaQ(1, x), Math.exp(-x), 1e-12, `x = ${x}`)
      }),
      propertyRuns,
    )
  })

  it("is complementary to P and handles x ≤ 0", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e4, noNaN: true }), shape, (x, a) => {
        expect(Math.abs(regularizedGammaP(a, x) + regularizedGammaQ(a, x) - 1)).toBeLessThanOrEqual(4 * Number.EPSILON)
      }),
      propertyRuns,
    )
    expect(regularizedGammaQ(2, 0)).toBe(1)
    expect(regularizedGammaQ(0, 2)).toBeNaN()
  })
})
