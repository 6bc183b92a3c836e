/**
 * Renders every human-facing file of a run's report folder from its Results:
 *
 *   figures/<name>.vl.json   Vega-Lite specs (stable JSON: 2-space indent, trailing newline)
 *   figures/<name>.svg       the same, rendered headless and offline
 *   report.html              the self-contained report
 *   summary.md               the key table in Markdown
 *   tables/*.csv             tidy tables
 *
 * results.json and manifest.json are written by the pipeline, not here. No file IO: the caller
 * writes the returned files (atomically). Same results ⇒ same bytes.
 */
import type { TopLevelSpec } from "vega-lite"
import type { Results } from "../../data-schemas/results.ts"
import { clinicalFigures } from "./clinical/figures.ts"
import { bootstrapSummary } from "./common-factors/html.ts"
import { COMMON_FACTORS_TITLE, commonFactorsSpec, familyLabel, hasLambertFamilies, LAMBERT_SHARES, LAMBERT_TITLE, lambertSpec } from "./common-factors/figures.ts"
import { allianceImprovementSpec, allianceImprovementTitle } from "./figures/alliance-improvement.ts"
import { FOREST_PLOT_TITLE, forestPlotSpec } from "./figures/forest-plot.ts"
import { formatCount, formatLevel, formatNumber, formatR } from "./format.ts"
import { CATERPILLAR_TITLE, caterpillarSpec, WITHIN_BETWEEN_TITLE, withinBetweenRows, withinBetweenSpec } from "./multilevel/figures.ts"
import { type HtmlFigure, renderHtml } from "./html.ts"
import { renderSummaryMarkdown } from "./markdown.ts"
import { earlyWindowLabel, LITERATURE_REFERENCE, signConvention } from "./statements.ts"
import { renderSvg } from "./svg.ts"
import { renderTables } from "./tables.ts"

/** One output file: its path relative to the report folder and its UTF-8 text. */
export interface ReportFile {
  readonly path: string
  readonly contents: string
}

/** A report figure before rendering: name (file stem), title, caption and Vega-Lite spec. */
export interface FigureDefinition {
  readonly name: string
  readonly title: string
  readonly caption: string
  readonly spec: TopLevelSpec
}

/** Stable JSON text: 2-space indent and a trailing newline. */
export const stableJson = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`

/** The report's figures, in the order they appear in report.html. */
export const reportFigures = (results: Results): ReadonlyArray<FigureDefinition> => {
  const s = results.settings
  const level = formatLevel(s.ci_level)
  const pooled = results.sites.pooled
  const pooledText =
    pooled.status === "estimated"
      ? `Diamond: pooled r (${pooled.method}, ${pooled.test === "knha" ? "Knapp–Hartung" : "z test"}) with its ${level} CI; dashed bar: ${level} prediction interval.`
      : `The pooled estimate was not estimable: ${pooled.reason}`
  return [
    {
      name: "alliance-improvement",
      title: allianceImprovementTitle(results),
      caption:
        `Mean improvement in ${s.outcome.instrument} (${signConvention(s)}) by bin of early ${s.alliance.instrument} alliance ` +
        `(mean of ${earlyWindowLabel(s)}). Points are bin means, error bars ${level} confidence intervals (t-based), ` +
        `labels the number of clients per bin; bins with fewer than ${formatCount(s.min_cell)} clients were merged. ` +
        "No individual clients are shown.",
      spec: allianceImprovementSpec(results),
    },
    {
      name: "forest-plot",
      title: FOREST_PLOT_TITLE,
      caption:
        `Per-site correlations of early alliance with improvement and their ${level} confidence intervals (Fisher z); ` +
        "square area is proportional to the random-effects weight; hollow squares are sites not pooled " +
        `(fewer than ${formatCount(s.pooling.min_site_n)} clients). ${pooledText} ` +
        `Solid vertical line: r = 0; dotted: ${LITERATURE_REFERENCE.label}, r = ${formatR(LITERATURE_REFERENCE.estimate, 3)}.`,
      spec: forestPlotSpec(results),
    },
    ...multilevelFigures(results),
    ...commonFactorFigures(results),
    ...clinicalFigures(results),
  ]
}

/** The multilevel figures that have something to show. */
const multilevelFigures = (results: Results): ReadonlyArray<FigureDefinition> => {
  const s = results.settings
  const level = formatLevel(s.ci_level)
  const t = results.multilevel.therapist_effects
  const figures: FigureDefinition[] = []
  if (t.caterpillar.length > 0) {
    figures.push({
      name: "therapist-effects",
      title: CATERPILLAR_TITLE,
      caption:
        `Each point is one therapist's predicted effect on ${s.outcome.instrument} improvement (conditional mode in the model improvement ~ baseline + (1 | therapist)), ` +
        `ordered from lowest to highest, with a ${level} interval from its conditional variance; 0 is the average therapist. Therapists are not named` +
        (t.caterpillar_left_out > 0 ? `, and the ${formatCount(t.caterpillar_left_out)} with fewer than ${formatCount(s.min_cell)} clients are not shown` : "") +
        (t.caterpillar.length < t.caterpillar_eligible ? `; of the other ${formatCount(t.caterpillar_eligible)}, ${formatCount(t.caterpillar.length)} evenly spaced by rank are shown.` : "."),
      spec: caterpillarSpec(results),
    })
  }
  if (withinBetweenRows(results).length > 0) {
    figures.push({
      name: "within-between",
      title: WITHIN_BETWEEN_TITLE,
      caption:
        "Standardized coefficients with their " + level + " confidence intervals. Top: early alliance split into the therapist's mean and the client's deviation from it, predicting improvement (adjusted for baseline). " +
        "Bottom: session alliance split into the client's mean and the session's deviation from it, predicting the next session's symptom score (adjusted for the current one)" +
        (s.outcome.direction === "lower_is_better" ? ", with the sign reversed so that positive means fewer symptoms." : "."),
      spec: withinBetweenSpec(results),
    })
  }
  return figures
}

