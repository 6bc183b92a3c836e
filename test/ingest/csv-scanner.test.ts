/**
 * Differential tests: the fast scanner against csv-parse, the parser of record, with the options
 * the pipeline uses. For every input, the scanner must either produce exactly csv-parse's records
 * and line numbers, or declare itself undecided (the pipeline then re-reads with csv-parse). It
 * must never accept an input csv-parse rejects, and it must decide on the ordinary files a lab
 * writes (no quotes, or quotes without line breaks).
 */
import { parse } from "csv-parse/sync"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { afterLineBreak, CsvScanner, type LineHandler, lineContentEnd, recordCells, ScannerUndecided } from "../../src/ingest/csv-scanner.ts"
import { textOf } from "../../src/data/byte-dictionary.ts"
import { PlainCursor } from "../../src/ingest/plain-cells.ts"

type Parsed = { readonly ok: true; readonly records: Array<[string[], number]> } | { readonly ok: false }

const byCsvParse = (text: string): Parsed => {
  try {
    const rows = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as Array<{
      record: string[]
      info: { lines: number }
    }>
    return { ok: true, records: rows.map((r) => [r.record, r.info.lines]) }
  } catch {
    return { ok: false }
  }
}

/**
 * A line handler as the plain paths use one: takes every line the PlainCursor reads to its end
 * (whatever its number of cells), as a record of the cells' bytes.
 */
const plainLines = (records: Array<[string[], number]>): LineHandler => {
  const cursor = new PlainCursor()
  return (bytes, start, limit, line, crlf) => {
    const end = lineContentEnd(bytes, start, limit, crlf)
    if (end < 0) return -1
    cursor.reset(bytes, start, end)
    const cells: string[] = []
    while (!cursor.finished) {
      if (!cursor.text()) return -1
      cells.push(textOf(bytes, cursor.start, cursor.stop))
    }
    const next = afterLineBreak(bytes, end, limit, crlf)
    if (next >= 0) records.push([cells, line])
    return next
  }
}

/**
 * Scans `bytes` cut into chunks at `cuts`; undefined when the scanner is undecided. With `lines`,
 * a plain-path line handler takes the lines it can read.
 */
const byScanner = (bytes: Uint8Array, cuts: ReadonlyArray<number> = [], lines = false): Array<[string[], number]> | undefined => {
  const records: Array<[string[], number]> = []
  const scanner = new CsvScanner((record) => records.push([recordCells(record), record.line]), lines ? plainLines(records) : undefined)
  try {
    let from = 0
    for (const cut of [...new Set(cuts)].filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b)) {
      scanner.push(bytes.subarray(from, cut))
      from = cut
    }
    scanner.push(bytes.subarray(from))
    scanner.end()
    return records
  } catch (error) {
    if (error instanceof ScannerUndecided) return undefined
    throw error
  }
}

const encode = (text: string) => new TextEncoder().encode(text)

/** The scanner agrees with csv-parse or is undecided; it never accepts what csv-parse rejects. */
const agrees = (text: string, cuts: ReadonlyArray<number> = [], lines = false): boolean => {
  const expected = byCsvParse(text)
  const actual = byScanner(encode(text), cuts, lines)
  if (actual === undefined) return true
  if (!expected.ok) return false
  expect(actual).toEqual(expected.records)
  return true
}

