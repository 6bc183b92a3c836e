/**
 * Plain records: the common case of a CSV line that the fast path of ingest can read straight from
 * the read buffer, without a string per cell.
 *
 * A line is plain when it splits into exactly the header's number of cells, each made of printable
 * ASCII (0x20–0x7E) and either unquoted (no `"` inside) or quoted without escapes (`"abc"`, never
 * `"a""b"`). csv-parse gives such a cell's bytes unchanged as its text, so reading it from bytes
 * cannot disagree with the string path. Anything else — tabs, line breaks or other control
 * characters, non-ASCII text, escaped quotes, the wrong number of cells — is not plain, and the
 * record takes the string path (csv-parse's semantics, zod schemas, the messages).
 *
 * Each reader here either decides exactly as the string path would (String.prototype.trim, then
 * data-schemas' parseNumber and rules) or answers "undecided".
 */

const COMMA = 0x2c
const QUOTE = 0x22
const SPACE = 0x20
const TILDE = 0x7e

/**
 * Reads the cells of one line in order, straight from the bytes, while checking that the line is
 * plain. Each read takes the next cell and the comma after it, and returns false when the cell is
 * not plain or is not followed by a comma or the end of the line; `finished` then says whether the
 * line has no more cells. The cell read last is bytes[start, stop) (quotes excluded).
 *
 * `decimal` parses the cell as a plain decimal while scanning it (one pass over the bytes): the
 * common case of a number column costs no more than finding the comma.
 *
 * Example: on `C01,"T 1",,4.5`: text() → [0,3); text() → [5,8); decimal() → [10,10), NaN;
 * decimal() → [11,14), 4.5; finished is then true.
 */
export class PlainCursor {
  private bytes: Uint8Array = new Uint8Array(0)
  private pos = 0
  private end = 0
  /** the line has no more cells */
  finished = true
  start = 0
  stop = 0
  /** the last cell's value when read by `decimal` and it is a plain decimal, else NaN */
  value = Number.NaN

  /** Starts on the line bytes[start, end) (its line break excluded). */
  reset(bytes: Uint8Array, start: number, end: number): void {
    this.bytes = bytes
    this.pos = start
    this.end = end
    this.finished = false
  }

  /** Reads the next cell as text. */
  text(): boolean {
    if (this.finished) return false
    this.value = Number.NaN
    const bytes = this.bytes
    const end = this.end
    let pos = this.pos
    if (pos < end && bytes[pos] === QUOTE) return this.quoted()
    this.start = pos
    while (pos < end) {
      const b = bytes[pos]!
      if (b === COMMA) break
      if (b < SPACE || b > TILDE || b === QUOTE) return false
      pos++
    }
    this.stop = pos
    return this.delimiter(pos)
  }

  /** Reads the next cell, parsing it as a plain decimal (see plainDecimal) on the way. */
  decimal(): boolean {
    if (this.finished) return false
    const bytes = this.bytes
    const end = this.end
    const from = this.pos
    let pos = from
    if (pos < end && bytes[pos] === QUOTE) {
      if (!this.quoted()) return false
      this.value = plainDecimal(bytes, this.start, this.stop)
      return true
    }
    let negative = false
    const first = bytes[pos]
    if (pos < end && (first === 0x2d || first === 0x2b)) {
      negative = first === 0x2d
      pos++
    }
    let mantissa = 0
    let digits = 0
    let point = -1
    while (pos < end) {
      const b = bytes[pos]!
      if (b >= 0x30 && b <= 0x39) {
        mantissa = mantissa * 10 + (b - 0x30)
        digits++
      } else if (b === 0x2e && point < 0) {
        point = digits
      } else break
      pos++
    }
    if (pos === end || bytes[pos] === COMMA) {
      // the whole cell was read: a plain decimal if it has 1–15 digits
      if (digits === 0 || digits > 15) this.value = Number.NaN
      else {
        const fraction = point < 0 ? 0 : digits - point
        const x = fraction === 0 ? mantissa : mantissa / POW10[fraction]!
        this.value = negative ? -x : x
      }
      this.start = from
      this.stop = pos
      return this.delimiter(pos)
    }
    // not a plain decimal (a missing-value code, text, spaces, ...): read it as text
    this.pos = from
    return this.text()
  }

