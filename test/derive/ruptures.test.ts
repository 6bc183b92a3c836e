/**
 * Ruptures and repairs (src/derive/ruptures.ts) on series checked by hand: alliance on 1–5, a drop
 * of at least 0.5 from the session before is a rupture, and a return to the pre-drop level within
 * 3 sessions its repair.
 *
 *   client 0   4.0 4.2 3.5 3.8 4.3        rupture at 3 (4.2 → 3.5); back to ≥ 4.2 at 5: repaired
 *   client 1   4.5 3.9 4.0 4.1 4.2 4.6    rupture at 2; sessions 3–5 stay below 4.5: not repaired
 *                                         (session 6 is outside the window)
 *   client 2   3.0 2.6 3.1                a drop of 0.4: no rupture
 *   client 3   4.0 – 3.0 2.4 3.1          1 → 3 is not consecutive; rupture at 4, repaired at 5
 *   client 4   (no ratings)
 */
import { describe, expect, it } from "vitest"
import { atLeast } from "../../src/derive/at-least.ts"
import { pooledWithinClientSd, rupturesAndRepairs } from "../../src/derive/ruptures.ts"

const NA = Number.NaN
const series: ReadonlyArray<ReadonlyArray<readonly [number, number]>> = [
  [[1, 4.0], [2, 4.2], [3, 3.5], [4, 3.8], [5, 4.3]],
  [[1, 4.5], [2, 3.9], [3, 4.0], [4, 4.1], [5, 4.2], [6, 4.6]],
  [[1, 3.0], [2, 2.6], [3, 3.1]],
  [[1, 4.0], [3, 3.0], [4, 2.4], [5, 3.1]],
  [[1, NA], [2, NA]],
]
const rows = series.flatMap((s, client) => s.map(([session, alliance]) => ({ client, session, alliance })))
const sessions = {
  client: Int32Array.from(rows, (r) => r.client),
  session: Int32Array.from(rows, (r) => r.session),
  alliance: Float64Array.from(rows, (r) => r.alliance),
}

describe("rupturesAndRepairs", () => {
  const found = rupturesAndRepairs(series.length, sessions, { threshold: 0.5, window: 3 })

  it("finds the ruptures of the table, with their repairs", () => {
    expect(found.ruptures.map((r) => [r.client, r.session, r.before, r.at, r.repairedAt])).toEqual([
      [0, 3, 4.2, 3.5, 5],
      [1, 2, 4.5, 3.9, null],
      [3, 4, 3.0, 2.4, 5],
    ])
    expect([...found.perClient.ruptures]).toEqual([1, 1, 0, 1, 0])
    expect([...found.perClient.repaired]).toEqual([1, 0, 0, 1, 0])
  })

  it("repairs client 1 with a window of 4, and finds client 2's drop with a threshold of 0.4", () => {
    expect(rupturesAndRepairs(series.length, sessions, { threshold: 0.5, window: 4 }).ruptures[1]!.repairedAt).toBe(6)
    expect(rupturesAndRepairs(series.length, sessions, { threshold: 0.4, window: 3 }).perClient.ruptures[2]).toBe(1)
  })
})

describe("pooledWithinClientSd", () => {
  it("pools the clients' squared deviations over ratings less clients", () => {
    // client A: 1, 3 (mean 2, SS 2); client B: 4, 4, 7 (mean 5, SS 6); client C: one rating (SS 0);
    // missing ratings ignored: √((2 + 6 + 0) / (6 − 3)) = √(8/3)
    const client = Int32Array.of(0, 0, 1, 1, 1, 2, 2)
    const alliance = Float64Array.of(1, 3, 4, 4, 7, 5, NA)
    expect(pooledWithinClientSd(3, client, alliance)).toBeCloseTo(Math.sqrt(8 / 3), 14)
    expect(pooledWithinClientSd(2, Int32Array.of(0, 1), Float64Array.of(3, 4))).toBeNaN()
  })
})

describe("atLeast", () => {
  it("counts a decimal difference that rounds just below its bound as reaching it, and nothing further off", () => {
    expect(3.0 - 2.6 >= 0.4).toBe(false) // binary rounding
    expect(atLeast(3.0 - 2.6, 0.4)).toBe(true)
    expect(atLeast(0.39999, 0.4)).toBe(false)
    expect(atLeast(7, 7)).toBe(true)
  })
})
