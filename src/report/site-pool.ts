/**
 * The report of `pool` (pipelines/site-pool.ts): summary.md and a self-contained report.html of
 * the same tables — the correlations pooled on Fisher z (primary, by modality, each numeric common
 * factor), the multilevel coefficients pooled by random effects, the ICC components by site, and
 * the two one-stage regressions from the summed cross-products — with the forest plots, methods
 * and references in the HTML.
 */
import type { PooledSites } from "../../data-schemas/pooled-sites.ts"
import { formatCi, formatCount, formatLevel, formatNumber, formatPValue, formatR } from "./format.ts"
import { figureListSection, type HtmlFigure, htmlDocument } from "./html.ts"
import { escapeHtml, htmlTable } from "./html-sections.ts"
import { MULTILEVEL_REFERENCES } from "./multilevel/html.ts"
import { CITATIONS, heterogeneityLabel } from "./statements.ts"

/** One table of the report, as plain text: rendered to Markdown and to HTML alike. */
interface PoolTable {
  readonly id: string
  readonly title: string
  readonly intro: string
  readonly header: ReadonlyArray<string>
  readonly rows: ReadonlyArray<ReadonlyArray<string>>
  readonly notes: ReadonlyArray<string>
}

type Analysis = PooledSites["primary"]
type Coefficients = PooledSites["multilevel"]["coefficients"]
type OneStage = PooledSites["one_stage"]

const testName = (test: "z" | "knha") => (test === "knha" ? "Knapp–Hartung" : "z")
const b = (x: number) => formatNumber(x, 3)
const bInterval = (ci: readonly [number, number]) => formatCi(ci, b)

const correlationRow = (label: string, a: Analysis): string[] => {
  const p = a.pooled
  if (p.status !== "estimated") return [label, "—", "—", `not estimable: ${p.reason}`, "—", "—"]
  return [label, formatCount(p.k), formatCount(p.n), `${formatR(p.estimate)} ${formatCi(p.ci)}`, formatCi(p.pi), heterogeneityLabel(p)]
}

const notPooledNote = (label: string, rows: ReadonlyArray<{ readonly site: string; readonly pooled: boolean; readonly note: string | null }>): string[] => {
  const left = rows.filter((s) => !s.pooled)
  return left.length === 0 ? [] : [`${label}, not pooled: ${left.map((s) => `${s.site} (${s.note})`).join("; ")}.`]
}

const correlationTable = (results: PooledSites, level: string): PoolTable => ({
  id: "correlations",
  title: "Correlations with improvement, pooled on Fisher z",
  intro: `Each site's r, pooled by random effects on Fisher z (REML τ², ${testName(results.pooling.test)} test) and back-transformed; ${level} intervals.`,
  header: ["analysis", "sites", "n", `pooled r [${level} CI]`, `${level} prediction interval`, "heterogeneity"],
  rows: [
    correlationRow("Primary: early alliance and improvement", results.primary),
    ...results.by_modality.map((m) => correlationRow(`Modality: ${m.modality}`, m)),
    ...results.common_factors.factors.map((f) => correlationRow(`Common factor: ${f.predictor} (${f.family})`, f)),
  ],
  notes: [
    ...notPooledNote("Primary", results.primary.per_site),
    ...results.common_factors.factors.flatMap((f) => notPooledNote(f.predictor, f.per_site)),
    ...(results.common_factors.categorical.length === 0
      ? []
      : [`Categorical predictors (${results.common_factors.categorical.join(", ")}) are not summarised at the sites: their cross-tabulated cells would hold fewer than k clients.`]),
  ],
})

const coefficientTable = (coefficients: Coefficients, results: PooledSites, level: string): PoolTable => ({
  id: "multilevel",
  title: "Multilevel coefficients, pooled by random effects",
  intro: `Each site's unstandardized coefficient with its SE, pooled by random effects (REML τ², ${testName(results.pooling.test)} test; metafor rma(yi, sei = se)); ${level} intervals.`,
  header: ["coefficient", "sites", "n", `pooled b [${level} CI]`, `${level} prediction interval`, "heterogeneity"],
  rows: coefficients.map((c) => {
    const p = c.pooled
    if (p.status !== "estimated") return [c.label, "—", "—", `not estimable: ${p.reason}`, "—", "—"]
    return [c.label, formatCount(p.k), formatCount(p.n), `${b(p.estimate)} ${bInterval(p.ci)}`, bInterval(p.pi), heterogeneityLabel(p)]
  }),
  notes: coefficients.flatMap((c) => notPooledNote(c.label, c.per_site)),
})

