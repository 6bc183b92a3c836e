/**
 * Accumulates validated rows of clients.csv into a columnar ClientTable, checking that client
 * codes are unique.
 */
import { clientCsvRow } from "../../data-schemas/clients.ts"
import type { Ranges } from "../../data-schemas/canonical.ts"
import { type ClientTable, FactorBuilder } from "../data/study-data.ts"
import { GrowableFloat64 } from "./growable.ts"
import type { ResolvedHeader } from "./header.ts"
import type { ProblemLog } from "./problem-log.ts"
import { compileRowReader, type RowReader, type RowSettings } from "./row-reader.ts"

export class ClientTableBuilder {
  private readonly readRow: RowReader
  private readonly ids: string[] = []
  private readonly firstLine = new Map<string, number>()
  private readonly rowOf = new Map<string, number>()
  private readonly therapist = new FactorBuilder()
  private readonly site: FactorBuilder | null
  private readonly numbers = new Map<string, GrowableFloat64>()
  private readonly categories = new Map<string, FactorBuilder>()
  private readonly extras = new Map<string, FactorBuilder>()

  constructor(
    private readonly header: ResolvedHeader,
    ranges: Ranges,
    private readonly settings: RowSettings,
    private readonly log: ProblemLog,
  ) {
    const schema = clientCsvRow(header.columns.map((c) => c.spec.name), ranges)
    this.readRow = compileRowReader(header, schema, ranges, settings, log)
    this.site = header.columns.some((c) => c.spec.name === "site_id") ? new FactorBuilder() : null
    for (const { spec } of header.columns) {
      if (spec.kind === "number" || spec.kind === "integer" || spec.kind === "binary") {
        this.numbers.set(spec.name, new GrowableFloat64())
      } else if (spec.kind === "category") {
        this.categories.set(spec.name, new FactorBuilder())
      }
    }
    for (const extra of header.extras) this.extras.set(extra.name, new FactorBuilder())
  }

  /** Validates and appends one record (1-based file line). Invalid rows are logged, not kept. */
  row(line: number, cells: ReadonlyArray<string>): void {
    const row = this.readRow(line, cells)
    // Uniqueness is checked on the raw code, so a duplicate is reported even when one of the two
    // rows also has other problems.
    const idColumn = this.header.columns.find((c) => c.spec.name === "client_id")
    const rawId = idColumn === undefined ? "" : (cells[idColumn.index] ?? "").trim()
    if (rawId !== "" && !this.settings.missing.has(rawId)) {
      const seen = this.firstLine.get(rawId)
      if (seen !== undefined) {
        this.log.add({ file: this.header.file, line, column: idColumn!.name, value: rawId, rule: `client codes must be unique (first seen on line ${seen})` })
        return
      }
      this.firstLine.set(rawId, line)
    }
    if (row === undefined) return
    const id = String(row["client_id"])
    this.rowOf.set(id, this.ids.length)
    this.ids.push(id)
    this.therapist.push(String(row["therapist_id"]))
    this.site?.push(row["site_id"] === null || row["site_id"] === undefined ? null : String(row["site_id"]))
    for (const [name, column] of this.numbers) {
      const value = row[name]
      column.push(typeof value === "number" ? value : Number.NaN)
    }
    for (const [name, column] of this.categories) {
      const value = row[name]
      column.push(value === null || value === undefined ? null : String(value))
    }
    for (const extra of this.header.extras) {
      const cell = (cells[extra.index] ?? "").trim()
      this.extras.get(extra.name)?.push(this.settings.missing.has(cell) ? null : cell)
    }
  }

  /** Every client code seen, valid row or not (so sessions of an invalid row are not called orphans). */
  get seen(): ReadonlySet<string> {
    return new Set(this.firstLine.keys())
  }

  /** Row index of each client code in the table being built, for linking sessions. */
  get index(): ReadonlyMap<string, number> {
    return this.rowOf
  }

  build(): ClientTable {
    return {
      n: this.ids.length,
      ids: this.ids,
      therapist: this.therapist.build(),
      site: this.site?.build() ?? null,
      numbers: new Map([...this.numbers].map(([k, v]) => [k, v.build()])),
      categories: new Map([...this.categories].map(([k, v]) => [k, v.build()])),
      extras: new Map([...this.extras].map(([k, v]) => [k, v.build()])),
    }
  }
}
