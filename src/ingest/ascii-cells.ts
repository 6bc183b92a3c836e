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
