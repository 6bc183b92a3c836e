/**
 * A fast CSV scanner for the common case, proven equivalent to csv-parse (the parser of record)
 * by differential tests (test/ingest/csv-scanner.test.ts).
 *
 * It reads bytes, not strings: each complete record's fields are found as byte ranges and handed
 * to a callback, with the record's line number counted exactly as csv-parse's `info.lines` (the
 * line on which the record ends). Cells become strings only when the consumer asks.
 *
 * Dialect: comma-separated, `"` quoting with `""` as an escaped quote, LF or CRLF line endings,
 * an optional UTF-8 byte-order mark, empty lines skipped — csv-parse with
 * `{ bom: true, relax_column_count: true, skip_empty_lines: true }`.
 *
 * Where the scanner cannot be sure it would agree with csv-parse — a quote inside an unquoted
 * field, text after a closing quote, a quote left open at the end, a line break inside a quoted
 * field, a bare carriage return, LF and CRLF mixed in one file (csv-parse fixes the record
 * delimiter from the first line and keeps a stray CR in the data) — it throws `ScannerUndecided`, and the caller re-reads the file with csv-parse, which gives its own
 * (precise) verdict. Validation downstream is the same either way.
 */

const COMMA = 0x2c
const QUOTE = 0x22
const LF = 0x0a
const CR = 0x0d

/** The scanner met input it does not decide on; re-read the file with csv-parse. */
export class ScannerUndecided extends Error {
  constructor(readonly line: number, reason: string) {
    super(`fast CSV scanner undecided at line ${line}: ${reason}`)
  }
}

/** One record's fields as byte ranges into `bytes`, valid only during the callback. */
export interface RecordView {
  readonly bytes: Uint8Array
  /** number of fields */
  readonly count: number
  readonly starts: Int32Array
  readonly ends: Int32Array
  /** 1 where the field was quoted and contains an escaped quote (`""`) to unescape */
  readonly escaped: Uint8Array
  /** csv-parse's `info.lines`: the line on which the record ends */
  readonly line: number
}

export type RecordHandler = (record: RecordView) => void

/**
 * Offered each line that may be a whole record, once the file's line ending is known (after the
 * header), before the scanner splits it: the bytes from the line's start to `limit` (the end of
 * the bytes at hand, which may cut the line), its line number, and whether the file's line ending
 * is CRLF. Returns the offset just past the line's line break when it has taken the line as a
 * record, or −1 to leave the record to the scanner and the RecordHandler, having changed nothing.
 *
 * A handler finds the line's end itself (see `lineContentEnd` and `afterLineBreak`), usually while
 * reading its cells, so that no separate pass looks for it. It must take only lines csv-parse would
 * read as one record of its own (see plain-cells.ts) and that end in the file's line ending before
 * `limit`: the scanner then skips the line without looking at it.
 */
export type LineHandler = (bytes: Uint8Array, start: number, limit: number, line: number, crlf: boolean) => number

/**
 * Where a line's own bytes end when its line break lies before `limit`: the offset of its LF, or
 * of the CR of a CRLF when `crlf`; −1 when there is no line break before `limit`, or (with `crlf`)
 * no CR before the LF. For handlers that read the line's cells once its end is known.
 */
export const lineContentEnd = (bytes: Uint8Array, start: number, limit: number, crlf: boolean): number => {
  const lf = bytes.indexOf(LF, start)
  if (lf < 0 || lf >= limit) return -1
  if (!crlf) return lf
  return lf > start && bytes[lf - 1] === CR ? lf - 1 : -1
}

/**
 * The offset just past the line break that starts at `end` — LF, or CRLF when `crlf` — or −1 when
 * there is none there before `limit`.
 */
export const afterLineBreak = (bytes: Uint8Array, end: number, limit: number, crlf: boolean): number => {
  if (crlf) return end + 1 < limit && bytes[end] === CR && bytes[end + 1] === LF ? end + 2 : -1
  return end < limit && bytes[end] === LF ? end + 1 : -1
}

