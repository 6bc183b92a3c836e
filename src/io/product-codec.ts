/**
 * A step's product as text and back, exactly: the step cache (step-cache.ts) must give back the
 * very values the step computed, or a re-run would not be the same run.
 *
 * Plain JSON is not exact for the estimators' records: it writes NaN and ±Infinity as null, −0 as
 * 0, and drops keys whose value is undefined. Here those are written as tagged objects
 * (`{"$": "NaN"}`, `{"$": "-0"}`, `{"$": "undefined"}`, …), and a plain object that itself has a
 * `$` key is wrapped (`{"$": "object", "value": {…}}`), so that decoding is unambiguous. Anything
 * else (a Map, a typed array, a class instance, a function) is refused with a thrown error rather
 * than written approximately: such a product is not cached.
 */

type Encoded = null | boolean | number | string | Encoded[] | { [key: string]: Encoded }

const TAG = "$"

const encodeNumber = (x: number): Encoded => {
  if (Number.isNaN(x)) return { [TAG]: "NaN" }
  if (x === Number.POSITIVE_INFINITY) return { [TAG]: "Infinity" }
  if (x === Number.NEGATIVE_INFINITY) return { [TAG]: "-Infinity" }
  if (Object.is(x, -0)) return { [TAG]: "-0" }
  return x
}

const isPlainObject = (value: object): value is Record<string, unknown> => Object.getPrototypeOf(value) === Object.prototype

/** Sets an own property (even one named `__proto__`, which assignment would treat as the prototype). */
const define = (target: object, key: string, value: unknown): void => {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}

const encodeValue = (value: unknown, path: string): Encoded => {
  switch (typeof value) {
    case "undefined":
      return { [TAG]: "undefined" }
    case "boolean":
    case "string":
      return value
    case "number":
      return encodeNumber(value)
    case "object": {
      if (value === null) return null
      if (Array.isArray(value)) {
        const items: Encoded[] = []
        for (let i = 0; i < value.length; i++) {
          if (!(i in value)) throw new Error(`${path}[${i}]: a sparse array cannot be cached`)
          items.push(encodeValue(value[i], `${path}[${i}]`))
        }
        return items
      }
      if (!isPlainObject(value)) throw new Error(`${path}: ${Object.getPrototypeOf(value) === null ? "an object without a prototype" : `a ${value.constructor.name}`} cannot be cached`)
      const out: { [key: string]: Encoded } = {}
      for (const key of Object.keys(value)) define(out, key, encodeValue(value[key], `${path}.${key}`))
      return Object.hasOwn(value, TAG) ? { [TAG]: "object", value: out } : out
    }
    default:
      throw new Error(`${path}: a ${typeof value} cannot be cached`)
  }
}

const SPECIAL: Readonly<Record<string, unknown>> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  "-Infinity": Number.NEGATIVE_INFINITY,
  "-0": -0,
  undefined: undefined,
}

const decodeValue = (value: Encoded): unknown => {
  if (value === null || typeof value !== "object") return value
  if (Array.isArray(value)) return value.map(decodeValue)
  if (Object.hasOwn(value, TAG)) {
    const tag = value[TAG]
    if (tag === "object") return decodeObject(value["value"] as { [key: string]: Encoded })
    if (typeof tag === "string" && Object.hasOwn(SPECIAL, tag)) return SPECIAL[tag]
    throw new Error(`unknown tag ${JSON.stringify(tag)}`)
  }
  return decodeObject(value)
}

const decodeObject = (value: { [key: string]: Encoded }): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value)) define(out, key, decodeValue(value[key]!))
  return out
}

/** The product as text; throws (naming where) on a value that cannot be written exactly. */
export const encodeProduct = (value: unknown): string => JSON.stringify(encodeValue(value, "product"))

/** The product back from `encodeProduct`'s text. */
export const decodeProduct = (text: string): unknown => decodeValue(JSON.parse(text) as Encoded)
