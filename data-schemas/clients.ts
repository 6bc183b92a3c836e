/** `clients.csv`: one row per client (PRODUCT.md §3). */
import { CLIENT_COLUMNS, csvRowSchema, typedRowSchema, type Ranges } from "./canonical.ts"
import { DEFAULT_OUTCOME } from "./study-file.ts"

export { CLIENT_COLUMNS }

/** Validates one row of clients.csv as read (strings; missing cells `null`). */
export const clientCsvRow = (present: ReadonlyArray<string>, ranges: Ranges) =>
  csvRowSchema(CLIENT_COLUMNS.filter((c) => present.includes(c.name)), ranges)

/** The typed client record with the default measures (PHQ-9 outcome), for the JSON Schema export. */
export const ClientRecord = typedRowSchema(
  CLIENT_COLUMNS,
  { baseline: DEFAULT_OUTCOME.range, outcome: DEFAULT_OUTCOME.range },
  "One row of clients.csv in canonical form (default measures: PHQ-9 0–27).",
)
