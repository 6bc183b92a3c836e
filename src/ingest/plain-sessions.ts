/**
 * The plain path for sessions.csv, the big file: a plain line (plain-cells.ts) whose cells are
 * plainly valid — plain decimals within range, a known client whose own row is valid, a new
 * session number — is read straight from the read buffer into the column profile and the table,
 * with no string per cell and no object per row. Every other line (anything invalid, unusual,
 * quoted with escapes or non-ASCII) is left to the scanner and the string path, which validates
 * with the zod schemas and writes the messages.
 *
 * The two paths therefore give the same tables, profiles and problems (test/ingest/read-study.test.ts
 * reads studies both ways), the plain path merely deciding the common case faster.
 *
 * Deciding a line is split in two so that a worker thread can do the first half on the file's tail
 * (session-speculation.ts): `SessionLineDecoder` (session-line.ts) checks everything that needs
 * only the line — cells, ranges, missing codes — and `PlainSessions` what needs the study — the
 * client's row and the uniqueness of its session number — and stores the row.
 */
import { MAX_LABEL_LENGTH } from "../../data-schemas/cells.ts"
import { ABSENT, type ByteDictionary, textOf } from "../data/byte-dictionary.ts"
import type { ColumnProfiler } from "./column-profile.ts"
import { afterLineBreak } from "./csv-scanner.ts"
import { PlainCursor } from "./plain-cells.ts"
import { SessionLineDecoder, type SessionLinePlan } from "./session-line.ts"
import type { SessionTableBuilder } from "./session-table.ts"

/** The string path: a record as cells (csv-parse's text), with its line. */
export type StringPath = (line: number, cells: ReadonlyArray<string>) => void

export class PlainSessions {
  private readonly width: number
  private readonly decoder: SessionLineDecoder
  /** bit i set while column i's sample may still want values */
  private sampling: number
  /** the last client code's bytes and dictionary value: consecutive rows usually share them */
  private readonly lastId = new Uint8Array(MAX_LABEL_LENGTH)
  private lastIdLength = -1
  private lastSlot = ABSENT

  constructor(
    readonly plan: SessionLinePlan,
    private readonly clients: ByteDictionary,
    private readonly builder: SessionTableBuilder,
    private readonly profiler: ColumnProfiler,
  ) {
    this.width = plan.width
    this.decoder = new SessionLineDecoder(plan)
    this.sampling = plan.width >= 32 ? -1 : (1 << plan.width) - 1 // widths over 31 are never plain
  }

  /** The client code's dictionary value (ABSENT when unknown), remembered from the last row. */
  private client(bytes: Uint8Array, start: number, end: number): number {
    const length = end - start
    const last = this.lastId
    if (length === this.lastIdLength) {
      let k = 0
      while (k < length && bytes[start + k] === last[k]) k++
      if (k === length) return this.lastSlot
    }
    for (let k = 0; k < length; k++) last[k] = bytes[start + k]!
    this.lastIdLength = length
    this.lastSlot = this.clients.get(bytes, start, end)
    return this.lastSlot
  }

  /** A LineHandler (csv-scanner.ts): takes the line when it is a plainly valid record. */
  readonly line = (bytes: Uint8Array, start: number, limit: number, line: number, crlf: boolean): number => {
    const decoder = this.decoder
    const end = decoder.decodeLine(bytes, start, limit)
    const next = end < 0 ? -1 : afterLineBreak(bytes, end, limit, crlf)
    if (next < 0) return -1
    const client = this.client(bytes, decoder.clientStart, decoder.clientEnd)
    if (client === ABSENT || !this.builder.acceptPlain(line, client, decoder.session, decoder.values)) return -1
    this.profile(bytes, decoder.starts, decoder.ends, decoder.missingMask, line)
    return next
  }

  /**
   * Replays lines a worker decoded (session-speculation.ts) as the serial reading would have taken
   * them, in file order: a decoded row whose client is known and valid and whose session number is
   * new is stored and profiled; any other row, and every record the worker could not decode, goes
   * the string path.
   *
   * @param part the worker's lines, numbered from 1 at its first byte
   * @param lineOffset added to the worker's line numbers (the file line of its first line − 1)
   * @param lineBytes the part's bytes [start, end), read again (needed only for the rare rows
   *   that go the string path or are sampled, so the worker's copy of the bytes is not kept)
   */
  replay(part: SpeculativePart, lineOffset: number, stringPath: StringPath, lineBytes: LineBytes): void {
    // each distinct client code the worker met, resolved once
    const codes = part.codes
    const resolved = new Int32Array(codes.count)
    for (let c = 0; c < codes.count; c++) resolved[c] = this.clients.get(codes.bytes, codes.starts[c]!, codes.starts[c + 1]!)
    const values = new Float64Array(this.plan.stored)
    const text = new LineCells(part, lineBytes)
    const records = part.records
    const builder = this.builder
    // Rows taken in the common case (claimed, no sample wanted) are appended in runs, column by
    // column; a run is flushed before anything else is appended, so the table stays in file order.
    let run = 0
    let k = 0
    for (let r = 0; r < part.rows; r++) {
      if (k < records.length && records[k]!.before === r) {
        builder.appendRun(part, resolved, lineOffset, run, r)
        run = r
        for (; k < records.length && records[k]!.before === r; k++) stringPath(records[k]!.line + lineOffset, records[k]!.cells)
      }
      const client = resolved[part.client[r]!]!
      const mask = part.missing[r]!
      if (!this.wantsSample(mask)) {
        if (builder.claimPlain(client, part.session[r]!)) {
          this.count(mask)
          continue
        }
        builder.appendRun(part, resolved, lineOffset, run, r)
        run = r + 1
        stringPath(part.line[r]! + lineOffset, text.cells(r))
        continue
      }
      // a sample may want this row's cells: the row alone, as the serial reading takes it
      builder.appendRun(part, resolved, lineOffset, run, r)
      run = r + 1
      const line = part.line[r]! + lineOffset
      for (let j = 0; j < values.length; j++) values[j] = part.values[j]![r]!
      if (client === ABSENT || !builder.acceptPlain(line, client, part.session[r]!, values)) {
        stringPath(line, text.cells(r))
        continue
      }
      // the cells' text is needed: find them again in the part's bytes
      text.split(r)
      this.profile(text.bytes, text.starts, text.ends, mask, line)
    }
    builder.appendRun(part, resolved, lineOffset, run, part.rows)
    for (; k < records.length; k++) stringPath(records[k]!.line + lineOffset, records[k]!.cells)
  }

