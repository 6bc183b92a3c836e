/**
 * Turning one CSV record into a validated canonical row, logging every problem it has.
 *
 * The zod row schema (data-schemas/) is the definition of a valid row and the source of every
 * message. Checking each row with it is slow, though (a parse per row), so rows are first checked
 * by checks compiled from the same column specs; only a row that fails them goes through zod,
 * which then says precisely what is wrong. The compiled checks accept exactly what the schema
 * accepts and produce the same values (test/ingest/row-reader.test.ts), so the outcome is the same
 * either way — only faster for the rows that are fine.
 */
import type { z } from "zod"
import { MAX_LABEL_LENGTH, parseNumber } from "../../data-schemas/cells.ts"
import type { ColumnSpec, Ranges } from "../../data-schemas/canonical.ts"
import type { ResolvedHeader } from "./header.ts"
import type { ProblemLog } from "./problem-log.ts"

export type CanonicalRow = Readonly<Record<string, string | number | null>>

export interface RowSettings {
  /** cell values (after trimming) that mean "missing" */
  readonly missing: ReadonlySet<string>
}

const REQUIRED_VALUE = "a value is required here (the cell is empty or a missing-value code)"

/** A compiled check of one (trimmed, non-missing) cell: the typed value, or undefined if invalid. */
type CellCheck = (text: string) => string | number | undefined

const mustBePresent = (spec: ColumnSpec) => spec.kind === "id" || spec.name === "session"

const compileCell = (spec: ColumnSpec, range: readonly [number, number] | undefined): CellCheck => {
  switch (spec.kind) {
    case "id":
    case "category":
      // trimmed and non-missing already, so only the length can be wrong
      return (text) => (text.length >= 1 && text.length <= MAX_LABEL_LENGTH ? text : undefined)
    case "number": {
      const [low, high] = range ?? [-Infinity, Infinity]
      return (text) => {
        const x = parseNumber(text)
        return x !== undefined && Number.isFinite(x) && x >= low && x <= high ? x : undefined
      }
    }
    case "integer": {
      const min = spec.min ?? 0
      return (text) => {
        const x = parseNumber(text)
        return x !== undefined && Number.isSafeInteger(x) && x >= min ? x : undefined // zod .int() = safe integer
      }
    }
    case "binary":
      return (text) => {
        const x = parseNumber(text)
        return x === 0 || x === 1 ? x : undefined
      }
  }
}

export interface RowReader {
  (line: number, cells: ReadonlyArray<string>): CanonicalRow | undefined
}

/**
 * Compiles the reader of one file's rows: validates a record against the row schema and returns
 * the typed row, or undefined after logging one problem per bad cell (or one for a wrong number
 * of cells).
 */
export const compileRowReader = (
  header: ResolvedHeader,
  schema: z.ZodType,
  ranges: Ranges,
  settings: RowSettings,
  log: ProblemLog,
): RowReader => {
  const columns = header.columns.map((column) => ({
    name: column.spec.name,
    index: column.index,
    required: mustBePresent(column.spec),
    check: compileCell(column.spec, ranges[column.spec.name]),
  }))

  const slow = (line: number, raw: Record<string, string | null>): CanonicalRow | undefined => {
    const parsed = schema.safeParse(raw)
    if (parsed.success) return parsed.data as CanonicalRow
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? "")
      const column = header.columns.find((c) => c.spec.name === key)
      const value = raw[key] ?? null
      log.add({ file: header.file, line, column: column?.name ?? key, value, rule: value === null ? REQUIRED_VALUE : issue.message })
    }
    return undefined
  }

  return (line, cells) => {
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
    const row: Record<string, string | number | null> = {}
    let ok = true
    for (const column of columns) {
      const text = (cells[column.index] ?? "").trim()
      if (settings.missing.has(text)) {
        row[column.name] = null
        if (column.required) ok = false
        continue
      }
      const value = column.check(text)
      if (value === undefined) ok = false
      row[column.name] = value ?? text
    }
    if (ok) return row
    // Something is wrong: let the schema say precisely what, from the raw cells.
    const raw: Record<string, string | null> = {}
    for (const column of columns) {
      const text = (cells[column.index] ?? "").trim()
      raw[column.name] = settings.missing.has(text) ? null : text
    }
    return slow(line, raw)
  }
}
