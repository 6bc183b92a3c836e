/**
 * Progress: what the run tells the person at the terminal while it works.
 *
 * On a terminal, each phase is shown as it starts and finishes, with timings, on stderr. Off a
 * terminal (CI, pipes) it is quiet and line-oriented: only the final summary lines, which `note`
 * prints. `--quiet` silences both.
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

/** A progress bar for reading one big file. Synchronous, so it can be fed from a parsing loop. */
export interface Meter {
  readonly update: (bytes: number, rows: number) => void
  readonly done: () => void
}

const noMeter: Meter = { update: () => {}, done: () => {} }

export interface ProgressShape {
  /** a bar for reading `totalBytes` of one file (only drawn on a terminal) */
  readonly meter: (label: string, totalBytes: number) => Meter
  /** a phase of the pipeline begins */
  readonly phase: (label: string) => Effect.Effect<void>
  /** a line the user should see even off a terminal (the result, where it was written) */
  readonly note: (line: string) => Effect.Effect<void>
}

const write = (line: string) => Effect.sync(() => void process.stderr.write(line + "\n"))

const WIDTH = 24
const REDRAW_MS = 200
const MIN_BYTES = 8 << 20 // no bar for small files: they are read before it would be seen

const rate = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(0)}k` : `${Math.round(n)}`)

/** A terminal bar: [#####-----] 42% 1.2M rows 310k rows/s 61 MB/s ETA 3s, redrawn in place. */
const terminalMeter = (label: string, totalBytes: number): Meter => {
  if (totalBytes < MIN_BYTES) return noMeter
  const start = Date.now()
  let last = 0
  const draw = (bytes: number, rows: number) => {
    const seconds = Math.max((Date.now() - start) / 1000, 1e-3)
    const fraction = Math.min(bytes / totalBytes, 1)
    const filled = Math.round(fraction * WIDTH)
    const eta = fraction > 0 ? Math.max(0, seconds / fraction - seconds) : 0
    process.stderr.write(
      `\r  ${label} [${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}] ${Math.round(fraction * 100)}% ` +
        `${rate(rows)} rows ${rate(rows / seconds)} rows/s ${(bytes / 1e6 / seconds).toFixed(0)} MB/s ETA ${eta.toFixed(0)}s\u001b[K`,
    )
  }
  return {
    update: (bytes, rows) => {
      const now = Date.now()
      if (now - last < REDRAW_MS) return
      last = now
      draw(bytes, rows)
    },
    done: () => process.stderr.write("\r\u001b[K"),
  }
}

export class Progress extends Context.Service<Progress, ProgressShape>()("alliance-outcome/Progress") {
  /** Interactive: phases with elapsed time. */
  static readonly terminal = Layer.sync(Progress, () => {
    const start = Date.now()
    const elapsed = () => `${((Date.now() - start) / 1000).toFixed(1)}s`
    return Progress.of({
      meter: terminalMeter,
      phase: (label) => Effect.suspend(() => write(`\u001b[2m[${elapsed()}]\u001b[0m ${label}…`)),
      note: write,
    })
  })

  /** CI and pipes: only the notes, one plain line each. */
  static readonly lines = Layer.succeed(Progress, Progress.of({ meter: () => noMeter, phase: () => Effect.void, note: write }))

  /** --quiet */
  static readonly silent = Layer.succeed(
    Progress,
    Progress.of({ meter: () => noMeter, phase: () => Effect.void, note: () => Effect.void }),
  )

  /** The layer for this process: terminal when stderr is a TTY and CI is not set. */
  static readonly auto = (quiet: boolean) =>
    quiet ? Progress.silent : process.stderr.isTTY && !process.env["CI"] ? Progress.terminal : Progress.lines

  /** `inner`, also recording when each phase begins (performance.now()) into `marks`. */
  static readonly recording = (inner: Layer.Layer<Progress>, marks: Array<PhaseMark>) =>
    Layer.effect(
      Progress,
      Effect.gen(function* () {
        const progress = yield* Progress
        return Progress.of({ ...progress, phase: (label) => Effect.sync(() => void marks.push({ label, at: performance.now() })).pipe(Effect.andThen(progress.phase(label))) })
      }),
    ).pipe(Layer.provide(inner))
}

/** When a phase of the run began (performance.now(), milliseconds). */
export interface PhaseMark {
  readonly label: string
  readonly at: number
}

/**
 * The per-phase timings of a run, for `<report folder>.timings.json`: kept outside the report
 * folder, so that its bytes (and the manifest's hashes) do not depend on how fast the machine was.
 */
export const timingsRecord = (marks: ReadonlyArray<PhaseMark>, end: number, run: { readonly tool: string; readonly study: string; readonly report: string }) => ({
  ...run,
  phases: marks.map((m, i) => ({ phase: m.label, seconds: Number((((marks[i + 1]?.at ?? end) - m.at) / 1000).toFixed(3)) })),
  total_seconds: Number(((end - (marks[0]?.at ?? end)) / 1000).toFixed(3)),
})
