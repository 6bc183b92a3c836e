/**
 * The three-level model and its CR2 inference against metafor::rma.mv and clubSandwich
 * (test/reference/three-level.R): dat.konstantopoulos2011 and dat.assink2016, REML and ML, z and
 * t, intercept-only, a continuous moderator, and the standard error as moderator (multilevel Egger).
 */
import { describe, expect, it } from "vitest"
import { cr2ThreeLevel } from "../../../src/stats/meta-analysis/cr2.ts"
import { rmaThreeLevel, type ThreeLevelMethod, type ThreeLevelTest } from "../../../src/stats/meta-analysis/three-level.ts"
import { rmaUni } from "../../../src/stats/meta-analysis/rma-uni.ts"
import { inverseSquareRoot, matrixFromRows, symmetricEigen } from "../../../src/stats/numeric/matrix.ts"
import { readFixture } from "../../reference/read-fixture.ts"
import { relativeError, tolerance } from "../../tolerances.ts"

interface Fit {
  method: ThreeLevelMethod
  test: ThreeLevelTest
  mods: string
  estimate: number[]
  se: number[]
  statistic: number[]
  p: number[]
  ciLb: number[]
  ciUb: number[]
  vcov: number[]
  sigma2: number[]
  logLik: number
  QE: number
  QEp: number
  I2: number[]
  pi: number[] | null
  cr2: { se: number[]; statistic: number[]; df: number[]; p: number[]; ciLb: number[]; ciUb: number[]; vcov: number[] }
}
interface Dataset {
  study: string[]
  yi: number[]
  vi: number[]
  moderator: number[]
  fits: Fit[]
}
const fixture = readFixture<{ datasets: Record<string, Dataset> }>("three-level")

const close = (actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, tol = tolerance.iterative) => {
  expect(actual.length, what).toBe(expected.length)
  for (let i = 0; i < expected.length; i++) {
    expect(relativeError(actual[i]!, expected[i]!, 1e-10), `${what}[${i}]: ${actual[i]} vs R ${expected[i]}`).toBeLessThanOrEqual(tol)
  }
}

for (const [name, d] of Object.entries(fixture.datasets)) {
  describe(`rmaThreeLevel on ${name}`, () => {
    for (const f of d.fits) {
      it(`matches rma.mv(mods = ${f.mods}, method = "${f.method}", test = "${f.test}") and CR2`, () => {
        const x =
          f.mods === "none"
            ? undefined
            : matrixFromRows(d.yi.map((_, i) => [1, f.mods.includes("sqrt") ? Math.sqrt(d.vi[i]!) : d.moderator[i]!]))
        const fit = rmaThreeLevel({ yi: d.yi, vi: d.vi, study: d.study, ...(x === undefined ? {} : { x }) }, { method: f.method, test: f.test })
        if (fit.status !== "estimated") throw new Error(fit.reason)
        close(fit.coefficients.map((c) => c.estimate), f.estimate, "estimate")
        close(fit.coefficients.map((c) => c.se), f.se, "se")
        close(fit.coefficients.map((c) => c.statistic), f.statistic, "statistic")
        close(fit.coefficients.map((c) => c.p), f.p, "p")
        close(fit.coefficients.map((c) => c.ci[0]), f.ciLb, "ci.lb")
        close(fit.coefficients.map((c) => c.ci[1]), f.ciUb, "ci.ub")
        close(fit.vcov, f.vcov, "vcov") // symmetric, so row- and column-major agree
        close(fit.sigma2, f.sigma2, "sigma2")
        close([fit.logLik, fit.qe, fit.qeP], [f.logLik, f.QE, f.QEp], "logLik, QE, QEp")
        close(fit.i2, f.I2, "I2 by level")
        if (Array.isArray(f.pi)) close(fit.pi, f.pi, "PI") // null (read as NaN) for models with moderators
        expect(fit.df).toBe(f.test === "t" ? d.yi.length - fit.p : null)

        const robust = cr2ThreeLevel(fit, d.vi)
        close(robust.vcov, f.cr2.vcov, "CR2 vcov")
        close(robust.coefficients.map((c) => c.se), f.cr2.se, "CR2 se")
        close(robust.coefficients.map((c) => c.statistic), f.cr2.statistic, "CR2 t")
        close(robust.coefficients.map((c) => c.df), f.cr2.df, "Satterthwaite df")
        close(robust.coefficients.map((c) => c.p), f.cr2.p, "CR2 p")
        close(robust.coefficients.map((c) => c.ci[0]), f.cr2.ciLb, "CR2 CI lower")
        close(robust.coefficients.map((c) => c.ci[1]), f.cr2.ciUb, "CR2 CI upper")
      })
    }
  })
}

