/**
 * Renders every human-facing file of a synthesis report folder from its results:
 *
 *   figures/<name>.vl.json   Vega-Lite specs (forest, funnel, one bubble plot per continuous moderator)
 *   figures/<name>.svg       the same, rendered headless and offline
 *   report.html              the self-contained report
 *   summary.md               the key table in Markdown
 *   tables/*.csv             tidy tables
 *
 * results.json and manifest.json are written by the pipeline. No file IO; same results ⇒ same bytes.
 */
import type { SynthesisResults } from "../../../data-schemas/synthesis-results.ts"
import { type ReportFile, renderReportFiles } from "../render-report.ts"
import { synthesisFigures } from "./figures.ts"
import { renderSynthesisHtml } from "./html.ts"
import { renderSynthesisMarkdown } from "./markdown.ts"
import { renderSynthesisTables } from "./tables.ts"

/** All report files of a synthesis, sorted by path. */
export const renderSynthesisReport = (results: SynthesisResults): Promise<ReadonlyArray<ReportFile>> =>
  renderReportFiles(synthesisFigures(results), {
    html: (figures) => renderSynthesisHtml(results, figures),
    markdown: () => renderSynthesisMarkdown(results),
    tables: () => renderSynthesisTables(results),
  })
