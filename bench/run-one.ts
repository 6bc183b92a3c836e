/**
 * One timed run of the full default pipeline, as a child process of bench/run.ts:
 *
 *   tsx bench/run-one.ts --study DIR --out REPORT_DIR --json FILE
 *
 * The same services as `pipelines/run.ts` (see `main` there), except that Progress records when
 * each phase begins instead of printing. Writes FILE with the phase and stage durations, the
 * in-process times and this process's peak RSS. Exit 0 on success, 1 when the pipeline failed
 * (the cause goes to stderr), 2 on a usage error.
 *
 * Deep imports only ("effect/Effect", never the "effect" barrel): startup time is measured.
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import { writeFileSync } from "node:fs"
import { parseArgs } from "node:util"
import { runAllianceOutcome } from "../pipelines/alliance-outcome.ts"
import { Progress } from "../src/cli/Progress.ts"
import { CsvSource } from "../src/io/CsvSource.ts"
import { ReportWriter } from "../src/io/ReportWriter.ts"
import { phaseTimings, stageTotals, type PhaseMark } from "./stages.ts"

/** ms since this process started (performance's time origin), once every module above is loaded */
const modulesLoaded = performance.now()

/** what run-one writes; bench/run.ts reads it */
export interface RunOneReport {
  /** process start → all modules loaded (Node, tsx, Effect, the pipeline's imports) */
  readonly startup_ms: number
  /** the pipeline effect, from provide to completion */
  readonly pipeline_ms: number
  /** process start → pipeline done */
  readonly total_ms: number
  readonly phases: ReadonlyArray<{ readonly label: string; readonly stage: string; readonly ms: number }>
  readonly stages: Readonly<Record<string, number>>
  /** process.resourceUsage().maxRSS, kB */
  readonly max_rss_kb: number
  readonly node: string
  /** the primary Pearson r, to check the baselines compute the same thing */
  readonly primary: { readonly r: number; readonly n: number } | null
}

const usage = "usage: tsx bench/run-one.ts --study DIR --out REPORT_DIR --json FILE"
const { values } = parseArgs({
  options: { study: { type: "string" }, out: { type: "string" }, json: { type: "string" } },
  strict: true,
})
const { study, out, json } = values
if (study === undefined || out === undefined || json === undefined) {
  process.stderr.write(usage + "\n")
  process.exit(2)
}

const marks: PhaseMark[] = []
/**
 * Progress as `--quiet` has it, except that each phase's start is recorded. Built on
 * Progress.silent rather than spelled out, so that members added to Progress later stay silent
 * here without this file changing.
 */
const recording = Layer.effect(
  Progress,
  Effect.gen(function* () {
    const silent = yield* Progress
    return Progress.of({ ...silent, phase: (label) => Effect.sync(() => void marks.push({ label, at: performance.now() })) })
  }),
).pipe(Layer.provide(Progress.silent))
const platform = Layer.mergeAll(NodeFileSystem.layer, NodePath.layer)
const services = Layer.mergeAll(CsvSource.layer, ReportWriter.layer.pipe(Layer.provide(platform)), platform, recording)

const started = performance.now()
const exit = await Effect.runPromiseExit(
  runAllianceOutcome({ study, out, poolingTest: null, validateOnly: false }).pipe(Effect.provide(services)),
)
const ended = performance.now()

if (Exit.isFailure(exit)) {
  process.stderr.write(Cause.pretty(exit.cause) + "\n")
  process.exit(1)
}

const timings = phaseTimings(marks, ended)
const pearson = exit.value?.primary.pearson
const report: RunOneReport = {
  startup_ms: modulesLoaded,
  pipeline_ms: ended - started,
  total_ms: ended,
  phases: timings,
  stages: stageTotals(timings),
  max_rss_kb: process.resourceUsage().maxRSS,
  node: process.version,
  primary: pearson?.status === "estimated" ? { r: pearson.estimate, n: pearson.n } : null,
}
writeFileSync(json, JSON.stringify(report, null, 2) + "\n")
