/**
 * Acceptance (issue 5): the multilevel section of results.json on the example study agrees with
 * lme4::lmer + lmerTest recomputed from the raw CSVs by test/reference/multilevel-example.R —
 * therapist ICCs (with their profile intervals), the site-adjusted nested model, the caterpillar
 * modes, the Baldwin decomposition, and the within/between session model with a client random
 * intercept (the default, run on the CSVs without a study file) and with clients nested in
 * therapists (the example's study.json asks for it).
 *
 * Tolerances: 1e-6 relative on estimates, SEs and the REML criterion, 1e-5 on variance components
 * and Satterthwaite df — the issue's 1e-5 and 1e-3. The variance components get the issue's own
 * figure because the therapist variance of the nested session model (0.3% of the residual) is fixed
 * by the data only to about 3e-6 relative: along that direction the REML criterion changes by less
 * than 1e-11 (its rounding, at 65472) between lme4's optimum and ours.
 */
import { copyFileSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import type { MixedCoefficientRecord, VarianceComponentRecord } from "../../data-schemas/multilevel-results.ts"
import { Results } from "../../data-schemas/results.ts"
import { readFixture } from "../reference/read-fixture.ts"
import { relativeError, tolerance } from "../tolerances.ts"
import { ROOT, runCli, tempDir } from "./run-cli.ts"

interface Model {
  terms: string[]
  estimate: number[]
  se: number[]
  df: number[]
  statistic: number[]
  p: number[]
  components: { source: string[]; variance: number[] }
  reml_criterion: number
  singular: boolean
  n: number
}
interface Contrast {
  estimate: number
  se: number
  df: number
  statistic: number
  p: number
}
interface Fixture {
  therapist_effects: {
    n_clients: number
    n_therapists: number
    caseload: { mean: number; median: number; min: number; max: number }
    unadjusted: Model & { icc: number; icc_ci: number[] }
    adjusted: Model & { icc: number; icc_ci: number[] }
    site_adjusted: Model
    caterpillar: { estimate: number[]; lower: number[]; upper: number[]; left_out: number }
  }
  decomposition: Model & { difference: Contrast; standardized: number[] }
  within_between: { n: number; n_clients: number; standardized_scale: number[]; client: Model & { difference: Contrast }; therapist_client: Model & { difference: Contrast } }
}
const fixture = readFixture<Fixture>("multilevel-example")
const EXAMPLE = join(ROOT, "examples", "example-study")

const close = (actual: number, expected: number, what: string, limit: number = tolerance.iterative) =>
  expect(relativeError(actual, expected, 1e-8), `${what}: ${actual} vs R ${expected}`).toBeLessThanOrEqual(limit)

/** p values on the log scale (they span hundreds of orders of magnitude); below R's smallest double both are 0. */
const closeP = (actual: number, expected: number, what: string) => {
  if (expected === 0) expect(actual, what).toBeLessThan(1e-300)
  else close(Math.log(actual), Math.log(expected), `${what} (log)`, 1e-5)
}

/** R names the nested factors "therapist_id:site_id", "client_id:therapist_id"; ours are site, therapist, client. */
const SOURCE: Record<string, string> = { site_id: "site", therapist_id: "therapist", client_id: "client", "therapist_id:site_id": "therapist", "client_id:therapist_id": "client", Residual: "residual" }

const sameModel = (fixed: ReadonlyArray<MixedCoefficientRecord>, components: ReadonlyArray<VarianceComponentRecord>, criterion: number, expected: Model, what: string) => {
  expect(fixed.map((c) => c.term), what).toEqual([expected.terms].flat()) // R writes a length-1 vector as a scalar
  fixed.forEach((c, i) => {
    close(c.estimate, expected.estimate[i]!, `${what} ${c.term} estimate`)
    close(c.se, expected.se[i]!, `${what} ${c.term} se`)
    close(c.statistic, expected.statistic[i]!, `${what} ${c.term} t`)
    close(c.df, expected.df[i]!, `${what} ${c.term} df`, 1e-5)
    closeP(c.p, expected.p[i]!, `${what} ${c.term} p`)
  })
  expected.components.source.forEach((source, i) => {
    const ours = components.find((c) => c.source === SOURCE[source])
    expect(ours, `${what}: component ${source}`).toBeDefined()
    close(ours!.variance, expected.components.variance[i]!, `${what} ${source} variance`, 1e-5)
  })
  close(criterion, expected.reml_criterion, `${what} REML criterion`)
}

const sameContrast = (actual: MixedCoefficientRecord, expected: Contrast, what: string) => {
  close(actual.estimate, expected.estimate, `${what} estimate`)
  close(actual.se, expected.se, `${what} se`)
  close(actual.df, expected.df, `${what} df`, 1e-5)
  closeP(actual.p, expected.p, `${what} p`)
}

const run = (withStudyFile: boolean): Results => {
  let folder = EXAMPLE
  if (!withStudyFile) {
    folder = tempDir("multilevel")
    for (const file of ["clients.csv", "sessions.csv"]) copyFileSync(join(EXAMPLE, file), join(folder, file))
  }
  const out = join(tempDir("out"), "report")
  const result = runCli([folder, "--out", out])
  expect(result.code, result.stderr).toBe(0)
  return Results.parse(JSON.parse(readFileSync(join(out, "results.json"), "utf8")))
}

describe("the multilevel analyses against lme4 + lmerTest on the example study", () => {
  let defaults: Results
  let example: Results
  beforeAll(() => {
    defaults = run(false)
    example = run(true)
  }, 120_000)

  it("matches the therapist ICC models, their profile intervals and the caseload figures", () => {
    const t = defaults.multilevel.therapist_effects
    const f = fixture.therapist_effects
    expect([t.n_clients, t.n_therapists]).toEqual([f.n_clients, f.n_therapists])
    expect(t.clients_per_therapist).toEqual({ mean: f.caseload.mean, median: f.caseload.median, min: f.caseload.min, max: f.caseload.max })
    for (const key of ["unadjusted", "adjusted"] as const) {
      const m = t[key]
      if (m.status !== "estimated") throw new Error(m.reason)
      sameModel(m.fixed, m.variance_components, m.reml_criterion, f[key], key)
      close(m.icc, f[key].icc, `${key} ICC`)
      close(m.icc_ci[0], f[key].icc_ci[0]!, `${key} ICC lower`)
      close(m.icc_ci[1], f[key].icc_ci[1]!, `${key} ICC upper`)
      expect(m.singular).toBe(f[key].singular)
    }
    const s = t.site_adjusted
    if (s.status !== "estimated") throw new Error(s.reason)
    sameModel(s.fixed, s.variance_components, s.reml_criterion, f.site_adjusted, "site-adjusted")
  })

  it("matches ranef(condVar = TRUE) in the caterpillar, and leaves out therapists below min_cell", () => {
    const t = defaults.multilevel.therapist_effects
    const f = fixture.therapist_effects.caterpillar
    expect(t.caterpillar_left_out).toBe(f.left_out)
    expect(t.caterpillar_eligible).toBe(f.estimate.length) // 84 ≤ 200: all of them are shown
    expect(t.caterpillar.length).toBe(f.estimate.length)
    t.caterpillar.forEach((c, i) => {
      const scale = Math.abs(f.upper[i]! - f.lower[i]!)
      expect(Math.abs(c.estimate - f.estimate[i]!) / scale, `mode ${i}`).toBeLessThan(1e-6)
      expect(Math.abs(c.ci[0] - f.lower[i]!) / scale, `lower ${i}`).toBeLessThan(1e-6)
      expect(Math.abs(c.ci[1] - f.upper[i]!) / scale, `upper ${i}`).toBeLessThan(1e-6)
    })
  })

  it("matches the Baldwin decomposition, its contrast and standardized coefficients", () => {
    const d = defaults.multilevel.decomposition
    if (d.status !== "estimated") throw new Error(d.reason)
    sameModel(d.fixed, d.variance_components, d.reml_criterion, fixture.decomposition, "decomposition")
    sameContrast(d.difference, fixture.decomposition.difference, "between − within")
    close(d.between.standardized, fixture.decomposition.standardized[0]!, "standardized between")
    close(d.within.standardized, fixture.decomposition.standardized[1]!, "standardized within")
  })

  it("matches the within/between session model with (1 | client), the default", () => {
    const w = defaults.multilevel.within_between
    if (w.status !== "estimated") throw new Error(w.reason)
    expect([w.n, w.n_clients, w.therapist_intercept]).toEqual([fixture.within_between.n, fixture.within_between.n_clients, false])
    sameModel(w.fixed, w.variance_components, w.reml_criterion, fixture.within_between.client, "(1 | client)")
    sameContrast(w.difference, fixture.within_between.client.difference, "within − between")
    const [sdBetween, sdWithin] = fixture.within_between.standardized_scale
    close(w.between.standardized, w.between.estimate * sdBetween!, "standardized between")
    close(w.within.standardized, w.within.estimate * sdWithin!, "standardized within")
  })

  it("matches the within/between model with clients nested in therapists, as the example's study file asks", () => {
    const w = example.multilevel.within_between
    if (w.status !== "estimated") throw new Error(w.reason)
    expect(w.therapist_intercept).toBe(true)
    sameModel(w.fixed, w.variance_components, w.reml_criterion, fixture.within_between.therapist_client, "(1 | therapist/client)")
    sameContrast(w.difference, fixture.within_between.therapist_client.difference, "within − between")
  })
})
