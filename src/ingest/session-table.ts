/**
 * Accumulates validated rows of sessions.csv into a columnar SessionTable, checking referential
 * integrity (every session's client exists in clients.csv) and uniqueness of (client, session).
 */
import type { Ranges } from "../../data-schemas/canonical.ts"
import { sessionCsvRow } from "../../data-schemas/sessions.ts"
import type { SessionTable } from "../data/study-data.ts"
import { GrowableFloat64, GrowableInt32 } from "./growable.ts"
import type { ResolvedHeader } from "./header.ts"
import type { ProblemLog } from "./problem-log.ts"
import { compileRowReader, type RowReader, type RowSettings } from "./row-reader.ts"

export class SessionTableBuilder {
  private readonly readRow: RowReader
  private readonly client = new GrowableInt32()
  private readonly session = new GrowableInt32()
  private readonly numbers = new Map<string, GrowableFloat64>()
  /** the number columns, in the order `accept` takes their values */
  readonly numberColumns: ReadonlyArray<string>
  private readonly columns: ReadonlyArray<GrowableFloat64>
  private readonly scratch: Float64Array
  /**
   * Session numbers seen, for the uniqueness check: a bit per session 1–32 for each client row
   * (no object per row), and a map for the rare rest (higher numbers, clients whose own row is
   * invalid). The line of each kept row is stored to name the earlier line of a duplicate.
   */
  private readonly bits: Uint32Array
  private readonly overflow = new Map<string, Map<number, number>>()
  private readonly lines = new GrowableInt32()
  private lastId = ""
  private lastSlot: number | undefined
  private readonly clientColumn: string
  private readonly sessionColumn: string

  /**
   * @param clients every client code in clients.csv: its row index in the client table (≥ 0),
   *   or a negative number when the client's own row was invalid
   * @param clientsFile the clients file's name, for messages
   */
  constructor(
    private readonly header: ResolvedHeader,
    ranges: Ranges,
    private readonly settings: RowSettings,
    private readonly log: ProblemLog,
    private readonly clients: ReadonlyMap<string, number>,
    private readonly clientsFile: string,
    /** the number columns to store (all when omitted); others are validated and profiled only */
    keep: (column: string) => boolean = () => true,
  ) {
    const schema = sessionCsvRow(header.columns.map((c) => c.spec.name), ranges)
    this.readRow = compileRowReader(header, schema, ranges, settings, log)
    for (const { spec } of header.columns) {
      if (spec.kind === "number" && keep(spec.name)) this.numbers.set(spec.name, new GrowableFloat64())
    }
    this.bits = new Uint32Array(clients.size)
    this.numberColumns = [...this.numbers.keys()]
    this.columns = [...this.numbers.values()]
    this.scratch = new Float64Array(this.columns.length)
    const nameOf = (canonical: string) => header.columns.find((c) => c.spec.name === canonical)?.name ?? canonical
    this.clientColumn = nameOf("client_id")
    this.sessionColumn = nameOf("session")
  }

  /** Validates one record given as strings, and accepts it if valid. */
  row(line: number, cells: ReadonlyArray<string>): void {
    const row = this.readRow(line, cells)
    if (row === undefined) return
    this.numberColumns.forEach((name, j) => {
      const value = row[name]
      this.scratch[j] = typeof value === "number" ? value : Number.NaN
    })
    this.accept(line, String(row["client_id"]), Number(row["session"]), this.scratch)
  }

  /**
   * Accepts a row whose cells are valid: checks that its client exists and that the session
   * number is new for that client, then appends it. `values` holds the number columns in the
   * order of `numberColumns` (NaN for missing).
   */
  accept(line: number, id: string, session: number, values: Float64Array): void {
    const slot = id === this.lastId ? this.lastSlot : this.clients.get(id)
    if (slot === undefined) {
      this.log.add({
        file: this.header.file,
        line,
        column: this.clientColumn,
        value: id,
        rule: `every session's client must exist in ${this.clientsFile}`,
      })
      return
    }
    this.lastId = id
    this.lastSlot = slot
    const clientIndex = slot >= 0 ? slot : undefined
    const earlier = this.earlierLine(id, clientIndex, session, line)
    if (earlier !== undefined) {
      this.log.add({
        file: this.header.file,
        line,
        column: this.sessionColumn,
        value: String(session),
        rule: `each client's session numbers must be unique (this client's session ${session} is also on line ${earlier})`,
      })
      return
    }
    // A client whose own row is invalid (and already reported) is checked but not kept.
    if (clientIndex === undefined) return
    this.client.push(clientIndex)
    this.session.push(session)
    this.lines.push(line)
    for (let j = 0; j < this.columns.length; j++) this.columns[j]!.push(values[j]!)
  }

  /**
   * Records (client, session) as seen; if it was seen before, returns the earlier line (0 when
   * the problem list is already full and the line would not be shown).
   */
  private earlierLine(id: string, clientIndex: number | undefined, session: number, line: number): number | undefined {
    if (clientIndex !== undefined && session <= 32) {
      const bit = 1 << (session - 1)
      const seen = this.bits[clientIndex]!
      if ((seen & bit) === 0) {
        this.bits[clientIndex] = seen | bit
        return undefined
      }
      if (!this.log.keeping) return 0
      const client = this.client
      for (let row = client.length - 1; row >= 0; row--) {
        if (client.at(row) === clientIndex && this.session.at(row) === session) return this.lines.at(row)
      }
      return 0
    }
    let sessions = this.overflow.get(id)
    if (sessions === undefined) {
      sessions = new Map()
      this.overflow.set(id, sessions)
    }
    const seen = sessions.get(session)
    if (seen !== undefined) return seen
    sessions.set(session, line)
    return undefined
  }

  build(): SessionTable {
    return {
      n: this.client.length,
      client: this.client.build(),
      session: this.session.build(),
      numbers: new Map([...this.numbers].map(([k, v]) => [k, v.build()])),
    }
  }
}
