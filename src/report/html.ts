/**
 * report.html: one self-contained, offline HTML file a researcher can read, print and cite.
 *
 * Inline CSS only, figures as inline SVG, no scripts, no external fonts, stylesheets or images;
 * a Content-Security-Policy meta tag forbids every fetch, so the file behaves the same without a
 * network. All text from results.json is HTML-escaped. Sections: title and study, warnings,
 * key result, what was analysed, primary results, by rater / subscale, sites and pooled estimate,
 * therapists, clients and sessions (multilevel models), common factors (the breakdown of the outcome
 * variance), clinical significance, reliability and process markers, figures, methods (generated
 * from `definitions` and `settings`) and references.
 */
import type { Results } from "../../data-schemas/results.ts"
import { formatCount, formatLevel, formatNumber, SUPPRESSED } from "./format.ts"
import {
  binsTable,
  escapeHtml,
  headerSection,
  htmlTable,
  keyResultSection,
  moderatorSection,
  primarySection,
  sampleSection,
  sitesSection,
  warningsSection,
} from "./html-sections.ts"
import { CLINICAL_REFERENCES, clinicalMethods, clinicalSection } from "./clinical/html.ts"
import { COMMON_FACTORS_REFERENCES, commonFactorsMethods, commonFactorsSection } from "./common-factors/html.ts"
import { MULTILEVEL_REFERENCES, multilevelMethods, multilevelSection } from "./multilevel/html.ts"
import { ciMethodLabel, CITATIONS, earlyWindowLabel, METHOD_LABEL, signConvention, studyTitle } from "./statements.ts"

/** A rendered figure to embed: its file name stem, title, SVG text and caption (plain text). */
export interface HtmlFigure {
  readonly name: string
  readonly title: string
  readonly svg: string
  readonly caption: string
}

/** The report stylesheet (inline, in every page made by htmlDocument). */
const REPORT_CSS = `
:root { color-scheme: light; --ink: #1a202c; --muted: #4a5568; --rule: #cbd5e0; --accent: #2b6cb0; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 64rem; padding: 2rem 1.5rem 4rem; color: var(--ink); background: #fff;
  font: 16px/1.55 -apple-system, BlinkMacSystemFont, "Segoe UI", Helvetica, Arial, sans-serif; }
h1 { font-size: 1.9rem; line-height: 1.25; margin: 0.2rem 0 0.6rem; }
h2 { font-size: 1.35rem; margin: 2.4rem 0 0.8rem; padding-bottom: 0.25rem; border-bottom: 2px solid var(--rule); }
h3 { font-size: 1.1rem; margin: 1.6rem 0 0.5rem; }
.kicker { margin: 0; text-transform: uppercase; letter-spacing: 0.08em; font-size: 0.8rem; color: var(--accent); font-weight: 600; }
.meta { margin: 0.2rem 0; color: var(--muted); font-size: 0.95rem; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.88em; background: #f1f5f9; padding: 0 0.2em; border-radius: 3px; }
.warnings { margin: 1.5rem 0; padding: 0.8rem 1.2rem; border: 2px solid #c05621; border-left-width: 8px; background: #fffaf0; border-radius: 4px; }
.warnings h2 { margin: 0 0 0.4rem; border: 0; color: #9c4221; font-size: 1.2rem; }
.warnings ul { margin: 0; padding-left: 1.2rem; }
.warnings li { margin: 0.25rem 0; }
.no-warnings { margin: 1rem 0; color: var(--muted); font-size: 0.95rem; }
.key { margin: 1.5rem 0; padding: 0.9rem 1.2rem; background: #ebf4ff; border-left: 6px solid var(--accent); border-radius: 4px; }
.key p { margin: 0.3rem 0; }
.key-main { font-size: 1.1rem; }
.key-ref { color: var(--muted); font-size: 0.95rem; }
table { border-collapse: collapse; margin: 0.8rem 0 1.2rem; font-size: 0.93rem; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.3rem; }
th, td { padding: 0.3rem 0.7rem; text-align: left; vertical-align: top; white-space: nowrap; }
td:first-child, td.wrap { white-space: normal; }
td.wrap { min-width: 14rem; }
thead th { border-top: 2px solid var(--ink); border-bottom: 1px solid var(--ink); }
tbody tr:last-child td { border-bottom: 2px solid var(--ink); }
.na { color: #9c4221; font-style: italic; }
.unverified { color: #9c4221; font-weight: 600; }
.source { color: var(--muted); font-size: 0.88em; white-space: normal; }
.note { color: var(--muted); font-size: 0.9rem; margin-top: -0.6rem; }
details { margin: 0.3rem 0 0.6rem; }
summary { cursor: pointer; color: var(--accent); }
.direction { background: #f7fafc; padding: 0.5rem 0.8rem; border-radius: 4px; }
ul.apa li { margin: 0.3rem 0; }
figure { margin: 1.5rem 0 2rem; break-inside: avoid; page-break-inside: avoid; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 0.92rem; margin-top: 0.5rem; }
dl.definitions dt { font-weight: 600; margin-top: 0.6rem; }
dl.definitions dd { margin: 0.1rem 0 0 1.2rem; }
ol.references li { margin: 0.3rem 0; }
footer { margin-top: 3rem; padding-top: 0.8rem; border-top: 1px solid var(--rule); color: var(--muted); font-size: 0.85rem; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  @page { size: A4; margin: 18mm 16mm; }
  h2 { break-after: avoid; page-break-after: avoid; }
  table, .warnings, .key { break-inside: avoid; page-break-inside: avoid; }
  .warnings, .key { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`.trim()

