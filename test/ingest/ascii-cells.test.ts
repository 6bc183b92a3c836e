import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { parseNumber } from "../../data-schemas/cells.ts"
import { asciiText, bytesEqual, plainDecimal, trimAscii } from "../../src/ingest/ascii-cells.ts"

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
    for (const text of ["1e3", "0x1A", "1,5", "NaN", "Infinity", "1.2.3", "", "-", ".", "1234567890123456"]) {
      expect(plainDecimal(bytes(text), 0, text.length), text).toBeNaN()
    }
  })
})

describe("trimAscii / bytesEqual / asciiText", () => {
  it("trims what String.prototype.trim trims, for any ASCII cell", () => {
    const starts = new Int32Array(1)
    const ends = new Int32Array(1)
    const cell = bytes(" \t NA \f")
    trimAscii(cell, 0, cell.length, 0, starts, ends)
    expect(asciiText(cell, starts[0]!, ends[0]!)).toBe(" \t NA \f".trim())
    expect(bytesEqual(cell, starts[0]!, ends[0]!, bytes("NA"))).toBe(true)
    fc.assert(
      fc.property(fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)) }), (text) => {
        const b = bytes(text)
        trimAscii(b, 0, b.length, 0, starts, ends)
        expect(asciiText(b, starts[0]!, ends[0]!)).toBe(text.trim())
      }),
      { numRuns: 5000, seed: 9 },
    )
  })
})
