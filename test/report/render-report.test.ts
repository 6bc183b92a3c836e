import { execFileSync } from "node:child_process"
import { createHash } from "node:crypto"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { renderReport, reportFigures, stableJson } from "../../src/report/render-report.ts"
import { edgeResults, fullResults, notPooledResults } from "./fixtures/load.ts"

const EXPECTED_PATHS = [
  "figures/alliance-improvement.svg",
  "figures/alliance-improvement.vl.json",
  "figures/alliance-trajectories.svg",
  "figures/alliance-trajectories.vl.json",
  "figures/common-factors.svg",
  "figures/common-factors.vl.json",
  "figures/forest-plot.svg",
  "figures/forest-plot.vl.json",
  "figures/jacobson-truax.svg",
  "figures/jacobson-truax.vl.json",
  "figures/lambert-comparison.svg",
  "figures/lambert-comparison.vl.json",
  "figures/rupture-markers.svg",
  "figures/rupture-markers.vl.json",
  "figures/therapist-effects.svg",
  "figures/therapist-effects.vl.json",
  "figures/within-between.svg",
  "figures/within-between.vl.json",
  "report.html",
  "summary.md",
  "tables/binned.csv",
  "tables/clinical-categories.csv",
  "tables/clinical-estimates.csv",
  "tables/common-factors.csv",
  "tables/descriptives.csv",
  "tables/estimates.csv",
  "tables/funnel.csv",
  "tables/missingness.csv",
  "tables/multilevel.csv",
  "tables/reliability-items.csv",
  "tables/reliability.csv",
  "tables/ruptures.csv",
  "tables/sites.csv",
]

describe("stableJson", () => {
  it("indents by two spaces and ends with a newline", () => {
    expect(stableJson({ a: [1, 2] })).toBe('{\n  "a": [\n    1,\n    2\n  ]\n}\n')
  })
})

describe("reportFigures", () => {
  it("defines the nine figures with titles and captions", () => {
    const figures = reportFigures(fullResults())
    expect(figures.map((f) => f.name)).toEqual(["alliance-improvement", "forest-plot", "therapist-effects", "within-between", "common-factors", "lambert-comparison", "alliance-trajectories", "rupture-markers", "jacobson-truax"])
    expect(figures[2]?.caption).toContain("Therapists are not named")
    expect(figures[3]?.caption).toContain("with the sign reversed so that positive means fewer symptoms")
    expect(figures[1]?.caption).toContain("Diamond: pooled r (REML, z test)")
    expect(reportFigures(notPooledResults())[1]?.caption).toContain("The pooled estimate was not estimable")
  })
})

describe("renderReport", () => {
  it("returns every report file, sorted by path", async () => {
    const files = await renderReport(fullResults())
    expect(files.map((f) => f.path)).toEqual(EXPECTED_PATHS)
    for (const f of files) {
      expect(f.contents.endsWith("\n")).toBe(true)
      expect(f.contents).not.toMatch(/\bNaN\b/)
    }
  })

  it("writes the Vega-Lite specs as stable JSON that parses back to the spec", async () => {
    const files = await renderReport(fullResults())
    const spec = files.find((f) => f.path === "figures/forest-plot.vl.json")?.contents ?? ""
    expect(spec).toBe(stableJson(JSON.parse(spec)))
    expect(JSON.parse(spec)).toEqual(reportFigures(fullResults())[1]?.spec)
  })

  it("renders the same bytes twice in one process", async () => {
    for (const results of [fullResults(), edgeResults(), notPooledResults()]) {
      expect(await renderReport(results)).toEqual(await renderReport(results))
    }
  })

  it("renders the same bytes in a fresh process", async () => {
    const script = fileURLToPath(new URL("./fixtures/render-hash.ts", import.meta.url))
    const child = JSON.parse(execFileSync(process.execPath, ["--import", "tsx", script], { encoding: "utf8" })) as Record<string, string>
    const here = Object.fromEntries(
      (await renderReport(fullResults())).map((f) => [f.path, createHash("sha256").update(f.contents).digest("hex")]),
    )
    expect(child).toEqual(here)
  })
})
