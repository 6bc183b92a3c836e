/** The paired t test against R's t.test(after, before, paired = TRUE) and its degenerate cases. */
import { describe, expect, it } from "vitest"
import { pairedTTest } from "../../../src/stats/group-comparison/paired-t.ts"

describe("pairedTTest", () => {
  it("agrees with R: t.test(c(2, 4, 3, 6), c(1, 2, 3, 4), paired = TRUE)", () => {
    const r = pairedTTest([1, 2, 3, 4], [2, 4, 3, 6])
    expect(r.n).toBe(4)
    expect(r.df).toBe(3)
    expect(r.meanDifference).toBe(1.25)
    expect(r.t).toBeCloseTo(2.6111648393354674, 13)
    expect(r.p).toBeCloseTo(0.079604980817906248, 13)
  })

  it("gives NaN statistics for one pair or differences that do not vary", () => {
    expect(Number.isNaN(pairedTTest([1], [2]).t)).toBe(true)
    const constant = pairedTTest([1, 2, 3], [2, 3, 4])
    expect(constant.sdDifference).toBe(0)
    expect(Number.isNaN(constant.p)).toBe(true)
  })
})
