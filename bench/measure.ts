/**
 * Timing child processes: wall time measured here (performance.now around spawnSync), peak RSS
 * from GNU time (`/usr/bin/time -v`, "Maximum resident set size") when the machine has it.
 * Also the input figures: file sizes and data rows.
 */
import { spawnSync } from "node:child_process"
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

const GNU_TIME = "/usr/bin/time"

/** Whether `/usr/bin/time -v` works here (GNU time; BSD/macOS time has no -v). */
export const gnuTimeAvailable = (): boolean =>
  existsSync(GNU_TIME) && spawnSync(GNU_TIME, ["-v", "-o", "/dev/null", "true"], { stdio: "ignore" }).status === 0

export interface Measured {
  readonly wall_ms: number
  /** peak resident set size in kB, per GNU time; null without it */
  readonly time_max_rss_kb: number | null
  /** exit status; null when killed by a signal */
  readonly status: number | null
  readonly signal: string | null
  readonly stdout: string
  readonly stderr: string
}

export interface MeasureOptions {
  readonly useTime: boolean
  readonly env?: NodeJS.ProcessEnv
  readonly cwd?: string
}

/** Parses "Maximum resident set size (kbytes): 123456" out of `time -v` output. */
export const parseMaxRss = (text: string): number | null => {
  const m = /Maximum resident set size \(kbytes\):\s*(\d+)/.exec(text)
  return m ? Number(m[1]) : null
}

/** Runs `command args` to completion, timing it; stdout and stderr are captured. */
export const measure = (command: string, args: ReadonlyArray<string>, options: MeasureOptions): Measured => {
  const scratch = options.useTime ? mkdtempSync(join(tmpdir(), "alliance-bench-time-")) : null
  const timeFile = scratch === null ? null : join(scratch, "time.txt")
  const [file, argv] = timeFile === null ? [command, [...args]] : [GNU_TIME, ["-v", "-o", timeFile, command, ...args]]
  const t0 = performance.now()
  const child = spawnSync(file, argv, {
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  })
  const wall = performance.now() - t0
  const timeText = timeFile !== null && existsSync(timeFile) ? readFileSync(timeFile, "utf8") : ""
  if (scratch !== null) rmSync(scratch, { recursive: true, force: true })
  return {
    wall_ms: wall,
    time_max_rss_kb: parseMaxRss(timeText),
    status: child.error ? null : child.status,
    signal: child.signal,
    stdout: child.stdout ?? "",
    stderr: (child.stderr ?? "") + (child.error ? `\n${child.error.message}` : ""),
  }
}

/** The index of the run with the median wall time (the lower middle one when the count is even). */
export const medianIndex = (walls: ReadonlyArray<number>): number => {
  const order = walls.map((w, i) => ({ w, i })).sort((a, b) => a.w - b.w)
  return order[Math.floor((order.length - 1) / 2)]!.i
}

/** Data rows of a CSV file: its lines less the header (a last line without "\n" counts). */
export const countDataRows = async (file: string): Promise<number> => {
  let lines = 0
  let last = 10
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++
    if (chunk.length > 0) last = chunk[chunk.length - 1]!
  }
  if (last !== 10) lines++
  return Math.max(0, lines - 1)
}

/** The last line of `text` that parses as a JSON object, or null. */
export const lastJsonLine = (text: string): Record<string, unknown> | null => {
  const lines = text.split("\n").map((l) => l.trim()).filter((l) => l.startsWith("{"))
  for (const line of lines.reverse()) {
    try {
      const value: unknown = JSON.parse(line)
      if (typeof value === "object" && value !== null) return value as Record<string, unknown>
    } catch {
      // not JSON: keep looking
    }
  }
  return null
}

/** The last few lines of a child's stderr, for an error message. */
export const tail = (text: string, lines = 8): string => text.trimEnd().split("\n").slice(-lines).join("\n")
