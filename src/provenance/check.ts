/**
 * Check mode (issue 9): compare this run's results.json with an expected one, quantity by
 * quantity, and list what drifted.
 *
 * Every leaf of the two JSON documents is a quantity, named by its path: object keys joined by
 * dots, and array elements by the field that identifies them where there is one
 * (`sites.per_site[S01].correlation.estimate`, `by_rater[therapist]…`), otherwise by position
 * (`binned[3].n`). Numbers agree when |actual − expected| ≤ absolute + relative · |expected|
 * (the rule of numpy.isclose and, with absolute = 0, close to R's all.equal); every other value
 * (text, true/false, null, a missing field) must be equal. Tolerances can be set per quantity by
 * patterns in which `*` stands for any run of characters (`*.p`, `clinical.*`); the longest
 * matching pattern wins.
 */

export interface Tolerance {
  readonly absolute: number
  readonly relative: number
}

export interface Tolerances {
  readonly default: Tolerance
  /** pattern → tolerance; the longest pattern that matches a quantity's path applies */
  readonly quantities: Readonly<Record<string, Tolerance>>
}

export interface Drift {
  /** the quantity's path */
  readonly quantity: string
  /** the expected and actual values as JSON text ("(absent)" when missing) */
  readonly expected: string
  readonly actual: string
  /** actual − expected for two numbers, otherwise null */
  readonly difference: number | null
}

export interface Comparison {
  /** how many quantities were compared (leaves of the expected and the actual document) */
  readonly quantities: number
  readonly drifts: ReadonlyArray<Drift>
}

/** Fields that identify an element of an array of objects, in order of preference. */
const KEYS = ["site", "rater", "subscale", "term", "code", "key", "step", "name", "category", "session", "column"] as const

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x)

/** The label of each element of an array: its identifying field when that is unique, else its index. */
const labels = (array: ReadonlyArray<unknown>): string[] => {
  const objects = array.filter(isObject)
  if (objects.length === array.length && array.length > 0) {
    for (const key of KEYS) {
      const values = objects.map((o) => o[key])
      if (values.every((v) => typeof v === "string" || typeof v === "number")) {
        // a pair of fields names the rows of missingness (file, column) and trajectories (category, session)
        const second = KEYS.find((k) => k !== key && objects.every((o) => typeof o[k] === "string" || typeof o[k] === "number"))
        const single = values.map(String)
        if (new Set(single).size === single.length) return single
        if (second !== undefined) {
          const pair = objects.map((o) => `${String(o[key])}/${String(o[second])}`)
          if (new Set(pair).size === pair.length) return pair
        }
      }
    }
  }
  return array.map((_, i) => String(i))
}

const patternRegex = (pattern: string): RegExp =>
  new RegExp(`^${pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`)

/** The tolerance of one quantity: the longest matching pattern's, else the default. */
export const toleranceFor = (quantity: string, tolerances: Tolerances): Tolerance => {
  const match = Object.keys(tolerances.quantities)
    .filter((p) => patternRegex(p).test(quantity))
    .sort((a, b) => b.length - a.length || a.localeCompare(b))[0]
  return match === undefined ? tolerances.default : tolerances.quantities[match]!
}

const text = (x: unknown): string => (x === undefined ? "(absent)" : JSON.stringify(x))

export const compareResults = (expected: unknown, actual: unknown, tolerances: Tolerances): Comparison => {
  const drifts: Drift[] = []
  let quantities = 0
  const visit = (e: unknown, a: unknown, path: string): void => {
    if (Array.isArray(e) && Array.isArray(a)) {
      const [le, la] = [labels(e), labels(a)]
      const byLabel = new Map(la.map((l, i) => [l, a[i]]))
      le.forEach((l, i) => visit(e[i], byLabel.has(l) ? byLabel.get(l) : undefined, `${path}[${l}]`))
      const seen = new Set(le)
      la.forEach((l, i) => seen.has(l) || visit(undefined, a[i], `${path}[${l}]`))
      return
    }
    if (isObject(e) && isObject(a)) {
      for (const key of Object.keys(e)) visit(e[key], a[key], path === "" ? key : `${path}.${key}`)
      for (const key of Object.keys(a)) if (!(key in e)) visit(undefined, a[key], path === "" ? key : `${path}.${key}`)
      return
    }
    quantities++
    if (typeof e === "number" && typeof a === "number") {
      const t = toleranceFor(path, tolerances)
      if (!(Math.abs(a - e) <= t.absolute + t.relative * Math.abs(e))) drifts.push({ quantity: path, expected: text(e), actual: text(a), difference: a - e })
      return
    }
    if (JSON.stringify(e) !== JSON.stringify(a)) drifts.push({ quantity: path, expected: text(e), actual: text(a), difference: null })
  }
  visit(expected, actual, "")
  return { quantities, drifts }
}

/** The drift table, as plain text columns (quantity, expected, actual, difference). */
export const driftTable = (drifts: ReadonlyArray<Drift>): string => {
  const rows = [["quantity", "expected", "actual", "difference"], ...drifts.map((d) => [d.quantity, d.expected, d.actual, d.difference === null ? "—" : d.difference.toExponential(3)])]
  // the quantity is never cut; long expected or actual values (text) are
  const width = (i: number) => Math.min(i === 0 ? Infinity : 40, Math.max(...rows.map((r) => r[i]!.length)))
  const cut = (s: string, w: number) => (s.length > w ? `${s.slice(0, w - 1)}…` : s.padEnd(w))
  return rows.map((r) => r.map((cell, i) => cut(cell, width(i))).join("  ").trimEnd()).join("\n")
}
