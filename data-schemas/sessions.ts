/** `sessions.csv`: one row per client × session (PRODUCT.md §3). */
import { csvRowSchema, SESSION_COLUMNS, typedRowSchema, type Ranges } from "./canonical.ts"
import { DEFAULT_ALLIANCE, DEFAULT_OUTCOME } from "./study-file.ts"

export { SESSION_COLUMNS }

/** Validates one row of sessions.csv as read (strings; missing cells `null`). */
export const sessionCsvRow = (present: ReadonlyArray<string>, ranges: Ranges) =>
  csvRowSchema(SESSION_COLUMNS.filter((c) => present.includes(c.name)), ranges)

const a = DEFAULT_ALLIANCE.range
/** The typed session record with the default measures, for the JSON Schema export. */
export const SessionRecord = typedRowSchema(
  SESSION_COLUMNS,
  {
    alliance: a,
    alliance_goal: a,
    alliance_task: a,
    alliance_bond: a,
    alliance_therapist: a,
    alliance_observer: a,
    symptom: DEFAULT_OUTCOME.range,
  },
  "One row of sessions.csv in canonical form (default measures: alliance 1–5, PHQ-9 0–27).",
)
