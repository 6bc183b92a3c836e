/**
 * The linear mixed model against lme4::lmer + lmerTest (test/reference/mixed-models.R): random
 * intercepts, a correlated random slope (sleepstudy), a singular fit (Dyestuff2), two nested factors
 * (Pastes; therapist/client) and three (site/therapist/client, with a therapist variance at 0).
 *
 * Tolerances: issue 5 asks for 1e-5 relative on fixed effects, SEs, variance components and the
 * criterion, 1e-3 on Satterthwaite df; both sides stop on convergence rules, so the test holds them
 * to 1e-6 (tolerance.iterative) and the df to 1e-5 (lmerTest's own numerical derivatives agree
 * with exact values to about 1e-8, as 161.0000008 for an exact 161 shows).
 */
import { describe, expect, it } from "vitest"
import { summarise } from "../../../src/stats/mixed-models/design.ts"
import { fitMixedModel } from "../../../src/stats/mixed-models/lmm.ts"
import { readFixture } from "../../reference/read-fixture.ts"
import { relativeError, tolerance } from "../../tolerances.ts"

interface Fit {
  reml: boolean
  formula: string
  estimate: number[]
  se: number[]
  df: number[]
  statistic: number[]
  p: number[]
  contrast: { weights: number[]; estimate: number; se: number; df: number; statistic: number; p: number }
  components: { name: string; variances: number[]; correlation?: number | null }[]
  residualVariance: number
  theta: number[]
  criterion: number
  logLik: number
  aic: number
  bic: number
  singular: boolean
  modes: Record<string, number>[][]
  outerVariance: Record<string, number>
}
interface Case {
  y: number[]
  x: number[][]
  levels: { name: string; labels: string[]; terms: number[] }[]
  fits: Fit[]
}
const fixture = readFixture<{ cases: Record<string, Case> }>("mixed-models")

const close = (actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, limit: number = tolerance.iterative, floor = 1e-8) => {
  expect(actual.length, what).toBe(expected.length)
  for (let i = 0; i < expected.length; i++) {
    expect(relativeError(actual[i]!, expected[i]!, floor), `${what}[${i}]: ${actual[i]} vs R ${expected[i]}`).toBeLessThanOrEqual(limit)
  }
}

for (const [name, c] of Object.entries(fixture.cases)) {
  describe(`fitMixedModel on ${name}`, () => {
    const factors = c.levels.map((l) => {
      const labels = [...new Set(l.labels)]
      const index = new Map(labels.map((label, i) => [label, i]))
      return { labels, factor: { name: l.name, codes: Int32Array.from(l.labels, (label) => index.get(label)!), levels: labels.length, terms: l.terms } }
    })
    const summary = summarise({
      y: c.y,
      columns: c.x,
      names: ["(Intercept)", ...c.x.map((_, j) => `x${j + 1}`)],
      factors: factors.map((f) => f.factor),
    })
    for (const f of c.fits) {
      const fit = fitMixedModel(summary, { method: f.reml ? "REML" : "ML" })
      it(`matches ${f.formula}, REML = ${f.reml}, with lmerTest's Satterthwaite df`, () => {
        if (fit.status !== "estimated") throw new Error(fit.reason)
        close(fit.coefficients.map((k) => k.estimate), f.estimate, "estimate")
        close(fit.coefficients.map((k) => k.se), f.se, "se")
        close(fit.coefficients.map((k) => k.statistic), f.statistic, "t")
        close([fit.criterion, fit.residualVariance, fit.logLik, fit.aic, fit.bic], [f.criterion, f.residualVariance, f.logLik, f.aic, f.bic], "criterion, σ², logLik, AIC, BIC")
        expect(fit.singular).toBe(f.singular)
        fit.components.forEach((component, k) => {
          // a variance R leaves at ~1e-13 on the boundary is exactly 0 here
          close(component.variances, f.components[k]!.variances, `${component.factor} variances`, tolerance.iterative, 1e-6 * f.residualVariance)
          const r = f.components[k]!.correlation
          if (r !== undefined && r !== null && Number.isFinite(r)) close([component.correlation ?? Number.NaN], [r], "correlation")
        })
        close(fit.coefficients.map((k) => k.df), f.df, "Satterthwaite df", 1e-5)
        close(fit.coefficients.map((k) => Math.log(k.p)), f.p.map(Math.log), "log p", 1e-5)
        const contrast = fit.contrast("contrast", f.contrast.weights)
        close([contrast.estimate, contrast.se, contrast.statistic], [f.contrast.estimate, f.contrast.se, f.contrast.statistic], "contrast")
        close([contrast.df, Math.log(contrast.p)], [f.contrast.df, Math.log(f.contrast.p)], "contrast df, log p", 1e-5)
      })
      it(`gives lme4's conditional modes and condVar (${f.formula}, REML = ${f.reml})`, () => {
        if (fit.status !== "estimated") throw new Error(fit.reason)
        const scale = Math.sqrt(f.residualVariance)
        fit.modes().forEach((level, k) => {
          const labels = factors[k]!.labels
          const codes = summary.levels[k]!.codes
          const q = summary.levels[k]!.terms.length
          for (let t = 0; t < q; t++) {
            // relative to the random effect's own SD (a mode near 0 is compared on that scale)
            const sd = Math.max(Math.sqrt(f.components[k]!.variances[t]!), 1e-3 * scale)
            const expected = Array.from(codes, (code) => f.modes[k]![t]![labels[code]!]!)
            close(Array.from(codes, (_, g) => level.modes[g * q + t]!), expected, `${c.levels[k]!.name} modes, term ${t}`, tolerance.iterative, sd)
          }
          if (k === 0) {
            const expected = Array.from(codes, (code) => f.outerVariance[labels[code]!]!)
            close(Array.from(codes, (_, g) => level.variances![g * q * q]!), expected, "condVar", tolerance.iterative, 1e-6 * f.residualVariance)
          }
        })
      })
    }
  })
}
