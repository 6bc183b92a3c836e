/**
 * Decoding one line of sessions.csv on its own — the half of the plain path (plain-sessions.ts)
 * that needs nothing but the line, so that a worker thread can do it on a file's tail
 * (session-speculation.ts): cells, ranges and missing codes are checked here, the client's row
 * and the session number's uniqueness there.
 */
import type { Ranges } from "../../data-schemas/canonical.ts"
import { MAX_LABEL_LENGTH } from "../../data-schemas/cells.ts"
import type { ResolvedHeader } from "./header.ts"
import { MissingCodes, PlainCursor, untrimmed } from "./plain-cells.ts"

const COMMA = 0x2c
const QUOTE = 0x22
const LF = 0x0a
const CR = 0x0d
const SPACE = 0x20
const TILDE = 0x7e
const MINUS = 0x2d
const PLUS = 0x2b
const POINT = 0x2e
const ZERO = 0x30
const NINE = 0x39
const POW10 = Array.from({ length: 16 }, (_, k) => 10 ** k)

/** What each position of a record holds. */
const OTHER = 0
const CLIENT = 1
const SESSION = 2
const NUMBER = 3

/** How to decode a line of one sessions file: plain data, so that it can be sent to a worker. */
export interface SessionLinePlan {
  readonly width: number
  /** the role of each position (OTHER, CLIENT, SESSION, NUMBER) */
  readonly roles: Int8Array
  /** for a NUMBER: its slot among the stored number columns, −1 when validated but not stored */
  readonly slots: Int32Array
  readonly low: Float64Array
  readonly high: Float64Array
  /** stored number columns */
  readonly stored: number
  /** a canonical column the plain path does not know how to check: no line is plain */
  readonly unsupported: boolean
  readonly missingValues: ReadonlyArray<string>
}

/** The plan for a file with this header; `stored` lists the number columns kept, in order. */
export const sessionLinePlan = (
  header: ResolvedHeader,
  ranges: Ranges,
  missingValues: ReadonlySet<string>,
  stored: ReadonlyArray<string>,
): SessionLinePlan => {
  const width = header.width
  const roles = new Int8Array(width)
  const slots = new Int32Array(width).fill(-1)
  const low = new Float64Array(width)
  const high = new Float64Array(width)
  let unsupported = false
  for (const column of header.columns) {
    const name = column.spec.name
    const i = column.index
    if (name === "client_id") roles[i] = CLIENT
    else if (name === "session") roles[i] = SESSION
    else if (column.spec.kind === "number") {
      const [lo, hi] = ranges[name] ?? [-Infinity, Infinity]
      roles[i] = NUMBER
      slots[i] = stored.indexOf(name)
      low[i] = lo
      high[i] = hi
    } else unsupported = true
  }
  // every column counted once in a bit mask of missing cells (see SessionLineDecoder.missingMask)
  if (width > 31) unsupported = true
  return { width, roles, slots, low, high, stored: stored.length, unsupported, missingValues: [...missingValues] }
}

/** Whether two plans decode every line alike. */
export const samePlan = (a: SessionLinePlan, b: SessionLinePlan): boolean =>
  a.width === b.width &&
  a.stored === b.stored &&
  a.unsupported === b.unsupported &&
  a.roles.every((r, i) => r === b.roles[i]) &&
  a.slots.every((x, i) => x === b.slots[i]) &&
  a.low.every((x, i) => Object.is(x, b.low[i])) &&
  a.high.every((x, i) => Object.is(x, b.high[i])) &&
  a.missingValues.length === b.missingValues.length &&
  a.missingValues.every((m, i) => m === b.missingValues[i])

/**
 * Decodes a line on its own: true when it is plain and every cell is plainly valid, leaving the
 * client code's byte range, the session number, the stored numbers and the missing cells.
 */
export class SessionLineDecoder {
  private readonly cursor = new PlainCursor()
  private readonly missing: MissingCodes
  readonly starts: Int32Array
  readonly ends: Int32Array
  private mask = 0
  clientStart = 0
  clientEnd = 0
  session = 0
  /** the stored number columns' values (NaN when missing) */
  readonly values: Float64Array

  constructor(private readonly plan: SessionLinePlan) {
    this.missing = new MissingCodes(new Set(plan.missingValues))
    this.starts = new Int32Array(plan.width)
    this.ends = new Int32Array(plan.width)
    this.values = new Float64Array(plan.stored)
  }

