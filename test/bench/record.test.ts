/** The benchmark's arithmetic (bench/record.ts): agreement with R to 6 significant digits. */
import { describe, expect, it } from "vitest"
import { agreementWithR, agreesTo6 } from "../../bench/record.ts"

describe("agreesTo6", () => {
  it("accepts a difference of at most half a unit in the reference's 6th significant digit", () => {
    // reference 0.28023129853: 6th significant digit in 1e-6, half a unit 5e-7
    expect(agreesTo6(0.2802313, 0.28023129853)).toBe(true) // differs by 1.5e-9
    expect(agreesTo6(0.2802317, 0.28023129853)).toBe(true) // 4.01e-7
    expect(agreesTo6(0.2802318, 0.28023129853)).toBe(false) // 5.01e-7
    expect(agreesTo6(-0.3053019, -0.3053015)).toBe(true) // 4e-7, negative values
    // reference 27.9877: unit 1e-4, half 5e-5
    expect(agreesTo6(27.98774, 27.9877)).toBe(true)
    expect(agreesTo6(27.98776, 27.9877)).toBe(false)
  })

  it("needs exact equality at zero and never agrees with NaN", () => {
    expect(agreesTo6(0, 0)).toBe(true)
    expect(agreesTo6(1e-300, 0)).toBe(false)
    expect(agreesTo6(Number.NaN, 0.5)).toBe(false)
    expect(agreesTo6(0.5, Number.NaN)).toBe(false)
  })
})

describe("agreementWithR", () => {
  it("compares each quantity of the primary analysis with R's output, and a quantity R lacks never agrees", () => {
    const primary = { r: 0.3, n: 100, ci_lower: 0.11, ci_upper: 0.47, t: 3.1, p: 0.0025, partial_r: -0.2 }
    const rows = agreementWithR(primary, { r: 0.3000001, n: 100, ci_lower: 0.11, ci_upper: 0.47, t: 3.1, p: 0.0025 })
    expect(rows.map((a) => [a.quantity, a.agrees_6_digits])).toEqual([
      ["Pearson r", true],
      ["95% CI lower", true],
      ["95% CI upper", true],
      ["t", true],
      ["p", true],
      ["n", true],
      ["partial r given baseline", false],
    ])
    expect(rows[0]!.relative_difference).toBeCloseTo(1e-7 / 0.3000001, 15)
    expect(rows[6]!.r).toBeNull()
  })
})
