/**
 * The benchmark harness (issue 3): `npm run bench [-- --sizes 10000,100000 --repeat 3 …]`.
 *
 * For each size: generate a synthetic study with the project's generator (seed 1) in a temporary
 * folder, run the full default pipeline on it in a child process (bench/run-one.ts, so the wall
 * time includes startup, as in a user's run), then the baselines that this machine can run on the
 * same files (bench/baseline.py, bench/baseline.R). Wall time is measured here around each child;
 * peak RSS by `/usr/bin/time -v` where it exists. Writes bench-<date>.json and .md to the output
 * folder and prints the Markdown table. Exit 0 when every pipeline run succeeded, 1 otherwise,
 * 2 on a usage error. Not part of `npm test`.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { cpus, release, tmpdir, totalmem } from "node:os"
import { delimiter, join, relative as relativePath, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import { BASELINE_IDS, detectBaseline, runBaseline, type BaselineId, type Detected } from "./baselines.ts"
import { countDataRows, gnuTimeAvailable, measure, medianIndex, tail } from "./measure.ts"
import {
  agreementWithR, failedPipeline, mib, numberField, perSecond, ratiosOf, seconds, skipped,
  type BaselineFigures, type BenchRecord, type InputFigures, type MachineInfo, type PipelineFigures, type Ratios, type ReaderCheck, type RerunCheck, type SizeRecord,
} from "./record.ts"
import type { RunOneReport } from "./run-one.ts"
import type { Stage } from "./stages.ts"
import { markdown } from "./table.ts"

const ROOT = fileURLToPath(new URL("..", import.meta.url))
const BIN = join(ROOT, "node_modules", ".bin")
const TSX = join(BIN, "tsx")
/** children find the project's pinned Node first, as under npx / npm run */
const ENV: NodeJS.ProcessEnv = { ...process.env, PATH: `${BIN}${delimiter}${process.env["PATH"] ?? ""}` }
const SEED = 1

const USAGE = `usage: npm run bench -- [--sizes 10000,100000,1000000] [--repeat N] [--baselines pandas,r|none] [--out DIR] [--keep-data]

  --sizes LIST      client counts to generate and run (default 10000,100000,1000000)
  --repeat N        run the pipeline and each baseline N times, report the median wall time (default 1)
  --baselines LIST  which baselines to try: pandas, r, or none (default pandas,r); missing ones are skipped
  --out DIR         where bench-<date>.json and .md go (default bench/results)
  --reader-check W  which sizes to run again with csv-parse alone, comparing results.json byte for
                    byte with the fast reader's: largest (default), all or none
  --rerun-check W   which sizes to run twice more through the command line on one step cache (filling
                    it, then re-running with nothing changed), timing the re-run against the pipeline
                    and comparing its report folder byte for byte: largest (default), all or none
  --keep-data       keep the generated studies and reports (printed at the end; default: deleted)`

interface Options {
  readonly sizes: ReadonlyArray<number>
  readonly repeat: number
  readonly baselines: ReadonlyArray<BaselineId>
  readonly out: string
  readonly keepData: boolean
  readonly readerCheck: "largest" | "all" | "none"
  readonly rerunCheck: "largest" | "all" | "none"
}

const parseOptions = (argv: ReadonlyArray<string>): Options | string => {
  let values
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        sizes: { type: "string", default: "10000,100000,1000000" },
        repeat: { type: "string", default: "1" },
        baselines: { type: "string", default: BASELINE_IDS.join(",") },
        out: { type: "string", default: join(ROOT, "bench", "results") },
        "keep-data": { type: "boolean", default: false },
        "reader-check": { type: "string", default: "largest" },
        "rerun-check": { type: "string", default: "largest" },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
  if (values.help) return "help"
  const sizes = values.sizes.split(",").map((s) => s.trim())
  if (sizes.some((s) => !/^[1-9]\d*$/.test(s))) return `--sizes must be whole numbers separated by commas, got "${values.sizes}"`
  if (!/^[1-9]\d*$/.test(values.repeat)) return `--repeat must be a whole number ≥ 1, got "${values.repeat}"`
  const baselines = values.baselines === "none" ? [] : values.baselines.split(",").map((s) => s.trim().toLowerCase())
  const unknown = baselines.filter((b) => !(BASELINE_IDS as ReadonlyArray<string>).includes(b))
  if (unknown.length > 0) return `--baselines takes pandas, r or none, got "${unknown.join(",")}"`
  const readerCheck = values["reader-check"]
  if (readerCheck !== "largest" && readerCheck !== "all" && readerCheck !== "none") {
    return `--reader-check takes largest, all or none, got "${readerCheck}"`
  }
  const rerunCheck = values["rerun-check"]
  if (rerunCheck !== "largest" && rerunCheck !== "all" && rerunCheck !== "none") {
    return `--rerun-check takes largest, all or none, got "${rerunCheck}"`
  }
  return {
    sizes: sizes.map(Number),
    repeat: Number(values.repeat),
    baselines: baselines as BaselineId[],
    out: resolve(values.out),
    keepData: values["keep-data"],
    readerCheck,
    rerunCheck,
  }
}

