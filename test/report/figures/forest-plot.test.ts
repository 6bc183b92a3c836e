import { describe, expect, it } from "vitest"
import { FOREST_PLOT_TITLE, forestPlotOf, forestPlotSpec } from "../../../src/report/figures/forest-plot.ts"
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

describe("forestPlotOf, as pool draws it", () => {
  const unshared = (note: string) => ({ site: "S09", merged_from: null, n: 0, pooled: false, note, correlation: { status: "not_estimable" as const, n: 0, reason: note }, yi: null, vi: null, weight: null })
  const labels = (sites: typeof full.sites, options: Parameters<typeof forestPlotOf>[3]) => rows(forestPlotOf(sites, 0.95, "t", options)).map((x) => x["label"])

  it("labels a site that shared no count by why: fewer than k, or not shared — never n = 0", () => {
    const sites = (note: string) => ({ ...full.sites, per_site: [...full.sites.per_site, unshared(note)] })
    expect(labels(sites("the site has fewer than 5 analysed clients (k = 5)"), { k: 5 })).toContain("Site S09 (fewer than 5)")
    expect(labels(sites("fewer than 5 clients have improvement, baseline and every numeric predictor"), { k: 5 })).toContain("Site S09 (fewer than 5)")
    expect(labels(sites("their clients differ from the primary analysis's by fewer than 5, so …"), { k: 5 })).toContain("Site S09 (not shared)")
    expect(labels(sites("sessions.csv has no alliance column"), { k: 5 })).toContain("Site S09 (not shared)")
    // the primary report (no k) keeps its own labels
    expect(labels(sites("x"), {})).toContain("Site S09 (n = 0)")
  })

  it("draws another predictor on its own axis, without the alliance literature's line", () => {
    const json = JSON.stringify(forestPlotOf(full.sites, 0.95, "t", { predictor: "empathy" }))
    expect(json).toContain("Correlation r (empathy, improvement)")
    expect(json).toContain("r > 0: higher empathy, more improvement")
    expect(json).not.toContain('"values":[{"r":0.278}]')
    expect(compileSpec(forestPlotOf(full.sites, 0.95, "t", { predictor: "empathy" })).warnings).toEqual([])
  })
})