const iccTable = (results: PooledSites, level: string): PoolTable => ({
  id: "therapist-effects",
  title: "Therapist effects by site",
  intro: "The share of the variance in improvement between therapists at each site (REML), listed rather than pooled: a variance component has no sampling variance a random-effects model could weight by.",
  header: ["site", "model", "clients", "therapists", "therapist variance", "residual variance", `ICC [${level} profile CI]`],
  rows: results.multilevel.therapist_effects.map((m) => [
    m.site,
    m.model === "unadjusted" ? "unadjusted" : "adjusted for baseline",
    formatCount(m.n),
    formatCount(m.therapists),
    b(m.therapist_variance),
    b(m.residual_variance),
    `${b(m.icc)} ${bInterval(m.icc_ci)}`,
  ]),
  notes: results.multilevel.therapist_effects.length === 0 ? ["No site shared its ICC components (each needs at least k therapists)."] : [],
})

const oneStageTable = (id: string, title: string, one: OneStage, level: string, notes: ReadonlyArray<string>): PoolTable =>
  one.status === "estimated"
    ? {
        id,
        title,
        intro: `Ordinary least squares from the sites' summed cross-products: exactly the regression on every site's clients. n = ${formatCount(one.n)}, residual SD = ${b(one.sigma)}, R² = ${b(one.r_squared)}.`,
        header: ["term", "estimate", "SE", `t(${one.df})`, "p", `${level} CI`],
        rows: one.terms.map((term, i) => [term, b(one.estimate[i]!), b(one.se[i]!), formatNumber(one.statistic[i]!, 2), formatPValue(one.p[i]!), bInterval(one.ci[i]!)]),
        notes,
      }
    : { id, title, intro: `Not estimable: ${one.reason}.`, header: [], rows: [], notes }

/** The report's tables, in order. */
export const poolTables = (results: PooledSites): ReadonlyArray<PoolTable> => {
  const level = formatLevel(results.settings.ci_level)
  const cf = results.common_factors
  return [
    correlationTable(results, level),
    coefficientTable(results.multilevel.coefficients, results, level),
    iccTable(results, level),
    oneStageTable("one-stage", "One-stage regression of improvement on early alliance and baseline", results.one_stage, level, []),
    oneStageTable(
      "one-stage-common-factors",
      "One-stage regression of improvement on baseline and the numeric common factors",
      cf.one_stage,
      level,
      cf.one_stage.status === "estimated" ? [`Summed over ${cf.one_stage_sites.join(", ")}.`] : [],
    ),
  ]
}

const intro = (results: PooledSites): string =>
  `${formatCount(results.inputs.length)} site summaries (${results.inputs.map((i) => i.site).join(", ")}), made with ${results.sites_made_with.name} ${results.sites_made_with.version} under the same settings; disclosure threshold k = ${results.settings.k} clients (and therapists for therapist-level figures).`

export const poolSummaryMarkdown = (results: PooledSites): string =>
  [
    "# Alliance–outcome analyses, pooled from site summaries",
    "",
    intro(results),
    "",
    ...poolTables(results).flatMap((t) => [
      `## ${t.title}`,
      "",
      t.intro,
      "",
      ...(t.header.length === 0
        ? []
        : [`| ${t.header.join(" | ")} |`, `| ${t.header.map((_, i) => (i === 0 ? "---" : "---:")).join(" | ")} |`, ...t.rows.map((r) => `| ${r.join(" | ")} |`), ""]),
      ...t.notes.flatMap((n) => [n, ""]),
    ]),
  ]
    .join("\n")
    .trimEnd() + "\n"

const RILEY =
  "Riley, R. D., Lambert, P. C., & Abo-Zaid, G. (2010). Meta-analysis of individual participant data: Rationale, conduct, and reporting. BMJ, 340, c221. https://doi.org/10.1136/bmj.c221"
