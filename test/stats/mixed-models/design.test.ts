/** The per-group summary of a mixed model (src/stats/mixed-models/design.ts). */
import { describe, expect, it } from "vitest"
import { columnVariance, DesignError, summarise } from "../../../src/stats/mixed-models/design.ts"

describe("summarise", () => {
  const y = [3, 5, 4, 8, 10, 9, 1]
  const x = [1, 2, 2, 5, 6, 7, 0]
  const summary = summarise({ y, columns: [x], names: ["(Intercept)", "x"], factors: [{ name: "g", codes: Int32Array.of(0, 0, 1, 1, 2, 2, 2), levels: 3 }] })

  it("gives each column's sample variance from the cross-products, as the two-pass formula does", () => {
    const variance = (v: number[]) => {
      const m = v.reduce((s, a) => s + a, 0) / v.length
      return v.reduce((s, a) => s + (a - m) ** 2, 0) / (v.length - 1)
    }
    expect(columnVariance(summary, 1)).toBeCloseTo(variance(x), 13)
    expect(columnVariance(summary, 2)).toBeCloseTo(variance(y), 13)
    expect(columnVariance(summary, 0)).toBe(0)
  })

  it("refuses a factor that is not nested in the one outside it, naming the row", () => {
    expect(() =>
      summarise({
        y: [1, 2, 3],
        columns: [],
        names: ["(Intercept)"],
        factors: [
          { name: "therapist", codes: Int32Array.of(0, 1, 1), levels: 2 },
          { name: "client", codes: Int32Array.of(0, 0, 1), levels: 2 },
        ],
      }),
    ).toThrow(new DesignError("client is not nested in therapist: one client appears under two therapist groups (row 2)"))
  })
})