  /** A quoted cell at `pos`: up to the closing quote, which a comma or the end must follow. */
  private quoted(): boolean {
    const bytes = this.bytes
    const end = this.end
    let pos = this.pos + 1
    this.start = pos
    while (pos < end) {
      const b = bytes[pos]!
      if (b === QUOTE) break
      if (b < SPACE || b > TILDE) return false
      pos++
    }
    if (pos === end) return false // the quote closes on a later line, or never
    this.stop = pos
    return this.delimiter(pos + 1) // a quote right after would be an escaped quote: not plain
  }

  /** Consumes the comma at `pos`, or notes the end of the line; false for anything else. */
  private delimiter(pos: number): boolean {
    if (pos === this.end) {
      this.finished = true
      this.pos = pos
      return true
    }
    if (this.bytes[pos] !== COMMA) return false
    this.pos = pos + 1
    return true
  }
}

/** Whether the plain cell bytes[start, end) is unchanged by String.prototype.trim (ASCII: no space at either end). */
export const untrimmed = (bytes: Uint8Array, start: number, end: number): boolean =>
  start === end || (bytes[start] !== SPACE && bytes[end - 1] !== SPACE)

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k)

/**
 * The number written in bytes[start, end) when it is a plain decimal — optional sign, digits,
 * optional point and digits, at most 15 digits in all — and NaN otherwise (undecided: exponents,
 * spaces, longer numbers and anything else go the string way).
 *
 * Exact: the digits form an integer m < 10^15 < 2^53 and 10^f is exact for f ≤ 22, so m / 10^f is
 * one correctly rounded division — the same double Number() gives for the decimal string.
 * Example: "3.75" → 375 / 100 = 3.75; "-0" → −0; "1." → 1; ".5" → 0.5.
 */
export const plainDecimal = (bytes: Uint8Array, start: number, end: number): number => {
  let i = start
  let negative = false
  const first = bytes[i]
  if (first === 0x2d || first === 0x2b) {
    negative = first === 0x2d
    i++
  }
  let mantissa = 0
  let digits = 0
  let fraction = 0
  let point = false
  for (; i < end; i++) {
    const b = bytes[i]!
    if (b >= 0x30 && b <= 0x39) {
      mantissa = mantissa * 10 + (b - 0x30)
      digits++
      if (point) fraction++
    } else if (b === 0x2e && !point) {
      point = true
    } else {
      return Number.NaN
    }
  }
  if (digits === 0 || digits > 15) return Number.NaN
  const x = fraction === 0 ? mantissa : mantissa / POW10[fraction]!
  return negative ? -x : x
}

/**
 * The study's missing-value codes, matched against plain cells. A code that is not printable
 * ASCII can never equal a plain cell and is left out.
 *
 * Example: codes ["", "NA"] → the cells `` and `NA` are missing, `na` and ` NA` are not (the
 * latter is not plain-untrimmed and takes the string path).
 */
export class MissingCodes {
  /** whether the empty cell is a missing code */
  private readonly empty: boolean
  private readonly codes: ReadonlyArray<Uint8Array>
  /** bit n set when some code is n bytes long (n < 32) */
  private readonly lengths: number
  /** some code is 32 bytes or longer */
  private readonly long: boolean
  /**
   * Some code looks like a plain decimal (e.g. `-99`), so a number cell must be compared with the
   * codes even when it parses; otherwise only a cell that does not parse needs comparing.
   */
  readonly numeric: boolean

  constructor(missingValues: ReadonlySet<string>) {
    this.empty = missingValues.has("")
    const encoder = new TextEncoder()
    const codes = [...missingValues].filter((code) => code !== "" && /^[\x20-\x7e]*$/.test(code))
    this.codes = codes.map((code) => encoder.encode(code))
    this.lengths = this.codes.reduce((bits, code) => (code.length < 32 ? bits | (1 << code.length) : bits), 0)
    this.long = this.codes.some((code) => code.length >= 32)
    this.numeric = codes.some((code) => /^[-+]?[0-9]*\.?[0-9]*$/.test(code))
  }

  /** Whether bytes[start, end) is a missing-value code. */
  has(bytes: Uint8Array, start: number, end: number): boolean {
    const length = end - start
    if (length === 0) return this.empty
    // most cells have no code's length: bit n of `lengths` is set when some code has n bytes
    if (length < 32 ? (this.lengths & (1 << length)) === 0 : !this.long) return false
    const codes = this.codes
    for (let c = 0; c < codes.length; c++) {
      const code = codes[c]!
      if (code.length !== length) continue
      let k = 0
      while (k < length && bytes[start + k] === code[k]) k++
      if (k === length) return true
    }
    return false
  }
}