// ignoreBOM keeps a U+FEFF inside the data, as csv-parse does (only the file's leading mark is dropped)
const decoder = new TextDecoder("utf-8", { ignoreBOM: true })

/** Short ASCII fields (most cells: codes and numbers) are built directly; TextDecoder is slower. */
const SHORT = 32

/** The text of field `i` (UTF-8 decoded, `""` unescaped). */
export const fieldText = (record: RecordView, i: number): string => {
  const bytes = record.bytes
  const start = record.starts[i]!
  const end = record.ends[i]!
  let text: string | undefined
  if (end - start <= SHORT) {
    text = ""
    for (let k = start; k < end; k++) {
      const b = bytes[k]!
      if (b >= 0x80) {
        text = undefined
        break
      }
      text += String.fromCharCode(b)
    }
  }
  text ??= decoder.decode(bytes.subarray(start, end))
  return record.escaped[i] === 1 ? text.replaceAll('""', '"') : text
}

/** All fields of a record as strings. */
export const recordCells = (record: RecordView): string[] => {
  const cells = new Array<string>(record.count)
  for (let i = 0; i < record.count; i++) cells[i] = fieldText(record, i)
  return cells
}

export class CsvScanner {
  private carry: Uint8Array = new Uint8Array(0)
  private line = 1
  private first = true
  /** the file's line ending, fixed by its first line: 0 not yet seen, 1 LF, 2 CRLF */
  private style = 0
  private starts = new Int32Array(64)
  private ends = new Int32Array(64)
  private escaped = new Uint8Array(64)

  /**
   * @param onLine offered every line once the file's line ending is known (after the header), for
   *   a consumer that reads plain records itself
   */
  constructor(
    private readonly onRecord: RecordHandler,
    private readonly onLine?: LineHandler,
  ) {}

  /** The number of the line the next record starts on. */
  get nextLine(): number {
    return this.line
  }

  /** The file's line ending as fixed by its first line: 0 not yet seen, 1 LF, 2 CRLF. */
  get lineEnding(): 0 | 1 | 2 {
    return this.style as 0 | 1 | 2
  }

  /** Whether a record cut by the last chunk's end is waiting for the next chunk. */
  get pending(): boolean {
    return this.carry.length > 0
  }

