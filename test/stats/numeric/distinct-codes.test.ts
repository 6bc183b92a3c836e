import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { distinctCodes } from "../../../src/stats/numeric/distinct-codes.ts"

const runs = { numRuns: 300, seed: 20240612 } as const

/** The reference: a Map (SameValueZero keys, so −0 and 0 are one key), as ranks.ts used before. */
const withMap = (values: ArrayLike<number>) => {
  const codeOf = new Map<number, number>()
  const codes: number[] = []
  const levels: number[] = []
  const counts: number[] = []
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number
    let code = codeOf.get(value)
    if (code === undefined) {
      code = levels.length
      codeOf.set(value, code)
      levels.push(value + 0)
      counts.push(0)
    }
    codes.push(code)
    counts[code]!++
  }
  return { codes, levels, counts }
}

const plain = (t: ReturnType<typeof distinctCodes>) => t && { codes: Array.from(t.codes), levels: [...t.levels], counts: [...t.counts] }

describe("distinctCodes", () => {
  it("gives the documented example", () => {
    expect(plain(distinctCodes([2.5, 1, 2.5, -0, 0], 10))).toEqual({ codes: [0, 1, 0, 2, 2], levels: [2.5, 1, 0], counts: [2, 1, 2] })
    expect(Object.is(distinctCodes([-0], 1)!.levels[0], 0)).toBe(true)
  })

  it("numbers the distinct values as a Map does, on few and on many distinct values", () => {
    const few = fc.array(fc.integer({ min: -20, max: 20 }).map((k) => k / 4), { maxLength: 400 })
    const many = fc.array(fc.double({ noNaN: true }), { maxLength: 400 })
    fc.assert(
      fc.property(fc.oneof(few, many), (values) => {
        expect(plain(distinctCodes(values, values.length))).toEqual(withMap(values))
      }),
      runs,
    )
  })

  it("gives up, undefined, when there are more distinct values than allowed", () => {
    expect(distinctCodes([1, 2, 3], 2)).toBeUndefined()
    expect(plain(distinctCodes([1, 2, 1, 2], 2))).toEqual({ codes: [0, 1, 0, 1], levels: [1, 2], counts: [2, 2] })
    expect(plain(distinctCodes([], 0))).toEqual({ codes: [], levels: [], counts: [] })
  })

  it("keeps apart values that differ only in the last bit, and groups a column of ten thousand levels", () => {
    const close = [1, 1 + Number.EPSILON, 1, 1 - Number.EPSILON / 2]
    expect(plain(distinctCodes(close, 4))).toEqual(withMap(close))
    const values = Float64Array.from({ length: 50_000 }, (_, i) => (i * 7919) % 10_000 / 100)
    expect(plain(distinctCodes(values, 10_000))).toEqual(withMap(values))
  })
})