const say = (line: string) => void process.stderr.write(line + "\n")
const label = (n: number) => `[${n.toLocaleString("en-US")} clients]`

const machineInfo = (useTime: boolean): MachineInfo => ({
  os: `${process.platform} ${release()} ${process.arch}`,
  cpus: cpus().length,
  cpu_model: cpus()[0]?.model.trim() ?? "unknown",
  total_memory_bytes: totalmem(),
  node: (() => {
    const v = measure(join(BIN, "node"), ["--version"], { useTime: false })
    return v.status === 0 ? v.stdout.trim() : process.version
  })(),
  peak_rss_source: useTime ? "/usr/bin/time -v" : "process.resourceUsage",
})

/** The pipeline, `repeat` times, in child processes; the figures of the median run. */
const benchPipeline = (dir: string, input: InputFigures, options: Options, useTime: boolean): PipelineFigures => {
  const runs: Array<{ wall: number; report: RunOneReport; timeRss: number | null }> = []
  for (let k = 1; k <= options.repeat; k++) {
    const json = join(dir, `run-one-${k}.json`)
    const args = [join(ROOT, "bench", "run-one.ts"), "--study", dir, "--out", join(dir, `report-${k}`), "--json", json]
    const m = measure(TSX, args, { useTime, env: ENV, cwd: ROOT })
    if (m.status !== 0) return failedPipeline(`exit ${m.status ?? m.signal}: ${tail(m.stderr)}`, runs.map((r) => seconds(r.wall)))
    runs.push({ wall: m.wall_ms, report: JSON.parse(readFileSync(json, "utf8")) as RunOneReport, timeRss: m.time_max_rss_kb })
  }
  const median = runs[medianIndex(runs.map((r) => r.wall))]!
  const { report } = median
  const stages = Object.fromEntries(Object.entries(report.stages).map(([k, ms]) => [k, seconds(ms)])) as Record<Stage, number>
  const peak = median.timeRss ?? report.max_rss_kb
  return {
    status: "ok",
    error: null,
    wall_s: seconds(median.wall),
    walls_s: runs.map((r) => seconds(r.wall)),
    peak_rss_kb: peak,
    peak_rss_mib: mib(peak),
    child_max_rss_kb: report.max_rss_kb,
    startup_s: seconds(report.startup_ms),
    in_process_s: seconds(report.total_ms),
    stages_s: stages,
    phases: report.phases.map((p) => ({ label: p.label, stage: p.stage, s: seconds(p.ms) })),
    read_validate_mb_per_s: perSecond(input.mb, stages.read_validate),
    primary: report.primary,
  }
}

/**
 * Issue 3: results must be identical to the last digit whichever ingest path was used. Runs the
 * pipeline once more with csv-parse alone and compares its results.json with the fast run's.
 */
const checkReaders = (dir: string): ReaderCheck => {
  const json = join(dir, "run-one-csv-parse.json")
  const out = join(dir, "report-csv-parse")
  const args = [join(ROOT, "bench", "run-one.ts"), "--study", dir, "--out", out, "--json", json, "--reader", "csv-parse"]
  const m = measure(TSX, args, { useTime: false, env: ENV, cwd: ROOT })
  if (m.status !== 0) return { status: "failed", detail: `exit ${m.status ?? m.signal}: ${tail(m.stderr)}`, wall_s: null }
  const fast = readFileSync(join(dir, "report-1", "results.json"))
  const reference = readFileSync(join(out, "results.json"))
  const identical = fast.equals(reference)
  return {
    status: identical ? "identical" : "different",
    detail: identical ? null : `results.json differs (${fast.length} vs ${reference.length} bytes); both kept with --keep-data`,
    wall_s: seconds(m.wall_ms),
  }
}

/**
 * Issue 9: a re-run with nothing changed reuses every step. Runs the command line twice on one
 * step cache (the first run fills it), times the second, and compares its report folder byte for
 * byte with the uncached run's (report-1).
 */
