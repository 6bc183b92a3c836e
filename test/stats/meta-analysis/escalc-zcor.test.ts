import { describe, expect, it } from "vitest"
import { escalcZcor } from "../../../src/stats/meta-analysis/escalc-zcor.ts"
import { tolerance } from "../../tolerances.ts"
import { expectClose, fixture } from "./fixture.ts"

describe("escalcZcor", () => {
  it("matches metafor::escalc(\"ZCOR\") for every correlation dataset in the fixture", () => {
    let checked = 0
    for (const [name, d] of Object.entries(fixture.datasets)) {
      if (d.kind !== "ZCOR" || d.r === undefined || d.n === undefined) continue
      d.r.forEach((r, i) => {
        const { yi, vi } = escalcZcor(r, d.n?.[i] ?? Number.NaN)
        expectClose(yi, d.yi[i] ?? Number.NaN, tolerance.closedForm, `${name}[${i}] yi`)
        expectClose(vi, d.vi[i] ?? Number.NaN, tolerance.closedForm, `${name}[${i}] vi`)
        checked++
      })
    }
    expect(checked).toBeGreaterThan(40)
  })

  it("gives the documented example", () => {
    expect(escalcZcor(0.3, 50)).toEqual({ yi: 0.30951960420311175, vi: 0.02127659574468085 })
  })

  it("maps r = 0 to z = 0 and is odd in r", () => {
    expect(escalcZcor(0, 10).yi).toBe(0)
    expect(escalcZcor(-0.42, 30).yi).toBe(-escalcZcor(0.42, 30).yi)
  })

  it("rejects |r| ≥ 1, n < 4 and non-finite input", () => {
    expect(() => escalcZcor(1, 50)).toThrow(RangeError)
    expect(() => escalcZcor(-1, 50)).toThrow(RangeError)
    expect(() => escalcZcor(Number.NaN, 50)).toThrow(RangeError)
    expect(() => escalcZcor(0.3, 3)).toThrow(RangeError)
    expect(() => escalcZcor(0.3, Number.POSITIVE_INFINITY)).toThrow(RangeError)
  })
})
