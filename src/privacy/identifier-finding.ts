/**
 * The records the de-identification gate works on: a sample of one column's raw values, a lab's
 * override for a column it has checked, and a finding that a column looks like a direct identifier.
 *
 * They live in their own module so that `name-rules.ts`, `content-rules.ts` and `deid-gate.ts` can
 * share them without importing one another in a cycle; `deid-gate.ts` re-exports them and is the
 * module the rest of the pipeline imports.
 */

/**
 * A sample of the raw, non-missing cell values of one column, as gathered by the shell while it
 * streams a file, with the CSV line number of each sampled value (`firstLine[i]` is the line of
 * `values[i]`; the header is line 1). Line numbers let a finding point at a row without repeating
 * the value.
 */
export interface ColumnSample {
  /** the file as the user should see it (e.g. "clients.csv" or "data/clients.csv") */
  readonly file: string
  /** the column as named in the file's header */
  readonly column: string
  /** raw non-missing cell values, as read */
  readonly values: ReadonlyArray<string>
  /** the 1-based CSV line of each value, parallel to `values` */
  readonly firstLine: ReadonlyArray<number>
}

/**
 * A column a lab has checked and declares non-identifying (study file:
 * `deidentification.allow[]`). Without `file` it applies to a column of that name in every file;
 * `file` may be a bare file name ("clients.csv") or a path ending in one.
 */
export interface DeidOverride {
  readonly file?: string | undefined
  /** the column exactly as named in the file's header */
  readonly column: string
  /** why the lab is sure the column is not identifying; recorded in the manifest */
  readonly reason: string
}

/**
 * One column that looks like a direct identifier. `reason` is a plain-language sentence that never
 * contains a cell value, so it is safe to print in a terminal or a CI log.
 */
export interface IdentifierFinding {
  readonly file: string
  readonly column: string
  /** which rule set fired: the column's name or its sampled content */
  readonly rule: "name" | "content"
  /**
   * what the column seems to hold: "name", "email", "phone", "address", "date_of_birth", "date",
   * "record_number", "national_id", "postcode", "ip_address" or "free_text"
   */
  readonly kind: string
  /** e.g. 'column name "email" suggests e-mail addresses' */
  readonly reason: string
  /** for content findings: the CSV line of the first matching sampled value */
  readonly line?: number
}
