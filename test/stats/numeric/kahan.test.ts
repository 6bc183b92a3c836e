import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { additionError, CompensatedSum, compensatedValue, kahanSum } from "../../../src/stats/numeric/kahan.ts"

const runs = { numRuns: 300, seed: 20240612 } as const

describe("kahanSum", () => {
  it("gives the documented example, R's sum(c(0.1, 0.2, 0.3))", () => {
    expect(kahanSum([0.1, 0.2, 0.3])).toBe(0.59999999999999998)
    expect(0.1 + 0.2 + 0.3).toBe(0.60000000000000009)
  })

  it("keeps small terms that plain summation loses next to large ones", () => {
    expect(kahanSum([1e16, 1, -1e16])).toBe(1)
    expect(kahanSum([1, 1e100, 1, -1e100])).toBe(2)
  })

  it("is exact for integers and order-independent for them", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e6, max: 1e6 }), { maxLength: 200 }), (values) => {
        const exact = values.reduce((a, b) => a + b, 0)
        expect(kahanSum(values)).toBe(exact)
        expect(kahanSum([...values].reverse())).toBe(exact)
      }),
      runs,
    )
  })

  it("stays within 2 ulp-scale of the exact sum whatever the order", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 300 }), (values) => {
        const forward = kahanSum(values)
        const backward = kahanSum([...values].reverse())
        const scale = values.reduce((a, b) => a + Math.abs(b), 0)
        expect(Math.abs(forward - backward)).toBeLessThanOrEqual(4 * Number.EPSILON * scale)
      }),
      runs,
    )
  })

  it("returns 0 for no values and propagates NaN and infinities as R's sum does", () => {
    expect(kahanSum([])).toBe(0)
    expect(kahanSum([1, Number.NaN])).toBeNaN()
    expect(kahanSum([1, Number.POSITIVE_INFINITY, 2])).toBe(Number.POSITIVE_INFINITY)
    expect(kahanSum([Number.NEGATIVE_INFINITY, 1])).toBe(Number.NEGATIVE_INFINITY)
    expect(kahanSum([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])).toBeNaN()
  })
})

describe("CompensatedSum", () => {
  it("accumulates term by term like kahanSum, and chains", () => {
    const s = new CompensatedSum()
    s.add(1e16).add(1).add(-1e16)
    expect(s.value).toBe(1)
    const values = [0.1, 0.2, 0.3, 1e-17, -0.6]
    const t = new CompensatedSum()
    for (const v of values) t.add(v)
    expect(t.value).toBe(kahanSum(values))
  })
})

describe("additionError / compensatedValue", () => {
  it("give the documented example: the 1 that 1e16 + 1 rounds away", () => {
    expect(additionError(1e16, 1, 1e16 + 1)).toBe(1)
  })

  it("summed in local variables, give CompensatedSum's value bit for bit, also with NaN and infinities", () => {
    const term = fc.oneof(fc.double(), fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.constantFrom(1e16, -1e16, 1, 0.1))
    fc.assert(
      fc.property(fc.array(term, { maxLength: 200 }), (values) => {
        let sum = 0
        let compensation = 0
        for (const v of values) {
          const t = sum + v
          compensation += additionError(sum, v, t)
          sum = t
        }
        const reference = new CompensatedSum()
        for (const v of values) reference.add(v)
        expect(Object.is(compensatedValue(sum, compensation), reference.value)).toBe(true)
      }),
      runs,
    )
  })
})
