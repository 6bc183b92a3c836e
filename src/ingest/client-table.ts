/**
 * Accumulates validated rows of clients.csv into a columnar ClientTable, checking that client
 * codes are unique.
 *
 * Rows arrive two ways: as (trimmed) strings from the string path (`row`), or as byte ranges from
 * the plain path (`acceptPlain`, see plain-clients.ts). Both store into the same columns, by
 * position in the record, through the same byte-keyed dictionaries, so they give the same table.
 */
import { clientCsvRow } from "../../data-schemas/clients.ts"
import type { Ranges } from "../../data-schemas/canonical.ts"
import { ABSENT, ByteDictionary } from "../data/byte-dictionary.ts"
import { type ClientTable, FactorBuilder } from "../data/study-data.ts"
import { GrowableFloat64, GrowableInt32 } from "./growable.ts"
import type { ResolvedHeader } from "./header.ts"
import type { ProblemLog } from "./problem-log.ts"
import { type CanonicalRow, compileRowReader, type RowReader, type RowSettings } from "./row-reader.ts"

export class ClientTableBuilder {
  private readonly readRow: RowReader
  /** rows stored */
  private rows = 0
  /**
   * Every client code seen, by its UTF-8 bytes: its row index in the table (≥ 0), or −line for a
   * code whose row was invalid (so its sessions are not called orphans, and a duplicate can name
   * the first line).
   */
  private readonly lookup = new ByteDictionary()
  private readonly rowLines = new GrowableInt32()
  private readonly therapist = new FactorBuilder()
  private readonly site: FactorBuilder | null
  private readonly numbers = new Map<string, GrowableFloat64>()
  private readonly categories = new Map<string, FactorBuilder>()
  private readonly extras: ReadonlyArray<FactorBuilder>
  /** by position in the record: the factor the cell goes to (therapist, site, a category, an extra) */
  private readonly factorAt: ReadonlyArray<FactorBuilder | undefined>
  /** by position in the record: the number column the cell goes to (undefined when not stored) */
  private readonly numberAt: ReadonlyArray<GrowableFloat64 | undefined>
  /** by position in the record: the canonical name whose row value the cell's column stores */
  private readonly nameAt: ReadonlyArray<string | undefined>
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
    const factorAt: Array<FactorBuilder | undefined> = Array.from({ length: header.width }, () => undefined)
    const numberAt: Array<GrowableFloat64 | undefined> = Array.from({ length: header.width }, () => undefined)
    const nameAt: Array<string | undefined> = Array.from({ length: header.width }, () => undefined)
    for (const { spec, index } of header.columns) {
      nameAt[index] = spec.name
      if (spec.name === "therapist_id") factorAt[index] = this.therapist
      else if (spec.name === "site_id") factorAt[index] = this.site!
      else if (spec.kind === "number" || spec.kind === "integer" || spec.kind === "binary") {
        if (keep(spec.name)) {
          const column = new GrowableFloat64()
          this.numbers.set(spec.name, column)
          numberAt[index] = column
        }
      } else if (spec.kind === "category") {
        const factor = new FactorBuilder()
        this.categories.set(spec.name, factor)
        factorAt[index] = factor
      }
    }
    this.extras = header.extras.map(({ index }) => (factorAt[index] = new FactorBuilder()))
    this.factorAt = factorAt
    this.numberAt = numberAt
    this.nameAt = nameAt
    this.idColumn = header.columns.find((c) => c.spec.name === "client_id")
  }

  /** Validates and appends one record given as (trimmed) strings. Invalid rows are logged, not kept. */
  row(line: number, cells: ReadonlyArray<string>): void {
    const row = this.readRow(line, cells)
    const rawId = this.idColumn === undefined ? "" : (cells[this.idColumn.index] ?? "")
    if (!this.claim(line, rawId, row)) return
    for (let i = 0; i < this.header.width; i++) {
      const name = this.nameAt[i]
      // a canonical cell stores the row's typed value; an extra cell its text (null when missing)
      const value = name === undefined ? (this.settings.missing.has(cells[i] ?? "") ? null : (cells[i] ?? "")) : row![name]
      this.factorAt[i]?.push(value === null || value === undefined ? null : String(value))
      this.numberAt[i]?.push(typeof value === "number" ? value : Number.NaN)
    }
  }

  /**
   * Checks that a record's (raw, trimmed) client code is new — on the raw code, so a duplicate is
   * reported even when one of the two rows has other problems — and registers it. True when the
   * row is valid and new, and its line has been stored: the caller stores its cells.
   */
  private claim(line: number, rawId: string, row: CanonicalRow | undefined): boolean {
    if (rawId !== "" && !this.settings.missing.has(rawId)) {
      const slot = this.lookup.getText(rawId)
      if (slot !== ABSENT) {
        const first = slot >= 0 ? this.rowLines.at(slot) : -slot
        this.log.add({ file: this.header.file, line, column: this.idColumn!.name, value: rawId, rule: `client codes must be unique (first seen on line ${first})` })
        return false
      }
      this.lookup.setText(rawId, row === undefined ? -line : this.rows)
    }
    if (row === undefined) return false
    this.rows++
    this.rowLines.push(line)
    return true
  }

  /**
   * The plain path's accept (plain-clients.ts): stores a plainly valid record read from `bytes`,
   * its cells at [starts[i], ends[i]), `missing[i]` = 1 for a missing cell, `values[i]` the number
   * of a number cell. Returns false, having changed nothing, when the client code was seen before
   * (the string path then reports it).
   */
  acceptPlain(line: number, bytes: Uint8Array, starts: Int32Array, ends: Int32Array, missing: Uint8Array, values: Float64Array): boolean {
    const i = this.idColumn!.index
    const idStart = starts[i]!
    const idEnd = ends[i]!
    if (this.lookup.add(bytes, idStart, idEnd, this.rows) !== ABSENT) return false
    this.rows++
    this.rowLines.push(line)
    for (let k = 0; k < this.header.width; k++) {
      const factor = this.factorAt[k]
      if (factor !== undefined) {
        if (missing[k] === 1) factor.push(null)
        else factor.pushBytes(bytes, starts[k]!, ends[k]!)
      }
      this.numberAt[k]?.push(missing[k] === 1 ? Number.NaN : values[k]!)
    }
    return true
  }

  /**
   * Every client code seen, by its UTF-8 bytes: its row index (≥ 0), or a negative number when its
   * row was invalid. Sessions use it to link to their client and to tell orphans from clients with
   * invalid rows.
   */
  get index(): ByteDictionary {
    return this.lookup
  }

  build(): ClientTable {
    return {
      n: this.rows,
      therapist: this.therapist.build(),
      site: this.site?.build() ?? null,
      numbers: new Map([...this.numbers].map(([k, v]) => [k, v.build()])),
      categories: new Map([...this.categories].map(([k, v]) => [k, v.build()])),
      extras: new Map(this.header.extras.map((e, k) => [e.name, this.extras[k]!.build()])),
    }
  }
}
