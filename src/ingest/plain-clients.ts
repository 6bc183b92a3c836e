/**
 * The plain path for clients.csv: like the one for sessions (plain-sessions.ts), a plain line whose
 * cells are plainly valid — plain decimals within range, codes and labels of the right length
 * without surrounding spaces, required codes present, a client code not seen before — is read
 * straight from the read buffer: numbers parsed from bytes, codes and labels looked up in the
 * table's byte-keyed dictionaries. Any other line takes the string path, which validates with the
 * zod schemas and writes the messages. Both give the same table (test/ingest/read-study.test.ts).
 */
import type { Ranges } from "../../data-schemas/canonical.ts"
import { MAX_LABEL_LENGTH } from "../../data-schemas/cells.ts"
import type { ClientTableBuilder } from "./client-table.ts"
import type { ColumnProfiler } from "./column-profile.ts"
import type { ResolvedHeader } from "./header.ts"
import { textOf } from "../data/byte-dictionary.ts"
import { afterLineBreak, lineContentEnd } from "./csv-scanner.ts"
import { MissingCodes, PlainCursor, untrimmed } from "./plain-cells.ts"

/** What each position of a record holds (the number kinds last: `kind >= NUMBER`). */
const EXTRA = 0
const ID = 1
const CATEGORY = 2
const NUMBER = 3
const INTEGER = 4
const BINARY = 5

const KIND = { id: ID, category: CATEGORY, number: NUMBER, integer: INTEGER, binary: BINARY } as const

export class PlainClients {
  private readonly width: number
  private readonly kinds: Int8Array
  /** NUMBER: the valid range; INTEGER: the least value (in `low`) */
  private readonly low: Float64Array
  private readonly high: Float64Array
  /** the file has a client_id column (without it no line is taken) */
  private readonly hasId: boolean
  private readonly missing: MissingCodes
  private readonly cursor = new PlainCursor()
  private readonly starts: Int32Array
  private readonly ends: Int32Array
  private readonly isMissing: Uint8Array
  /** 1 while column i's sample may still want values */
  private readonly sampling: Uint8Array
  private readonly values: Float64Array

  constructor(
    header: ResolvedHeader,
    ranges: Ranges,
    missingValues: ReadonlySet<string>,
    private readonly builder: ClientTableBuilder,
    private readonly profiler: ColumnProfiler,
  ) {
    const width = header.width
    this.width = width
    this.kinds = new Int8Array(width)
    this.low = new Float64Array(width)
    this.high = new Float64Array(width)
    for (const { spec, index } of header.columns) {
      const [low, high] = ranges[spec.name] ?? [-Infinity, Infinity]
      this.kinds[index] = KIND[spec.kind]
      this.low[index] = spec.kind === "integer" ? (spec.min ?? 0) : low
      this.high[index] = high
    }
    this.hasId = header.columns.some((c) => c.spec.name === "client_id")
    this.missing = new MissingCodes(missingValues)
    this.starts = new Int32Array(width)
    this.ends = new Int32Array(width)
    this.isMissing = new Uint8Array(width)
    this.sampling = new Uint8Array(width).fill(1)
    this.values = new Float64Array(width)
  }

  /** A LineHandler (csv-scanner.ts): takes the line when it is a plainly valid, new client. */
  readonly line = (bytes: Uint8Array, start: number, limit: number, line: number, crlf: boolean): number => {
    const end = this.hasId ? lineContentEnd(bytes, start, limit, crlf) : -1
    return end >= 0 && this.take(bytes, start, end, line) ? afterLineBreak(bytes, end, limit, crlf) : -1
  }

  /** Takes the line bytes[start, end) when it is a plainly valid, new client. */
  private take(bytes: Uint8Array, start: number, end: number, line: number): boolean {
    const cursor = this.cursor
    const missingCodes = this.missing
    cursor.reset(bytes, start, end)
    for (let i = 0; i < this.width; i++) {
      const kind = this.kinds[i]!
      const numeric = kind >= NUMBER
      if (!(numeric ? cursor.decimal() : cursor.text())) return false
      const s = cursor.start
      const e = cursor.stop
      const x = cursor.value
      // a cell that parses is not missing unless some missing code looks like a number
      const missing = numeric && x === x && !missingCodes.numeric ? false : missingCodes.has(bytes, s, e)
      this.starts[i] = s
      this.ends[i] = e
      this.isMissing[i] = missing ? 1 : 0
      if (missing) {
        if (kind === ID) return false // every ID column is required in the row schema
        continue
      }
      this.values[i] = x
      if (!this.valid(kind, i, bytes, s, e, x)) return false
    }
    if (!cursor.finished) return false // more cells than the header has columns
    if (!this.builder.acceptPlain(line, bytes, this.starts, this.ends, this.isMissing, this.values)) return false
    this.profile(bytes, line)
    return true
  }

  /** Whether the non-missing cell i, bytes[s, e) read as x, is plainly valid. */
  private valid(kind: number, i: number, bytes: Uint8Array, s: number, e: number, x: number): boolean {
    switch (kind) {
      case NUMBER:
        return x >= this.low[i]! && x <= this.high[i]! // NaN (not a plain decimal) fails too
      case INTEGER:
        return Number.isSafeInteger(x) && x >= this.low[i]!
      case BINARY:
        return x === 0 || x === 1
      case EXTRA:
        // any text, but the string path trims it first
        return untrimmed(bytes, s, e)
      default:
        // ID, CATEGORY: trimmed already, then 1–64 characters
        return untrimmed(bytes, s, e) && e > s && e - s <= MAX_LABEL_LENGTH
    }
  }

  /** Adds the taken record to the column profile: missing counts, and samples while wanted. */
  private profile(bytes: Uint8Array, line: number): void {
    const profiler = this.profiler
    const counts = profiler.missingCounts
    profiler.rows++
    for (let i = 0; i < this.width; i++) {
      if (this.isMissing[i] === 1) counts[i]!++
      else if (this.sampling[i] === 1) {
        // the string path samples too: ask the profiler before adding
        if (profiler.wantsSample(i)) profiler.sample(i, textOf(bytes, this.starts[i]!, this.ends[i]!), line)
        else this.sampling[i] = 0
      }
    }
  }
}
