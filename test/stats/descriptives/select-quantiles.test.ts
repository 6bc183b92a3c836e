/**
 * Quantiles by selection agree exactly with quantileSorted on the sorted values (which matches R's
 * type 7), on generated arrays with ties, and on a case worked in R.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { quantilesBySelection } from "../../../src/stats/descriptives/select-quantiles.ts"
import { quantileSorted } from "../../../src/stats/descriptives/summary.ts"

describe("quantilesBySelection", () => {
  it("gives R's quantile(c(1, 2, 3, 4, 10), c(.25, .5, .9))", () => {
    expect(quantilesBySelection(Float64Array.from([10, 3, 1, 4, 2]), [0.25, 0.5, 0.9])).toEqual([2, 3, 7.5999999999999979])
  })

  it("equals quantileSorted of the sorted values, ties and single values included", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -20, max: 20 }).map((x) => x / 4), { minLength: 1, maxLength: 60 }), (xs) => {
        const sorted = Float64Array.from(xs).sort()
        const ps = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1]
        expect(quantilesBySelection(Float64Array.from(xs), ps)).toEqual(ps.map((p) => quantileSorted(sorted, p)))
      }),
      { numRuns: 500 },
    )
  })
})
