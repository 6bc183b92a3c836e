/** ByteDictionary against a Map keyed by the same text: every operation, through every growth. */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { ABSENT, ByteDictionary, textOf } from "../../src/data/byte-dictionary.ts"

const encode = (text: string) => new TextEncoder().encode(text)

describe("ByteDictionary", () => {
  it("behaves as a Map<string, number> under random get/set/add, by bytes and by text", () => {
    // from a space small enough to repeat keys and large enough to grow the table several times
    const key = fc.oneof(fc.stringMatching(/^[A-Z][0-9]{0,3}$/), fc.string({ maxLength: 3 }), fc.constantFrom("", "é", "中文", "a\u0000b"))
    const op = fc.tuple(fc.constantFrom("get", "set", "add", "getText", "setText"), key, fc.integer({ min: -5, max: 1_000_000 }))
    fc.assert(
      fc.property(fc.array(op, { maxLength: 3000 }), (ops) => {
        const dictionary = new ByteDictionary()
        const reference = new Map<string, number>()
        for (const [kind, k, value] of ops) {
          // keys sit at an offset inside a larger buffer, as cells do in a read buffer
          const bytes = encode(`,,${k},`)
          const start = 2
          const end = bytes.length - 1
          const expected = reference.get(k) ?? ABSENT
          if (kind === "get") expect(dictionary.get(bytes, start, end)).toBe(expected)
          else if (kind === "getText") expect(dictionary.getText(k)).toBe(expected)
          else if (kind === "set") {
            dictionary.set(bytes, start, end, value)
            reference.set(k, value)
          } else if (kind === "setText") {
            dictionary.setText(k, value)
            reference.set(k, value)
          } else {
            expect(dictionary.add(bytes, start, end, value)).toBe(expected)
            if (expected === ABSENT) reference.set(k, value)
          }
          expect(dictionary.size).toBe(reference.size)
        }
      }),
      { numRuns: 200, seed: 23 },
    )
  })

  it("holds a million keys (many rehashes) and finds each", () => {
    const dictionary = new ByteDictionary()
    for (let i = 0; i < 1_000_000; i++) dictionary.setText(`C${i}`, i)
    expect(dictionary.size).toBe(1_000_000)
    let found = 0
    for (let i = 0; i < 1_000_000; i++) if (dictionary.getText(`C${i}`) === i) found++
    expect(found).toBe(1_000_000)
    expect(dictionary.getText("C1000000")).toBe(ABSENT)
  })

  it("decodes keys' text as UTF-8 (textOf)", () => {
    for (const text of ["", "C01", "Zürich", "中文", "a\uFEFFb", "x".repeat(40)]) {
      const bytes = encode(`"${text}"`)
      expect(textOf(bytes, 1, bytes.length - 1)).toBe(text)
    }
  })
})
