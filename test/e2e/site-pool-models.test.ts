/**
 * Two-stage pooling of the multilevel and common-factor analyses (issue 10), end to end: the
 * bundled example split into its 8 sites, each summarised with `summarize`, the summaries pooled
 * with `pool` (Knapp–Hartung, its default). Every number is checked against R on the same split
 * (test/reference/site-pooling-models.R): each site's lmer coefficients and ICC components, the
 * sites' coefficients pooled by metafor::rma, each common factor's r pooled on Fisher z, and the
 * one-stage regression on every site's complete cases by lm().
 *
 * Tolerances: the mixed models' of test/e2e/multilevel-parity.test.ts (1e-6 on estimates and SEs,
 * 1e-5 on variance components, df and profile bounds); REML τ² is iterative (1e-6); correlations
 * and least squares are closed forms (1e-10), their p-values and intervals distributions (1e-9).
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { PooledSites } from "../../data-schemas/pooled-sites.ts"
import { SiteSummary } from "../../data-schemas/site-summary.ts"
import { readFixture } from "../reference/read-fixture.ts"
import { relativeError, tolerance } from "../tolerances.ts"
import { runInProcess, tempDir } from "./run-cli.ts"
import { siteStudy } from "./site-study.ts"

interface Coefficient {
  readonly estimate: number
  readonly se: number
  readonly df: number
}
interface Icc {
  readonly n: number
  readonly therapists: number
  readonly therapist_variance: number
  readonly residual_variance: number
  readonly icc: number
  readonly icc_ci: [number, number]
}
interface Pool {
  readonly estimate: number
  readonly se: number
  readonly ci: [number, number]
  readonly pi: [number, number]
  readonly tau2: number
  readonly i2: number
  readonly q: number
  readonly statistic: number
  readonly p: number
  readonly weights: number[]
}
interface Fixture {
  readonly factors: string[]
  readonly per_site: Array<{
    readonly site: string
    readonly within_between: { readonly n: number; readonly clients: number; readonly therapists: number; readonly within: Coefficient; readonly between: Coefficient }
    readonly decomposition: { readonly n: number; readonly therapists: number; readonly within: Coefficient; readonly between: Coefficient }
    readonly unadjusted: Icc
    readonly adjusted: Icc
    readonly common_factors: { readonly n: number; readonly r: number[] }
  }>
  readonly pooled: Record<"within_client" | "between_client" | "within_therapist" | "between_therapist", Pool>
  readonly factor_pooled: Array<{ readonly predictor: string } & Pool>
  readonly one_stage: {
    readonly terms: string[]
    readonly estimate: number[]
    readonly se: number[]
    readonly statistic: number[]
    readonly p: number[]
    readonly ci_lower: number[]
    readonly ci_upper: number[]
    readonly df: number
    readonly sigma: number
    readonly r_squared: number
    readonly n: number
  }
}

const R = readFixture<Fixture>("site-pooling-models")

const close = (actual: number, expected: number, what: string, limit: number) =>
  expect(relativeError(actual, expected, 1e-8), `${what}: ${actual} vs R ${expected}`).toBeLessThanOrEqual(limit)

describe("the multilevel and common-factor analyses, summarised at each site and pooled, against R", () => {
  const work = tempDir("pool-models")
  const summaries: SiteSummary[] = []
  let pooled: PooledSites

  beforeAll(async () => {
    const files: string[] = []
    for (const { site } of R.per_site) {
      const file = join(work, `${site}.json`)
      const result = await runInProcess(["summarize", siteStudy(join(work, "studies"), site), "--site", site, "--out", file, "--quiet"])
      expect(result.code, result.output).toBe(0)
      files.push(file)
      summaries.push(SiteSummary.parse(JSON.parse(readFileSync(file, "utf8"))))
    }
    const result = await runInProcess(["pool", ...files, "--out", join(work, "pooled"), "--quiet"])
    expect(result.code, result.output).toBe(0)
    pooled = PooledSites.parse(JSON.parse(readFileSync(join(work, "pooled", "results.json"), "utf8")))
  }, 180_000)

  it("fits each site's multilevel models as lme4 does", () => {
    R.per_site.forEach((r, i) => {
      const s = summaries[i]!.multilevel
      const wb = s.within_between!
      const dec = s.decomposition!
      expect([wb.n, wb.clients, wb.therapists, dec.n, dec.therapists], r.site).toEqual([
        r.within_between.n,
        r.within_between.clients,
        r.within_between.therapists,
        r.decomposition.n,
        r.decomposition.therapists,
      ])
      const pairs: Array<[Coefficient, Coefficient, string]> = [
        [wb.within, r.within_between.within, "within-client"],
        [wb.between, r.within_between.between, "between-client"],
        [dec.within, r.decomposition.within, "within-therapist"],
        [dec.between!, r.decomposition.between, "between-therapist"],
      ]
      for (const [ours, theirs, what] of pairs) {
        close(ours.estimate, theirs.estimate, `${r.site} ${what} estimate`, tolerance.iterative)
        close(ours.se, theirs.se, `${r.site} ${what} se`, tolerance.iterative)
        close(ours.df, theirs.df, `${r.site} ${what} df`, 1e-5)
      }
      for (const [model, theirs] of [["unadjusted", r.unadjusted], ["adjusted", r.adjusted]] as const) {
        const ours = s.therapist_effects.find((m) => m.model === model)!
        expect([ours.n, ours.therapists], `${r.site} ${model}`).toEqual([theirs.n, theirs.therapists])
        close(ours.therapist_variance, theirs.therapist_variance, `${r.site} ${model} therapist variance`, 1e-5)
        close(ours.residual_variance, theirs.residual_variance, `${r.site} ${model} residual variance`, 1e-5)
        close(ours.icc, theirs.icc, `${r.site} ${model} icc`, 1e-5)
        for (const b of [0, 1] as const) expect(Math.abs(ours.icc_ci[b] - theirs.icc_ci[b]), `${r.site} ${model} icc_ci[${b}]`).toBeLessThan(1e-6)
      }
    })
  })

  it("pools each coefficient as metafor::rma(yi, sei, method = \"REML\", test = \"knha\")", () => {
    for (const c of pooled.multilevel.coefficients) {
      const theirs = R.pooled[c.coefficient]
      const ours = c.pooled
      if (ours.status !== "estimated") throw new Error(`${c.coefficient}: ${ours.reason}`)
      expect(ours.k).toBe(8)
      expect(ours.test).toBe("knha")
      const pairs: Array<[number, number, string]> = [
        [ours.estimate, theirs.estimate, "estimate"],
        [ours.se, theirs.se, "se"],
        [ours.ci[0], theirs.ci[0], "ci[0]"],
        [ours.ci[1], theirs.ci[1], "ci[1]"],
        [ours.pi[0], theirs.pi[0], "pi[0]"],
        [ours.pi[1], theirs.pi[1], "pi[1]"],
        [ours.statistic, theirs.statistic, "t"],
        [ours.q, theirs.q, "Q"],
      ]
      for (const [a, b, what] of pairs) close(a, b, `${c.coefficient} ${what}`, tolerance.iterative)
      // τ² and I² near 0 compare absolutely
      expect(Math.abs(ours.tau2 - theirs.tau2), `${c.coefficient} tau2`).toBeLessThan(1e-6 * Math.max(1, theirs.tau2))
      expect(Math.abs(ours.i2 - theirs.i2), `${c.coefficient} I2`).toBeLessThan(1e-4)
      c.per_site.forEach((s, i) => expect(Math.abs(s.weight! - theirs.weights[i]!), `${c.coefficient} weight ${s.site}`).toBeLessThan(1e-4))
    }
  })

  it("pools each numeric common factor's r with improvement on Fisher z", () => {
    const names = R.factors.map((f) => (f === "early" ? "early_alliance" : f))
    R.per_site.forEach((r, i) => {
      const cf = summaries[i]!.common_factors!
      expect(cf.n, r.site).toBe(r.common_factors.n)
      names.forEach((name, j) => close(cf.factors.find((f) => f.predictor === name)!.r, r.common_factors.r[j]!, `${r.site} r(${name})`, tolerance.closedForm))
    })
    expect(pooled.common_factors.factors.map((f) => f.predictor).sort()).toEqual([...names].sort())
    for (const theirs of R.factor_pooled) {
      const ours = pooled.common_factors.factors.find((f) => f.predictor === theirs.predictor)!.pooled
      if (ours.status !== "estimated") throw new Error(`${theirs.predictor}: ${ours.reason}`)
      close(ours.z.estimate, theirs.estimate, `${theirs.predictor} z`, tolerance.iterative)
      close(ours.z.se, theirs.se, `${theirs.predictor} z se`, tolerance.iterative)
      close(ours.z.ci[0], theirs.ci[0], `${theirs.predictor} z ci[0]`, tolerance.iterative)
      close(ours.z.pi[1], theirs.pi[1], `${theirs.predictor} z pi[1]`, tolerance.iterative)
      close(ours.estimate, Math.tanh(theirs.estimate), `${theirs.predictor} r`, tolerance.iterative)
    }
  })

  it("gives the one-stage regression on every site's complete cases, as lm()", () => {
    const one = pooled.common_factors.one_stage
    if (one.status !== "estimated") throw new Error(one.reason)
    const r = R.one_stage
    expect(one.terms).toEqual(["intercept", "baseline", "expectancy", "early_alliance", "empathy", "positive_regard", "congruence"])
    expect([one.n, one.df]).toEqual([r.n, r.df])
    expect(pooled.common_factors.one_stage_sites).toEqual(R.per_site.map((s) => s.site))
    one.terms.forEach((term, i) => {
      close(one.estimate[i]!, r.estimate[i]!, `${term} estimate`, tolerance.closedForm)
      close(one.se[i]!, r.se[i]!, `${term} se`, tolerance.closedForm)
      close(one.statistic[i]!, r.statistic[i]!, `${term} t`, tolerance.closedForm)
      close(one.p[i]!, r.p[i]!, `${term} p`, tolerance.distribution)
      close(one.ci[i]![0], r.ci_lower[i]!, `${term} ci[0]`, tolerance.distribution)
      close(one.ci[i]![1], r.ci_upper[i]!, `${term} ci[1]`, tolerance.distribution)
    })
    close(one.sigma, r.sigma, "sigma", tolerance.closedForm)
    close(one.r_squared, r.r_squared, "R²", tolerance.closedForm)
    expect(pooled.common_factors.categorical).toEqual(["age_band", "gender", "modality"])
  })

  it("draws each factor's forest on its own axis, without the alliance literature's reference line", () => {
    const spec = readFileSync(join(work, "pooled", "figures", "forest-factor-empathy.vl.json"), "utf8")
    expect(spec).toContain("Correlation r (empathy, improvement)")
    expect(spec).not.toContain("Flückiger")
    const alliance = readFileSync(join(work, "pooled", "figures", "forest-primary.vl.json"), "utf8")
    expect(alliance).toContain("Flückiger")
    const html = readFileSync(join(work, "pooled", "report.html"), "utf8")
    expect(html.match(/<figure /g)).toHaveLength(1 + pooled.by_modality.length + pooled.common_factors.factors.length + 4)
    expect(html).not.toMatch(/<script|https?:\/\/(?!doi\.org|www\.w3\.org)/) // no script, no fetch (SVG namespaces are names, not requests)
  })
})