// Ordinary CSV: plain or properly quoted fields (quotes and commas inside, no line breaks).
const plainField = fc.stringMatching(/^[A-Za-z0-9 ._\-é中]{0,8}$/)
const quotedField = fc.stringMatching(/^[A-Za-z0-9 ,"._\-]{0,8}$/).map((s) => `"${s.replaceAll('"', '""')}"`)
const record = fc.array(fc.oneof(plainField, plainField, quotedField), { minLength: 1, maxLength: 6 }).map((f) => f.join(","))
const ordinaryCsv = fc
  .record({
    records: fc.array(record, { minLength: 0, maxLength: 12 }),
    eol: fc.constantFrom("\n", "\r\n"),
    bom: fc.boolean(),
    trailing: fc.boolean(),
    blankLines: fc.array(fc.nat(12), { maxLength: 3 }),
  })
  .map(({ records, eol, bom, trailing, blankLines }) => {
    const lines = [...records]
    for (const at of blankLines) lines.splice(Math.min(at, lines.length), 0, "")
    return (bom ? "\uFEFF" : "") + lines.join(eol) + (trailing && lines.length > 0 ? eol : "")
  })

// Adversarial soup: every character the dialect cares about, in any order.
const soup = fc
  .array(fc.constantFrom("a", "b", "1", " ", ",", '"', '""', "\n", "\r\n", "\r", "é", "\uFEFF", ""), { maxLength: 40 })
  .map((parts) => parts.join(""))

const cutsFor = (text: string) => fc.array(fc.nat(encode(text).length + 1), { maxLength: 5 })

describe("CsvScanner against csv-parse", () => {
  it("decides on, and agrees with csv-parse on, ordinary files with LF or CRLF, BOM, quotes and blank lines", () => {
    fc.assert(
      fc.property(ordinaryCsv.chain((text) => fc.tuple(fc.constant(text), cutsFor(text))), ([text, cuts]) => {
        const actual = byScanner(encode(text), cuts)
        const expected = byCsvParse(text)
        expect(expected.ok).toBe(true)
        expect(actual, `undecided on ${JSON.stringify(text)}`).toBeDefined()
        if (expected.ok) expect(actual).toEqual(expected.records)
      }),
      { numRuns: 2000, seed: 20261122 },
    )
  })

  it("agrees or is undecided on adversarial input, split into chunks anywhere, and never accepts what csv-parse rejects", () => {
    fc.assert(
      fc.property(soup.chain((text) => fc.tuple(fc.constant(text), cutsFor(text))), ([text, cuts]) => agrees(text, cuts)),
      { numRuns: 5000, seed: 7 },
    )
  })

  it("still agrees with csv-parse when a plain-path line handler takes the lines it can read", () => {
    fc.assert(
      fc.property(ordinaryCsv.chain((text) => fc.tuple(fc.constant(text), cutsFor(text))), ([text, cuts]) => {
        const expected = byCsvParse(text)
        expect(byScanner(encode(text), cuts, true), `undecided on ${JSON.stringify(text)}`).toEqual((expected as { records: unknown }).records)
      }),
      { numRuns: 2000, seed: 11 },
    )
    fc.assert(
      fc.property(soup.chain((text) => fc.tuple(fc.constant(text), cutsFor(text))), ([text, cuts]) => agrees(text, cuts, true)),
      { numRuns: 5000, seed: 13 },
    )
  })

  it("offers the line handler only complete lines after the header, and skips the lines it takes", () => {
    const offered: Array<[string, number]> = []
    const records: Array<[string[], number]> = []
    const scanner = new CsvScanner(
      (record) => records.push([recordCells(record), record.line]),
      (bytes, start, limit, line, crlf) => {
        // offered from each line start, complete or cut by the chunk's end: take complete lines only
        const end = lineContentEnd(bytes, start, limit, crlf)
        if (end < 0) return -1
        const text = textOf(bytes, start, end)
        offered.push([text, line])
        return text.startsWith("take") ? afterLineBreak(bytes, end, limit, crlf) : -1
      },
    )
    const bytes = encode('h1,h2\r\ntake,1\r\nkeep,2\r\n"a, b",3\r\ntake,4')
    for (let i = 0; i < bytes.length; i += 3) scanner.push(bytes.subarray(i, i + 3))
    scanner.end()
    // not the header (it fixes the line ending), each line once, without its CRLF; the last line
    // has no line break, so it is left to the scanner
    expect(offered).toEqual([
      ["take,1", 2],
      ["keep,2", 3],
      ['"a, b",3', 4],
    ])
    expect(records).toEqual([
      [["h1", "h2"], 1],
      [["keep", "2"], 3],
      [["a, b", "3"], 4],
      [["take", "4"], 5],
    ])
  })

  it.each([
    ["embedded comma and escaped quotes", 'a,"b,c","say ""hi"""\n'],
    ["empty fields and a trailing comma", ",,\na,,\n"],
    ["CRLF with a blank line", "a,b\r\n\r\nc,d\r\n"],
    ["a byte-order mark", "\uFEFFclient_id,session\nC1,1\n"],
    ["no final line break", "a,b\nc"],
    ["a quoted empty field alone on a line", '""\nx\n'],
    ["a very long field", `${"x".repeat(100_000)},y\n`],
    ["multi-byte UTF-8 cut inside a character", "Zürich,中文\n"],
  ])("matches csv-parse on %s", (_, text) => {
    const bytes = encode(text)
    for (let cut = 0; cut <= bytes.length; cut += Math.max(1, Math.floor(bytes.length / 50))) {
      expect(byScanner(bytes, [cut]), `cut at ${cut}`).toEqual((byCsvParse(text) as { records: unknown }).records)
    }
  })

  it.each([
    ["a quote inside an unquoted field", 'ab"c,d\n'],
    ["text after a closing quote", '"a"b,c\n'],
    ["an unclosed quote", 'a,"b\n'],
    ["a line break inside quotes", '"a\nb",c\n'],
    ["a bare carriage return", "a\rb\n"],
    ["mixed LF and CRLF", "a,b\nc,d\r\n"],
  ])("is undecided on %s", (_, text) => {
    expect(byScanner(encode(text))).toBeUndefined()
  })
})
