/**
 * Acceptance: on a folder holding only canonical clients.csv + sessions.csv (no study file, so
 * every default applies), results.json agrees with R — cor.test, psych::partial.r/corr.p and
 * metafor::rma.uni(method = "REML") — recomputed independently from the raw CSVs by
 * test/reference/pipeline.R (fixture: test/reference/fixtures/pipeline-example.json).
 */
import { createHash } from "node:crypto"
import { copyFileSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { Results } from "../../data-schemas/results.ts"
import { relativeError, tolerance } from "../tolerances.ts"
import { ROOT, runCli, tempDir } from "./run-cli.ts"

interface PooledFixture {
  z_estimate: number
  z_se: number
  z_ci: number[]
  z_pi: number[]
  r_estimate: number
  r_ci: number[]
  r_pi: number[]
  statistic: number
  p: number
  tau2: number
  tau2_se: number
  i2: number
  h2: number
  q: number
  q_p: number
  k: number
  tau2_ci: number[]
  i2_ci: number[]
  weights: number[]
}
interface CorrFixture {
  r: number
  ci: number[]
  t: number
  p: number
}
interface Fixture {
  provenance: { clients_md5: string; sessions_md5: string }
  n_analysed: number
  pearson: CorrFixture & { df: number }
  spearman: { rho: number; S: number; p: number }
  partial: CorrFixture
  residualized_gain: CorrFixture
  by_column: Array<CorrFixture & { column: string; n: number }>
  per_site: Array<{ site: string; n: number; r: number; ci: number[] }>
  pooled_z: PooledFixture
  pooled_knha: PooledFixture
}

const EXAMPLE = join(ROOT, "examples", "example-study")
const fixture = JSON.parse(readFileSync(join(ROOT, "test/reference/fixtures/pipeline-example.json"), "utf8")) as Fixture

/** Agreement to `tol` relative error (6 significant digits is 5e-7; we ask for far more). */
const close = (actual: number, expected: number, tol: number, what: string) =>
  expect(relativeError(actual, expected), `${what}: ${actual} vs R ${expected}`).toBeLessThan(tol)
const closeAll = (actual: ReadonlyArray<number>, expected: ReadonlyArray<number>, tol: number, what: string) =>
  expected.forEach((e, i) => close(actual[i]!, e, tol, `${what}[${i}]`))

const runOn = (poolingTest: "z" | "knha"): Results => {
  const dir = tempDir("canonical")
  copyFileSync(join(EXAMPLE, "clients.csv"), join(dir, "clients.csv"))
  copyFileSync(join(EXAMPLE, "sessions.csv"), join(dir, "sessions.csv"))
  const out = join(tempDir("out"), "report")
  const result = runCli([dir, "--out", out, "--pooling-test", poolingTest])
  expect(result.code, result.stderr).toBe(0)
  return Results.parse(JSON.parse(readFileSync(join(out, "results.json"), "utf8")))
}

describe("results.json against R on the example data", () => {
  let z: Results
  let knha: Results
  beforeAll(() => {
    z = runOn("z")
    knha = runOn("knha")
  })

  it("uses a fixture made from the committed example data", () => {
    const md5 = (file: string) => createHash("md5").update(readFileSync(join(EXAMPLE, file))).digest("hex")
    expect(md5("clients.csv"), "re-run Rscript test/reference/pipeline.R").toBe(fixture.provenance.clients_md5)
    expect(md5("sessions.csv"), "re-run Rscript test/reference/pipeline.R").toBe(fixture.provenance.sessions_md5)
  })

  it("matches cor.test for the primary Pearson r, its CI, t and p", () => {
    const r = z.primary.pearson
    if (r.status !== "estimated") throw new Error(r.reason)
    expect(r.n).toBe(fixture.n_analysed)
    close(r.estimate, fixture.pearson.r, tolerance.closedForm, "r")
    closeAll(r.ci, fixture.pearson.ci, tolerance.closedForm, "ci")
    close(r.statistic, fixture.pearson.t, tolerance.closedForm, "t")
    expect(r.df).toBe(fixture.pearson.df)
    close(r.p, fixture.pearson.p, tolerance.distribution, "p")
  })

  it("matches cor.test(method = 'spearman', exact = FALSE)", () => {
    const s = z.primary.spearman
    if (s.status !== "estimated") throw new Error(s.reason)
    close(s.estimate, fixture.spearman.rho, tolerance.closedForm, "rho")
    close(s.statistic, fixture.spearman.S, tolerance.closedForm, "S")
    close(s.p, fixture.spearman.p, tolerance.distribution, "p")
  })

  it("matches psych::partial.r and corr.p for the partial r, and cor.test for the residualized gain", () => {
    const pr = z.primary.partial
    if (pr.status !== "estimated") throw new Error(pr.reason)
    close(pr.estimate, fixture.partial.r, tolerance.closedForm, "partial r")
    close(pr.statistic, fixture.partial.t, tolerance.closedForm, "partial t")
    close(pr.p, fixture.partial.p, tolerance.distribution, "partial p")
    closeAll(pr.ci, fixture.partial.ci, tolerance.closedForm, "partial ci")
    const rg = z.primary.residualized_gain
    if (rg.status !== "estimated") throw new Error(rg.reason)
    close(rg.estimate, fixture.residualized_gain.r, tolerance.closedForm, "residualized gain r")
    closeAll(rg.ci, fixture.residualized_gain.ci, tolerance.closedForm, "residualized gain ci")
  })

  it("matches cor.test by rater and by subscale", () => {
    const rows = [...z.by_rater, ...z.by_subscale]
    for (const expected of fixture.by_column) {
      const row = rows.find((r) => r.column === expected.column)
      if (row === undefined || row.correlation.status !== "estimated") throw new Error(`no estimate for ${expected.column}`)
      expect(row.correlation.n).toBe(expected.n)
      close(row.correlation.estimate, expected.r, tolerance.closedForm, expected.column)
      closeAll(row.correlation.ci, expected.ci, tolerance.closedForm, `${expected.column} ci`)
    }
  })

  it("matches the per-site cor.test results", () => {
    for (const expected of fixture.per_site) {
      const site = z.sites.per_site.find((s) => s.site === expected.site)
      if (site === undefined || site.correlation.status !== "estimated") throw new Error(`no estimate for ${expected.site}`)
      expect(site.n).toBe(expected.n)
      close(site.correlation.estimate, expected.r, tolerance.closedForm, expected.site)
    }
  })

  for (const [test, key] of [["z", "pooled_z"], ["knha", "pooled_knha"]] as const) {
    it(`matches metafor::rma.uni(method = "REML", test = "${test}") with predict() and confint()`, () => {
      const pooled = (test === "z" ? z : knha).sites.pooled
      const expected = fixture[key]
      if (pooled.status !== "estimated") throw new Error(pooled.reason)
      expect(pooled.k).toBe(expected.k)
      expect(pooled.test).toBe(test)
      close(pooled.estimate, expected.r_estimate, tolerance.iterative, "pooled r")
      closeAll(pooled.ci, expected.r_ci, tolerance.iterative, "pooled r ci")
      closeAll(pooled.pi, expected.r_pi, tolerance.iterative, "pooled r pi")
      close(pooled.z.estimate, expected.z_estimate, tolerance.iterative, "pooled z")
      close(pooled.z.se, expected.z_se, tolerance.iterative, "se")
      close(pooled.statistic, expected.statistic, tolerance.iterative, "statistic")
      close(pooled.p, expected.p, tolerance.iterative, "p")
      close(pooled.tau2, expected.tau2, tolerance.iterative, "tau2")
      close(pooled.i2, expected.i2, tolerance.iterative, "I2")
      close(pooled.h2, expected.h2, tolerance.iterative, "H2")
      close(pooled.q, expected.q, tolerance.closedForm, "Q")
      close(pooled.q_p, expected.q_p, tolerance.distribution, "Q p")
      if (pooled.tau2_ci === null || pooled.i2_ci === null) throw new Error("no Q-profile interval")
      closeAll(pooled.tau2_ci, expected.tau2_ci, tolerance.iterative, "tau2 ci")
      closeAll(pooled.i2_ci, expected.i2_ci, tolerance.iterative, "I2 ci")
      const weights = z.sites.per_site.filter((s) => s.pooled).map((s) => s.weight ?? Number.NaN)
      if (test === "z") closeAll(weights, expected.weights, tolerance.iterative, "weights")
    })
  }
})
