/** Session pairs for the within/between model (src/derive/lagged-sessions.ts), worked by hand. */
import { describe, expect, it } from "vitest"
import { sessionPairs } from "../../src/derive/lagged-sessions.ts"

describe("sessionPairs", () => {
  it("pairs each session with the next-numbered one and centres alliance on the client's mean (the file comment's example)", () => {
    // client 0: sessions 1, 2, 3, 5, given out of order; client 1: one session only
    const p = sessionPairs(
      2,
      Int32Array.of(0, 0, 1, 0, 0),
      Int32Array.of(3, 1, 1, 5, 2),
      Float64Array.of(5, 3, 4, 4, 4),
      Float64Array.of(9, 12, 8, 7, 10),
    )
    expect(p.n).toBe(2)
    expect(p.clients).toBe(1)
    expect(Array.from(p.symptom)).toEqual([12, 10])
    expect(Array.from(p.nextSymptom)).toEqual([10, 9])
    expect(Array.from(p.between)).toEqual([3.5, 3.5])
    expect(Array.from(p.within)).toEqual([-0.5, 0.5])
  })

  it("drops a session whose alliance, symptom or next symptom is missing", () => {
    const p = sessionPairs(
      1,
      Int32Array.of(0, 0, 0, 0),
      Int32Array.of(1, 2, 3, 4),
      Float64Array.of(Number.NaN, 3, 4, 5),
      Float64Array.of(10, 9, Number.NaN, 7),
    )
    // 1→2: no alliance at 1; 2→3: no symptom at 3; 3→4: no symptom at 3
    expect(p.n).toBe(0)
    expect(p.clients).toBe(0)
  })
})
