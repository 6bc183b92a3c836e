/** finiteOr (src/analysis/multilevel/fitted.ts): a record with a non-finite number becomes NotEstimable, with its path. */
import { describe, expect, it } from "vitest"
import { finiteOr } from "../../src/analysis/multilevel/fitted.ts"

describe("finiteOr", () => {
  it("passes a finite record through unchanged", () => {
    const record = { status: "estimated" as const, n: 10, fixed: [{ ci: [1, 2] }] }
    expect(finiteOr(record)).toBe(record)
  })

  it("names the first non-finite number in the reason", () => {
    const record = { status: "estimated" as const, n: 10, fixed: [{ ci: [1, 2] }, { ci: [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY] }] }
    expect(finiteOr(record)).toEqual({
      status: "not_estimable",
      n: 10,
      reason: "the fit gave no finite value for fixed[1].ci[0]: these data cannot support this model (typically too few therapists, or too few clients per therapist)",
    })
    expect(finiteOr({ status: "estimated" as const, n: 3, icc: Number.NaN }).status).toBe("not_estimable")
  })
})
