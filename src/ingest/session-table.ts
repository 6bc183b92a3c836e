/**
 * Accumulates validated rows of sessions.csv into a columnar SessionTable, checking referential
 * integrity (every session's client exists in clients.csv) and uniqueness of (client, session).
 */
import type { Ranges } from "../../data-schemas/canonical.ts"
import { sessionCsvRow } from "../../data-schemas/sessions.ts"
import { ABSENT, type ByteDictionary } from "../data/byte-dictionary.ts"
import type { SessionTable } from "../data/study-data.ts"
import { RowBlock } from "./growable.ts"
import type { ResolvedHeader } from "./header.ts"
import type { ProblemLog } from "./problem-log.ts"
import { compileRowReader, type RowReader, type RowSettings } from "./row-reader.ts"

/** The number columns a sessions table stores, in order: those of the header that `keep` keeps. */
export const storedNumberColumns = (header: ResolvedHeader, keep: (column: string) => boolean): string[] =>
  header.columns.filter(({ spec }) => spec.kind === "number" && keep(spec.name)).map(({ spec }) => spec.name)

/** the int columns of the row block */
const CLIENT = 0
const SESSION = 1
const LINE = 2

/** Rows as columns: what `appendRun` copies from (a worker's part). */
export interface RowColumns {
  readonly client: Int32Array
  readonly session: Int32Array
  readonly line: Int32Array
  readonly values: ReadonlyArray<Float64Array>
}

export class SessionTableBuilder {
  private readonly readRow: RowReader
  /** int columns client (row index), session and line; a float column per stored number column */
  private readonly rows: RowBlock
  /** the number columns stored, in the order `accept` takes their values */
  readonly numberColumns: ReadonlyArray<string>
  private readonly scratch: Float64Array
  /**
   * Session numbers seen, for the uniqueness check: a bit per session 1–32 for each client row
   * (no object per row), and a map for the rare rest (higher numbers, clients whose own row is
   * invalid). The line of each kept row is stored to name the earlier line of a duplicate.
   */
  private readonly bits: Uint32Array
  private readonly overflow = new Map<string, Map<number, number>>()
  private lastId = ""
  private lastSlot = ABSENT
  private readonly clientColumn: string
  private readonly sessionColumn: string

  /**
   * @param clients every client code in clients.csv: its row index in the client table (≥ 0),
   *   or a negative number when the client's own row was invalid (ABSENT for any other code)
   * @param clientsFile the clients file's name, for messages
   */
  constructor(
    private readonly header: ResolvedHeader,
    ranges: Ranges,
    private readonly settings: RowSettings,
    private readonly log: ProblemLog,
    private readonly clients: ByteDictionary,
    private readonly clientsFile: string,
    /** the number columns to store (all when omitted); others are validated and profiled only */
    keep: (column: string) => boolean = () => true,
    /** an upper bound on the rows, if known (see RowBlock): the columns then never grow */
    capacity?: number,
  ) {
    const schema = sessionCsvRow(header.columns.map((c) => c.spec.name), ranges)
    this.readRow = compileRowReader(header, schema, ranges, settings, log)
    this.numberColumns = storedNumberColumns(header, keep)
    this.rows = new RowBlock(3, this.numberColumns.length, capacity)
    this.bits = new Uint32Array(clients.size)
    this.scratch = new Float64Array(this.numberColumns.length)
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
    const slot = id === this.lastId ? this.lastSlot : this.clients.getText(id)
    if (slot === ABSENT) {
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
    this.append(line, clientIndex, session, values)
  }

  private append(line: number, clientIndex: number, session: number, values: Float64Array): void {
    const rows = this.rows
    const r = rows.next()
    const ints = rows.ints
    ints[CLIENT]![r] = clientIndex
    ints[SESSION]![r] = session
    ints[LINE]![r] = line
    const floats = rows.floats
    for (let j = 0; j < floats.length; j++) floats[j]![r] = values[j]!
  }

  /**
   * The plain path's accept, for the common case only: a valid row of client `clientIndex` (the
   * client's own row valid) with a session number 1–32 not seen before for that client. Returns
   * false, having changed nothing, in every other case, and the record goes the string way, whose
   * `accept` writes the message. Same checks, same table as `accept`.
   */
  acceptPlain(line: number, clientIndex: number, session: number, values: Float64Array): boolean {
    if (!this.claimPlain(clientIndex, session)) return false
    this.append(line, clientIndex, session, values)
    return true
  }

  /**
   * acceptPlain's checks without the append: records the session number as seen and returns true
   * in the common case (the caller then appends the row with `appendRun`), false otherwise.
   */
  claimPlain(clientIndex: number, session: number): boolean {
    if (clientIndex < 0 || session > 32) return false
    const bit = 1 << (session - 1)
    const seen = this.bits[clientIndex]!
    if ((seen & bit) !== 0) return false
    this.bits[clientIndex] = seen | bit
    return true
  }

  /**
   * Appends rows [from, to) of a worker's part (PlainSessions.replay), each already claimed with
   * `claimPlain`: client codes mapped through `clientOf` (the part's code → row index), line
   * numbers shifted by `lineOffset`, the part's number columns in the order of `numberColumns`.
   */
  appendRun(part: RowColumns, clientOf: Int32Array, lineOffset: number, from: number, to: number): void {
    if (to <= from) return
    const first = this.rows.reserve(to - from)
    const [client, session, line] = this.rows.ints as [Int32Array, Int32Array, Int32Array]
    for (let r = from, at = first; r < to; r++, at++) {
      client[at] = clientOf[part.client[r]!]!
      line[at] = part.line[r]! + lineOffset
    }
    session.set(part.session.subarray(from, to), first)
    const floats = this.rows.floats
    for (let j = 0; j < floats.length; j++) floats[j]!.set(part.values[j]!.subarray(from, to), first)
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
      const [client, sessions, lines] = this.rows.ints as [Int32Array, Int32Array, Int32Array]
      for (let row = this.rows.length - 1; row >= 0; row--) {
        if (client[row] === clientIndex && sessions[row] === session) return lines[row]
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
      n: this.rows.length,
      client: this.rows.int(CLIENT),
      session: this.rows.int(SESSION),
      numbers: new Map(this.numberColumns.map((name, j) => [name, this.rows.float(j)])),
    }
  }
}
