/**
 * The common-factor breakdown on the example study against R (test/reference/common-factors-example.R:
 * every sub-model fitted by lm from the raw CSVs), to 1e-8 relative as issue 6 asks: the design
 * (sample, dummy columns, families), the families' and the predictors' dominance statistics, the
 * hierarchical F tests and the commonality parts; and the bootstrap intervals' determinism.
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { beforeAll, describe, expect, it } from "vitest"
import { loadValidated } from "../../pipelines/alliance-outcome.ts"
import { EXAMPLE_STUDY } from "../../pipelines/run.ts"
import { type Breakdown, commonFactorBreakdown } from "../../src/analysis/common-factors/breakdown.ts"
import { factorDesign, type FactorDesign, resolveFamilies } from "../../src/analysis/common-factors/families.ts"
import { estimateCommonFactors } from "../../src/analysis/common-factors/record.ts"
import { type DerivedClients, deriveClients } from "../../src/analysis/derive-clients.ts"
import { type AnalysisSettings, settingsFrom } from "../../src/analysis/settings.ts"
import { Progress } from "../../src/cli/Progress.ts"
import type { StudyData } from "../../src/data/study-data.ts"
import { CsvSource } from "../../src/io/CsvSource.ts"
import { readFixture } from "../reference/read-fixture.ts"
import { relativeError } from "../tolerances.ts"

interface Dom {
  sets: number[][]
  general: number[]
  conditional: number[][]
  complete: number[][]
}
interface Fixture {
  n: number
  columns: string[]
  families: Dom & {
    r2: number[]
    conditional_dominance: number[][]
    general_dominance: number[][]
    hierarchical: { set: number; r2: number; delta: number; f: number; df1: number; df2: number; p: number }[]
    commonality: number[]
  }
  predictors: Dom
  therapist: Therapist
  baseline_adjusted: { families: Fixture["families"]; predictors: Dom; therapist: Therapist }
}
interface Therapist {
  icc: number
  icc_ci: number[]
  share: number
  share_ci: number[]
  variances: number[]
  reml_criterion: number
  n_therapists: number
}
const fixture = readFixture<Fixture>("common-factors-example")

const close = (actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, floor = 1e-12) => {
  expect(actual.length, what).toBe(expected.length)
  for (let i = 0; i < expected.length; i++) {
    expect(relativeError(actual[i]!, expected[i]!, floor), `${what}[${i}]: ${actual[i]} vs R ${expected[i]}`).toBeLessThanOrEqual(1e-8)
  }
}
const verdicts = (m: ReadonlyArray<ReadonlyArray<number>>) => m.map((row) => row.map((v) => (Number.isNaN(v) ? null : v)))

describe("the common-factor breakdown of the example study, against lm", () => {
  let data: StudyData
  let design: FactorDesign
  let breakdown: Breakdown
  let settings: AnalysisSettings
  let derived: DerivedClients
  const therapist = () => ({ codes: data.clients.therapist.codes, count: data.clients.therapist.levels.length })
  const bootstrap = (resample: "clients" | "therapists") => ({ replicates: 200, seed: 20261122, resample, maxResampleSize: 20_000 })
  beforeAll(async () => {
    const services = Layer.mergeAll(NodeFileSystem.layer, NodePath.layer, CsvSource.layer, Progress.silent)
    const loaded = await Effect.runPromise(loadValidated(EXAMPLE_STUDY).pipe(Effect.provide(services)))
    data = loaded.data
    settings = settingsFrom(loaded.study.config, { poolingTest: null })
    derived = deriveClients(data, settings)
    design = factorDesign(resolveFamilies(data, derived, settings.commonFactors), derived, "improvement", therapist())
    breakdown = commonFactorBreakdown(design, data.clients.therapist.codes, data.clients.therapist.levels.length, bootstrap("clients"), 0.95)!
  }, 60_000)

  it("builds the same sample, dummy columns and families", () => {
    expect(design.rows.length).toBe(fixture.n)
    expect(design.predictors.flatMap((p) => p.columns).map((c) => c.replace(/^[a-z_]+: /, ""))).toEqual(fixture.columns)
    expect(design.families.map((f) => f.columns)).toEqual(fixture.families.sets.map((s) => [s].flat()))
    expect(design.absent).toEqual([])
  })

  it("matches the families' R², conditional and general dominance, and verdicts", () => {
    const f = breakdown.families
    close([f.fullRSquared], [fixture.families.r2[fixture.families.r2.length - 1]!], "full R²")
    close(f.general, fixture.families.general, "general")
    f.conditional.forEach((row, i) => close(row, fixture.families.conditional[i]!, `conditional[${i}]`))
    expect(verdicts(f.complete)).toEqual(verdicts(fixture.families.complete))
    expect(verdicts(f.conditionalDominance)).toEqual(verdicts(fixture.families.conditional_dominance))
    expect(verdicts(f.generalDominance)).toEqual(verdicts(fixture.families.general_dominance))
  })

  it("matches the single predictors' dominance statistics (a category's dummies as one predictor)", () => {
    close(breakdown.predictors!.general, fixture.predictors.general, "general")
    breakdown.predictors!.conditional.forEach((row, i) => close(row, fixture.predictors.conditional[i]!, `conditional[${i}]`))
    expect(verdicts(breakdown.predictors!.complete)).toEqual(verdicts(fixture.predictors.complete))
  })

  it("matches anova()'s hierarchical F tests and the commonality parts", () => {
    breakdown.hierarchical.forEach((s, i) => {
      const e = fixture.families.hierarchical[i]!
      expect([s.set, s.df1, s.df2]).toEqual([e.set, e.df1, e.df2])
      close([s.rSquared, s.deltaRSquared, s.f, s.p], [e.r2, e.delta, e.f, e.p], `step ${i}`)
    })
    close(breakdown.commonality!.map((p) => p.value), fixture.families.commonality, "commonality", 1e-6)
  })

  it("gives bootstrap intervals that bracket each family's weight and repeat with the seed", () => {
    breakdown.intervals.forEach(([lo, hi], i) => {
      expect(lo).toBeLessThanOrEqual(breakdown.families.general[i]!)
      expect(hi).toBeGreaterThanOrEqual(breakdown.families.general[i]!)
    })
    const again = commonFactorBreakdown(design, data.clients.therapist.codes, data.clients.therapist.levels.length, bootstrap("clients"), 0.95)!
    expect(again.intervals).toEqual(breakdown.intervals)
    const byTherapist = commonFactorBreakdown(design, data.clients.therapist.codes, data.clients.therapist.levels.length, bootstrap("therapists"), 0.95)!
    expect(byTherapist.bootstrap.used).toBe(200)
    expect(byTherapist.intervals).not.toEqual(breakdown.intervals)
  })

  const sameTherapist = (actual: ReturnType<typeof estimateCommonFactors>, expected: Therapist) => {
    if (actual.status !== "estimated" || actual.therapist.status !== "estimated") throw new Error("not estimated")
    const t = actual.therapist
    expect(t.n_therapists).toBe(expected.n_therapists)
    // lme4's optimum to the tolerance of the multilevel golden tests (1e-6; variance components 1e-5)
    const near = (a: number, e: number, what: string, limit = 1e-6) => expect(relativeError(a, e, 1e-10), `${what}: ${a} vs R ${e}`).toBeLessThanOrEqual(limit)
    near(t.reml_criterion, expected.reml_criterion, "REML criterion")
    t.variance_components.forEach((c, i) => near(c.variance, expected.variances[i]!, `variance ${c.source}`, 1e-5))
    near(t.icc, expected.icc, "ICC", 1e-5)
    near(t.share, expected.share, "share", 1e-5)
    t.icc_ci.forEach((v, i) => near(v, expected.icc_ci[i]!, `ICC interval[${i}]`, 1e-5))
    t.share_ci.forEach((v, i) => near(v, expected.share_ci[i]!, `share interval[${i}]`, 1e-5))
    // the slices add up to the whole
    const total = actual.families.reduce((s, f) => s + f.general_dominance, 0) + t.share + actual.unexplained
    expect(Math.abs(total - 1)).toBeLessThan(1e-12)
  }

  it("gives lmer's therapist share: (1 − R²) × the ICC of the model with every predictor", () => {
    sameTherapist(estimateCommonFactors(design, therapist(), { ...settings, commonFactors: { ...settings.commonFactors, bootstrap: { ...settings.commonFactors.bootstrap, replicates: 100 } } }), fixture.therapist)
  })

  it("with outcome baseline_adjusted, partials baseline out: lm's partial R²s, dominance, F tests and therapist share", () => {
    const adjusted = { ...settings, commonFactors: { ...settings.commonFactors, outcome: "baseline_adjusted" as const, bootstrap: { ...settings.commonFactors.bootstrap, replicates: 100 } } }
    const d = factorDesign(resolveFamilies(data, derived, adjusted.commonFactors), derived, "baseline_adjusted", therapist())
    const e = fixture.baseline_adjusted
    expect(d.predictors.map((p) => p.name)).not.toContain("baseline")
    expect(d.families.map((f) => f.columns)).toEqual(e.families.sets.map((s) => [s].flat()))
    const b = commonFactorBreakdown(d, data.clients.therapist.codes, data.clients.therapist.levels.length, bootstrap("clients"), 0.95)!
    close([b.fullRSquared], [e.families.r2[e.families.r2.length - 1]!], "partial R²")
    close(b.families.general, e.families.general, "general")
    b.families.conditional.forEach((row, i) => close(row, e.families.conditional[i]!, `conditional[${i}]`))
    expect(verdicts(b.families.complete)).toEqual(verdicts(e.families.complete))
    close(b.predictors!.general, e.predictors.general, "predictors' general")
    b.hierarchical.forEach((s, i) => {
      const h = e.families.hierarchical[i]!
      expect([s.set, s.df1, s.df2]).toEqual([h.set, h.df1, h.df2])
      close([s.rSquared, s.deltaRSquared, s.f, s.p], [h.r2, h.delta, h.f, h.p], `step ${i}`)
    })
    close(b.commonality!.map((p) => p.value), e.families.commonality, "commonality", 1e-6)
    sameTherapist(estimateCommonFactors(d, therapist(), adjusted), e.therapist)
  })
})
