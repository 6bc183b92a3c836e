/**
 * The byte path for clients.csv: like the sessions byte path (session-bytes.ts), a record that is
 * plainly valid — ASCII, plain decimals within range, codes and labels of the right length,
 * required codes present — is read from the scanner's bytes; any other record takes the string
 * path, which validates with the zod schemas and writes the messages. The row handed to the table
 * is the same one the string path's compiled checks build (test/ingest/read-study.test.ts).
 */
import type { ColumnSpec, Ranges } from "../../data-schemas/canonical.ts"
import { MAX_LABEL_LENGTH } from "../../data-schemas/cells.ts"
import { AsciiRecord, asciiText, plainDecimal } from "./ascii-cells.ts"
import type { ClientTableBuilder } from "./client-table.ts"
import type { ColumnProfiler } from "./column-profile.ts"
import type { RecordView } from "./csv-scanner.ts"
import type { ResolvedHeader } from "./header.ts"

interface Column {
  readonly name: string
  readonly kind: ColumnSpec["kind"]
  /** codes must be present (as in the zod row schema: every ID column, site_id included) */
  readonly required: boolean
  readonly low: number
  readonly high: number
  readonly min: number
}

export class ClientBytePath {
  /** the canonical column at each position of the record, or undefined for an extra column */
  private readonly columns: ReadonlyArray<Column | undefined>
  private readonly extraIndex: ReadonlyArray<number>
  private readonly idIndex: number
  private readonly cells: AsciiRecord
  /** the extra cells of the current record, reused from record to record */
  private readonly extras: Array<string | null>

  constructor(
    private readonly header: ResolvedHeader,
    ranges: Ranges,
    missingValues: ReadonlySet<string>,
    private readonly builder: ClientTableBuilder,
    private readonly profiler: ColumnProfiler,
    /** the string path, for a record this path does not decide */
    private readonly fallback: (view: RecordView) => void,
  ) {
    const columns: Array<Column | undefined> = Array.from({ length: header.width }, () => undefined)
    for (const { spec, index } of header.columns) {
      const [low, high] = ranges[spec.name] ?? [-Infinity, Infinity]
      columns[index] = { name: spec.name, kind: spec.kind, required: spec.kind === "id", low, high, min: spec.min ?? 0 }
    }
    this.columns = columns
    this.extraIndex = header.extras.map((e) => e.index)
    this.idIndex = header.columns.find((c) => c.spec.name === "client_id")?.index ?? -1
    this.cells = new AsciiRecord(header.width, missingValues)
    this.extras = header.extras.map(() => null)
  }

  record(view: RecordView): void {
    if (!this.decide(view)) this.fallback(view)
  }

  /** The typed value of a plainly valid, non-missing cell; undefined when undecided or invalid. */
  private value(column: Column, bytes: Uint8Array, start: number, end: number): string | number | undefined {
    switch (column.kind) {
      case "id":
      case "category":
        return end - start >= 1 && end - start <= MAX_LABEL_LENGTH ? asciiText(bytes, start, end) : undefined
      case "number": {
        const x = plainDecimal(bytes, start, end)
        return x >= column.low && x <= column.high ? x : undefined
      }
      case "integer": {
        const x = plainDecimal(bytes, start, end)
        return Number.isSafeInteger(x) && x >= column.min ? x : undefined
      }
      case "binary": {
        const x = plainDecimal(bytes, start, end)
        return x === 0 || x === 1 ? x : undefined
      }
    }
  }

  /** Reads the record if it is plainly valid; false (and nothing recorded) otherwise. */
  private decide(view: RecordView): boolean {
    if (!view.ascii || view.count !== this.header.width || this.idIndex < 0) return false
    const bytes = view.bytes
    const row: Record<string, string | number | null> = {}
    const cells = this.cells
    for (let i = 0; i < view.count; i++) {
      if (!cells.read(view, i)) return false
      const start = cells.starts[i]!
      const end = cells.ends[i]!
      const missing = cells.isMissing(i)
      const column = this.columns[i]
      if (column === undefined) continue
      if (missing) {
        if (column.required) return false
        row[column.name] = null
        continue
      }
      const value = this.value(column, bytes, start, end)
      if (value === undefined) return false
      row[column.name] = value
    }
    // Decided: profile every column, then hand the row to the table.
    cells.profile(this.profiler, bytes, view.count, view.line)
    const extras = this.extras
    for (let k = 0; k < extras.length; k++) {
      const i = this.extraIndex[k]!
      extras[k] = cells.isMissing(i) ? null : cells.text(bytes, i)
    }
    this.builder.accept(view.line, row["client_id"] as string, row, extras)
    return true
  }
}
