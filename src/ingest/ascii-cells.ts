/**
 * Reading cells straight from bytes, for the byte path of ingest. Each reader either decides
 * exactly as the string path would (String.prototype.trim, then data-schemas' parseNumber) or
 * answers "undecided", and the record goes the string way. Only ASCII is decided here.
 */

/** The whitespace String.prototype.trim removes, restricted to ASCII (tab, LF, VT, FF, CR, space). */
const isSpace = (b: number) => b === 0x20 || (b >= 0x09 && b <= 0x0d)

/**
 * Trims cell `i` of an all-ASCII record (the caller checks `RecordView.ascii`: Unicode whitespace
 * is not handled here), writing its trimmed byte range to `starts[i]`, `ends[i]`.
 */
export const trimAscii = (bytes: Uint8Array, start: number, end: number, i: number, starts: Int32Array, ends: Int32Array): void => {
  while (start < end && isSpace(bytes[start]!)) start++
  while (end > start && isSpace(bytes[end - 1]!)) end--
  starts[i] = start
  ends[i] = end
}

/** Whether bytes[start, end) equals `code`. */
export const bytesEqual = (bytes: Uint8Array, start: number, end: number, code: Uint8Array): boolean => {
  if (end - start !== code.length) return false
  for (let k = 0; k < code.length; k++) if (bytes[start + k] !== code[k]) return false
  return true
}

/** ASCII bytes as a string. */
export const asciiText = (bytes: Uint8Array, start: number, end: number): string => {
  let text = ""
  for (let k = start; k < end; k++) text += String.fromCharCode(bytes[k]!)
  return text
}

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k)

/**
 * The number written in bytes[start, end) when it is a plain decimal — optional sign, digits,
 * optional point and digits, at most 15 digits in all — and NaN otherwise (undecided: exponents,
 * longer numbers and anything else go the string way).
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
 * The cells of one all-ASCII record as the byte paths see them: trimmed ranges and whether each
 * is a missing-value code. Reused from record to record (no allocation per record).
 */
export class AsciiRecord {
  readonly starts: Int32Array
  readonly ends: Int32Array
  private readonly missing: Uint8Array
  private readonly missingCodes: ReadonlyArray<Uint8Array>

  constructor(width: number, missingValues: ReadonlySet<string>) {
    this.starts = new Int32Array(width)
    this.ends = new Int32Array(width)
    this.missing = new Uint8Array(width)
    // A missing-value code that is not ASCII can never equal an ASCII cell.
    const encoder = new TextEncoder()
    this.missingCodes = [...missingValues].filter((code) => /^[\x00-\x7f]*$/.test(code)).map((code) => encoder.encode(code))
  }

  /**
   * Trims cell `i` of `view` and notes whether it is missing. False when the cell has an escaped
   * quote (`""`): such a record is left to the string path.
   */
  read(view: { readonly bytes: Uint8Array; readonly starts: Int32Array; readonly ends: Int32Array; readonly escaped: Uint8Array }, i: number): boolean {
    if (view.escaped[i] === 1) return false
    trimAscii(view.bytes, view.starts[i]!, view.ends[i]!, i, this.starts, this.ends)
    let missing = false
    for (const code of this.missingCodes) {
      if (bytesEqual(view.bytes, this.starts[i]!, this.ends[i]!, code)) {
        missing = true
        break
      }
    }
    this.missing[i] = missing ? 1 : 0
    return true
  }

  isMissing(i: number): boolean {
    return this.missing[i] === 1
  }

  text(bytes: Uint8Array, i: number): string {
    return asciiText(bytes, this.starts[i]!, this.ends[i]!)
  }

  /** Adds the decided record to a column profile: missing counts, and samples while wanted. */
  profile(
    profiler: { countRow(): void; countMissing(i: number): void; wantsSample(i: number): boolean; sample(i: number, value: string, line: number): void },
    bytes: Uint8Array,
    count: number,
    line: number,
  ): void {
    profiler.countRow()
    for (let i = 0; i < count; i++) {
      if (this.missing[i] === 1) profiler.countMissing(i)
      else if (profiler.wantsSample(i)) profiler.sample(i, this.text(bytes, i), line)
    }
  }
}
