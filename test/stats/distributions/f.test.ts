import { describe, expect, it } from "vitest"
import { fisherFCdf, fisherFQuantile } from "../../../src/stats/distributions/f.ts"
import { relativeError, tolerance } from "../../tolerances.ts"
import { expectAllClose } from "../compare.ts"
import { fixture } from "./fixture.ts"

// R 4.2: sprintf("%.17g", c(pf(x, df1, df2), pf(x, df1, df2, lower.tail = FALSE)))
const cases = [
  [3.2, 2, 17, 0.93385743333357862, 0.066142566666421362],
  [0.5, 1, 5, 0.48891591956971919, 0.51108408043028075],
  [25, 3, 100, 0.99999999999624289, 3.757126909092299e-12],
  [0.001, 4, 4, 2.9920149760349516e-6, 0.999997007985024],
  [80, 1, 2, 0.98772959664958959, 0.012270403350410394],
  [7.5, 5.5, 12.25, 0.99827722366080629, 0.0017227763391937281],
] as const

describe("fisherFCdf", () => {
  it.each(cases)("matches R pf(%d, %d, %d) in both tails", (x, df1, df2, lower, upper) => {
    expect(relativeError(fisherFCdf(x, df1, df2), lower)).toBeLessThanOrEqual(tolerance.distribution)
    expect(relativeError(fisherFCdf(x, df1, df2, false), upper)).toBeLessThanOrEqual(tolerance.distribution)
  })

  it("is 0 at and below 0, 1 at infinity, NaN for invalid degrees of freedom", () => {
    expect([fisherFCdf(0, 2, 3), fisherFCdf(-1, 2, 3), fisherFCdf(Infinity, 2, 3)]).toEqual([0, 0, 1])
    expect(fisherFCdf(1, 0, 3)).toBeNaN()
  })
})

describe("fisherFQuantile", () => {
  it("matches R qf in both tails, for degrees of freedom from 1 to 30,000", () => {
    const { cases, call } = fixture.qf
    expectAllClose(cases, (c) => fisherFQuantile(c.p, c.df1, c.df2, c.lower), (c) => c.value, tolerance.distribution, call)
  })

  it("agrees with the closed forms in the far lower tail, where R's qf (through qbeta) is off", () => {
    // F(1, 1): P(F ≤ x) = (2/π)·atan(√x), so x = tan²(πp/2); F(2, d): P(F ≤ x) = 1 − (1 + 2x/d)^(−d/2)
    for (const p of [1e-12, 1e-10, 1e-4]) {
      expect(relativeError(fisherFQuantile(p, 1, 1), Math.tan((Math.PI * p) / 2) ** 2)).toBeLessThan(1e-12)
      expect(relativeError(fisherFQuantile(p, 2, 17), (17 / 2) * Math.expm1((-2 / 17) * Math.log1p(-p)))).toBeLessThan(1e-12)
    }
  })

  it("inverts fisherFCdf", () => {
    for (const [df1, df2] of [[3, 40], [0.7, 2.5], [200, 9]] as const) {
      for (const p of [1e-8, 0.3, 0.5, 0.9, 1 - 1e-9]) expect(relativeError(fisherFCdf(fisherFQuantile(p, df1, df2), df1, df2), p)).toBeLessThan(1e-12)
    }
  })
})
