/**
 * Accumulates validated rows of clients.csv into a columnar ClientTable, checking that client
 * codes are unique.
 */
import { clientCsvRow } from "../../data-schemas/clients.ts"
import type { Ranges } from "../../data-schemas/canonical.ts"
import { type ClientTable, FactorBuilder } from "../data/study-data.ts"
import { GrowableFloat64, GrowableInt32 } from "./growable.ts"
import type { ResolvedHeader } from "./header.ts"
import type { ProblemLog } from "./problem-log.ts"
import { type CanonicalRow, compileRowReader, type RowReader, type RowSettings } from "./row-reader.ts"

export class ClientTableBuilder {
  private readonly readRow: RowReader
  private readonly ids: string[] = []
  /**
   * Every client code seen: its row index in the table (≥ 0), or −line for a code whose row was
   * invalid (so its sessions are not called orphans, and a duplicate can name the first line).
   */
  private readonly lookup = new Map<string, number>()
  private readonly rowLines = new GrowableInt32()
  private readonly therapist = new FactorBuilder()
  private readonly site: FactorBuilder | null
  private readonly numbers = new Map<string, GrowableFloat64>()
  private readonly categories = new Map<string, FactorBuilder>()
  private readonly extras: ReadonlyArray<FactorBuilder>
  private readonly numberList: ReadonlyArray<readonly [string, GrowableFloat64]>
  private readonly categoryList: ReadonlyArray<readonly [string, FactorBuilder]>
  private readonly idColumn: { readonly name: string; readonly index: number } | undefined

  constructor(
    private readonly header: ResolvedHeader,
    ranges: Ranges,
    private readonly settings: RowSettings,
    private readonly log: ProblemLog,
    /** the number columns to store (all when omitted); others are validated and profiled only */
    keep: (column: string) => boolean = () => true,
  ) {
    const schema = clientCsvRow(header.columns.map((c) => c.spec.name), ranges)
    this.readRow = compileRowReader(header, schema, ranges, settings, log)
    this.site = header.columns.some((c) => c.spec.name === "site_id") ? new FactorBuilder() : null
    for (const { spec } of header.columns) {
      if (spec.kind === "number" || spec.kind === "integer" || spec.kind === "binary") {
        if (keep(spec.name)) this.numbers.set(spec.name, new GrowableFloat64())
      } else if (spec.kind === "category") {
        this.categories.set(spec.name, new FactorBuilder())
      }
    }
    this.extras = header.extras.map(() => new FactorBuilder())
    this.numberList = [...this.numbers]
    this.categoryList = [...this.categories]
    this.idColumn = header.columns.find((c) => c.spec.name === "client_id")
  }

  /** Validates and appends one record given as (trimmed) strings. Invalid rows are logged, not kept. */
  row(line: number, cells: ReadonlyArray<string>): void {
    const row = this.readRow(line, cells)
    const rawId = this.idColumn === undefined ? "" : (cells[this.idColumn.index] ?? "")
    const extras = this.header.extras.map(({ index }) => {
      const cell = cells[index] ?? ""
      return this.settings.missing.has(cell) ? null : cell
    })
    this.accept(line, rawId, row, extras)
  }

  /**
   * Accepts a record: checks that its (raw, trimmed) client code is new — on the raw code, so a
   * duplicate is reported even when one of the two rows has other problems — and appends the
   * row when it is valid. `extras` holds the non-canonical cells (null when missing); it is read
   * before this returns, so a caller may reuse it.
   */
  accept(line: number, rawId: string, row: CanonicalRow | undefined, extras: ReadonlyArray<string | null>): void {
    if (rawId !== "" && !this.settings.missing.has(rawId)) {
      const slot = this.lookup.get(rawId)
      if (slot !== undefined) {
        const first = slot >= 0 ? this.rowLines.at(slot) : -slot
        this.log.add({ file: this.header.file, line, column: this.idColumn!.name, value: rawId, rule: `client codes must be unique (first seen on line ${first})` })
        return
      }
      this.lookup.set(rawId, row === undefined ? -line : this.ids.length)
    }
    if (row === undefined) return
    this.ids.push(String(row["client_id"]))
    this.rowLines.push(line)
    this.therapist.push(String(row["therapist_id"]))
    this.site?.push(row["site_id"] === null || row["site_id"] === undefined ? null : String(row["site_id"]))
    for (const [name, column] of this.numberList) {
      const value = row[name]
      column.push(typeof value === "number" ? value : Number.NaN)
    }
    for (const [name, column] of this.categoryList) {
      const value = row[name]
      column.push(value === null || value === undefined ? null : String(value))
    }
    for (let k = 0; k < this.extras.length; k++) this.extras[k]!.push(extras[k] ?? null)
  }

  /**
   * Every client code seen: its row index (≥ 0), or a negative number when its row was invalid.
   * Sessions use it to link to their client and to tell orphans from clients with invalid rows.
   */
  get index(): ReadonlyMap<string, number> {
    return this.lookup
  }

  build(): ClientTable {
    return {
      n: this.ids.length,
      ids: this.ids,
      therapist: this.therapist.build(),
      site: this.site?.build() ?? null,
      numbers: new Map([...this.numbers].map(([k, v]) => [k, v.build()])),
      categories: new Map([...this.categories].map(([k, v]) => [k, v.build()])),
      extras: new Map(this.header.extras.map((e, k) => [e.name, this.extras[k]!.build()])),
    }
  }
}