describe("rmaThreeLevel edge cases", () => {
  it("with one effect per study, σ²₃ + σ²₂ is the two-level REML τ² (the split is not identified)", () => {
    const yi = [0.1, 0.35, 0.5, 0.2, 0.42, -0.05, 0.3]
    const vi = [0.01, 0.02, 0.015, 0.01, 0.03, 0.02, 0.012]
    const three = rmaThreeLevel({ yi, vi, study: yi.map((_, i) => `s${i}`) })
    if (three.status !== "estimated") throw new Error(three.reason)
    // R: rma(yi, vi, control = list(threshold = 1e-14))$tau2 (metafor's default threshold 1e-5
    // stops at 0.0172200554622369, short of the optimum)
    expect(relativeError(three.sigma2[0] + three.sigma2[1], 0.0172198955546001)).toBeLessThan(1e-9)
    const two = rmaUni(yi, vi)
    if (two.status !== "estimated") throw new Error(two.reason)
    expect(relativeError(three.coefficients[0]!.estimate, two.estimate)).toBeLessThan(1e-6)
  })

  it("stops at the boundary: homogeneous effects give σ² = 0 at both levels and the equal-effects estimate", () => {
    const yi = [0.2, 0.21, 0.19, 0.2, 0.205, 0.195]
    const vi = [0.02, 0.02, 0.03, 0.02, 0.025, 0.02]
    const fit = rmaThreeLevel({ yi, vi, study: ["a", "a", "b", "b", "c", "c"] })
    if (fit.status !== "estimated") throw new Error(fit.reason)
    expect(fit.sigma2).toEqual([0, 0])
    const w = vi.map((v) => 1 / v)
    const fixed = yi.reduce((s, y, i) => s + w[i]! * y, 0) / w.reduce((s, x) => s + x, 0)
    expect(relativeError(fit.coefficients[0]!.estimate, fixed)).toBeLessThan(1e-12)
  })

  it("is not estimable with a single study or too few effects", () => {
    expect(rmaThreeLevel({ yi: [0.1, 0.2, 0.3], vi: [0.01, 0.01, 0.01], study: ["a", "a", "a"] })).toMatchObject({ status: "not_estimable" })
    expect(rmaThreeLevel({ yi: [0.1, 0.2], vi: [0.01, 0.01], study: ["a", "b"] })).toMatchObject({ status: "not_estimable" })
  })
})

describe("symmetricEigen and inverseSquareRoot", () => {
  it("decomposes a symmetric matrix (closed form for 2 × 2) and A^(−1/2)·A·A^(−1/2) = I", () => {
    const a = matrixFromRows([[2, 1], [1, 2]])
    const { values } = symmetricEigen(a)
    expect([...values].sort()).toEqual([1, 3].map((v) => expect.closeTo(v, 12)))
    const b = matrixFromRows([[4, 1, 0.5], [1, 3, 0.2], [0.5, 0.2, 2]])
    const r = inverseSquareRoot(b).data
    const prod = (x: ArrayLike<number>, y: ArrayLike<number>) => Float64Array.from({ length: 9 }, (_, k) => [0, 1, 2].reduce((s, j) => s + x[Math.floor(k / 3) * 3 + j]! * y[j * 3 + (k % 3)]!, 0))
    const identity = prod(prod(r, b.data), r)
    identity.forEach((v, k) => expect(v).toBeCloseTo(k % 4 === 0 ? 1 : 0, 12))
  })
})
