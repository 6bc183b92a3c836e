/**
 * The benchmark's JSON record (bench/results/bench-<date>.json): its types, and the arithmetic
 * that turns raw timings into figures (seconds, MiB, MB/s, ratios). Units: seconds; RSS in kB as
 * measured (GNU time and process.resourceUsage both report KiB) and in MiB; file sizes in bytes
 * and in MB (10^6 bytes), so throughput is MB/s in the decimal sense.
 */
import type { BaselineId } from "./baselines.ts"
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
  readonly primary: { readonly r: number; readonly n: number } | null
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

export interface SizeRecord {
  readonly clients: number
  readonly input: InputFigures
  readonly generate_s: number
  readonly pipeline: PipelineFigures
  readonly baselines: Readonly<Partial<Record<BaselineId, BaselineFigures>>>
  readonly ratios: Readonly<Partial<Record<BaselineId, Ratios>>>
}

export interface BenchRecord {
  readonly date: string
  readonly command: string
  readonly machine: MachineInfo
  readonly settings: { readonly sizes: ReadonlyArray<number>; readonly repeat: number; readonly seed: number; readonly baselines: ReadonlyArray<BaselineId> }
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
