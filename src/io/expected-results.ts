/**
 * `--check FILE [--update-expected]`: this run's results.json against an expected one, or the
 * expected file rewritten on purpose. The comparison itself is pure (src/provenance/check.ts).
 */
import * as Effect from "effect/Effect"
import * as FileSystem from "effect/FileSystem"
import type { StudyConfig } from "../../data-schemas/study-file.ts"
import { Progress } from "../cli/Progress.ts"
import { FileSystemError, ResultsDrift, UsageError } from "../errors.ts"
import { compareResults, type Tolerances } from "../provenance/check.ts"
import { formatCount } from "../report/format.ts"

export interface CheckOptions {
  /** the expected results.json */
  readonly expected: string
  /** rewrite it with this run's results instead of comparing */
  readonly update: boolean
}

/** The study file's `check` section as tolerances. */
export const tolerancesFrom = (check: StudyConfig["check"]): Tolerances => ({
  default: { absolute: check.absolute, relative: check.relative },
  quantities: check.quantities,
})

const parse = (text: string): unknown | Error => {
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    return error as Error
  }
}

/**
 * Compares (or, with `update`, rewrites); fails with ResultsDrift (exit 5) when anything drifted.
 * Returns how many quantities were compared (null when the file was rewritten).
 */
export const checkExpected = (options: CheckOptions, resultsJson: string, tolerances: Tolerances, out: string) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const progress = yield* Progress
    const actual = JSON.parse(resultsJson) as unknown
    const existing = yield* fs.readFileString(options.expected).pipe(Effect.option)
    if (options.update) {
      const before = existing._tag === "Some" ? parse(existing.value) : null
      yield* fs.writeFileString(options.expected, resultsJson).pipe(Effect.mapError((e) => new FileSystemError({ path: options.expected, message: e.message })))
      const changed = before === null || before instanceof Error ? null : compareResults(before, actual, tolerances).drifts.length
      yield* progress.note(
        changed === null ? `wrote the expected results ${options.expected}` : `updated the expected results ${options.expected}: ${formatCount(changed)} ${changed === 1 ? "quantity" : "quantities"} changed`,
      )
      return null
    }
    if (existing._tag === "None") {
      return yield* new UsageError({ message: `--check: cannot read the expected results ${options.expected}; write them once with --update-expected` })
    }
    const expected = parse(existing.value)
    if (expected instanceof Error) return yield* new UsageError({ message: `--check: ${options.expected} is not JSON (${expected.message})` })
    const { quantities, drifts } = compareResults(expected, actual, tolerances)
    if (drifts.length > 0) return yield* new ResultsDrift({ expected: options.expected, out, quantities, drifts })
    yield* progress.note(`check: all ${formatCount(quantities)} quantities agree with ${options.expected}`)
    return quantities
  })
