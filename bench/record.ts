/**
 * The benchmark's JSON record (bench/results/bench-<date>.json): its types, and the arithmetic
 * that turns raw timings into figures (seconds, MiB, MB/s, ratios). Units: seconds; RSS in kB as
 * measured (GNU time and process.resourceUsage both report KiB) and in MiB; file sizes in bytes
 * and in MB (10^6 bytes), so throughput is MB/s in the decimal sense.
 */
import type { BaselineId } from "./baselines.ts"
import type { PrimaryFigures } from "./run-one.ts"
import type { Stage } from "./stages.ts"

export interface MachineInfo {
  readonly os: string
  readonly cpus: number
  readonly cpu_model: string
  readonly total_memory_bytes: number
  readonly node: string
  /** where peak RSS comes from: "/usr/bin/time -v", or the child's own maxRSS without it */
  readonly peak_rss_source: "/usr/bin/time -v" | "process.resourceUsage"
}

export interface InputFigures {
  readonly clients_bytes: number
  readonly sessions_bytes: number
  readonly mb: number
  readonly clients_rows: number
  readonly sessions_rows: number
}

export interface PipelineFigures {
  readonly status: "ok" | "failed"
  readonly error: string | null
  /** wall time of the child process, median over the repeats */
  readonly wall_s: number | null
  readonly walls_s: ReadonlyArray<number>
  readonly peak_rss_kb: number | null
  readonly peak_rss_mib: number | null
  /** the child's own process.resourceUsage().maxRSS */
  readonly child_max_rss_kb: number | null
  /** in the child: process start → modules loaded */
  readonly startup_s: number | null
  /** in the child: process start → pipeline done */
  readonly in_process_s: number | null
  readonly stages_s: Readonly<Record<Stage, number>> | null
  readonly phases: ReadonlyArray<{ readonly label: string; readonly stage: string; readonly s: number }>
  /** input MB / read+validate seconds */
  readonly read_validate_mb_per_s: number | null
  readonly primary: PrimaryFigures | null
}

export interface BaselineFigures {
  readonly status: "ok" | "skipped" | "failed"
  /** why it was skipped or failed */
  readonly reason: string | null
  readonly versions: string | null
  readonly wall_s: number | null
  readonly walls_s: ReadonlyArray<number>
  readonly peak_rss_kb: number | null
  readonly peak_rss_mib: number | null
  /** the script's own timing of reading both CSV files */
  readonly read_s: number | null
  readonly read_mb_per_s: number | null
  readonly r: number | null
  readonly n: number | null
  /** everything the script printed as its JSON result */
  readonly output: Record<string, unknown> | null
}

export interface Ratios {
  /** pipeline wall / baseline wall: below 1 means the pipeline is faster */
  readonly wall: number | null
  /** pipeline peak RSS / baseline peak RSS */
  readonly peak_rss: number | null
  /** |r(pipeline) − r(baseline)| / |r(baseline)|: both computed the same primary correlation */
  readonly r_relative_difference: number | null
}

/** One quantity of the primary analysis, the pipeline's value against R's. */
export interface Agreement {
  readonly quantity: string
  readonly pipeline: number | null
  readonly r: number | null
  /** |pipeline − R| / |R| (0 when both are 0) */
  readonly relative_difference: number | null
  /** within half a unit of the 6th significant digit of R's value */
  readonly agrees_6_digits: boolean
}

/** The pipeline run again with csv-parse alone (the parser of record), results.json compared byte for byte. */
export interface ReaderCheck {
  readonly status: "identical" | "different" | "failed"
  readonly detail: string | null
  readonly wall_s: number | null
}

/**
 * Issue 9: the CLI run twice on one step cache, filling it and then re-running with nothing
 * changed; the re-run's report folder compared byte for byte with the uncached run's.
 */
export interface RerunCheck {
  readonly status: "identical" | "different" | "failed"
  readonly detail: string | null
  /** the first run, which fills the cache (a full run, plus storing) */
  readonly fill_s: number | null
  /** the re-run, every step reused */
  readonly rerun_s: number | null
  /** re-run wall / the uncached pipeline's wall in the same bench run */
  readonly rerun_ratio: number | null
}

