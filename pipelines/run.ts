/**
 * The command line: `npx tsx pipelines/run.ts [validate] [study] [--out DIR] [--pooling-test z|knha]`
 * `npx tsx pipelines/run.ts synthesize <studies.csv | study file | folder> [--out DIR]`,
 * `npx tsx pipelines/run.ts summarize <study> --site LABEL [--out FILE]` and
 * `npx tsx pipelines/run.ts pool <site summaries…> [--out DIR] [--pooling-test z|knha]`.
 * Run `npx tsx pipelines/run.ts --help` for the full usage.
 *
 * This is the edge of the program: it parses the arguments, provides the Node services once,
 * runs the pipeline, and turns every failure into a plain message and an exit code
 * (0 ok · 1 unexpected · 2 usage/study file · 3 invalid data · 4 de-identification gate ·
 * 5 results drifted from --check's expected file).
 */
import "../src/cli/jit-guard.ts" // first: before the analysis code is compiled (see the file)
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import { appendFileSync, writeFileSync } from "node:fs"
import { relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { parseCommandLine, USAGE } from "../src/cli/args.ts"
import { junitXml, type RunOutcome, stepSummary } from "../src/cli/ci-outputs.ts"
import { formatError } from "../src/cli/messages.ts"
import { type PhaseMark, Progress, timingsRecord } from "../src/cli/Progress.ts"
import { exitCodeOf, type PipelineError } from "../src/errors.ts"
import { CsvSource } from "../src/io/CsvSource.ts"
import { ReportWriter } from "../src/io/ReportWriter.ts"
import { TOOL } from "../src/tool.ts"
import { runAllianceOutcome } from "./alliance-outcome.ts"
import { runPool } from "./site-pool.ts"
import { runSiteSummary } from "./site-summary.ts"
import { runSynthesis } from "./synthesis.ts"

/** The step cache's folder, under the working directory (like reports/). */
export const DEFAULT_CACHE_FOLDER = ".alliance-cache"

/** The bundled synthetic example study (see examples/example-study/README.md). */
export const EXAMPLE_STUDY = fileURLToPath(new URL("../examples/example-study/", import.meta.url))

const isPipelineError = (e: unknown): e is PipelineError =>
  typeof e === "object" && e !== null && "_tag" in e &&
  ["UsageError", "StudyFileError", "InvalidData", "IdentifyingData", "FileSystemError", "ResultsDrift"].includes(String((e as { _tag: unknown })._tag))

/** Runs the command line and returns the exit code (without exiting, so tests can call it). */
export const main = async (argv: ReadonlyArray<string>): Promise<number> => {
  const parsed = parseCommandLine(argv)
  if (!parsed.ok) {
    process.stderr.write(`error: ${parsed.message}\nRun with --help for usage.\n`)
    return 2
  }
  const command = parsed.command
  if (command.kind === "help") {
    process.stdout.write(USAGE + "\n")
    return 0
  }
  if (command.kind === "version") {
    process.stdout.write(`${TOOL.name} ${TOOL.version}\n`)
    return 0
  }

  const platform = Layer.mergeAll(NodeFileSystem.layer, NodePath.layer)
  const marks: PhaseMark[] = []
  const progress = Progress.recording(Progress.auto(command.quiet), marks)
  const services = Layer.mergeAll(CsvSource.layer, ReportWriter.layer.pipe(Layer.provide(platform)), platform, progress)
  if (command.kind === "pool") {
    const exit = await Effect.runPromiseExit(runPool({ files: command.files, out: command.out, poolingTest: command.poolingTest }).pipe(Effect.provide(services)))
    return Exit.isSuccess(exit) ? 0 : report(exit.cause).code
  }
  if (command.kind === "summarize") {
    const exit = await Effect.runPromiseExit(runSiteSummary({ study: command.study, site: command.site, out: command.out }).pipe(Effect.provide(services)))
    return Exit.isSuccess(exit) ? 0 : report(exit.cause).code
  }
  if (command.kind === "synthesize") {
    const exit = await Effect.runPromiseExit(
      runSynthesis({ study: command.study, out: command.out, method: command.method, poolingTest: command.poolingTest }).pipe(Effect.provide(services)),
    )
    return Exit.isSuccess(exit) ? 0 : report(exit.cause).code
  }
  const study = command.study ?? EXAMPLE_STUDY
  /** the study as the user named it, for the CI summaries */
  const label = command.study ?? "the bundled example"
  const exit = await Effect.runPromiseExit(
    runAllianceOutcome({
      study,
      out: command.out,
      poolingTest: command.poolingTest,
      privacy: command.privacy,
      check: command.check,
      validateOnly: command.kind === "validate",
      cache: cacheFolder(command.cache),
    }).pipe(Effect.provide(services)),
  )
  let outcome: RunOutcome
  let code = 0
  if (Exit.isSuccess(exit)) {
    // per-phase timings, beside the report folder (not in it: its bytes must not depend on them)
    if (exit.value !== undefined) {
      const record = {
        ...timingsRecord(marks, performance.now(), { tool: `${TOOL.name} ${TOOL.version}`, study: label, report: relative(process.cwd(), exit.value.out) || "." }),
        cache: exit.value.cache,
      }
      if (!sideFile(`${exit.value.out}.timings.json`, JSON.stringify(record, null, 2) + "\n", "write")) code = 1
    }
    outcome = { kind: "ok", study: label, summary: exit.value?.summary ?? null, check: exit.value?.check ?? null }
  } else {
    const failed = report(exit.cause)
    code = failed.code
    outcome = failed.error === null ? { kind: "unexpected", study: label } : { kind: "failed", study: label, error: failed.error, message: formatError(failed.error) }
  }
  // CI outputs: the GitHub Actions job summary, and --junit FILE
  const summaryFile = process.env["GITHUB_STEP_SUMMARY"]
  if (summaryFile !== undefined && summaryFile !== "" && !sideFile(summaryFile, stepSummary(outcome), "append")) code = code || 1
  if (command.junit !== null && !sideFile(command.junit, junitXml(outcome), "write")) code = code || 1
  return code
}

/** The step cache's folder: --cache DIR, none with --no-cache or ALLIANCE_NO_CACHE set, else .alliance-cache/ here. */
const cacheFolder = (choice: { readonly dir: string } | "off" | "default"): string | null => {
  if (choice === "off") return null
  if (choice !== "default") return resolve(choice.dir)
  const off = process.env["ALLIANCE_NO_CACHE"]
  return off !== undefined && off !== "" && off !== "0" ? null : resolve(DEFAULT_CACHE_FOLDER)
}

/** Writes (or appends to) a file beside the report; on failure says so, plainly, and returns false. */
const sideFile = (path: string, text: string, how: "write" | "append"): boolean => {
  try {
    if (how === "append") appendFileSync(path, text)
    else writeFileSync(path, text)
    return true
  } catch (error) {
    process.stderr.write(`error: could not ${how === "append" ? "append to" : "write"} ${path}: ${(error as Error).message}\n`)
    return false
  }
}

/** Prints why a run failed and gives its exit code (and the pipeline error, unless it was a bug). */
const report = (cause: Cause.Cause<PipelineError>): { readonly code: number; readonly error: PipelineError | null } => {
  const failure = cause.reasons.find(Cause.isFailReason)
  if (failure !== undefined && isPipelineError(failure.error)) {
    process.stderr.write(formatError(failure.error) + "\n")
    return { code: exitCodeOf(failure.error), error: failure.error }
  }
  process.stderr.write(
    "error: unexpected failure — this is a bug in alliance-outcome, not a problem with your data.\n" +
      (process.env["ALLIANCE_DEBUG"] ? Cause.pretty(cause) + "\n" : "Set ALLIANCE_DEBUG=1 to see the details.\n"),
  )
  return { code: 1, error: null }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main(process.argv.slice(2))
}