/**
 * Prefixes every `id` in an SVG (and its `url(#…)` / `href="#…"` references) so that several
 * inline SVGs with Vega's per-render ids (clip1, gradient_0, …) do not collide in one document.
 */
export const scopeSvgIds = (svg: string, prefix: string): string => {
  const ids = new Set(Array.from(svg.matchAll(/\sid="([^"]+)"/g), (m) => m[1] ?? ""))
  if (ids.size === 0) return svg
  const scoped = (id: string): string => (ids.has(id) ? `${prefix}-${id}` : id)
  return svg
    .replace(/(\sid=")([^"]+)(")/g, (_, a: string, id: string, b: string) => `${a}${scoped(id)}${b}`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${scoped(id)})`)
    .replace(/((?:xlink:)?href=")#([^"]+)(")/g, (_, a: string, id: string, b: string) => `${a}#${scoped(id)}${b}`)
}

/** A file-name stem as an HTML id fragment. */
export const slug = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "figure"

const figuresSection = (results: Results, figures: ReadonlyArray<HtmlFigure>): string =>
  figureListSection(figures, `<h3>Improvement by early-alliance bin</h3>\n${binsTable(results)}`)

const humanize = (key: string): string => {
  const words = key.replace(/[_-]+/g, " ").trim()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

const range = (r: readonly [number, number]): string => `${formatNumber(r[0], 0)}–${formatNumber(r[1], 0)}`

/** What disclosure control did to this report, and what "[c]" means. */
const privacyParagraph = (results: Results): string => {
  const d = results.disclosure
  const suppressed = d.suppressed.reduce((n, t) => n + t.cells, 0)
  const where = d.suppressed.map((t) => `<code>${escapeHtml(t.table)}</code> (${formatCount(t.cells)})`).join(", ")
  const withheld = d.withheld.map((t) => ` <code>${escapeHtml(t.table)}</code> is withheld: ${escapeHtml(t.reason)}.`).join("")
  return `<p id="privacy">To protect privacy, no individual client data appear in this report. Estimates (means, bins, quartiles) are shown only for groups of at least ${formatCount(results.settings.min_cell)} clients. ${escapeHtml(d.rule)}</p>
<p>${
    suppressed === 0
      ? "No count in this report needed suppressing."
      : `${formatCount(suppressed)} ${suppressed === 1 ? "count is" : "counts are"} shown as <strong>${SUPPRESSED}</strong> (suppressed): ${where}. A [c] may be a small count or a larger one hidden so that a small one cannot be worked out from the totals; the two look alike on purpose.`
  }${withheld}</p>`
}

const settingsTable = (results: Results): string => {
  const s = results.settings
  const rows: ReadonlyArray<readonly [string, string]> = [
    ["Early-alliance window", escapeHtml(earlyWindowLabel(s))],
    ["Confidence level", formatLevel(s.ci_level)],
    ["Outcome measure", `${escapeHtml(s.outcome.instrument)}, range ${range(s.outcome.range)}, ${s.outcome.direction === "lower_is_better" ? "lower is better" : "higher is better"}`],
    ["Sign convention", escapeHtml(signConvention(s))],
    ["Alliance measure", `${escapeHtml(s.alliance.instrument)}, range ${range(s.alliance.range)}`],
    ["Pooling", `${escapeHtml(s.pooling.method)} τ²; ${escapeHtml(ciMethodLabel(s.pooling.test))}`],
    ["Minimum site size for pooling", `${formatCount(s.pooling.min_site_n)} clients`],
    ["Smallest group whose estimates are shown", `${formatCount(s.min_cell)} clients`],
    ["Disclosure control", `${s.privacy.mode === "strict" ? "strict (for reports leaving the lab)" : "standard"}; no count of 1 to ${formatCount(s.privacy.k - 1)} clients (<i>k</i> = ${formatCount(s.privacy.k)})`],
  ]
  return htmlTable(["Setting", "Value"], rows.map(([k, v]) => [k, v]), "Settings used")
}

/** Every distinct `method` string recorded in the results, in order of first appearance. */
const recordedMethods = (results: Results): ReadonlyArray<string> => {
  const { primary } = results
  const all = [primary.pearson, primary.spearman, primary.partial, primary.residualized_gain]
    .concat(results.by_rater.map((r) => r.correlation), results.by_subscale.map((s) => s.correlation))
    .flatMap((x) => (x.status === "estimated" ? [x.method] : []))
  const pooled = results.sites.pooled
  return [...new Set(pooled.status === "estimated" ? [...all, pooled.reference] : all)]
}

const methodsSection = (results: Results): string => {
  const s = results.settings
  const level = formatLevel(s.ci_level)
  const definitions = Object.keys(results.definitions)
    .sort()
    .map((k) => `<dt>${escapeHtml(humanize(k))}</dt><dd>${escapeHtml(results.definitions[k] ?? "")}</dd>`)
  const knha = s.pooling.test === "knha"
  const refs = [CITATIONS.fisher, CITATIONS.fluckiger, CITATIONS.higgins, ...(knha ? [CITATIONS.knappHartung] : []), CITATIONS.viechtbauer2005, CITATIONS.metafor, ...MULTILEVEL_REFERENCES, ...COMMON_FACTORS_REFERENCES, ...CLINICAL_REFERENCES]
  return `<section id="methods">
<h2>Methods</h2>
<h3>Measures and derived quantities</h3>
<p>The outcome was ${escapeHtml(s.outcome.instrument)} (${s.outcome.direction === "lower_is_better" ? "lower scores are better" : "higher scores are better"}); improvement was computed so that higher values always mean more improvement (${escapeHtml(signConvention(s))}). Early alliance was the ${escapeHtml(s.alliance.instrument)} score averaged over ${escapeHtml(earlyWindowLabel(s))}. A positive correlation means that clients with a stronger early alliance improved more, as in the meta-analytic literature.</p>
${definitions.length === 0 ? "" : `<dl class="definitions">\n${definitions.join("\n")}\n</dl>`}
<h3>Statistical analysis</h3>
<p>Pearson correlations were tested with <i>t</i> tests on <i>n</i> − 2 degrees of freedom; their ${level} confidence intervals use the Fisher <i>z</i> transformation (Fisher, 1921). Spearman's <i>ρ</i> was tested with the <i>t</i> approximation. The partial correlation of early alliance with the post-treatment score controlling for baseline is reported with its raw sign and a statement of its direction.</p>
<p>Per-site correlations were transformed to Fisher <i>z</i> (<i>y<sub>i</sub></i> = atanh <i>r</i>, <i>v<sub>i</sub></i> = 1/(<i>n</i> − 3)) and pooled in a random-effects model ${s.pooling.method === "EE" ? "(here the equal-effects model, without a between-site variance)" : `with the between-site variance <i>τ</i>² estimated by ${escapeHtml(METHOD_LABEL[s.pooling.method])}${s.pooling.method === "REML" ? " (Viechtbauer, 2005)" : ""}`}, as in <code>metafor::rma.uni</code> (Viechtbauer, 2010). Inference on the pooled estimate used the ${escapeHtml(ciMethodLabel(s.pooling.test))}${knha ? " (Knapp &amp; Hartung, 2003)" : ""}. Heterogeneity is described by Cochran's <i>Q</i>, <i>I</i>² (Higgins &amp; Thompson, 2002) and <i>τ</i>² with its Q-profile interval; the prediction interval gives the expected range of the correlation in a new site. Sites with fewer than ${formatCount(s.pooling.min_site_n)} analysed clients were not pooled. Estimates were back-transformed to <i>r</i> for reporting.</p>
${multilevelMethods(results)}
${commonFactorsMethods(results)}
${clinicalMethods(results)}
${privacyParagraph(results)}
<p>Methods as recorded with the estimates:</p>
<ul>
${recordedMethods(results).map((m) => `<li><code>${escapeHtml(m)}</code></li>`).join("\n")}
</ul>
<h3>Settings</h3>
${settingsTable(results)}
<h3>References</h3>
<ol class="references">
${refs.map((r) => `<li>${escapeHtml(r)}</li>`).join("\n")}
</ol>
</section>`
}

/** One numbered figure with its title and caption; its SVG ids scoped to it. */
const figureElement = (f: HtmlFigure, i: number): string => {
  const id = `fig-${slug(f.name)}`
  return `<figure id="${id}" aria-labelledby="${id}-title">
<h3 id="${id}-title">Figure ${i + 1}. ${escapeHtml(f.title)}</h3>
${scopeSvgIds(f.svg, id)}
<figcaption>${escapeHtml(f.caption)}</figcaption>
</figure>`
}

/** A Figures section of numbered figures, each with its caption, then `after` (HTML) if given. */
export const figureListSection = (figures: ReadonlyArray<HtmlFigure>, after = ""): string =>
  `<section id="figures">
<h2>Figures</h2>
${figures.map(figureElement).join("\n")}
${after === "" ? "" : `${after}\n`}</section>`

/**
 * Renders report.html for a run: the full, self-contained report with the given figures inlined
 * (SVG text as produced by renderSvg; ids are scoped per figure). Pure and deterministic — no
 * dates or environment details — so the same results give the same bytes.
 */
export const renderHtml = (results: Results, figures: ReadonlyArray<HtmlFigure>): string => {
  const title = studyTitle(results)
  return htmlDocument({
    title: `${title} — alliance–outcome report`,
    generator: `${results.tool.name} ${results.tool.version}`,
    body: `${headerSection(results, title)}
${warningsSection(results)}
${keyResultSection(results)}
<main>
${sampleSection(results)}
${primarySection(results)}
${moderatorSection(results)}
${sitesSection(results)}
${multilevelSection(results)}
${commonFactorsSection(results)}
${clinicalSection(results)}
${figuresSection(results, figures)}
${methodsSection(results)}
</main>
<footer>
<p>Generated by ${escapeHtml(results.tool.name)} ${escapeHtml(results.tool.version)} (results schema ${escapeHtml(results.schema_version)}). This file is self-contained and works offline; the numbers at full precision are in <code>results.json</code> and <code>tables/*.csv</code>.</p>
</footer>`,
  })
}

/**
 * A self-contained HTML page: the report stylesheet inline and a Content-Security-Policy that
 * forbids every fetch (no scripts, no network). `title` and `generator` are escaped here; `body`
 * is HTML already escaped by its builder.
 */
export const htmlDocument = (page: { readonly title: string; readonly generator: string; readonly body: string }): string => `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="${escapeHtml(page.generator)}">
<title>${escapeHtml(page.title)}</title>
<style>
${REPORT_CSS}
</style>
</head>
<body>
${page.body}
</body>
</html>
`
