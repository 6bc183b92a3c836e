/**
 * The random-intercept mixed model against lme4::lmer + lmerTest (test/reference/mixed-models.R):
 * sleepstudy (REML and ML), an unbalanced sleepstudy with two covariates, and the singular
 * Dyestuff2 fit.
 */
import { describe, expect, it } from "vitest"
import { fitRandomIntercept, groupStatistics } from "../../../src/stats/mixed-models/random-intercept.ts"
import { matrixFromRows } from "../../../src/stats/numeric/matrix.ts"
import { readFixture } from "../../reference/read-fixture.ts"
import { relativeError, tolerance } from "../../tolerances.ts"

interface Fit {
  reml: boolean
  estimate: number[]
  se: number[]
  df: number[]
  statistic: number[]
  p: number[]
  groupVariance: number
  residualVariance: number
  logLik: number
  aic: number
  bic: number
  singular: boolean
  conditionalModes: number[]
}
interface Case {
  y: number[]
  x: number[][]
  group: string[]
  fits: Fit[]
}
const fixture = readFixture<{ cases: Record<string, Case> }>("mixed-models")

const close = (actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, floor = 1e-10) => {
  expect(actual.length, what).toBe(expected.length)
  for (let i = 0; i < expected.length; i++) {
    expect(relativeError(actual[i]!, expected[i]!, floor), `${what}[${i}]: ${actual[i]} vs R ${expected[i]}`).toBeLessThanOrEqual(tolerance.iterative)
  }
}

for (const [name, c] of Object.entries(fixture.cases)) {
  describe(`fitRandomIntercept on ${name}`, () => {
    const levels = [...new Set(c.group)]
    const x = matrixFromRows(c.y.map((_, i) => [1, ...c.x.map((col) => col[i]!)]))
    const stats = groupStatistics(x, c.y, c.group.map((g) => levels.indexOf(g)), levels.length)
    const names = ["(Intercept)", ...c.x.map((_, j) => `x${j + 1}`)]
    for (const f of c.fits) {
      it(`matches lmer(REML = ${f.reml}) and lmerTest's Satterthwaite df`, () => {
        const fit = fitRandomIntercept(stats, names, { method: f.reml ? "REML" : "ML" })
        if (fit.status !== "estimated") throw new Error(fit.reason)
        close(fit.coefficients.map((k) => k.estimate), f.estimate, "estimate")
        close(fit.coefficients.map((k) => k.se), f.se, "se")
        close(fit.coefficients.map((k) => k.statistic), f.statistic, "t")
        close([fit.residualVariance, fit.logLik, fit.aic, fit.bic], [f.residualVariance, f.logLik, f.aic, f.bic], "sigma², logLik, AIC, BIC")
        expect(fit.singular).toBe(f.singular)
        if (f.singular) expect(fit.groupVariance).toBe(0)
        else close([fit.groupVariance], [f.groupVariance], "group variance")
        close(fit.coefficients.map((k) => k.df), f.df, "Satterthwaite df")
        close(fit.coefficients.map((k) => Math.log(k.p)), f.p.map(Math.log), "log p")
        close(fit.conditionalModes, f.conditionalModes, "conditional modes", 1e-6)
      })
    }
  })
}

describe("fitRandomIntercept preconditions", () => {
  it("is not estimable with one group or too few rows", () => {
    const x = matrixFromRows([[1, 0], [1, 1], [1, 2]])
    expect(fitRandomIntercept(groupStatistics(x, [1, 2, 4], [0, 0, 0], 1), ["a", "b"])).toMatchObject({ status: "not_estimable" })
    expect(fitRandomIntercept(groupStatistics(x, [1, 2, 4], [0, 1, 1], 2), ["a", "b"])).toMatchObject({ status: "not_estimable" })
  })
})
