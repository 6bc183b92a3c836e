import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { readdirSync } from "node:fs"
import { join, relative } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { EXAMPLE_STUDY } from "../../pipelines/run.ts"
import { familyColumns } from "../../src/analysis/common-factors/families.ts"
import { settingsFrom } from "../../src/analysis/settings.ts"
import { Progress } from "../../src/cli/Progress.ts"
import { cacheLines, StepRunner } from "../../src/io/step-runner.ts"
import { loadStudy, type Study } from "../../src/io/study-loader.ts"
import { runInProcess, tempDir } from "../e2e/run-cli.ts"

const services = Layer.mergeAll(NodeFileSystem.layer, NodePath.layer, Progress.silent)

describe("the step runner", () => {
  let cache: string
  let study: Study
  beforeAll(async () => {
    cache = join(tempDir("step-runner"), "cache")
    const { code, output } = await runInProcess([EXAMPLE_STUDY, "--out", join(tempDir("step-runner-report"), "r"), "--cache", cache, "--quiet"])
    expect(code, output).toBe(0)
    study = await Effect.runPromise(loadStudy(EXAMPLE_STUDY).pipe(Effect.provide(services)))
  }, 120_000)

  const open = (poolingTest: "z" | "knha") =>
    Effect.runPromise(
      StepRunner.open(cache, study, settingsFrom(study.config, { poolingTest }), (file) => relative(study.root, file), familyColumns(study.config.common_factors)).pipe(
        Effect.provide(services),
      ),
    )

  it("needs no data when every step is in the cache", async () => {
    const steps = await open("z")
    expect(steps.needsData()).toBe(false)
  })

  it("reuses nothing and stores nothing when the data read differ from the data hashed", async () => {
    const steps = await open("knha") // sites is not in the cache: the data must be read
    expect(steps.needsData()).toBe(true)
    const entries = () => readdirSync(join(cache, "correlations")).length + readdirSync(join(cache, "sites")).length
    const before = entries()
    // reading found other contents than the run hashed at its start
    steps.confirmInputs([
      { file: "clients.csv", sha256: "0".repeat(64) },
      { file: "sessions.csv", sha256: "1".repeat(64) },
    ])
    const computed: string[] = []
    for (const step of ["read", "correlations", "sites"] as const) {
      const product = await Effect.runPromise(steps.run(step, () => Effect.sync(() => (computed.push(step), { step }))))
      expect(product).toEqual({ step })
    }
    expect(computed).toEqual(["read", "correlations", "sites"]) // correlations was in the cache, and not reused
    expect(entries()).toBe(before)
    const outcome = steps.outcome()
    expect(outcome.steps.every((s) => !s.reused && s.reason === "the data files changed while the run read them")).toBe(true)
    expect(cacheLines(outcome)[0]).toBe(
      "cache: the data files changed while the run read them, so every step ran on what was read, and nothing computed from them was stored",
    )
  })

  it("runs every step and says nothing without a cache folder", async () => {
    const steps = await Effect.runPromise(
      StepRunner.open(null, study, settingsFrom(study.config, { poolingTest: null }), (file) => relative(study.root, file), []).pipe(Effect.provide(services)),
    )
    expect(steps.needsData()).toBe(true)
    const computed: string[] = []
    await Effect.runPromise(steps.run("sites", (s) => Effect.sync(() => computed.push(s.poolingTest))))
    expect(computed).toEqual(["z"])
    expect(cacheLines(steps.outcome())).toEqual([])
  })
})
