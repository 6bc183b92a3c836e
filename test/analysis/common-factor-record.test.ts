/**
 * The common-factor record's limits and refusals (src/analysis/common-factors/record.ts): more
 * single predictors than an all-subsets analysis takes, no family with data, too few clients,
 * collinear predictors — each reported with its reason, never a crash or a NaN.
 */
import { describe, expect, it } from "vitest"
import type { FactorDesign } from "../../src/analysis/common-factors/families.ts"
import { estimateCommonFactors } from "../../src/analysis/common-factors/record.ts"
import { settings } from "./settings.ts"

const n = 60
const therapist = { codes: Int32Array.from({ length: n }, (_, i) => i % 6), count: 6 }
const quick = { ...settings, commonFactors: { ...settings.commonFactors, bootstrap: { ...settings.commonFactors.bootstrap, replicates: 100 } } }

/** k numeric predictors (a chirp each, so no two are collinear) in families of `perFamily`, and y. */
const designOf = (k: number, perFamily: number, rows = n): FactorDesign => {
  const columns = Array.from({ length: k }, (_, j) => Float64Array.from({ length: rows }, (_, i) => Math.sin((i + 1) * (i + 1) * (0.31 + 0.07 * j))))
  const y = Float64Array.from({ length: rows }, (_, i) => columns.reduce((s, c, j) => s + c[i]! * (j % 3), 0) + Math.cos(i * 1.3))
  const families = Array.from({ length: Math.ceil(k / perFamily) }, (_, f) => ({ family: `f${f}`, columns: Array.from({ length: Math.min(perFamily, k - f * perFamily) }, (_, j) => f * perFamily + j) }))
  return {
    outcome: "improvement",
    rows: Int32Array.from({ length: rows }, (_, i) => i),
    excluded: 0,
    y,
    controls: [],
    columns,
    predictors: columns.map((_, j) => ({ name: `x${j}`, family: `f${Math.floor(j / perFamily)}`, columns: [`x${j}`] })),
    families,
    absent: [],
    predictorColumns: columns.map((_, j) => [j]),
    numeric: columns.map((_, j) => j),
    indicators: [],
  }
}

describe("estimateCommonFactors", () => {
  it("analyses 16 single predictors as their 4 families, and says why it leaves out the predictors' own analysis", () => {
    const c = estimateCommonFactors(designOf(16, 4), therapist, quick)
    if (c.status !== "estimated") throw new Error(c.reason)
    expect(c.families).toHaveLength(4)
    expect(c.predictors).toEqual([])
    expect(c.predictors_skipped).toBe("the 16 single predictors would need 2^16 sub-models; at most 15 are analysed one by one (the families are analysed as sets)")
    expect(Math.abs(c.families.reduce((s, f) => s + f.general_dominance, 0) - c.r_squared)).toBeLessThan(1e-12)
  })

  it("analyses 15 single predictors", () => {
    const c = estimateCommonFactors(designOf(15, 5), therapist, quick)
    if (c.status !== "estimated") throw new Error(c.reason)
    expect(c.predictors).toHaveLength(15)
    expect(c.predictors_skipped).toBeNull()
  })

  it("reports no family with data, too few clients and collinear predictors as not estimable, with the reason", () => {
    const none = { ...designOf(2, 1), families: [], absent: [{ family: "common", reason: "x" }] }
    expect(estimateCommonFactors(none, therapist, quick)).toEqual({ status: "not_estimable", n: n, reason: "no family of predictors has data in this study", absent_families: [{ family: "common", reason: "x" }] })
    const few = estimateCommonFactors(designOf(4, 2, 6), therapist, quick)
    expect(few).toMatchObject({ status: "not_estimable", reason: "6 clients have improvement and every predictor; the model with 4 columns needs at least 7" })
    const d = designOf(3, 1)
    const collinear = { ...d, columns: [d.columns[0]!, d.columns[1]!, Float64Array.from(d.columns[0]!, (v, i) => v - 2 * d.columns[1]![i]!)] }
    expect(estimateCommonFactors(collinear, therapist, quick)).toMatchObject({
      status: "not_estimable",
      reason: "the predictors are collinear: one of them (or a category's level) is a combination of the others in this sample",
    })
  })
})
