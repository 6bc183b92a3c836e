/**
 * The three-level model against metafor::rma.mv (test/reference/three-level.R): dat.konstantopoulos2011
 * and dat.assink2016, REML and ML, z and t, intercept-only, a continuous moderator, a categorical
 * one and the standard error; the limits where it meets rma.uni; properties of the fit.
 *
 * Tolerances: σ² and everything computed from them are iterative (1e-6). metafor's optimiser
 * works on ℓ alone and resolves σ² to ~1e-7 relative (√ε of ℓ's curvature); this fit reaches the
 * stationary point, which the limit cases confirm to ~1e-13 against rma.uni. QE depends on the data
 * alone and is a closed form. Interval bounds are compared on the scale of their standard error.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { predictThreeLevel, rmaThreeLevel, type ThreeLevelResult } from "../../../src/stats/meta-analysis/three-level.ts"
import { matrixFromRows } from "../../../src/stats/numeric/matrix.ts"
import { normal, uniform } from "../../../src/stats/random/distributions.ts"
import { createRng } from "../../../src/stats/random/xoshiro.ts"
import type { NotEstimable } from "../../../src/stats/types.ts"
import { relativeError, tolerance } from "../../tolerances.ts"
import { designOf, expectAllClose, expectTable, fixture } from "./three-level-fixture.ts"

const estimated = (r: ThreeLevelResult | NotEstimable): ThreeLevelResult => {
  if (r.status !== "estimated") throw new Error(r.reason)
  return r
}

const cases = Object.entries(fixture.datasets).flatMap(([name, d]) =>
  d.fits.map((f) => ({ d, f, label: `${name} ${f.design} ${f.method}/${f.test}` })),
)

describe("rmaThreeLevel", () => {
  it.each(cases)("matches rma.mv for $label", ({ d, f }) => {
    const { x, names } = designOf(d, f.design)
    const r = estimated(rmaThreeLevel({ yi: d.yi, vi: d.vi, study: d.study, x, names }, { method: f.method, test: f.test }))
    const tol = tolerance.iterative
    expect(r.coefficients.map((c) => c.name)).toEqual(names)
    expect([r.k, r.p, r.studies]).toEqual([d.yi.length, names.length, new Set(d.study).size])
    expectAllClose(r.sigma2, f.sigma2, tol, "sigma2")
    expectAllClose(r.coefficients.map((c) => c.estimate), f.estimate, tol, "estimate")
    expectTable(r.coefficients, { se: f.se, statistic: f.statistic, p: f.p, ciLb: f.ciLb, ciUb: f.ciUb }, tol)
    expectAllClose(r.vcov, f.vcov, tol, "vcov")
    expect(r.df).toBe(f.test === "t" ? f.df : null)
    expectAllClose([r.logLik, r.deviance, r.aic, r.bic, r.aicc], [f.logLik, f.deviance, f.AIC, f.BIC, f.AICc], tol, "logLik, deviance, AIC, BIC, AICc")
    expectAllClose([r.qe, r.qeP], [f.QE, f.QEp], tolerance.closedForm, "QE, QEp")
    expect(r.qeDf).toBe(d.yi.length - names.length)
    expectAllClose([r.qm, r.qmP], [f.QM, f.QMp], tol, "QM, QMp")
    expect(r.qmDf[0]).toBe(f.QMdf[0])
    if (f.test === "t") expect(r.qmDf[1]).toBe(f.QMdf[1])
    else expect(r.qmDf[1]).toBeNull()
    expectAllClose(r.i2, f.I2, tol, "I2 by level")
    expect(relativeError(r.i2Total, f.I2[0]! + f.I2[1]!)).toBeLessThanOrEqual(tol)
    if (f.design === "intercept") expectAllClose(r.pi, [f.predict.piLb[0]!, f.predict.piUb[0]!], tol, "PI", f.se[0])
  })

  describe("at its limits (where it meets rma.uni)", () => {
    const fit = (name: string, method: string) => {
      const l = fixture.limits.find((x) => x.name === name && x.method === method)!
      return { l, r: estimated(rmaThreeLevel({ yi: l.yi, vi: l.vi, study: l.study }, { method: l.method })) }
    }

    it.each(["REML", "ML"])("gives σ²₁ + σ²₂ = rma.uni's τ² (%s) when every study has one effect (the split is not identified)", (method) => {
      const { l, r } = fit("single-effect", method)
      expect(relativeError(r.sigma2[0] + r.sigma2[1], l.uniTau2)).toBeLessThanOrEqual(tolerance.iterative)
      expectAllClose([r.coefficients[0]!.estimate, r.coefficients[0]!.se], [l.uniEstimate, l.uniSe], tolerance.iterative, "estimate, se")
      // rma.mv finds the same sum
      expect(relativeError(r.sigma2[0] + r.sigma2[1], l.mvSigma2[0]! + l.mvSigma2[1]!)).toBeLessThanOrEqual(tolerance.iterative)
    })

    it("stops at σ²₁ = 0 when the studies' effects do not differ beyond their own spread, and is then rma.uni", () => {
      const { l, r } = fit("boundary-between", "REML")
      expect(r.sigma2[0]).toBe(0)
      expect(l.mvSigma2[0]! / l.mvSigma2[1]!).toBeLessThan(1e-6) // rma.mv stops near, not at, 0
      expect(relativeError(r.sigma2[1], l.uniTau2)).toBeLessThanOrEqual(tolerance.iterative)
      expectAllClose([r.coefficients[0]!.estimate, r.coefficients[0]!.se], [l.uniEstimate, l.uniSe], tolerance.iterative, "estimate, se")
      expect(r.i2[0]).toBe(0)
    })

    it.each(["REML", "ML"])("stops at σ²₂ = 0 (%s) when effects agree within studies, and is then rma.uni on the study means", (method) => {
      const { l, r } = fit("boundary-within", method)
      expect(r.sigma2[1]).toBe(0)
      expect(l.mvSigma2[1]! / l.mvSigma2[0]!).toBeLessThan(1e-6)
      expect(relativeError(r.sigma2[0], l.uniTau2)).toBeLessThanOrEqual(tolerance.iterative)
      expectAllClose([r.coefficients[0]!.estimate, r.coefficients[0]!.se], [l.uniEstimate, l.uniSe], tolerance.iterative, "estimate, se")
    })

    it("gives σ² = 0 at both levels and the equal-effects estimate for homogeneous effects", () => {
      const yi = [0.2, 0.21, 0.19, 0.2, 0.205, 0.195]
      const vi = [0.02, 0.02, 0.03, 0.02, 0.025, 0.02]
      const r = estimated(rmaThreeLevel({ yi, vi, study: ["a", "a", "b", "b", "c", "c"] }))
      expect(r.sigma2).toEqual([0, 0])
      const w = vi.map((v) => 1 / v)
      const mean = yi.reduce((s, y, i) => s + w[i]! * y, 0) / w.reduce((s, x) => s + x, 0)
      expect(relativeError(r.coefficients[0]!.estimate, mean)).toBeLessThan(1e-12)
    })
  })

  it("is not estimable with a single study, too few effects, a non-positive variance or redundant moderators", () => {
    const vi = [0.01, 0.02, 0.01, 0.02]
    expect(rmaThreeLevel({ yi: [0.1, 0.2, 0.3, 0.4], vi, study: ["a", "a", "a", "a"] })).toMatchObject({ status: "not_estimable" })
    expect(rmaThreeLevel({ yi: [0.1, 0.2], vi: [0.01, 0.01], study: ["a", "b"] })).toMatchObject({ status: "not_estimable" })
    expect(rmaThreeLevel({ yi: [0.1, 0.2, 0.3, 0.4], vi: [0.01, 0, 0.01, 0.02], study: ["a", "a", "b", "b"] })).toMatchObject({ status: "not_estimable" })
    const collinear = matrixFromRows([[1, 1, 2], [1, 2, 4], [1, 3, 6], [1, 4, 8], [1, 5, 10]])
    expect(rmaThreeLevel({ yi: [0.1, 0.2, 0.3, 0.4, 0.5], vi: [...vi, 0.01], study: ["a", "a", "b", "b", "c"], x: collinear })).toMatchObject({ status: "not_estimable" })
  })

  it("throws on a caller error: level outside (0, 1), or labels and rows that do not match the effects", () => {
    const input = { yi: [0.1, 0.2, 0.3], vi: [0.01, 0.01, 0.01], study: ["a", "a", "b"] }
    expect(() => rmaThreeLevel(input, { level: 1 })).toThrow(RangeError)
    expect(() => rmaThreeLevel({ ...input, study: ["a", "b"] })).toThrow(RangeError)
    expect(() => rmaThreeLevel({ ...input, x: matrixFromRows([[1], [1]]) })).toThrow(RangeError)
  })

  it("fits 5,000 effects in 1,000 studies, recovering the variances it was simulated with", () => {
    const rng = createRng(20240611)
    const yi: number[] = []
    const vi: number[] = []
    const study: string[] = []
    for (let s = 0; s < 1000; s++) {
      const u = normal(rng, 0, Math.sqrt(0.04))
      for (let e = 0; e < 5; e++) {
        const v = uniform(rng, 0.005, 0.05)
        yi.push(0.3 + u + normal(rng, 0, Math.sqrt(0.02)) + normal(rng, 0, Math.sqrt(v)))
        vi.push(v)
        study.push(`s${s}`)
      }
    }
    const r = estimated(rmaThreeLevel({ yi, vi, study }))
    expect(r.sigma2[0]).toBeGreaterThan(0.04 * 0.8)
    expect(r.sigma2[0]).toBeLessThan(0.04 * 1.2)
    expect(r.sigma2[1]).toBeGreaterThan(0.02 * 0.8)
    expect(r.sigma2[1]).toBeLessThan(0.02 * 1.2)
    expect(Math.abs(r.coefficients[0]!.estimate - 0.3)).toBeLessThan(3 * r.coefficients[0]!.se)
  })

  describe("properties", () => {
    const options = { numRuns: 60, seed: 7 }
    // 2 to 7 studies of 1 to 4 effects each
    const data = fc
      .array(fc.array(fc.record({ yi: fc.double({ min: -1, max: 1, noNaN: true }), vi: fc.double({ min: 0.005, max: 0.2, noNaN: true }) }), { minLength: 1, maxLength: 4 }), { minLength: 2, maxLength: 7 })
      .filter((studies) => studies.flat().length >= 4)
      .map((studies) => ({
        yi: studies.flatMap((s) => s.map((e) => e.yi)),
        vi: studies.flatMap((s) => s.map((e) => e.vi)),
        study: studies.flatMap((s, j) => s.map(() => `study ${j}`)),
      }))
    const method = fc.constantFrom("REML" as const, "ML" as const)
    const close = (a: number, b: number, scale: number) => Math.abs(a - b) <= 1e-7 * scale

    it("keeps σ² ≥ 0 and I² by level in [0, 100], with a CI around the estimate and a PI around the CI", () => {
      fc.assert(
        fc.property(data, method, (d, m) => {
          const r = estimated(rmaThreeLevel(d, { method: m }))
          const c = r.coefficients[0]!
          return r.sigma2.every((s) => s >= 0) && r.i2.every((i) => i >= 0) && r.i2Total <= 100 && c.ci[0] <= c.estimate && c.estimate <= c.ci[1] && r.pi[0] <= c.ci[0] && c.ci[1] <= r.pi[1]
        }),
        options,
      )
    })

    it("gives the same fit whatever the order of the effects", () => {
      const shuffled = data.chain((d) => fc.tuple(fc.constant(d), fc.shuffledSubarray([...d.yi.keys()], { minLength: d.yi.length })))
      fc.assert(
        fc.property(shuffled, method, ([d, order], m) => {
          const a = estimated(rmaThreeLevel(d, { method: m }))
          const b = estimated(rmaThreeLevel({ yi: order.map((i) => d.yi[i]!), vi: order.map((i) => d.vi[i]!), study: order.map((i) => d.study[i]!) }, { method: m }))
          const scale = 1 + a.sigma2[0] + a.sigma2[1]
          return close(a.coefficients[0]!.estimate, b.coefficients[0]!.estimate, 1) && close(a.sigma2[0], b.sigma2[0], scale) && close(a.sigma2[1], b.sigma2[1], scale)
        }),
        options,
      )
    })

    it("is equivariant: yi·a + b and vi·a² give estimate·a + b, se·a, σ²·a² and the same z and I²", () => {
      fc.assert(
        fc.property(data, method, fc.double({ min: 0.2, max: 5, noNaN: true }), fc.double({ min: -2, max: 2, noNaN: true }), (d, m, a, b) => {
          const r = estimated(rmaThreeLevel(d, { method: m }))
          const s = estimated(rmaThreeLevel({ yi: d.yi.map((y) => a * y + b), vi: d.vi.map((v) => a * a * v), study: d.study }, { method: m }))
          const [c, t] = [r.coefficients[0]!, s.coefficients[0]!]
          const scale = a * a * (1 + r.sigma2[0] + r.sigma2[1])
          return close(t.estimate, a * c.estimate + b, 1 + Math.abs(b)) && close(t.se, a * c.se, a) && close(s.sigma2[0], a * a * r.sigma2[0], scale) && close(s.sigma2[1], a * a * r.sigma2[1], scale) && Math.abs(s.i2Total - r.i2Total) <= 1e-5
        }),
        options,
      )
    })
  })
})

describe("predictThreeLevel", () => {
  it.each(cases)("matches predict() for $label", ({ d, f }) => {
    const { x, names } = designOf(d, f.design)
    const r = estimated(rmaThreeLevel({ yi: d.yi, vi: d.vi, study: d.study, x, names }, { method: f.method, test: f.test }))
    const rows = predictThreeLevel(r)
    const tol = tolerance.iterative
    const spread = f.predict.se.map((se) => Math.sqrt(se * se + f.sigma2[0]! + f.sigma2[1]!))
    expectAllClose(rows.map((q) => q.estimate), f.predict.pred, tol, "pred")
    expectAllClose(rows.map((q) => q.se), f.predict.se, tol, "se")
    expectAllClose(rows.map((q) => q.ci[0]), f.predict.ciLb, tol, "ci.lb", f.predict.se)
    expectAllClose(rows.map((q) => q.ci[1]), f.predict.ciUb, tol, "ci.ub", f.predict.se)
    expectAllClose(rows.map((q) => q.pi[0]), f.predict.piLb, tol, "pi.lb", spread)
    expectAllClose(rows.map((q) => q.pi[1]), f.predict.piUb, tol, "pi.ub", spread)
  })

  it("predicts at given rows and refuses rows of the wrong width", () => {
    const d = fixture.datasets["konstantopoulos2011"]!
    const { x } = designOf(d, "year")
    const r = estimated(rmaThreeLevel({ yi: d.yi, vi: d.vi, study: d.study, x }))
    const [a, b] = r.coefficients.map((c) => c.estimate) as [number, number]
    expect(predictThreeLevel(r, matrixFromRows([[1, 1990]]))[0]!.estimate).toBeCloseTo(a + 1990 * b, 10)
    expect(() => predictThreeLevel(r, matrixFromRows([[1]]))).toThrow(RangeError)
  })
})
