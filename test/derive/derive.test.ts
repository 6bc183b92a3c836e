import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { earlyMean, earlyMeans } from "../../src/derive/early-alliance.ts"
import { betterSign, improvement } from "../../src/derive/improvement.ts"
import { completeCases, sessionsPerClient, take } from "../../src/derive/select.ts"

describe("earlyMean", () => {
  it("averages the non-missing ratings inside the window, whatever the row order", () => {
    const client = Int32Array.from([0, 0, 0, 0, 1, 1, 2])
    const session = Int32Array.from([4, 1, 3, 2, 5, 2, 1])
    const values = Float64Array.from([5, 3, Number.NaN, 4, 1, 2.5, Number.NaN])
    const m = earlyMean(3, client, session, values, [1, 3])
    expect(m[0]).toBe(3.5)
    expect(m[1]).toBe(2.5)
    expect(m[2]).toBeNaN()
  })
})

/** The previous earlyMean: one pass per column, each mean rounded through toPrecision. */
const previousEarlyMean = (nClients: number, client: Int32Array, session: Int32Array, values: Float64Array, window: readonly [number, number]) => {
  const sum = new Float64Array(nClients)
  const count = new Int32Array(nClients)
  for (let i = 0; i < client.length; i++) {
    const s = session[i]!
    const v = values[i]!
    if (s >= window[0] && s <= window[1] && !Number.isNaN(v)) {
      sum[client[i]!]! += v
      count[client[i]!]!++
    }
  }
  const mean = new Float64Array(nClients)
  for (let c = 0; c < nClients; c++) mean[c] = count[c]! > 0 ? Number((sum[c]! / count[c]!).toPrecision(12)) : Number.NaN
  return mean
}

/** Sessions in any row order: client, session number and several rating columns (two decimals, some missing). */
const sessionsTable = fc.integer({ min: 1, max: 30 }).chain((nClients) =>
  fc
    .array(
      fc.tuple(
        fc.integer({ min: 0, max: nClients - 1 }),
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.oneof(fc.integer({ min: 100, max: 700 }).map((r) => r / 100), fc.constant(Number.NaN)), { minLength: 3, maxLength: 3 }),
      ),
      { maxLength: 150 },
    )
    .map((rows) => ({
      nClients,
      client: Int32Array.from(rows, (r) => r[0]),
      session: Int32Array.from(rows, (r) => r[1]),
      columns: [0, 1, 2].map((k) => Float64Array.from(rows, (r) => r[2][k]!)),
    })),
)

describe("earlyMeans", () => {
  it("gives each column's previous early mean bit for bit, whatever the row order and window", () => {
    fc.assert(
      fc.property(sessionsTable, fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 4 }), (t, first, width) => {
        const window = [first, first + width] as const
        const means = earlyMeans(t.nClients, t.client, t.session, t.columns, window)
        t.columns.forEach((values, k) => {
          const expected = previousEarlyMean(t.nClients, t.client, t.session, values, window)
          means[k]!.forEach((m, c) => expect(Object.is(m, expected[c])).toBe(true))
          expect(earlyMean(t.nClients, t.client, t.session, values, window)).toEqual(means[k])
        })
      }),
      { numRuns: 300, seed: 20240612 },
    )
  })
})

describe("improvement", () => {
  it("is baseline − outcome when lower is better and outcome − baseline otherwise", () => {
    const b = Float64Array.from([18, 10, Number.NaN])
    const o = Float64Array.from([7, 12, 3])
    expect([...improvement(b, o, "lower_is_better")]).toEqual([11, -2, Number.NaN])
    expect([...improvement(b, o, "higher_is_better")]).toEqual([-11, 2, Number.NaN])
    expect(betterSign("lower_is_better")).toBe(-1)
  })
})

describe("completeCases / take / sessionsPerClient", () => {
  it("selects rows where every column is present", () => {
    const rows = completeCases(Float64Array.from([1, Number.NaN, 3]), Float64Array.from([1, 2, 3]))
    expect([...rows]).toEqual([0, 2])
    expect([...take(Float64Array.from([9, 8, 7]), rows)]).toEqual([9, 7])
    expect([...sessionsPerClient(3, Int32Array.from([0, 2, 2]))]).toEqual([1, 0, 2])
  })
})