const checkRerun = (dir: string, pipelineWall: number | null): RerunCheck => {
  const cli = (out: string) =>
    measure(TSX, [join(ROOT, "pipelines", "run.ts"), dir, "--out", join(dir, out), "--cache", join(dir, "step-cache"), "--quiet"], { useTime: false, env: ENV, cwd: ROOT })
  const fill = cli("report-cache-fill")
  const rerun = fill.status === 0 ? cli("report-cache-rerun") : fill
  if (rerun.status !== 0) return { status: "failed", detail: `exit ${rerun.status ?? rerun.signal}: ${tail(rerun.stderr)}`, fill_s: null, rerun_s: null, rerun_ratio: null }
  const files = (folder: string) => readdirSync(folder, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => relativePath(folder, join(e.parentPath, e.name))).sort()
  const uncached = join(dir, "report-1")
  const reran = join(dir, "report-cache-rerun")
  const names = files(uncached)
  const differing = names.filter((name) => !readFileSync(join(uncached, name)).equals(readFileSync(join(reran, name))))
  const identical = differing.length === 0 && files(reran).join("\n") === names.join("\n")
  return {
    status: identical ? "identical" : "different",
    detail: identical ? null : `differs from the uncached run: ${differing.join(", ") || "the file list"}`,
    fill_s: seconds(fill.wall_ms),
    rerun_s: seconds(rerun.wall_ms),
    rerun_ratio: pipelineWall === null ? null : seconds(rerun.wall_ms) / pipelineWall,
  }
}

/** One baseline, `repeat` times, on the same files; the figures of the median run. */
const benchBaseline = (detected: Detected, dir: string, input: InputFigures, options: Options, useTime: boolean): BaselineFigures => {
  if (!detected.available) return skipped(detected.reason)
  const { runner } = detected
  const runs = []
  for (let k = 1; k <= options.repeat; k++) {
    const run = runBaseline(runner, join(dir, "clients.csv"), join(dir, "sessions.csv"), useTime)
    if (run.error !== null) return skipped(run.error, "failed", runner.versions)
    runs.push(run)
  }
  const median = runs[medianIndex(runs.map((r) => r.measured.wall_ms))]!
  const readS = numberField(median.output, "read_s")
  const peak = median.measured.time_max_rss_kb
  return {
    status: "ok",
    reason: null,
    versions: runner.versions,
    wall_s: seconds(median.measured.wall_ms),
    walls_s: runs.map((r) => seconds(r.measured.wall_ms)),
    peak_rss_kb: peak,
    peak_rss_mib: mib(peak),
    read_s: readS,
    read_mb_per_s: perSecond(input.mb, readS),
    r: numberField(median.output, "r"),
    n: numberField(median.output, "n"),
    output: median.output,
  }
}

