import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { decodeProduct, encodeProduct } from "../../src/io/product-codec.ts"

/** Deep equality that tells −0 from 0, NaN from null, a missing key from one holding undefined, and checks prototypes. */
const same = (a: unknown, b: unknown): boolean => {
  if (typeof a !== "object" || a === null || typeof b !== "object" || b === null) return Object.is(a, b)
  if (Array.isArray(a) !== Array.isArray(b) || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false
  const keysA = Object.keys(a)
  const keysB = Object.keys(b)
  return keysA.length === keysB.length && keysA.every((key, i) => key === keysB[i] && same((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]))
}

const roundTrip = (value: unknown) => decodeProduct(encodeProduct(value))

/** Values like the estimators' records: numbers of every kind, strings, nested objects and arrays, keys that collide with the tags. */
const products = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.double(), // includes NaN, ±Infinity, −0
    fc.integer(),
    fc.string(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string(), fc.constantFrom("$", "value", "__proto__", "NaN")), tie("value"), { maxKeys: 4, noNullPrototype: true }),
  ),
})).value

describe("the step cache's product codec", () => {
  it("gives back exactly the value it was given", () => {
    fc.assert(fc.property(products, (value) => same(roundTrip(value), value)), { numRuns: 2000 })
  })

  it("keeps what plain JSON loses: NaN, ±Infinity, −0, keys holding undefined", () => {
    const value = { nan: Number.NaN, inf: Number.POSITIVE_INFINITY, ninf: Number.NEGATIVE_INFINITY, negativeZero: -0, missing: undefined, list: [undefined, -0] }
    expect(same(JSON.parse(JSON.stringify(value)), value)).toBe(false) // what the codec is for
    const back = roundTrip(value) as typeof value
    expect(same(back, value)).toBe(true)
    expect(Object.is(back.negativeZero, -0)).toBe(true)
    expect("missing" in back).toBe(true)
  })

  it("keeps an object's own $ key apart from its tags", () => {
    const value = { $: "NaN", inner: { $: "object", value: 1 } }
    expect(roundTrip(value)).toEqual(value)
    expect(same(roundTrip(value), value)).toBe(true)
  })

  it("keeps a key named __proto__ as a key, not a prototype", () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>
    const back = roundTrip(value) as Record<string, unknown>
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype)
    expect(Object.keys(back)).toEqual(["__proto__", "a"])
    expect(same(back, value)).toBe(true)
  })

  it("refuses, naming where, what it cannot write exactly", () => {
    expect(() => encodeProduct({ a: [1, new Float64Array(2)] })).toThrow("product.a[1]: a Float64Array cannot be cached")
    expect(() => encodeProduct({ m: new Map() })).toThrow("product.m: a Map cannot be cached")
    expect(() => encodeProduct({ f: () => 1 })).toThrow("product.f: a function cannot be cached")
    expect(() => encodeProduct({ n: 1n })).toThrow("product.n: a bigint cannot be cached")
    // biome-ignore lint/suspicious/noSparseArray: the point of the case
    expect(() => encodeProduct([1, , 3])).toThrow("product[1]: a sparse array cannot be cached")
    class Estimate {
      readonly value = 1
    }
    expect(() => encodeProduct(new Estimate())).toThrow("product: a Estimate cannot be cached")
    expect(() => encodeProduct({ o: Object.create(null) })).toThrow("product.o: an object without a prototype cannot be cached")
  })

  it("refuses a tag it does not know", () => {
    expect(() => decodeProduct('{"$": "Infinityish"}')).toThrow("unknown tag")
  })
})