  /**
   * Decodes the line that starts at `start` and ends at the first line break (LF or CR) before
   * `limit`: returns the offset of that line break, or −1 when the line is not plain, not plainly
   * valid, or not ended before `limit`. (Whether the line break is the file's is the caller's
   * check: see afterLineBreak in csv-scanner.ts.)
   *
   * The common line — no quotes — is read in one pass here, numbers parsed while their cells are
   * scanned, and its end found on the way; a line with a quote is read by the PlainCursor. Both
   * decide exactly alike (they share the rules in `cell`).
   */
  decodeLine(bytes: Uint8Array, start: number, limit: number): number {
    const plan = this.plan
    if (plan.unsupported) return -1
    const { roles, slots, low, high } = plan
    const starts = this.starts
    const ends = this.ends
    const values = this.values
    const numericCodes = this.missing.numeric
    this.mask = 0
    let pos = start
    for (let i = 0; i < plan.width; i++) {
      if (i > 0) {
        if (pos === limit || bytes[pos] !== COMMA) return -1 // fewer cells than the header has columns
        pos++
      }
      const from = pos
      if (pos < limit && bytes[pos] === QUOTE) return this.decodeQuoted(bytes, start, limit)
      let x = Number.NaN
      const role = roles[i]
      if (role === NUMBER || role === SESSION) {
        // a plain decimal: optional sign, digits with at most one point (see plainDecimal)
        let negative = false
        const first = pos < limit ? bytes[pos]! : COMMA
        if (first === MINUS || first === PLUS) {
          negative = first === MINUS
          pos++
        }
        let mantissa = 0
        let digits = 0
        let point = -1
        while (pos < limit) {
          const b = bytes[pos]!
          if (b >= ZERO && b <= NINE) {
            mantissa = mantissa * 10 + (b - ZERO)
            digits++
          } else if (b === POINT && point < 0) point = digits
          else break
          pos++
        }
        const after = pos < limit ? bytes[pos]! : -1
        if (after === COMMA || after === LF || after === CR) {
          if (digits > 0 && digits <= 15) {
            const fraction = point < 0 ? 0 : digits - point
            const y = fraction === 0 ? mantissa : mantissa / POW10[fraction]!
            x = negative ? -y : y
          }
        } else if (after === -1) return -1 // cut by `limit`
        else pos = from // not a plain decimal: read the cell as text below
      }
      if (pos === from) {
        // text: printable ASCII up to the next comma or line break
        while (pos < limit) {
          const b = bytes[pos]!
          if (b === COMMA) break
          if (b < SPACE || b > TILDE || b === QUOTE) {
            if (b === LF || b === CR) break
            return -1
          }
          pos++
        }
        if (pos === limit) return -1 // cut by `limit`
      }
      starts[i] = from
      ends[i] = pos
      if (role === NUMBER && x === x && !numericCodes) {
        // the common cell, checked here rather than in `cell` (same rules): a number in range
        if (!(x >= low[i]! && x <= high[i]!)) return -1
        const slot = slots[i]!
        if (slot >= 0) values[slot] = x
      } else if (role === SESSION && x === x && !numericCodes) {
        // likewise the common session number: a plain decimal, so not missing
        if (!(Number.isSafeInteger(x) && x >= 1)) return -1
        this.session = x
      } else if (role === CLIENT && pos > from && pos - from <= MAX_LABEL_LENGTH && bytes[from] !== SPACE && bytes[pos - 1] !== SPACE) {
        // and the common client code: 1–64 plain characters, trimmed, unless a missing code
        if (this.missing.has(bytes, from, pos)) return -1
        this.clientStart = from
        this.clientEnd = pos
      } else if (!this.cell(i, bytes, from, pos, x)) return -1
    }
    // the line must end here: another comma means more cells than the header has columns
    return pos < limit && (bytes[pos] === LF || bytes[pos] === CR) ? pos : -1
  }

  /**
   * A line with a quote: its end found first (a plain line has no line break inside quotes), then
   * the PlainCursor reads its cells (quoted ones without escapes).
   */
  private decodeQuoted(bytes: Uint8Array, start: number, limit: number): number {
    const lf = bytes.indexOf(LF, start)
    if (lf < 0 || lf >= limit) return -1
    // a CR before the LF ends the line too (the caller checks the line ending is the file's)
    const end = lf > start && bytes[lf - 1] === CR ? lf - 1 : lf
    const cursor = this.cursor
    const roles = this.plan.roles
    cursor.reset(bytes, start, end)
    this.mask = 0
    for (let i = 0; i < this.plan.width; i++) {
      const role = roles[i]
      if (!(role === CLIENT || role === OTHER ? cursor.text() : cursor.decimal())) return -1
      this.starts[i] = cursor.start
      this.ends[i] = cursor.stop
      if (!this.cell(i, bytes, cursor.start, cursor.stop, cursor.value)) return -1
    }
    return cursor.finished ? end : -1 // not finished: more cells than the header has columns
  }

  /**
   * Checks cell i, bytes[s, e), whose value as a plain decimal is x (NaN when it is not one, or
   * was read as text), and records what it holds.
   */
  private cell(i: number, bytes: Uint8Array, s: number, e: number, x: number): boolean {
    const plan = this.plan
    const role = plan.roles[i]
    // a cell that parses is not missing unless some missing code looks like a number
    const missing = role === NUMBER && x === x && !this.missing.numeric ? false : this.missing.has(bytes, s, e)
    if (missing) this.mask |= 1 << i
    if (role === NUMBER) {
      const slot = plan.slots[i]!
      if (missing) {
        if (slot >= 0) this.values[slot] = Number.NaN
        return true
      }
      if (!(x >= plan.low[i]! && x <= plan.high[i]!)) return false // NaN (not a plain decimal) fails too
      if (slot >= 0) this.values[slot] = x
      return true
    }
    if (role === CLIENT) {
      if (missing || e === s || e - s > MAX_LABEL_LENGTH || !untrimmed(bytes, s, e)) return false
      this.clientStart = s
      this.clientEnd = e
      return true
    }
    if (role === SESSION) {
      if (missing || !(Number.isSafeInteger(x) && x >= 1)) return false
      this.session = x
      return true
    }
    // an extra column: free text, profiled only (but the string path trims it first)
    return untrimmed(bytes, s, e)
  }

  /** bit i set when cell i is missing (widths up to 31: see sessionLinePlan) */
  get missingMask(): number {
    return this.mask
  }
}
