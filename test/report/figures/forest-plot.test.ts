import { describe, expect, it } from "vitest"
import { FOREST_PLOT_TITLE, forestPlotSpec } from "../../../src/report/figures/forest-plot.ts"
import { compileSpec } from "../../../src/report/svg.ts"
import { edgeResults, fullResults, notPooledResults } from "../fixtures/load.ts"

const full = fullResults()

const rows = (spec: ReturnType<typeof forestPlotSpec>): ReadonlyArray<Record<string, unknown>> => {
  const data = "data" in spec ? spec.data : undefined
  if (data === undefined || data === null || !("values" in data) || !Array.isArray(data.values)) throw new Error("no inline data")
  return data.values as ReadonlyArray<Record<string, unknown>>
}

describe("FOREST_PLOT_TITLE", () => {
  it("names the figure", () => {
    expect(FOREST_PLOT_TITLE).toBe("Alliance–outcome correlation by site")
  })
})

describe("forestPlotSpec", () => {
  it("matches the stored spec snapshot for the full fixture", () => {
    expect(forestPlotSpec(full)).toMatchSnapshot()
  })

  it("matches the stored spec snapshot for the edge fixture (Knapp–Hartung)", () => {
    expect(forestPlotSpec(edgeResults())).toMatchSnapshot()
  })

  it("matches the stored spec snapshot when the pooled estimate is not estimable", () => {
    expect(forestPlotSpec(notPooledResults())).toMatchSnapshot()
  })

  it("has one row per site plus the pooled estimate and the prediction interval", () => {
    const r = rows(forestPlotSpec(full))
    expect(r.map((x) => x["kind"])).toEqual([
      "site", "site", "site", "site", "site", "not_pooled", "not_estimable", "pooled", "prediction",
    ])
    const pooled = full.sites.pooled
    if (pooled.status !== "estimated") throw new Error("fixture changed")
    expect(r.find((x) => x["kind"] === "prediction")).toMatchObject({ ci_low: pooled.pi[0], ci_high: pooled.pi[1] })
    expect(r.find((x) => x["kind"] === "site")).toMatchObject({ weight: 21.997777196770084 })
  })

  it("labels k, τ² and I² and marks r = 0 and the literature reference", () => {
    const json = JSON.stringify(forestPlotSpec(full))
    expect(json).toContain("k = 5, τ² = 0.0089, I² = 67.0%")
    expect(json).toContain('"values":[{"r":0}]')
    expect(json).toContain('"values":[{"r":0.278}]')
  })

  it("drops the pooled rows and explains why when pooling was not possible", () => {
    const spec = forestPlotSpec(notPooledResults())
    expect(rows(spec).some((x) => x["kind"] === "pooled")).toBe(false)
    expect(JSON.stringify(spec)).toContain("Pooled estimate not estimable: Only one site")
  })

  it("compiles without Vega-Lite warnings", () => {
    for (const r of [full, edgeResults(), notPooledResults()]) expect(compileSpec(forestPlotSpec(r)).warnings).toEqual([])
  })
})