const benchSize = async (
  clients: number, dataRoot: string, options: Options, useTime: boolean, detected: ReadonlyArray<Detected>, isLargest: boolean,
): Promise<SizeRecord> => {
  const dir = join(dataRoot, `clients-${clients}`)
  say(`${label(clients)} generating the study (seed ${SEED})…`)
  const gen = measure(TSX, [join(ROOT, "scripts", "generate-study.ts"), "--out", dir, "--clients", String(clients), "--seed", String(SEED)], {
    useTime: false, env: ENV, cwd: ROOT,
  })
  if (gen.status !== 0) throw new Error(`the generator failed for ${clients} clients: ${tail(gen.stderr)}`)
  const [clientsCsv, sessionsCsv] = [join(dir, "clients.csv"), join(dir, "sessions.csv")]
  const clientsBytes = statSync(clientsCsv).size
  const sessionsBytes = statSync(sessionsCsv).size
  const input: InputFigures = {
    clients_bytes: clientsBytes,
    sessions_bytes: sessionsBytes,
    mb: (clientsBytes + sessionsBytes) / 1e6,
    clients_rows: await countDataRows(clientsCsv),
    sessions_rows: await countDataRows(sessionsCsv),
  }
  say(`${label(clients)} ${input.sessions_rows.toLocaleString("en-US")} sessions, ${input.mb.toFixed(1)} MB; running the pipeline…`)
  const pipeline = benchPipeline(dir, input, options, useTime)
  say(pipeline.status === "ok"
    ? `${label(clients)} pipeline: ${pipeline.wall_s?.toFixed(2)} s wall, ${pipeline.peak_rss_mib?.toFixed(0)} MiB peak`
    : `${label(clients)} pipeline FAILED: ${pipeline.error}`)

  const baselines: Partial<Record<BaselineId, BaselineFigures>> = {}
  const ratios: Partial<Record<BaselineId, Ratios>> = {}
  for (const d of detected) {
    const id = d.available ? d.runner.id : d.id
    if (d.available) say(`${label(clients)} running the ${id} baseline…`)
    const figures = benchBaseline(d, dir, input, options, useTime)
    baselines[id] = figures
    if (figures.status === "ok") {
      ratios[id] = ratiosOf(pipeline, figures)
      say(`${label(clients)} ${id}: ${figures.wall_s?.toFixed(2)} s wall, ${figures.peak_rss_mib?.toFixed(0)} MiB peak; ` +
        `pipeline / ${id} = ${ratios[id].wall?.toFixed(3) ?? "—"}`)
    } else if (d.available) say(`${label(clients)} ${id} baseline failed (reported, not fatal): ${figures.reason}`)
  }
  const rOutput = baselines.r?.status === "ok" ? baselines.r.output : null
  const r_agreement = rOutput === null ? [] : agreementWithR(pipeline.primary, rOutput)
  if (r_agreement.length > 0) {
    const all = r_agreement.every((a) => a.agrees_6_digits)
    say(`${label(clients)} primary analysis ${all ? "agrees" : "does NOT agree"} with R to 6 significant digits`)
  }

  let reader_check: ReaderCheck | null = null
  if (pipeline.status === "ok" && (options.readerCheck === "all" || (options.readerCheck === "largest" && isLargest))) {
    say(`${label(clients)} running the pipeline again with csv-parse alone, to compare results.json…`)
    reader_check = checkReaders(dir)
    say(`${label(clients)} csv-parse reader: results.json ${reader_check.status}${reader_check.detail ? ` (${reader_check.detail})` : ""}`)
  }
  let rerun_check: RerunCheck | null = null
  if (pipeline.status === "ok" && (options.rerunCheck === "all" || (options.rerunCheck === "largest" && isLargest))) {
    say(`${label(clients)} running the command line twice on one step cache, to time a re-run with nothing changed…`)
    rerun_check = checkRerun(dir, pipeline.wall_s)
    say(`${label(clients)} re-run: ${rerun_check.rerun_s?.toFixed(2) ?? "—"} s wall (${rerun_check.rerun_ratio?.toFixed(3) ?? "—"} × the pipeline's), report ${rerun_check.status}${rerun_check.detail ? ` (${rerun_check.detail})` : ""}`)
  }
  return { clients, input, generate_s: seconds(gen.wall_ms), pipeline, baselines, ratios, r_agreement, reader_check, rerun_check }
}

const main = async (argv: ReadonlyArray<string>): Promise<number> => {
  const options = parseOptions(argv)
  if (options === "help") return (say(USAGE), 0)
  if (typeof options === "string") return (say(`error: ${options}\n\n${USAGE}`), 2)

  const date = new Date().toISOString()
  const useTime = gnuTimeAvailable()
  if (!useTime) say("/usr/bin/time -v is not available: peak RSS is the child's own maxRSS")
  const detected = options.baselines.map((id) => detectBaseline(id, join(ROOT, "bench")))
  for (const d of detected) say(d.available ? `baseline ${d.runner.id}: ${d.runner.versions}` : `baseline ${d.id} skipped: ${d.reason}`)

  const dataRoot = mkdtempSync(join(tmpdir(), "alliance-bench-"))
  const sizes: SizeRecord[] = []
  try {
    const largest = Math.max(...options.sizes)
    for (const clients of options.sizes) sizes.push(await benchSize(clients, dataRoot, options, useTime, detected, clients === largest))
  } finally {
    if (options.keepData) say(`kept the generated studies and reports in ${dataRoot}`)
    else rmSync(dataRoot, { recursive: true, force: true })
  }

  const record: BenchRecord = {
    date,
    command: ["npm run bench --", ...argv].join(" ").replace(/ --$/, ""),
    machine: machineInfo(useTime),
    settings: { sizes: options.sizes, repeat: options.repeat, seed: SEED, baselines: options.baselines, reader_check: options.readerCheck, rerun_check: options.rerunCheck },
    sizes,
  }
  const stamp = date.replace(/:/g, "-").replace(/\.\d+Z$/, "Z")
  mkdirSync(options.out, { recursive: true })
  const base = join(options.out, `bench-${stamp}`)
  const table = markdown(record)
  writeFileSync(`${base}.json`, JSON.stringify(record, null, 2) + "\n")
  writeFileSync(`${base}.md`, table)
  process.stdout.write(table)
  say(`wrote ${base}.json and ${base}.md`)
  // a failed run, or results that depend on the reader, fail the benchmark
  const good = (check: { readonly status: string } | null | undefined) => check === null || check === undefined || check.status === "identical"
  return sizes.every((s) => s.pipeline.status === "ok" && good(s.reader_check) && good(s.rerun_check)) ? 0 : 1
}

process.exitCode = await main(process.argv.slice(2))