export interface SizeRecord {
  readonly clients: number
  readonly input: InputFigures
  readonly generate_s: number
  readonly pipeline: PipelineFigures
  readonly baselines: Readonly<Partial<Record<BaselineId, BaselineFigures>>>
  readonly ratios: Readonly<Partial<Record<BaselineId, Ratios>>>
  /** the primary analysis against the R baseline's (empty when R did not run) */
  readonly r_agreement: ReadonlyArray<Agreement>
  /** null when not run for this size */
  readonly reader_check: ReaderCheck | null
  /** null when not run for this size (absent in records made before it existed) */
  readonly rerun_check?: RerunCheck | null
}

export interface BenchRecord {
  readonly date: string
  readonly command: string
  readonly machine: MachineInfo
  readonly settings: {
    readonly sizes: ReadonlyArray<number>
    readonly repeat: number
    readonly seed: number
    readonly baselines: ReadonlyArray<BaselineId>
    readonly reader_check: "largest" | "all" | "none"
    readonly rerun_check?: "largest" | "all" | "none"
  }
  readonly sizes: ReadonlyArray<SizeRecord>
}

export const seconds = (ms: number): number => ms / 1000
export const mib = (kb: number | null): number | null => (kb === null ? null : kb / 1024)
export const perSecond = (mb: number, s: number | null): number | null => (s === null || s <= 0 ? null : mb / s)
const ratio = (a: number | null, b: number | null): number | null => (a === null || b === null || b === 0 ? null : a / b)

export const ratiosOf = (pipeline: PipelineFigures, baseline: BaselineFigures): Ratios => ({
  wall: ratio(pipeline.wall_s, baseline.wall_s),
  peak_rss: ratio(pipeline.peak_rss_kb, baseline.peak_rss_kb),
  r_relative_difference:
    pipeline.primary === null || baseline.r === null ? null : Math.abs(pipeline.primary.r - baseline.r) / Math.abs(baseline.r),
})

/**
 * Whether `a` agrees with the reference `b` to 6 significant digits: |a − b| is at most half a
 * unit in b's 6th significant digit. Example: 0.2802313 vs 0.28023129853 → agrees (the 6th
 * digit is in 1e-6, and they differ by 1.5e-9).
 */
export const agreesTo6 = (a: number, b: number): boolean => {
  if (a === b) return true
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return false
  const unit = 10 ** (Math.floor(Math.log10(Math.abs(b))) - 5)
  return Math.abs(a - b) <= unit / 2
}

const PRIMARY_QUANTITIES: ReadonlyArray<readonly [string, keyof PrimaryFigures, string]> = [
  ["Pearson r", "r", "r"],
  ["95% CI lower", "ci_lower", "ci_lower"],
  ["95% CI upper", "ci_upper", "ci_upper"],
  ["t", "t", "t"],
  ["p", "p", "p"],
  ["n", "n", "n"],
  ["partial r given baseline", "partial_r", "partial_r"],
]

/** The pipeline's primary analysis against the R baseline's output, quantity by quantity. */
export const agreementWithR = (primary: PrimaryFigures | null, output: Record<string, unknown> | null): ReadonlyArray<Agreement> =>
  PRIMARY_QUANTITIES.map(([quantity, ours, theirs]) => {
    const a = primary?.[ours] ?? null
    const b = numberField(output, theirs)
    const relative = a === null || b === null ? null : a === b ? 0 : Math.abs(a - b) / Math.abs(b)
    return { quantity, pipeline: a, r: b, relative_difference: relative, agrees_6_digits: a !== null && b !== null && agreesTo6(a, b) }
  })

export const skipped = (reason: string, status: "skipped" | "failed" = "skipped", versions: string | null = null): BaselineFigures => ({
  status,
  reason,
  versions,
  wall_s: null,
  walls_s: [],
  peak_rss_kb: null,
  peak_rss_mib: null,
  read_s: null,
  read_mb_per_s: null,
  r: null,
  n: null,
  output: null,
})

export const failedPipeline = (error: string, walls: ReadonlyArray<number>): PipelineFigures => ({
  status: "failed",
  error,
  wall_s: null,
  walls_s: walls,
  peak_rss_kb: null,
  peak_rss_mib: null,
  child_max_rss_kb: null,
  startup_s: null,
  in_process_s: null,
  stages_s: null,
  phases: [],
  read_validate_mb_per_s: null,
  primary: null,
})

/** A number from a baseline's JSON output, or null. */
export const numberField = (output: Record<string, unknown> | null, key: string): number | null => {
  const value = output?.[key]
  return typeof value === "number" && Number.isFinite(value) ? value : null
}
