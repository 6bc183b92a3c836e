import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { kendallNullDistribution, kendallTest } from "../../../src/stats/correlation/kendall.ts"
import { relativeError, tolerance } from "../../tolerances.ts"
import { type Provenance, readFixture } from "../../reference/read-fixture.ts"

/** R's cor.test cases, written by test/reference/small-study.R */
interface KendallCase {
  readonly call: string
  readonly exact: boolean
  readonly x: readonly number[]
  readonly y: readonly number[]
  readonly tau: number
  readonly statistic: number
  readonly pval: number
}
const fixture = readFixture<{ readonly provenance: Provenance; readonly kendall: readonly KendallCase[] }>("small-study")

describe("kendallTest", () => {
  it.each(fixture.kendall.map((c) => ({ c, label: `${c.call}, n = ${c.x.length}` })))("matches R's $label", ({ c }) => {
    const r = kendallTest(c.x, c.y, c.exact)
    if (r.status !== "estimated") throw new Error(r.reason)
    expect(r.kind).toBe(c.exact ? "exact" : "normal")
    expect(relativeError(r.estimate, c.tau)).toBeLessThanOrEqual(tolerance.closedForm)
    expect(relativeError(r.statistic, c.statistic)).toBeLessThanOrEqual(tolerance.closedForm)
    // absolute: R's exact tail is 1 − P(T ≤ q − 1), good to ~1e-15 absolute
    expect(Math.abs(r.p - c.pval)).toBeLessThanOrEqual(1e-12)
  })

  it("gives the documented example (R: cor.test(1:5, c(2, 1, 4, 3, 5), method = 'kendall'))", () => {
    const r = kendallTest([1, 2, 3, 4, 5], [2, 1, 4, 3, 5], true)
    expect(r).toMatchObject({ status: "estimated", kind: "exact", statistic: 8 })
    if (r.status === "estimated") {
      expect(r.estimate).toBeCloseTo(0.6, 15)
      expect(r.p).toBeCloseTo(0.23333333333333339, 14)
    }
  })

  it("is symmetric in its arguments and changes sign when one is reversed", () => {
    const pairs = fc.array(fc.tuple(fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: -5, max: 5, noNaN: true })), { minLength: 3, maxLength: 25 })
    fc.assert(
      fc.property(pairs, (ps) => {
        const x = ps.map(([a]) => a)
        const y = ps.map(([, b]) => b)
        const a = kendallTest(x, y, true)
        const b = kendallTest(y, x, true)
        const c = kendallTest(x, y.map((v) => -v), true)
        if (a.status !== "estimated") return b.status !== "estimated"
        return b.status === "estimated" && c.status === "estimated" && Math.abs(a.estimate - b.estimate) < 1e-12 && Math.abs(a.estimate + c.estimate) < 1e-12 && Math.abs(a.p - c.p) < 1e-12
      }),
      { numRuns: 200, seed: 5 },
    )
  })

  it("is not estimable for a constant variable", () => {
    expect(kendallTest([1, 1, 1], [1, 2, 3], true).status).toBe("not_estimable")
  })
})

describe("kendallNullDistribution", () => {
  it("is the distribution of inversions: sums to 1, symmetric, and n = 3 gives 1, 2, 2, 1 over 6", () => {
    expect(Array.from(kendallNullDistribution(3), (p) => p * 6)).toEqual([1, 2, 2, 1])
    const d = kendallNullDistribution(40)
    expect(Math.abs(d.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12)
    for (let k = 0; k < d.length; k++) expect(Math.abs(d[k]! - d[d.length - 1 - k]!)).toBeLessThan(1e-15)
  })
})
