/**
 * CR2 cluster-robust inference for the three-level model against clubSandwich's coef_test,
 * conf_int and vcovCR, and metafor's robust(clubSandwich = TRUE) (test/reference/three-level.R).
 * Downstream of σ², so iterative tolerances; interval bounds on the scale of their standard error.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { cr2ThreeLevel } from "../../../src/stats/meta-analysis/cr2.ts"
import { rmaThreeLevel, type ThreeLevelResult } from "../../../src/stats/meta-analysis/three-level.ts"
import type { NotEstimable } from "../../../src/stats/types.ts"
import { relativeError, tolerance } from "../../tolerances.ts"
import { designOf, expectAllClose, expectTable, fixture } from "./three-level-fixture.ts"

const estimated = (r: ThreeLevelResult | NotEstimable): ThreeLevelResult => {
  if (r.status !== "estimated") throw new Error(r.reason)
  return r
}

const cases = Object.entries(fixture.datasets).flatMap(([name, d]) =>
  d.fits.filter((f) => f.test === "z").map((f) => ({ d, f, label: `${name} ${f.design} ${f.method}` })),
)

const fitOf = ({ d, f }: (typeof cases)[number]) => {
  const { x, names } = designOf(d, f.design)
  return estimated(rmaThreeLevel({ yi: d.yi, vi: d.vi, study: d.study, x, names }, { method: f.method, test: f.test }))
}

describe("cr2ThreeLevel", () => {
  it.each(cases)("matches clubSandwich's CR2 coef_test, conf_int and vcovCR for $label", (c) => {
    const fit = fitOf(c)
    const r = cr2ThreeLevel(fit)
    expectAllClose(r.vcov, c.f.cr2.vcov!, tolerance.iterative, "CR2 vcov")
    expectTable(r.coefficients, c.f.cr2, tolerance.iterative)
    expect(r.clusters).toBe(new Set(c.d.study).size)
    r.coefficients.forEach((coef, j) => expect(coef.estimate).toBe(fit.coefficients[j]!.estimate))
  })

  it.each(cases.filter((c) => c.f.method === "REML"))("matches metafor's robust(clubSandwich = TRUE) for $label", (c) => {
    const ref = c.f.robust
    if (typeof ref === "number") throw new Error("the fixture has no robust() result for this fit")
    const r = cr2ThreeLevel(fitOf(c))
    expectTable(r.coefficients, ref, tolerance.iterative)
    // with one tested coefficient robust()'s Wald test (HTZ) is the Satterthwaite t test squared
    const tested = r.coefficients.length === 1 ? r.coefficients[0]! : r.coefficients.length === 2 ? r.coefficients[1]! : null
    if (tested !== null) {
      expect(relativeError(tested.statistic ** 2, ref.QM!)).toBeLessThanOrEqual(tolerance.iterative)
      expect(relativeError(tested.df, ref.QMdf![1]!)).toBeLessThanOrEqual(tolerance.iterative)
      expect(relativeError(tested.p, ref.QMp!)).toBeLessThanOrEqual(tolerance.iterative)
    }
  })

  it("gives the same robust tests whatever the order of the effects", () => {
    const d = fixture.datasets["assink2016"]!
    const fit = estimated(rmaThreeLevel({ yi: d.yi, vi: d.vi, study: d.study }))
    const base = cr2ThreeLevel(fit).coefficients[0]!
    fc.assert(
      fc.property(fc.shuffledSubarray([...d.yi.keys()], { minLength: d.yi.length }), (order) => {
        const refit = estimated(rmaThreeLevel({ yi: order.map((i) => d.yi[i]!), vi: order.map((i) => d.vi[i]!), study: order.map((i) => d.study[i]!) }))
        const r = cr2ThreeLevel(refit).coefficients[0]!
        return relativeError(r.se, base.se) < 1e-9 && relativeError(r.df, base.df) < 1e-9
      }),
      { numRuns: 20, seed: 3 },
    )
  })

  it("throws when given sampling variances of another length than the fit's", () => {
    const d = fixture.datasets["konstantopoulos2011"]!
    const fit = estimated(rmaThreeLevel({ yi: d.yi, vi: d.vi, study: d.study }))
    expect(() => cr2ThreeLevel(fit, d.vi.slice(1))).toThrow(RangeError)
  })
})
