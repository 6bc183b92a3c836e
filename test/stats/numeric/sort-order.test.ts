import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { ascendingOrder } from "../../../src/stats/numeric/sort-order.ts"

const runs = { numRuns: 300, seed: 20240612 } as const

/** The reference: a stable comparison sort of the indices (ties keep their input order). */
const referenceOrder = (values: ArrayLike<number>): number[] =>
  Array.from({ length: values.length }, (_, i) => i).sort((i, j) => {
    const a = values[i] as number
    const b = values[j] as number
    return a < b ? -1 : a > b ? 1 : i - j
  })

const view = new DataView(new ArrayBuffer(8))
const fromBits = (high: number, low: number): number => {
  view.setUint32(0, high)
  view.setUint32(4, low)
  return view.getFloat64(0)
}
/** Doubles from all bit patterns but NaN's (the precondition), so every exponent and sign shows up. */
const anyNumber = fc
  .tuple(fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff }))
  .map(([h, l]) => fromBits(h, l))
  .filter((x) => !Number.isNaN(x))

describe("ascendingOrder", () => {
  it("gives the documented example", () => {
    expect(Array.from(ascendingOrder([3, -1, 2, -1]))).toEqual([1, 3, 2, 0])
  })

  it("is the stable sorted order of any doubles, of all signs and magnitudes", () => {
    fc.assert(
      fc.property(fc.array(anyNumber, { maxLength: 300 }), (values) => {
        expect(Array.from(ascendingOrder(values))).toEqual(referenceOrder(values))
      }),
      runs,
    )
  })

  it("keeps ties in input order, with −0 and 0 tied, and infinities and subnormals in place", () => {
    const tricky = fc.constantFrom(0, -0, 1, -1, 0.5, Number.MIN_VALUE, -Number.MIN_VALUE, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.MAX_VALUE, 2.5, 2.5000000000000004)
    fc.assert(
      fc.property(fc.array(tricky, { maxLength: 200 }), (values) => {
        expect(Array.from(ascendingOrder(values))).toEqual(referenceOrder(values))
      }),
      runs,
    )
  })

  it("sorts columns whose values differ only in their low bits, or only in their high bits", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 300 }), (ints) => {
        const lowBits = ints.map((k) => 1 + k * Number.EPSILON)
        const highBits = ints.map((k) => k * 2 ** 40)
        expect(Array.from(ascendingOrder(lowBits))).toEqual(referenceOrder(lowBits))
        expect(Array.from(ascendingOrder(highBits))).toEqual(referenceOrder(highBits))
      }),
      runs,
    )
  })

  it("handles no values, one value, and a typed array of a hundred thousand", () => {
    expect(ascendingOrder([]).length).toBe(0)
    expect(Array.from(ascendingOrder([7]))).toEqual([0])
    const many = Float64Array.from({ length: 100_000 }, (_, i) => Math.sin(i) * 1e3)
    expect(Array.from(ascendingOrder(many))).toEqual(referenceOrder(many))
  })
})
