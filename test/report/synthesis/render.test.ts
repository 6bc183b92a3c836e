/**
 * The synthesis report from results made by the real engine on small studies files: every file
 * is written, labels from the data are escaped in HTML, SVG and Markdown, nothing undefined or NaN
 * reaches a file, and the plain-language warnings appear when they should.
 */
import { describe, expect, it } from "vitest"
import { SynthesisResults } from "../../../data-schemas/synthesis-results.ts"
import { StudyFile } from "../../../data-schemas/study-file.ts"
import { synthesisSettingsFrom } from "../../../src/analysis/synthesis/settings.ts"
import { synthesize } from "../../../src/analysis/synthesis/synthesize.ts"
import { parseStudies } from "../../../src/ingest/read-studies.ts"
import { renderSynthesisReport } from "../../../src/report/synthesis/render.ts"

const HOSTILE = "<script>alert(1)</script>"

const resultsOf = (csv: string, synthesis: Record<string, unknown> = {}, overrides: { method?: "EE" | "DL" | null } = {}): SynthesisResults => {
  const file = parseStudies(csv, "studies.csv")
  expect(file.problems).toEqual([])
  const resolved = synthesisSettingsFrom(StudyFile.parse({ name: "t", synthesis }), file, { method: overrides.method ?? null, test: null })
  if ("problems" in resolved) throw new Error(JSON.stringify(resolved.problems))
  return SynthesisResults.parse(synthesize({ tool: { name: "alliance-outcome", version: "test" }, study: { name: "t", title: `Review & ${HOSTILE}`, file: "studies.csv" }, effects: file.effects, settings: resolved.settings }))
}

const SMALL = [
  "study_id,es_id,r,n,rater,year",
  `"${HOSTILE}",1,0.31,80,client & co,2001`,
  `"${HOSTILE}",2,0.22,80,therapist,2001`,
  "B,1,0.18,45,client & co,2005",
  "C,1,0.40,120,therapist,2010",
  "C,2,0.35,120,client & co,2010",
  "D,1,0.05,60,therapist,1998",
  "E,1,0.27,200,client & co,2015",
].join("\n")

describe("renderSynthesisReport", () => {
  it("escapes labels from the data in every file and writes no NaN or undefined", async () => {
    const results = resultsOf(SMALL, { subgroup: "rater" })
    const files = await renderSynthesisReport(results)
    expect(files.map((f) => f.path)).toEqual(
      expect.arrayContaining(["report.html", "summary.md", "figures/forest-plot.svg", "figures/funnel-plot.svg", "figures/bubble-year.svg", "tables/estimates.csv"]),
    )
    for (const f of files) {
      expect(f.contents, f.path).not.toMatch(/\bNaN\b|undefined/)
      if (f.path.endsWith(".html") || f.path.endsWith(".svg")) expect(f.contents, f.path).not.toContain("<script")
    }
    const html = files.find((f) => f.path === "report.html")!.contents
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;")
    expect(html).toContain("client &amp; co")
    expect(files.find((f) => f.path === "summary.md")!.contents).toContain("\\<script\\>")
  })

  it("warns in plain language about few studies, the z test and dependent effects, and reports the three-level model", async () => {
    const results = resultsOf(SMALL)
    expect(results.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(["few_studies", "few_studies_z_test", "dependent_effects"]))
    expect(results.three_level?.model.status).toBe("estimated")
    const html = (await renderSynthesisReport(results)).find((f) => f.path === "report.html")!.contents
    expect(html).toContain("Only k = 7 effects")
    expect(html).toContain("A three-level model (effects within studies; REML)")
  })

  it("renders generic effect sizes and the equal-effects model without a prediction interval or the literature band", async () => {
    const csv = ["study_id,yi,vi", "A,0.5,0.04", "B,0.2,0.02", "C,0.8,0.05", "D,0.1,0.03", "E,0.4,0.02", "F,0.3,0.01"].join("\n")
    const results = resultsOf(csv, {}, { method: "EE" })
    expect(results.settings.literature_reference).toBe(false)
    expect(results.three_level).toBeNull()
    const files = await renderSynthesisReport(results)
    const html = files.find((f) => f.path === "report.html")!.contents
    expect(html).toContain("An equal-effects meta-analysis")
    expect(html).not.toContain("Flückiger et al. (2018) pooled")
    expect(files.find((f) => f.path === "figures/forest-plot.vl.json")!.contents).not.toContain("prediction interval")
    for (const f of files) expect(f.contents, f.path).not.toMatch(/\bNaN\b|undefined/)
  })

  it("is deterministic", async () => {
    const a = await renderSynthesisReport(resultsOf(SMALL, { subgroup: "rater" }))
    const b = await renderSynthesisReport(resultsOf(SMALL, { subgroup: "rater" }))
    expect(b).toEqual(a)
  })
})