  /** Scans a chunk; a record cut by the chunk's end is kept until the next chunk. */
  push(chunk: Uint8Array): void {
    // Always a plain Uint8Array (a Buffer is a subclass): the byte loops then see one type of
    // array, which V8 compiles much better than a mix of the two.
    let bytes = chunk.constructor === Uint8Array ? chunk : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    if (this.carry.length > 0) {
      bytes = new Uint8Array(this.carry.length + chunk.length)
      bytes.set(this.carry)
      bytes.set(chunk, this.carry.length)
    }
    let offset = 0
    if (this.first) {
      if (bytes.length < 3 && bytes.length > 0 && bytes[0] === 0xef) {
        this.carry = bytes.slice() // too short to tell whether it is a byte-order mark
        return
      }
      this.first = false
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) offset = 3
    }
    const consumed = this.scan(bytes, offset, false)
    this.carry = consumed < bytes.length ? bytes.slice(consumed) : new Uint8Array(0)
  }

  /** Scans what is left at the end of the file (a last record without a line break). */
  end(): void {
    if (this.first && this.carry.length > 0) {
      this.first = false
      const b = this.carry
      const offset = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0
      this.scan(b, offset, true)
    } else if (this.carry.length > 0) {
      this.scan(this.carry, 0, true)
    }
    this.carry = new Uint8Array(0)
  }

  private grow(): void {
    const size = this.starts.length * 2
    const starts = new Int32Array(size)
    const ends = new Int32Array(size)
    const escaped = new Uint8Array(size)
    starts.set(this.starts)
    ends.set(this.ends)
    escaped.set(this.escaped)
    this.starts = starts
    this.ends = ends
    this.escaped = escaped
  }

  /**
   * Scans complete records from `from`; returns the offset where an incomplete record begins
   * (or `bytes.length`). With `final`, the rest of the input is the last record.
   */
  private scan(bytes: Uint8Array, from: number, final: boolean): number {
    const n = bytes.length
    let pos = from
    const onLine = this.onLine
    while (pos < n) {
      if (onLine !== undefined && this.style !== 0 && bytes[pos] !== LF && bytes[pos] !== CR) {
        // an empty line is never offered: the scanner skips it
        const next = onLine(bytes, pos, n, this.line, this.style === 2)
        if (next >= 0) {
          pos = next
          this.line++
          continue
        }
      }
      const recordStart = pos
      const line = this.line
      let count = 0
      let complete = false
      while (true) {
        if (count === this.starts.length) this.grow()
        if (pos < n && bytes[pos] === QUOTE) {
          // quoted field: up to the closing quote, with "" as an escaped quote
          const start = pos + 1
          let i = start
          let hasEscape = 0
          let closed = false
          while (i < n) {
            const b = bytes[i]!
            if (b === QUOTE) {
              if (i + 1 < n && bytes[i + 1] === QUOTE) {
                hasEscape = 1
                i += 2
                continue
              }
              if (i + 1 >= n && !final) break // cannot tell yet whether the next byte is a quote
              closed = true
              break
            }
            if (b === LF || b === CR) throw new ScannerUndecided(line, "line break inside a quoted field")
            i++
          }
          if (!closed) {
            if (final) throw new ScannerUndecided(line, "quote not closed at the end of the file")
            return recordStart
          }
          this.starts[count] = start
          this.ends[count] = i
          this.escaped[count] = hasEscape
          count++
          pos = i + 1
          if (pos >= n) {
            if (!final) return recordStart
            complete = true
            break
          }
          const next = bytes[pos]!
          if (next === COMMA) {
            pos++
            continue
          }
          if (next === LF || next === CR) {
            pos = this.lineEnd(bytes, pos, final)
            if (pos < 0) return recordStart
            complete = true
            break
          }
          throw new ScannerUndecided(line, "text after a closing quote")
        }
        // unquoted field: up to a comma or the end of the line
        const start = pos
        while (pos < n) {
          const b = bytes[pos]!
          if (b === COMMA || b === LF || b === CR) break
          if (b === QUOTE) throw new ScannerUndecided(line, "quote inside an unquoted field")
          pos++
        }
        this.starts[count] = start
        this.ends[count] = pos
        this.escaped[count] = 0
        count++
        if (pos >= n) {
          if (!final) return recordStart
          complete = true
          break
        }
        if (bytes[pos] === COMMA) {
          pos++
          continue
        }
        pos = this.lineEnd(bytes, pos, final)
        if (pos < 0) return recordStart
        complete = true
        break
      }
      if (!complete) return recordStart
      // An empty line (one empty, unquoted field) is skipped, as csv-parse's skip_empty_lines does.
      const empty = count === 1 && this.starts[0] === this.ends[0] && bytes[recordStart] !== QUOTE
      if (!empty) {
        this.onRecord({ bytes, count, starts: this.starts, ends: this.ends, escaped: this.escaped, line })
      }
      this.line = line + (pos > recordStart && (bytes[pos - 1] === LF) ? 1 : 0)
    }
    return pos
  }

  /** Consumes LF or CRLF at `pos`; −1 when a CR is the last byte of a non-final chunk. */
  private lineEnd(bytes: Uint8Array, pos: number, final: boolean): number {
    if (bytes[pos] === LF) return this.ending(1, pos + 1)
    // CR
    if (pos + 1 >= bytes.length) {
      if (!final) return -1
      throw new ScannerUndecided(this.line, "bare carriage return")
    }
    if (bytes[pos + 1] === LF) return this.ending(2, pos + 2)
    throw new ScannerUndecided(this.line, "bare carriage return")
  }

  private ending(style: 1 | 2, next: number): number {
    if (this.style === 0) this.style = style
    else if (this.style !== style) throw new ScannerUndecided(this.line, "LF and CRLF line endings mixed")
    return next
  }
}
