import { describe, expect, it } from "vitest"
import { earlyMean } from "../../src/derive/early-alliance.ts"
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