const keySection = (results: PooledSites): string => {
  const p = results.primary.pooled
  const level = formatLevel(results.settings.ci_level)
  const main =
    p.status === "estimated"
      ? `Pooled over ${formatCount(p.k)} sites (n = ${formatCount(p.n)}), the correlation between early alliance and improvement is <i>r</i> = ${formatR(p.estimate)}, ${level} CI ${escapeHtml(formatCi(p.ci))}; in a new site it would lie in ${escapeHtml(formatCi(p.pi))} (${level} prediction interval).`
      : `The pooled correlation is not estimable: ${escapeHtml(p.reason)}.`
  return `<section class="key" aria-label="Key result">\n<p class="key-main">${main}</p>\n</section>`
}

const methodsSection = (results: PooledSites): string => {
  const c = CITATIONS
  const knha = results.pooling.test === "knha"
  const refs = [c.fisher, c.viechtbauer2005, c.metafor, ...(knha ? [c.knappHartung] : []), c.higgins, RILEY, ...MULTILEVEL_REFERENCES]
  return `<section id="methods">
<h2>Methods</h2>
<p>Each site ran the same analysis on its own clients with <code>summarize</code> and shared only aggregates, after its disclosure rules (no statistic of fewer than ${results.settings.k} clients, no therapist-level figure of fewer than ${results.settings.k} therapists, no subgroup that differs from another by fewer than ${results.settings.k} clients). The summaries were pooled in two stages (Riley, Lambert &amp; Abo-Zaid, 2010): correlations on Fisher <i>z</i> (<i>v<sub>i</sub></i> = 1/(<i>n<sub>i</sub></i> − 3); Fisher, 1921), coefficients of the multilevel models (fitted by REML as <code>lme4::lmer</code>, Bates, Mächler, Bolker &amp; Walker, 2015, with Satterthwaite df as <code>lmerTest</code>, Kuznetsova, Brockhoff &amp; Christensen, 2017; the decomposition of Baldwin, Wampold &amp; Imel, 2007; the within/between session model of Falkenström et al., 2017) with <i>v<sub>i</sub></i> = SE², by a random-effects model with τ² by REML (Viechtbauer, 2005) and the ${knha ? "Knapp–Hartung test (Knapp &amp; Hartung, 2003)" : "z test"}, as <code>metafor::rma</code> (Viechtbauer, 2010); heterogeneity by <i>I</i>² (Higgins &amp; Thompson, 2002). The one-stage regressions sum the sites' cross-products, which gives exactly the least-squares fit to every site's clients together (a common intercept and slopes).</p>
<h3>References</h3>
<ol class="references">
${refs.map((r) => `<li>${escapeHtml(r)}</li>`).join("\n")}
</ol>
</section>`
}

/** report.html of `pool`, with the forest plots inlined. Pure and deterministic. */
export const renderPoolHtml = (results: PooledSites, figures: ReadonlyArray<HtmlFigure>): string =>
  htmlDocument({
    title: "Pooled site summaries — alliance–outcome report",
    generator: `${results.tool.name} ${results.tool.version}`,
    body: `<header>
<p class="kicker">Two-stage pooling across sites</p>
<h1>Alliance–outcome analyses, pooled from site summaries</h1>
<p class="meta">${escapeHtml(intro(results))}</p>
</header>
${keySection(results)}
<main>
${poolTables(results)
  .map(
    (t) => `<section id="${t.id}">
<h2>${escapeHtml(t.title)}</h2>
<p>${escapeHtml(t.intro)}</p>
${t.header.length === 0 ? "" : htmlTable(t.header.map(escapeHtml), t.rows.map((r) => r.map(escapeHtml)))}
${t.notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join("\n")}
</section>`,
  )
  .join("\n")}
${figureListSection(figures)}
${methodsSection(results)}
</main>
<footer>
<p>Generated by ${escapeHtml(results.tool.name)} ${escapeHtml(results.tool.version)} (pooled-sites schema ${escapeHtml(results.schema_version)}). This file is self-contained and works offline; the numbers at full precision are in <code>results.json</code>.</p>
</footer>`,
  })