  /** Whether a sample may want one of the non-missing cells of a record with this missing mask. */
  private wantsSample(mask: number): boolean {
    return (this.sampling & ~mask) !== 0
  }

  /** Counts a taken record in the column profile when no sample wants its cells. */
  private count(mask: number): void {
    const counts = this.profiler.missingCounts
    this.profiler.rows++
    for (let bits = mask; bits !== 0; bits &= bits - 1) counts[31 - Math.clz32(bits & -bits)]!++
  }

  /** Adds the taken record to the column profile: missing counts, and samples while wanted. */
  private profile(bytes: Uint8Array, starts: Int32Array, ends: Int32Array, mask: number, line: number): void {
    if (!this.wantsSample(mask)) return this.count(mask)
    const profiler = this.profiler
    const counts = profiler.missingCounts
    profiler.rows++
    for (let i = 0; i < this.width; i++) {
      const bit = 1 << i
      if ((mask & bit) !== 0) counts[i]!++
      else if ((this.sampling & bit) !== 0) {
        // the string path samples too: ask the profiler before adding
        if (profiler.wantsSample(i)) profiler.sample(i, textOf(bytes, starts[i]!, ends[i]!), line)
        else this.sampling &= ~bit
      }
    }
  }
}

/**
 * What a worker read of a sessions file's tail (from a line start to the end): the lines it
 * decoded, as columns, and the records it could not, as cells — both in file order — with where
 * each decoded line is, so that the reader can read it again. The bytes themselves stay with the
 * worker (the reader hashes the file's tail itself and checks the file did not change).
 */
export interface SpeculativePart {
  /** decoded lines */
  readonly rows: number
  /** the client code of each row, as an index into `codes` */
  readonly client: Int32Array
  readonly session: Int32Array
  /** line numbers, from 1 at the part's first byte */
  readonly line: Int32Array
  /** bit i set when cell i is missing */
  readonly missing: Int32Array
  /** the stored number columns */
  readonly values: ReadonlyArray<Float64Array>
  /** each row's line as a byte range of the part (offsets from its first byte) */
  readonly lineStart: Int32Array
  readonly lineEnd: Int32Array
  /** distinct client codes in order of first appearance: code c is bytes[starts[c], starts[c + 1]) */
  readonly codes: { readonly count: number; readonly bytes: Uint8Array; readonly starts: Int32Array }
  /** the records not decoded, with the number of decoded rows before each */
  readonly records: ReadonlyArray<{ readonly before: number; readonly line: number; readonly cells: ReadonlyArray<string> }>
  /** the line ending of the part's first line break: 0 none, 1 LF, 2 CRLF */
  readonly style: 0 | 1 | 2
  /** lines seen: the line number after the part's last line break */
  readonly lines: number
}

/** Bytes [start, end) of a worker's part, read again. */
export type LineBytes = (start: number, end: number) => Uint8Array

/** A decoded row's cells again, from its line read again (rare: the string path, samples). */
class LineCells {
  readonly starts: Int32Array
  readonly ends: Int32Array
  bytes: Uint8Array = new Uint8Array(0)
  private readonly cursor = new PlainCursor()

  constructor(
    private readonly part: SpeculativePart,
    private readonly lineBytes: LineBytes,
  ) {
    this.starts = new Int32Array(32)
    this.ends = new Int32Array(32)
  }

  /** Splits row r's line into cells (a decoded line is plain, so this cannot fail); returns the count. */
  split(r: number): number {
    const cursor = this.cursor
    this.bytes = this.lineBytes(this.part.lineStart[r]!, this.part.lineEnd[r]!)
    cursor.reset(this.bytes, 0, this.bytes.length)
    let n = 0
    while (!cursor.finished && cursor.text()) {
      this.starts[n] = cursor.start
      this.ends[n] = cursor.stop
      n++
    }
    return n
  }

  cells(r: number): string[] {
    const n = this.split(r)
    return Array.from({ length: n }, (_, i) => textOf(this.bytes, this.starts[i]!, this.ends[i]!))
  }
}
