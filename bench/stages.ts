/**
 * Phase timings → benchmark stages. Pure: the child run (run-one.ts) records when each
 * Progress phase began; here each phase lasts until the next phase began or the run ended, and
 * phases are grouped by their label into the stages issue 3 asks for:
 *
 *   read_validate  "loading…", "reading and validating…", "checking for identifying columns…"
 *   derive         "deriving…"
 *   estimate       "estimating…", "pooling…"
 *   report         "drawing charts and writing the report…", "writing…"
 *
 * A label matching none of these lands in "other" (and keeps its own entry in the phase list),
 * so a renamed phase shows up instead of silently vanishing.
 */

export type Stage = "read_validate" | "derive" | "estimate" | "report" | "other"

export const STAGES: ReadonlyArray<Stage> = ["read_validate", "derive", "estimate", "report", "other"]

import type { PhaseMark } from "../src/cli/Progress.ts"

export interface PhaseTiming {
  readonly label: string
  readonly stage: Stage
  readonly ms: number
}

const RULES: ReadonlyArray<readonly [RegExp, Stage]> = [
  [/^(loading|reading|checking for identifying)/i, "read_validate"],
  [/^deriving/i, "derive"],
  [/^(estimating|pooling)/i, "estimate"],
  [/^(drawing|writing)/i, "report"],
]

/** The stage a phase label belongs to. Example: stageOf("pooling sites (…)") === "estimate". */
export const stageOf = (label: string): Stage => RULES.find(([pattern]) => pattern.test(label))?.[1] ?? "other"

/** Each phase's duration: from its mark to the next mark, the last one to `end`. */
export const phaseTimings = (marks: ReadonlyArray<PhaseMark>, end: number): ReadonlyArray<PhaseTiming> =>
  marks.map((mark, i) => ({
    label: mark.label,
    stage: stageOf(mark.label),
    ms: (marks[i + 1]?.at ?? end) - mark.at,
  }))

/** Milliseconds per stage (every stage present, 0 when it had no phase). */
export const stageTotals = (timings: ReadonlyArray<PhaseTiming>): Readonly<Record<Stage, number>> => {
  const totals: Record<Stage, number> = { read_validate: 0, derive: 0, estimate: 0, report: 0, other: 0 }
  for (const t of timings) totals[t.stage] += t.ms
  return totals
}
