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

export interface ProgressShape {
  /** a phase of the pipeline begins */
  readonly phase: (label: string) => Effect.Effect<void>
  /** a line the user should see even off a terminal (the result, where it was written) */
  readonly note: (line: string) => Effect.Effect<void>
}

const write = (line: string) => Effect.sync(() => void process.stderr.write(line + "\n"))

export class Progress extends Context.Service<Progress, ProgressShape>()("alliance-outcome/Progress") {
  /** Interactive: phases with elapsed time. */
  static readonly terminal = Layer.sync(Progress, () => {
    const start = Date.now()
    const elapsed = () => `${((Date.now() - start) / 1000).toFixed(1)}s`
    return Progress.of({
      phase: (label) => Effect.suspend(() => write(`\u001b[2m[${elapsed()}]\u001b[0m ${label}…`)),
      note: write,
    })
  })

  /** CI and pipes: only the notes, one plain line each. */
  static readonly lines = Layer.succeed(Progress, Progress.of({ phase: () => Effect.void, note: write }))

  /** --quiet */
  static readonly silent = Layer.succeed(Progress, Progress.of({ phase: () => Effect.void, note: () => Effect.void }))

  /** The layer for this process: terminal when stderr is a TTY and CI is not set. */
  static readonly auto = (quiet: boolean) =>
    quiet ? Progress.silent : process.stderr.isTTY && !process.env["CI"] ? Progress.terminal : Progress.lines
}
