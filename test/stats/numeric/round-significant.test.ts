import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { roundSignificant } from "../../../src/stats/numeric/round-significant.ts"

const runs = { numRuns: 20000, seed: 20240612 } as const

/** The definition, and the implementation before the fast path: the reference for every test. */
const viaString = (x: number, digits = 12): number => Number(x.toPrecision(digits))

/** Bit for bit (Object.is: also tells −0 from 0 and matches NaN). */
const expectSame = (x: number, digits = 12) => {
  const actual = roundSignificant(x, digits)
  const expected = viaString(x, digits)
  if (!Object.is(actual, expected)) expect.fail(`roundSignificant(${x}, ${digits}) = ${actual}, toPrecision gives ${expected}`)
}

const view = new DataView(new ArrayBuffer(8))
const fromBits = (high: number, low: number): number => {
  view.setUint32(0, high)
  view.setUint32(4, low)
  return view.getFloat64(0)
}
const bitsOf = (x: number): [number, number] => {
  view.setFloat64(0, x)
  return [view.getUint32(0), view.getUint32(4)]
}
/** The double `steps` ulps away from x (towards +∞ for positive steps, for x > 0). */
const ulpsAway = (x: number, steps: number): number => {
  const [high, low] = bitsOf(x)
  const next = BigInt(high) * 2n ** 32n + BigInt(low) + BigInt(steps)
  return fromBits(Number(next >> 32n), Number(next & 0xffffffffn))
}

/** Every double, by its 64 bits: all magnitudes, subnormals, NaN payloads and infinities included. */
const anyDouble = fc.tuple(fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff })).map(([h, l]) => fromBits(h, l))

describe("roundSignificant", () => {
  it("gives the documented examples", () => {
    expect(roundSignificant(3.4566666666666666)).toBe(3.45666666667)
    expect(Object.is(roundSignificant(-0), 0)).toBe(true)
  })

  it("is Number(x.toPrecision(12)) bit for bit on doubles drawn from all 64-bit patterns", () => {
    fc.assert(fc.property(anyDouble, (x) => expectSame(x)), runs)
  })

  it("is Number(x.toPrecision(12)) on fast-check's doubles (biased to edge cases) and on every digits from 1 to 17", () => {
    fc.assert(fc.property(fc.double(), (x) => expectSame(x)), runs)
    fc.assert(
      fc.property(fc.oneof(anyDouble, fc.double()), fc.integer({ min: 1, max: 17 }), (x, digits) => expectSame(x, digits)),
      runs,
    )
  })

  it("is exact on means of ratings with two decimals, the values early alliance rounds", () => {
    const rating = fc.integer({ min: 100, max: 700 }).map((r) => r / 100)
    fc.assert(
      fc.property(fc.array(rating, { minLength: 1, maxLength: 12 }), (ratings) => {
        let sum = 0
        for (const r of ratings) sum += r
        expectSame(sum / ratings.length)
        expectSame(-sum / ratings.length)
      }),
      runs,
    )
    for (let a = 100; a <= 500; a++) for (let b = a; b <= a + 40; b++) expectSame((a / 100 + b / 100 + 3.33) / 3)
  })

  it("is exact next to decimal ties, where the scaled value is within a few ulps of a half-integer", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1e11, max: 1e12 - 1 }),
        fc.integer({ min: -30, max: 30 }),
        fc.integer({ min: -4, max: 4 }),
        (n, exponent, steps) => {
          const tie = (n + 0.5) * 10 ** exponent
          expectSame(ulpsAway(tie, steps))
          expectSame(-ulpsAway(tie, steps))
        },
      ),
      runs,
    )
  })

  it("is exact at and around powers of ten, where log10 may be one off", () => {
    for (let e = -330; e <= 310; e++) {
      const p = Number(`1e${e}`)
      if (!(p > 0 && Number.isFinite(p))) continue
      for (let steps = -3; steps <= 3; steps++) {
        const x = ulpsAway(p, steps)
        if (x > 0 && Number.isFinite(x)) {
          expectSame(x)
          expectSame(-x)
          expectSame(x, 1)
          expectSame(x, 7)
        }
      }
    }
  })

  it("keeps the sign behaviour and special values of toPrecision", () => {
    for (const x of [0, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.MIN_VALUE, -Number.MIN_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE, 2.2250738585072014e-308, 1, -1, 0.5, 999999999999.5, 9.999999999995]) {
      for (const digits of [1, 2, 11, 12, 13, 17]) expectSame(x, digits)
    }
    expect(Object.is(roundSignificant(-0), 0)).toBe(true)
    expect(roundSignificant(Number.NaN)).toBeNaN()
  })

  it("is exact on subnormal numbers", () => {
    fc.assert(fc.property(fc.nat({ max: 0xfffff }), fc.nat({ max: 0xffffffff }), (h, l) => expectSame(fromBits(h, l))), runs)
  })

  it("throws toPrecision's RangeError for digits outside 1..100", () => {
    expect(() => roundSignificant(1.5, 0)).toThrow(RangeError)
    expect(() => roundSignificant(1.5, 101)).toThrow(RangeError)
  })
})
