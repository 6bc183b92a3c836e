/**
 * The cell readers of the plain path (src/ingest/plain-cells.ts) against the string path's
 * definitions: csv-parse for cells, Number/parseNumber for numbers, String.prototype.trim and set
 * membership for missing-value codes.
 */
import { parse } from "csv-parse/sync"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { parseNumber } from "../../data-schemas/cells.ts"
import { textOf } from "../../src/data/byte-dictionary.ts"
import { MissingCodes, PlainCursor, plainDecimal, untrimmed } from "../../src/ingest/plain-cells.ts"

const bytes = (text: string) => new TextEncoder().encode(text)

describe("plainDecimal", () => {
  it("gives the same double as Number() for every plain decimal of up to 15 digits", () => {
    const decimal = fc
      .tuple(fc.constantFrom("", "-", "+"), fc.stringMatching(/^[0-9]{0,9}$/), fc.boolean(), fc.stringMatching(/^[0-9]{0,8}$/))
      .map(([sign, whole, point, fraction]) => `${sign}${whole}${point ? "." : ""}${point ? fraction : ""}`)
    fc.assert(
      fc.property(decimal, (text) => {
        const x = plainDecimal(bytes(text), 0, text.length)
        const reference = parseNumber(text)
        if (Number.isNaN(x)) {
          // undecided only where the string path must look: no digits, or more than 15
          const digits = text.replace(/[^0-9]/g, "").length
          expect(digits === 0 || digits > 15).toBe(true)
        } else {
          expect(Object.is(x, reference), `${text}: ${x} vs ${reference}`).toBe(true)
        }
      }),
      { numRuns: 20000, seed: 3 },
    )
  })

  it("is exact on doubles printed by JavaScript and on classic rounding cases", () => {
    for (const text of ["0.1", "0.3", "3.75", "2.675", "1.005", "123456789012.345", "-0", "-0.0", "1.", ".5", "999999999999999", "0.00000000000001"]) {
      expect(Object.is(plainDecimal(bytes(text), 0, text.length), Number(text)), text).toBe(true)
    }
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (x) => {
        const text = String(x)
        const parsed = plainDecimal(bytes(text), 0, text.length)
        if (!Number.isNaN(parsed)) expect(Object.is(parsed, Number(text))).toBe(true)
      }),
      { numRuns: 20000, seed: 5 },
    )
  })

  it("leaves exponents, hex, and text to the string path", () => {
    for (const text of ["1e3", "0x1A", "1,5", "NaN", "Infinity", "1.2.3", "", "-", ".", "1234567890123456", " 1", "1 "]) {
      expect(plainDecimal(bytes(text), 0, text.length), text).toBeNaN()
    }
  })
})

/** csv-parse's reading of one line, as the pipeline configures it; undefined when it throws. */
const csvParse = (line: string): string[][] | undefined => {
  try {
    return parse(line, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][]
  } catch {
    return undefined
  }
}

/** Reads a line with the cursor: each cell as [text, value], or undefined when it is not plain. */
const byCursor = (line: string, asDecimal: (i: number) => boolean): Array<[string, number]> | undefined => {
  const b = bytes(line)
  const cursor = new PlainCursor()
  cursor.reset(b, 0, b.length)
  const cells: Array<[string, number]> = []
  while (!cursor.finished) {
    if (!(asDecimal(cells.length) ? cursor.decimal() : cursor.text())) return undefined
    cells.push([textOf(b, cursor.start, cursor.stop), cursor.value])
  }
  return cells
}

describe("PlainCursor", () => {
  const cell = fc.constantFrom("", "C01", "T 7", "NA", "4", "-0", "+2.50", ".5", "1.", "1e3", " 3", "4 ", "x,y", "a", "12345678901234567", "-", "é", "\t", "\r")
  const quoted = cell.map((text) => `"${text}"`)
  const escaped = fc.constantFrom('"a""b"', '""""', '"x"y', 'a"b')
  const line = fc.array(fc.oneof(cell, cell, quoted, escaped), { minLength: 1, maxLength: 6 }).map((cells) => cells.join(","))

  it("reads a line only as csv-parse does, and a plain decimal only as Number() does", () => {
    fc.assert(
      fc.property(line, fc.func(fc.boolean()), (text, asDecimal) => {
        if (text === "") return // never offered: the scanner skips empty lines, as csv-parse does
        const read = byCursor(text, asDecimal)
        const reference = csvParse(text)
        // on every line made only of plain cells the cursor decides
        const plain = /^("[\x20\x21\x23-\x7e]*"|[\x20\x21\x23-\x2b\x2d-\x7e]*)(,("[\x20\x21\x23-\x7e]*"|[\x20\x21\x23-\x2b\x2d-\x7e]*))*$/.test(text)
        expect(read !== undefined, text).toBe(plain)
        if (read === undefined) return
        expect(reference, text).toBeDefined()
        expect(reference!.length).toBe(1)
        expect(read.map(([t]) => t)).toEqual(reference![0])
        read.forEach(([t, value], i) => {
          if (asDecimal(i)) expect(Object.is(value, plainDecimal(bytes(t), 0, t.length)), `${t}`).toBe(true)
          else expect(value).toBeNaN()
        })
      }),
      { numRuns: 20000, seed: 17 },
    )
  })

  it("reads the example in its doc comment", () => {
    const read = byCursor('C01,"T 1",,4.5', (i) => i >= 2)
    expect(read).toEqual([
      ["C01", Number.NaN],
      ["T 1", Number.NaN],
      ["", Number.NaN],
      ["4.5", 4.5],
    ])
  })
})

describe("MissingCodes and untrimmed", () => {
  it("match a plain cell exactly when the string path would call it missing", () => {
    const cases: Array<[ReadonlyArray<string>, string, boolean]> = [
      [["", "NA"], "", true],
      [["", "NA"], "NA", true],
      [["", "NA"], "na", false],
      [["NA"], "", false],
      [["-99", "N/A"], "-99", true],
      [["-99", "N/A"], "N/A", true],
      [["-99", "N/A"], "-9", false],
      [["ü"], "u", false],
    ]
    for (const [codes, text, missing] of cases) {
      expect(new MissingCodes(new Set(codes)).has(bytes(text), 0, text.length), `${text} in ${codes}`).toBe(missing)
    }
    expect(new MissingCodes(new Set(["", "NA"])).numeric).toBe(false)
    expect(new MissingCodes(new Set(["NA", "-99"])).numeric).toBe(true)
    expect(new MissingCodes(new Set(["999"])).numeric).toBe(true)
  })

  it("untrimmed is true exactly when trim() leaves a printable-ASCII cell unchanged", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[\x20-\x7e]{0,6}$/), (text) => {
        expect(untrimmed(bytes(text), 0, text.length)).toBe(text.trim() === text)
      }),
      { numRuns: 5000, seed: 19 },
    )
  })
})
