import { describe, expect, it } from "vitest"
import type { TopLevelSpec } from "vega-lite"
import { allianceImprovementSpec } from "../../src/report/figures/alliance-improvement.ts"
import { forestPlotSpec } from "../../src/report/figures/forest-plot.ts"
import { compileSpec, offlineLoader, OfflineLoadError, renderSvg } from "../../src/report/svg.ts"
import { edgeResults, fullResults } from "./fixtures/load.ts"

const full = fullResults()

describe("compileSpec", () => {
  it("compiles Vega-Lite to a Vega spec and collects warnings", () => {
    const { vega, warnings } = compileSpec({ data: { values: [{ a: 1 }] }, mark: "point", encoding: { x: { field: "a", type: "quantitative" } } })
    expect(vega.marks?.length).toBeGreaterThan(0)
    expect(warnings).toEqual([])
  })
})

describe("offlineLoader", () => {
  it("refuses every load", async () => {
    await expect(offlineLoader.load("https://example.org/data.csv")).rejects.toBeInstanceOf(OfflineLoadError)
    await expect(offlineLoader.file("/etc/hosts")).rejects.toBeInstanceOf(OfflineLoadError)
  })
})

describe("renderSvg", () => {
  it("renders the same bytes twice in a row", async () => {
    const spec = forestPlotSpec(full)
    const a = await renderSvg(spec)
    const b = await renderSvg(spec)
    expect(a).toBe(b)
    expect(a.startsWith("<svg")).toBe(true)
  })

  it("renders the same bytes when renders run concurrently", async () => {
    const specs = [allianceImprovementSpec(full), forestPlotSpec(full)]
    const sequential = [await renderSvg(specs[0] as TopLevelSpec), await renderSvg(specs[1] as TopLevelSpec)]
    const concurrent = await Promise.all(specs.map((s) => renderSvg(s)))
    expect(concurrent).toEqual(sequential)
  })

  it("draws the expected marks of the alliance–improvement figure", async () => {
    const svg = await renderSvg(allianceImprovementSpec(full))
    expect(svg).toMatch(/width="\d+" height="\d+"/)
    expect(svg).toContain("mark-symbol")
    expect(svg).toContain("n = 352")
    expect(svg).toContain("Mean PHQ-9 improvement by early alliance (WAI-SR)")
  })

  it("draws the expected marks of the forest plot and escapes site codes", async () => {
    const svg = await renderSvg(forestPlotSpec(edgeResults()))
    expect(svg).toContain("mark-rule")
    expect(svg).toContain("mark-symbol")
    expect(svg).toContain("Site S&lt;1&gt; (n = 100)")
    expect(svg).not.toContain("S<1>")
  })

  it("has no NaN and no external references", async () => {
    const svg = await renderSvg(forestPlotSpec(full))
    expect(svg).not.toMatch(/NaN|undefined/)
    expect(svg).not.toMatch(/(?:src|href)="https?:/)
  })

  it("refuses a spec that would fetch data", async () => {
    await expect(
      renderSvg({ data: { url: "https://example.org/data.csv" }, mark: "point", width: 10, height: 10 }),
    ).rejects.toBeInstanceOf(OfflineLoadError)
  })
})
