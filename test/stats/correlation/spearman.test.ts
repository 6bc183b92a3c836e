import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { spearmanTest } from "../../../src/stats/correlation/spearman.ts"
import { tolerance } from "../../tolerances.ts"
import { expectClose } from "../compare.ts"
import { previousSpearmanTest } from "../previous.ts"
import { awkwardColumns, ratedColumns } from "./awkward.ts"
import { fixture, propertyRuns } from "./fixture.ts"

const value = fc.integer({ min: -20, max: 20 }) // small integers: plenty of ties
const pairs = fc.array(fc.tuple(value, value), { minLength: 3, maxLength: 60 })

describe("spearmanTest", () => {
  it("matches R cor.test(method = \"spearman\", exact = FALSE) on every fixture dataset, ties included", () => {
    for (const d of fixture.datasets) {
      const result = spearmanTest(d.x, d.y)
      expect(result.status, d.name).toBe("estimated")
      if (result.status !== "estimated") continue
      expectClose(result.estimate, d.spearman.estimate, tolerance.closedForm, `${d.name} rho`)
      expectClose(result.statistic, d.spearman.statistic, tolerance.closedForm, `${d.name} S`)
      expectClose(result.p, d.spearman.p, tolerance.distribution, `${d.name} p`)
    }
  })

  it("gives the documented example and names the t approximation", () => {
    const result = spearmanTest([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])
    expect(result).toMatchObject({ status: "estimated", estimate: 0.79999999999999982, n: 5, statistic: 4.0000000000000036 })
    if (result.status === "estimated") {
      expectClose(result.p, 0.10408803866182796, tolerance.distribution, "p")
      expect(result.method).toMatch(/exact = FALSE/)
      expect(result.method).toMatch(/t approximation/)
    }
  })

  it("is unchanged by strictly increasing transformations and gives p in [0, 1]", () => {
    fc.assert(
      fc.property(pairs, (ps) => {
        const x = ps.map((p) => p[0])
        const y = ps.map((p) => p[1])
        const result = spearmanTest(x, y)
        if (result.status !== "estimated") return
        const transformed = spearmanTest(x.map((v) => Math.exp(v / 5)), y.map((v) => v * v * v))
        expect(transformed).toEqual(result)
        expect(Math.abs(result.estimate)).toBeLessThanOrEqual(1)
        expect(result.p).toBeGreaterThanOrEqual(0)
        expect(result.p).toBeLessThanOrEqual(1)
      }),
      propertyRuns,
    )
  })

  it("drops incomplete pairs and is not estimable below 3 pairs or for a constant variable", () => {
    expect(spearmanTest([1, 2, Number.NaN, 4], [1, 3, 2, Number.NaN])).toMatchObject({ status: "not_estimable", n: 2 })
    expect(spearmanTest([1, 2, 3, 4], [5, 5, 5, 5])).toMatchObject({ status: "not_estimable", n: 4 })
    expect(() => spearmanTest([1, 2, 3], [1, 2])).toThrow(RangeError)
  })
})

describe("against the previous implementation", () => {
  it("spearmanTest gives the previous record bit for bit, estimable or not", () => {
    fc.assert(
      fc.property(fc.oneof(awkwardColumns(2), ratedColumns(2)), fc.boolean(), ([x, y], typed) => {
        const [tx, ty] = typed ? [Float64Array.from(x!), Float64Array.from(y!)] : [x!, y!]
        expect(spearmanTest(tx, ty)).toEqual(previousSpearmanTest(x!, y!))
      }),
      propertyRuns,
    )
  })
})
