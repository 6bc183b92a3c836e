/**
 * The bundled example split by site and summarised site by site (issue 10), against R
 * (test/reference/site-pooling-example.R): each site's r, Fisher z and variance, and the one-stage
 * regression from the summed cross-products against lm() on all the clients.
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { beforeAll, describe, expect, it } from "vitest"
import { loadValidated } from "../../pipelines/alliance-outcome.ts"
import { EXAMPLE_STUDY } from "../../pipelines/run.ts"
import { deriveClients, type DerivedClients } from "../../src/analysis/derive-clients.ts"
import { settingsFrom } from "../../src/analysis/settings.ts"
import { type SiteSummaryParts, summariseSite } from "../../src/analysis/site-summary/build.ts"
import { oneStageRegression, sumCrossProducts } from "../../src/analysis/site-summary/one-stage.ts"
import { Progress } from "../../src/cli/Progress.ts"
import { CsvSource } from "../../src/io/CsvSource.ts"
import { readFixture } from "../reference/read-fixture.ts"
import { relativeError, tolerance } from "../tolerances.ts"

interface Fixture {
  readonly per_site: ReadonlyArray<{ site: string; n: number; r: number; yi: number; vi: number }>
  readonly one_stage: {
    estimate: number[]
    se: number[]
    statistic: number[]
    p: number[]
    ci_lower: number[]
    ci_upper: number[]
    df: number
    sigma: number
    r_squared: number
    n: number
  }
}

const R = readFixture<Fixture>("site-pooling-example")

describe("the example split by site, against R", () => {
  let summaries: Array<{ site: string; parts: SiteSummaryParts }>
  beforeAll(async () => {
    const services = Layer.mergeAll(NodeFileSystem.layer, NodePath.layer, CsvSource.layer, Progress.silent)
    const { study, data } = await Effect.runPromise(loadValidated(EXAMPLE_STUDY).pipe(Effect.provide(services)))
    const settings = settingsFrom(study.config, { poolingTest: null })
    const derived = deriveClients(data, settings)
    const site = data.clients.site!
    // each site as its own study would see it: its own analysed clients
    summaries = site.levels
      .map((label, code) => ({ label, code }))
      .sort((a, b) => a.label.localeCompare(b.label))
      .map(({ label, code }) => {
        const own: DerivedClients = { ...derived, analysed: derived.analysed.filter((row) => site.codes[row] === code) }
        return { site: label, parts: summariseSite(own, data.clients.therapist, data.clients.categories.get("modality") ?? null, { k: 5, level: 0.95 }) }
      })
  }, 60_000)

  it("gives each site's r, Fisher z and variance as R does", () => {
    expect(summaries.map((s) => s.site)).toEqual(R.per_site.map((s) => s.site))
    summaries.forEach(({ parts }, i) => {
      const expected = R.per_site[i]!
      expect(parts.primary?.n).toBe(expected.n)
      expect(relativeError(parts.primary!.r, expected.r)).toBeLessThan(tolerance.closedForm)
      expect(relativeError(parts.primary!.yi, expected.yi)).toBeLessThan(tolerance.closedForm)
      expect(relativeError(parts.primary!.vi, expected.vi)).toBeLessThan(tolerance.closedForm)
    })
  })

  it("gives, from the summed cross-products, lm()'s regression on all the clients", () => {
    const pooled = oneStageRegression(sumCrossProducts(summaries.map((s) => s.parts.crossProducts!)), 0.95)
    expect(pooled.status).toBe("estimated")
    if (pooled.status !== "estimated") return
    const r = R.one_stage
    expect(pooled.n).toBe(r.n)
    expect(pooled.df).toBe(r.df)
    for (let i = 0; i < 3; i++) {
      expect(relativeError(pooled.estimate[i]!, r.estimate[i]!)).toBeLessThan(tolerance.closedForm)
      expect(relativeError(pooled.se[i]!, r.se[i]!)).toBeLessThan(tolerance.closedForm)
      expect(relativeError(pooled.statistic[i]!, r.statistic[i]!)).toBeLessThan(tolerance.closedForm)
      expect(relativeError(pooled.p[i]!, r.p[i]!, 1e-300)).toBeLessThan(tolerance.distribution)
      expect(relativeError(pooled.ci[i]![0], r.ci_lower[i]!)).toBeLessThan(tolerance.distribution)
      expect(relativeError(pooled.ci[i]![1], r.ci_upper[i]!)).toBeLessThan(tolerance.distribution)
    }
    expect(relativeError(pooled.sigma, r.sigma)).toBeLessThan(tolerance.closedForm)
    expect(relativeError(pooled.rSquared, r.r_squared)).toBeLessThan(tolerance.closedForm)
  })

  it("refuses a regression it cannot estimate", () => {
    const tiny = [
      [3, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ]
    expect(oneStageRegression(tiny, 0.95)).toMatchObject({ status: "not_estimable", reason: "the regression needs more than 3 clients" })
    const constant = [
      [10, 20, 30, 5],
      [20, 40, 60, 10],
      [30, 60, 90, 15],
      [5, 10, 15, 9],
    ]
    expect(oneStageRegression(constant, 0.95)).toMatchObject({ status: "not_estimable", reason: expect.stringContaining("collinear") })
  })
})
