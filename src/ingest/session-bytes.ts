/**
 * The byte path for sessions.csv, the big file: a record that is plainly valid — ASCII, plain
 * decimals within range, codes of the right length, nothing missing that is required — is read
 * straight from the scanner's bytes into the column profile and the table, without a string per
 * cell or an object per row. Every other record (anything invalid, unusual or non-ASCII) is handed
 * to the string path, which validates it with the zod schemas and writes the messages.
 *
 * The two paths therefore give the same tables, profiles and problems (test/ingest/read-study.test.ts
 * reads studies both ways), the byte path merely deciding the common case faster.
 */
import type { Ranges } from "../../data-schemas/canonical.ts"
import { MAX_LABEL_LENGTH } from "../../data-schemas/cells.ts"
import { AsciiRecord, asciiText, bytesEqual, plainDecimal } from "./ascii-cells.ts"
import type { ColumnProfiler } from "./column-profile.ts"
import type { RecordView } from "./csv-scanner.ts"
import type { ResolvedHeader } from "./header.ts"
import type { SessionTableBuilder } from "./session-table.ts"

type Role =
  | { readonly kind: "client" }
  | { readonly kind: "session" }
  /** slot: position in the builder's stored number columns, −1 for a column validated but not stored */
  | { readonly kind: "number"; readonly slot: number; readonly low: number; readonly high: number }
  | { readonly kind: "other" }

export class SessionBytePath {
  private readonly roles: ReadonlyArray<Role>
  /** a canonical column this path does not know how to check: every record goes the string way */
  private readonly unsupported: boolean
  private readonly cells: AsciiRecord
  private readonly values: Float64Array
  /** the last client code, as bytes and as a string: consecutive rows usually share it */
  private lastIdBytes = new Uint8Array(0)
  private lastId = ""

  constructor(
    private readonly header: ResolvedHeader,
    ranges: Ranges,
    missingValues: ReadonlySet<string>,
    private readonly builder: SessionTableBuilder,
    private readonly profiler: ColumnProfiler,
    /** the string path, for a record this path does not decide */
    private readonly fallback: (view: RecordView) => void,
  ) {
    const roles: Role[] = Array.from({ length: header.width }, () => ({ kind: "other" }))
    let unsupported = false
    for (const column of header.columns) {
      const name = column.spec.name
      if (name === "client_id") roles[column.index] = { kind: "client" }
      else if (name === "session") roles[column.index] = { kind: "session" }
      else if (column.spec.kind === "number") {
        const [low, high] = ranges[name] ?? [-Infinity, Infinity]
        roles[column.index] = { kind: "number", slot: builder.numberColumns.indexOf(name), low, high }
      } else unsupported = true
    }
    this.roles = roles
    this.unsupported = unsupported
    this.cells = new AsciiRecord(header.width, missingValues)
    this.values = new Float64Array(builder.numberColumns.length)
  }

  private clientId(bytes: Uint8Array, start: number, end: number): string {
    const last = this.lastIdBytes
    if (!bytesEqual(bytes, start, end, last)) {
      this.lastIdBytes = bytes.slice(start, end)
      this.lastId = asciiText(bytes, start, end)
    }
    return this.lastId
  }

  record(view: RecordView): void {
    if (!this.decide(view)) this.fallback(view)
  }

  /** Reads the record if it is plainly valid; false (and nothing recorded) otherwise. */
  private decide(view: RecordView): boolean {
    if (this.unsupported || !view.ascii || view.count !== this.header.width) return false
    const bytes = view.bytes
    let id = ""
    let session = 0
    const cells = this.cells
    for (let i = 0; i < view.count; i++) {
      if (!cells.read(view, i)) return false
      const start = cells.starts[i]!
      const end = cells.ends[i]!
      const missing = cells.isMissing(i)
      const role = this.roles[i]!
      switch (role.kind) {
        case "client":
          if (missing || end - start < 1 || end - start > MAX_LABEL_LENGTH) return false
          id = this.clientId(bytes, start, end)
          break
        case "session": {
          if (missing) return false
          const x = plainDecimal(bytes, start, end)
          if (!(Number.isSafeInteger(x) && x >= 1)) return false
          session = x
          break
        }
        case "number": {
          if (missing) {
            if (role.slot >= 0) this.values[role.slot] = Number.NaN
            break
          }
          const x = plainDecimal(bytes, start, end)
          if (!(x >= role.low && x <= role.high)) return false // NaN (undecided) fails too
          if (role.slot >= 0) this.values[role.slot] = x
          break
        }
        case "other":
          break
      }
    }
    // Decided: profile every column, then hand the row to the table.
    cells.profile(this.profiler, bytes, view.count, view.line)
    this.builder.accept(view.line, id, session, this.values)
    return true
  }
}
