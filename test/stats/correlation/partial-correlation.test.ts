import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { partialCorrelationTest } from "../../../src/stats/correlation/partial-correlation.ts"
import { pearson } from "../../../src/stats/correlation/pearson.ts"
import { residualize } from "../../../src/stats/correlation/residualized-gain.ts"
import { tolerance } from "../../tolerances.ts"
import { expectClose } from "../compare.ts"
import { previousPartialCorrelationTest } from "../previous.ts"
import { awkwardColumns, ratedColumns } from "./awkward.ts"
import { fixture, partialOf, propertyRuns } from "./fixture.ts"

const triples = fc.array(
  fc.tuple(fc.integer({ min: -50, max: 50 }), fc.integer({ min: -50, max: 50 }), fc.integer({ min: -50, max: 50 })),
  { minLength: 5, maxLength: 60 },
)
const columns = (ts: readonly (readonly [number, number, number])[]): [number[], number[], number[]] => [
  ts.map((t) => t[0]),
  ts.map((t) => t[1]),
  ts.map((t) => t[2]),
]

describe("partialCorrelationTest", () => {
  it("matches psych::partial.r and psych::corr.p(r, n - 1) on every fixture dataset with n ≥ 5", () => {
    let checked = 0
    for (const d of fixture.datasets) {
      const reference = partialOf(d)
      if (reference === undefined) continue
      const result = partialCorrelationTest(d.x, d.y, d.z)
      expect(result.status, d.name).toBe("estimated")
      if (result.status !== "estimated") continue
      expect(result.n).toBe(reference.n)
      expect(result.df).toBe(reference.df)
      expectClose(result.estimate, reference.estimate, tolerance.closedForm, `${d.name} r (partial.r)`)
      expectClose(result.estimate, reference.closed_form, tolerance.closedForm, `${d.name} r (closed form)`)
      expectClose(result.statistic, reference.statistic, tolerance.closedForm, `${d.name} t`)
      expectClose(result.p, reference.p, tolerance.distribution, `${d.name} p`)
      expectClose(result.ci[0], reference.ci[0], tolerance.closedForm, `${d.name} lower`)
      expectClose(result.ci[1], reference.ci[1], tolerance.closedForm, `${d.name} upper`)
      checked++
    }
    expect(checked).toBe(10)
  })

  it("has the t of x in lm(y ~ x + z) as its statistic", () => {
    for (const d of fixture.datasets) {
      const reference = partialOf(d)
      const result = partialCorrelationTest(d.x, d.y, d.z)
      if (reference === undefined || result.status !== "estimated") continue
      // lm's QR works on uncentred columns: with x near 1e6 it is off by 7e-11 from the centred value
      const tol = d.name === "offset50" ? 1e-9 : tolerance.closedForm
      expectClose(result.statistic, reference.lm_t, tol, `${d.name} lm t`)
    }
  })

  it("gives the documented example", () => {
    const result = partialCorrelationTest([1, 2, 3, 4, 5, 6], [2, 1, 4, 3, 6, 5], [1, 1, 2, 2, 3, 4])
    expect(result).toMatchObject({
      status: "estimated",
      estimate: -0.040291148201269181,
      statistic: -0.069843029576958107,
      df: 3,
      p: 0.94871360013592854,
      ci: [-0.89088868408891864, 0.87300857362993067],
    })
  })

  it("equals the correlation of the residuals of x and y after regressing each on z", () => {
    fc.assert(
      fc.property(triples, (ts) => {
        const [x, y, z] = columns(ts)
        const result = partialCorrelationTest(x, y, z)
        if (result.status !== "estimated") return
        const viaResiduals = pearson(residualize(x, z), residualize(y, z))
        expect(Math.abs(result.estimate - viaResiduals)).toBeLessThanOrEqual(1e-10)
      }),
      propertyRuns,
    )
  })

  it("is symmetric in x and y, with |r| ≤ 1, p in [0, 1] and a CI around the estimate", () => {
    fc.assert(
      fc.property(triples, (ts) => {
        const [x, y, z] = columns(ts)
        const result = partialCorrelationTest(x, y, z)
        if (result.status !== "estimated") return
        const swapped = partialCorrelationTest(y, x, z)
        expect(swapped.status).toBe("estimated")
        if (swapped.status === "estimated") expect(Math.abs(swapped.estimate - result.estimate)).toBeLessThanOrEqual(1e-14)
        expect(Math.abs(result.estimate)).toBeLessThanOrEqual(1)
        expect(result.p).toBeGreaterThanOrEqual(0)
        expect(result.p).toBeLessThanOrEqual(1)
        expect(result.ci[0]).toBeLessThanOrEqual(result.estimate)
        expect(result.ci[1]).toBeGreaterThanOrEqual(result.estimate)
      }),
      propertyRuns,
    )
  })

  it("is unchanged by positive affine maps of z and flips sign when x is negated", () => {
    fc.assert(
      fc.property(triples, fc.double({ min: 0.01, max: 100, noNaN: true }), fc.double({ min: -1e3, max: 1e3, noNaN: true }), (ts, a, b) => {
        const [x, y, z] = columns(ts)
        const result = partialCorrelationTest(x, y, z)
        if (result.status !== "estimated" || Math.abs(result.estimate) > 0.999999) return
        const mapped = partialCorrelationTest(x, y, z.map((v) => a * v + b))
        const negated = partialCorrelationTest(x.map((v) => -v), y, z)
        if (mapped.status === "estimated") expect(Math.abs(mapped.estimate - result.estimate)).toBeLessThanOrEqual(1e-10)
        if (negated.status === "estimated") expect(Math.abs(negated.estimate + result.estimate)).toBeLessThanOrEqual(1e-12)
      }),
      propertyRuns,
    )
  })

  it("uses complete triples only", () => {
    const missing = fixture.datasets.find((d) => d.name === "missing25")
    if (missing === undefined) throw new Error("fixture lacks missing25")
    expect(partialCorrelationTest(missing.x, missing.y, missing.z)).toMatchObject({ status: "estimated", n: 19, df: 16 })
  })

  it("is not estimable with fewer than 5 triples, a constant variable, or x collinear with z", () => {
    const few = partialCorrelationTest([1, 2, 3, 4], [2, 1, 4, 3], [1, 3, 2, 4])
    expect(few).toMatchObject({ status: "not_estimable", n: 4 })
    if (few.status === "not_estimable") expect(few.reason).toMatch(/at least 5/)
    expect(partialCorrelationTest([1, 2, 3, 4, 5], [2, 1, 4, 3, 5], [3, 3, 3, 3, 3])).toMatchObject({
      status: "not_estimable",
      reason: "z has no variance: all 5 complete cases have the same value",
    })
    const collinear = partialCorrelationTest([1, 2, 3, 4, 5], [2, 1, 4, 3, 5], [0.3, 0.6, 0.9, 1.2, 1.5])
    expect(collinear).toMatchObject({ status: "not_estimable", n: 5 })
    if (collinear.status === "not_estimable") expect(collinear.reason).toMatch(/perfectly correlated with z/)
    expect(() => partialCorrelationTest([1, 2], [1, 2], [1])).toThrow(RangeError)
    expect(() => partialCorrelationTest([1, 2], [1, 2], [1, 2], { level: 0 })).toThrow(RangeError)
  })
})

describe("against the previous implementation", () => {
  it("partialCorrelationTest gives the previous record bit for bit, estimable or not", () => {
    fc.assert(
      fc.property(fc.oneof(awkwardColumns(3), ratedColumns(3)), fc.boolean(), ([x, y, z], typed) => {
        const [tx, ty, tz] = typed ? [Float64Array.from(x!), Float64Array.from(y!), Float64Array.from(z!)] : [x!, y!, z!]
        expect(partialCorrelationTest(tx, ty, tz, { level: 0.9 })).toEqual(previousPartialCorrelationTest(x!, y!, z!, 0.9))
      }),
      propertyRuns,
    )
  })
})
