/**
 * Turning one CSV record into a validated canonical row, logging every problem it has.
 */
import type { z } from "zod"
import type { ResolvedHeader } from "./header.ts"
import type { ProblemLog } from "./problem-log.ts"

export type CanonicalRow = Readonly<Record<string, string | number | null>>

export interface RowSettings {
  /** cell values (after trimming) that mean "missing" */
  readonly missing: ReadonlySet<string>
}

const REQUIRED_VALUE = "a value is required here (the cell is empty or a missing-value code)"

/**
 * Validates one record against the row schema. Returns the typed row, or undefined after logging
 * one problem per bad cell (or one for a wrong number of cells).
 */
export const readRow = (
  header: ResolvedHeader,
  schema: z.ZodType,
  settings: RowSettings,
  log: ProblemLog,
  line: number,
  cells: ReadonlyArray<string>,
): CanonicalRow | undefined => {
  if (cells.length !== header.width) {
    log.add({
      file: header.file,
      line,
      column: "",
      value: null,
      rule: `the row has ${cells.length} cells but the header has ${header.width} columns`,
    })
    return undefined
  }
  const raw: Record<string, string | null> = {}
  for (const column of header.columns) {
    const cell = (cells[column.index] ?? "").trim()
    raw[column.spec.name] = settings.missing.has(cell) ? null : cell
  }
  const parsed = schema.safeParse(raw)
  if (parsed.success) return parsed.data as CanonicalRow
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0] ?? "")
    const column = header.columns.find((c) => c.spec.name === key)
    const value = raw[key] ?? null
    log.add({
      file: header.file,
      line,
      column: column?.name ?? key,
      value,
      rule: value === null ? REQUIRED_VALUE : issue.message,
    })
  }
  return undefined
}