/** The common-factor figures: the stacked shares and the comparison with Lambert, when estimated. */
const commonFactorFigures = (results: Results): ReadonlyArray<FigureDefinition> => {
  const c = results.common_factors
  if (c.status !== "estimated") return []
  const bootstrap = `Bootstrap intervals of the shares are in the tables (${bootstrapSummary(c.bootstrap, results.settings.ci_level)}).`
  const figures: FigureDefinition[] = [
    {
      name: "common-factors",
      title: COMMON_FACTORS_TITLE,
      caption:
        `Outcome: ${c.outcome_description}. Top bar: ${c.outcome === "baseline_adjusted" ? "the variance left after baseline" : "the outcome's total variance"} split into each family's general dominance weight ` +
        `(its Shapley share of R²; together R² = ${formatNumber(c.r_squared * 100, 1)}%), ` +
        (c.therapist.status === "estimated" ? "the therapist share ((1 − R²) × the ICC of the same model with a therapist random intercept) " : "(the therapist share was not estimable) ") +
        `and the unexplained rest, adding up to 100%. Bottom bar: each family's share of the explained variance (weight / R²), adding up to 100%. ` +
        `${formatCount(c.n)} clients with every predictor; parts under 6% are not labelled. ${bootstrap}`,
      spec: commonFactorsSpec(c),
    },
  ]
  if (hasLambertFamilies(c)) {
    const missing = LAMBERT_SHARES.filter((l) => !c.families.some((f) => f.family === l.family)).map((l) => familyLabel(l.family).toLowerCase())
    const own = c.families.filter((f) => !LAMBERT_SHARES.some((l) => l.family === f.family)).map((f) => f.family)
    figures.push({
      name: "lambert-comparison",
      title: LAMBERT_TITLE,
      caption:
        "Solid bars: this study's share of the explained variance for each of Lambert's four families (general dominance weight / R²). " +
        "Pale dashed bars: Lambert's (1992; Lambert & Barley, 2001) 40% extratherapeutic, 30% common factors, 15% expectancy, 15% techniques — " +
        "a narrative heuristic from his reading of the literature, not an estimate from data, shown only for reference. " +
        "The two are not the same quantity: his percentages divide all of the improvement among the four families, while this study's divide only the part its predictors explain, and leave out therapist differences and the unexplained rest." +
        (missing.length > 0 ? ` No data in this study: ${missing.join(", ")}.` : "") +
        (own.length > 0 ? ` The lab's own families (${own.join(", ")}) are not compared, so the study's bars add up to less than 100%.` : "") +
        ` ${bootstrap}`,
      spec: lambertSpec(c),
    })
  }
  return figures
}

/**
 * The files of a report folder from its figures and renderers, sorted by path: figures rendered
 * one after another (so that the SVG bytes are deterministic), their specs and SVGs, report.html,
 * summary.md and the tables. Shared by the primary and the synthesis report.
 */
export const renderReportFiles = async (
  figures: ReadonlyArray<FigureDefinition>,
  render: {
    readonly html: (figures: ReadonlyArray<HtmlFigure>) => string
    readonly markdown: () => string
    readonly tables: () => ReadonlyArray<{ readonly name: string; readonly csv: string }>
  },
): Promise<ReadonlyArray<ReportFile>> => {
  const rendered: Array<HtmlFigure> = []
  for (const f of figures) {
    rendered.push({ name: f.name, title: f.title, caption: f.caption, svg: await renderSvg(f.spec) })
  }
  const files: Array<ReportFile> = [
    ...figures.map((f) => ({ path: `figures/${f.name}.vl.json`, contents: stableJson(f.spec) })),
    ...rendered.map((f) => ({ path: `figures/${f.name}.svg`, contents: f.svg.endsWith("\n") ? f.svg : `${f.svg}\n` })),
    { path: "report.html", contents: render.html(rendered) },
    { path: "summary.md", contents: render.markdown() },
    ...render.tables().map((t) => ({ path: `tables/${t.name}`, contents: t.csv })),
  ]
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

/** Renders all report files for `results` (see the module comment for the list), sorted by path. */
export const renderReport = (results: Results): Promise<ReadonlyArray<ReportFile>> =>
  renderReportFiles(reportFigures(results), {
    html: (figures) => renderHtml(results, figures),
    markdown: () => renderSummaryMarkdown(results),
    tables: () => renderTables(results),
  })
