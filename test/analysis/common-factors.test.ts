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
import { factorDesign, type FactorDesign } from "../../src/analysis/common-factors/families.ts"
import { deriveClients } from "../../src/analysis/derive-clients.ts"
import { settingsFrom } from "../../src/analysis/settings.ts"
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
  beforeAll(async () => {
    const services = Layer.mergeAll(NodeFileSystem.layer, NodePath.layer, CsvSource.layer, Progress.silent)
    const loaded = await Effect.runPromise(loadValidated(EXAMPLE_STUDY).pipe(Effect.provide(services)))
    data = loaded.data
    const settings = settingsFrom(loaded.study.config, { poolingTest: null })
    design = factorDesign(data, deriveClients(data, settings))
    breakdown = commonFactorBreakdown(design, data.clients.therapist.codes, data.clients.therapist.levels.length, { replicates: 200, seed: 20261122, resample: "clients" }, 0.95)
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
    close(breakdown.predictors.general, fixture.predictors.general, "general")
    breakdown.predictors.conditional.forEach((row, i) => close(row, fixture.predictors.conditional[i]!, `conditional[${i}]`))
    expect(verdicts(breakdown.predictors.complete)).toEqual(verdicts(fixture.predictors.complete))
  })

  it("matches anova()'s hierarchical F tests and the commonality parts", () => {
    breakdown.hierarchical.forEach((s, i) => {
      const e = fixture.families.hierarchical[i]!
      expect([s.set, s.df1, s.df2]).toEqual([e.set, e.df1, e.df2])
      close([s.rSquared, s.deltaRSquared, s.f, s.p], [e.r2, e.delta, e.f, e.p], `step ${i}`)
    })
    close(breakdown.commonality.map((p) => p.value), fixture.families.commonality, "commonality", 1e-6)
  })

  it("gives bootstrap intervals that bracket each family's weight and repeat with the seed", () => {
    breakdown.intervals.forEach(([lo, hi], i) => {
      expect(lo).toBeLessThanOrEqual(breakdown.families.general[i]!)
      expect(hi).toBeGreaterThanOrEqual(breakdown.families.general[i]!)
    })
    const again = commonFactorBreakdown(design, data.clients.therapist.codes, data.clients.therapist.levels.length, { replicates: 200, seed: 20261122, resample: "clients" }, 0.95)
    expect(again.intervals).toEqual(breakdown.intervals)
    const byTherapist = commonFactorBreakdown(design, data.clients.therapist.codes, data.clients.therapist.levels.length, { replicates: 200, seed: 20261122, resample: "therapists" }, 0.95)
    expect(byTherapist.bootstrap.used).toBe(200)
    expect(byTherapist.intervals).not.toEqual(breakdown.intervals)
  })
})
