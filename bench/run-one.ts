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
import "../src/cli/jit-guard.ts" // first: before the analysis code is compiled (see the file)
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import { writeFileSync } from "node:fs"
import { parseArgs } from "node:util"
import { runAllianceOutcome } from "../pipelines/alliance-outcome.ts"
import { type PhaseMark, Progress } from "../src/cli/Progress.ts"
import { CsvSource } from "../src/io/CsvSource.ts"
import { ReportWriter } from "../src/io/ReportWriter.ts"
import { phaseTimings, stageTotals } from "./stages.ts"

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
  /** the primary analysis, to check the baselines compute the same thing */
  readonly primary: PrimaryFigures | null
}

/** The primary analysis as results.json has it: Pearson r(early alliance, improvement) and the partial r. */
export interface PrimaryFigures {
  readonly r: number
  readonly n: number
  readonly ci_lower: number
  readonly ci_upper: number
  readonly t: number
  readonly p: number
  /** r(early alliance, outcome | baseline), null when not estimated */
  readonly partial_r: number | null
}

const usage = "usage: tsx bench/run-one.ts --study DIR --out REPORT_DIR --json FILE [--reader fast|csv-parse]"
const { values } = parseArgs({
  options: { study: { type: "string" }, out: { type: "string" }, json: { type: "string" }, reader: { type: "string", default: "fast" } },
  strict: true,
})
const { study, out, json, reader } = values
if (study === undefined || out === undefined || json === undefined || (reader !== "fast" && reader !== "csv-parse")) {
  process.stderr.write(usage + "\n")
  process.exit(2)
}

const marks: PhaseMark[] = []
// Progress as `--quiet` has it, except that each phase's start is recorded (as the CLI records it for its timings file)
const recording = Progress.recording(Progress.silent, marks)
const platform = Layer.mergeAll(NodeFileSystem.layer, NodePath.layer)
// csv-parse alone (the parser of record) for checking that results do not depend on the reader
const csv = reader === "csv-parse" ? CsvSource.csvParseLayer : CsvSource.layer
const services = Layer.mergeAll(csv, ReportWriter.layer.pipe(Layer.provide(platform)), platform, recording)

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
const pearson = exit.value?.results.primary.pearson
const partial = exit.value?.results.primary.partial
const report: RunOneReport = {
  startup_ms: modulesLoaded,
  pipeline_ms: ended - started,
  total_ms: ended,
  phases: timings,
  stages: stageTotals(timings),
  max_rss_kb: process.resourceUsage().maxRSS,
  node: process.version,
  primary:
    pearson?.status === "estimated"
      ? {
          r: pearson.estimate,
          n: pearson.n,
          ci_lower: pearson.ci[0],
          ci_upper: pearson.ci[1],
          t: pearson.statistic,
          p: pearson.p,
          partial_r: partial?.status === "estimated" ? partial.estimate : null,
        }
      : null,
}
writeFileSync(json, JSON.stringify(report, null, 2) + "\n")
