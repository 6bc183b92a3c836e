/**
 * A CSV file's dialect, read from its first 64 KiB before it is parsed (issue 8): exports from
 * REDCap, Qualtrics, SPSS and Excel in many locales differ in
 *
 *   - encoding: UTF-8 is read (with or without a byte-order mark); UTF-16 or UTF-32 (their
 *     byte-order marks, or NUL bytes), other binary content and bytes that are not valid UTF-8
 *     (a Windows-1252 or Latin-1 export, say) are refused, saying what was found;
 *   - delimiter: `,`, `;` (European Excel) or tab, the one that occurs most often in the header
 *     line outside quotes (a comma when none does);
 *   - decimal separator: a comma when the delimiter is not one and some cell of the sample is a
 *     number written with a decimal comma (`3,5`); such cells are read as `3.5`;
 *   - line endings: LF, CRLF or both (recorded; the reader copes with each).
 *
 * The study file may fix the delimiter and the decimal separator instead (`dialect`). What was
 * found goes into the manifest.
 */
import { closeSync, openSync, readSync } from "node:fs"

export type Delimiter = "," | ";" | "\t"

export interface Dialect {
  readonly encoding: "UTF-8"
  readonly bom: boolean
  readonly delimiter: Delimiter
  readonly decimal: "." | ","
  readonly lineEnding: "LF" | "CRLF" | "mixed" | "none"
}

export type DialectVerdict = { readonly dialect: Dialect } | { readonly refused: string }

export const CANONICAL_DIALECT: Dialect = { encoding: "UTF-8", bom: false, delimiter: ",", decimal: ".", lineEnding: "LF" }

const SAMPLE_BYTES = 64 * 1024

/** A number written with a decimal comma: 3,5 or -0,25 (no thousands separators). */
export const DECIMAL_COMMA = /^[-+]?\d+,\d+$/

/** Reads up to the first 64 KiB of a file. */
const sample = (path: string): Uint8Array => {
  const fd = openSync(path, "r")
  try {
    const buffer = new Uint8Array(SAMPLE_BYTES)
    const n = readSync(fd, buffer, 0, SAMPLE_BYTES, 0)
    return buffer.subarray(0, n)
  } finally {
    closeSync(fd)
  }
}

const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).toUpperCase().padStart(2, "0")).join(" ")

/** Why the bytes are not UTF-8 text, or null when they are. */
const notUtf8Text = (bytes: Uint8Array, complete: boolean): string | null => {
  const starts = (...marker: number[]) => marker.every((b, i) => bytes[i] === b)
  if (starts(0xff, 0xfe, 0x00, 0x00) || starts(0x00, 0x00, 0xfe, 0xff)) return `it is UTF-32 text (byte-order mark ${hex(bytes.subarray(0, 4))}); save it as "CSV UTF-8"`
  if (starts(0xff, 0xfe) || starts(0xfe, 0xff)) return `it is UTF-16 text (byte-order mark ${hex(bytes.subarray(0, 2))}); save it as "CSV UTF-8"`
  const nul = bytes.indexOf(0)
  if (nul >= 0) return `it holds NUL bytes (the first at byte ${nul + 1}): UTF-16 text without a byte-order mark, or not text (a spreadsheet .xlsx or .sav file?); save it as "CSV UTF-8"`
  // a multi-byte character may be cut at the end of the sample: decode without its last 3 bytes
  const checked = complete ? bytes : bytes.subarray(0, Math.max(0, bytes.length - 3))
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(checked)
  } catch {
    const at = firstInvalidByte(checked)
    return `it is not valid UTF-8 (near byte ${at + 1}: ${hex(checked.subarray(at, at + 2))}), perhaps Windows-1252 or Latin-1 from an older export; save it as "CSV UTF-8"`
  }
  return null
}

/** Where UTF-8 decoding goes wrong first (lead byte and continuation bytes; to locate, not to judge). */
const firstInvalidByte = (bytes: Uint8Array): number => {
  let i = 0
  while (i < bytes.length) {
    const b = bytes[i]!
    const extra = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1
    if (extra < 0) return i
    for (let k = 1; k <= extra; k++) if (i + k >= bytes.length || (bytes[i + k]! & 0xc0) !== 0x80) return i
    i += extra + 1
  }
  return Math.max(0, bytes.length - 1)
}

/** Delimiter counts in one line, outside double quotes. */
const delimiterIn = (line: string): Delimiter => {
  const counts = { ",": 0, ";": 0, "\t": 0 }
  let quoted = false
  for (const ch of line) {
    if (ch === '"') quoted = !quoted
    else if (!quoted && (ch === "," || ch === ";" || ch === "\t")) counts[ch]++
  }
  const best = (Object.entries(counts) as Array<[Delimiter, number]>).sort((a, b) => b[1] - a[1])[0]!
  return best[1] > counts[","] ? best[0] : ","
}

/**
 * The dialect of the file at `path` (file comment); `fixed` is the study file's choice, where it
 * makes one.
 */
export const sniffDialect = (path: string, fixed: { readonly delimiter?: Delimiter; readonly decimal?: "." | "," } = {}): DialectVerdict => {
  let bytes: Uint8Array
  try {
    bytes = sample(path)
  } catch {
    return { dialect: CANONICAL_DIALECT } // unreadable: the reader says why
  }
  const complete = bytes.length < SAMPLE_BYTES
  const refusal = notUtf8Text(bytes, complete)
  if (refusal !== null) return { refused: refusal }
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf
  const text = new TextDecoder("utf-8").decode(bytes.subarray(bom ? 3 : 0))
  const crlf = (text.match(/\r\n/g) ?? []).length
  const lf = (text.match(/\n/g) ?? []).length - crlf
  const lineEnding = crlf > 0 && lf > 0 ? "mixed" : crlf > 0 ? "CRLF" : lf > 0 ? "LF" : "none"
  const lines = text.split(/\r?\n/)
  const delimiter = fixed.delimiter ?? delimiterIn(lines[0] ?? "")
  const decimal =
    fixed.decimal ??
    (delimiter !== "," && lines.slice(1, complete ? undefined : -1).some((line) => line.split(delimiter).some((cell) => DECIMAL_COMMA.test(cell.trim().replace(/^"|"$/g, ""))))
      ? ","
      : ".")
  return { dialect: { encoding: "UTF-8", bom, delimiter, decimal, lineEnding } }
}
