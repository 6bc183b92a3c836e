/**
 * The sections of report.html, each a pure function from results to an HTML fragment.
 *
 * Every piece of text that comes from results.json goes through {@link escapeHtml}; numbers go
 * through the APA formatters of format.ts; statistical symbols are italicised. Not-estimable
 * quantities are shown with their reason instead of a number.
 */
import type { Correlation, Results } from "../../data-schemas/results.ts"
import { DASH, formatCi, formatCount, formatDf, formatLevel, formatNumber, formatPercent, formatPValue, formatR, formatShownCount, SUPPRESSED, type Statement } from "./format.ts"
import {
  ciMethodLabel,
  correlationStatement,
  earlyWindowLabel,
  heterogeneityStatement,
  LITERATURE_REFERENCE,
  notEstimableStatement,
  notPooledReason,
  pooledStatement,
  raterLabel,
  signConvention,
  spearmanStatement,
  subscaleLabel,
} from "./statements.ts"

/** Escapes text for HTML element content and attribute values. */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c)

/** Renders a statement as HTML: symbols in <i>, everything escaped. */
export const statementToHtml = (statement: Statement): string =>
  statement.map((s) => (s.symbol === true ? `<i>${escapeHtml(s.text)}</i>` : escapeHtml(s.text))).join("")

/**
 * A table cell: an HTML fragment (already escaped), or one that spans several columns and may
 * wrap (used for "not estimable" reasons).
 */
export type HtmlCell = string | { readonly html: string; readonly colspan: number }

const td = (c: HtmlCell): string =>
  typeof c === "string" ? `<td>${c}</td>` : `<td class="wrap" colspan="${c.colspan}">${c.html}</td>`

/** An HTML table from header cells and body rows; cells are HTML fragments (already escaped). */
export const htmlTable = (
  header: ReadonlyArray<string>,
  rows: ReadonlyArray<ReadonlyArray<HtmlCell>>,
  caption?: string,
): string =>
  [
    "<table>",
    caption === undefined ? "" : `<caption>${caption}</caption>`,
    `<thead><tr>${header.map((h) => `<th scope="col">${h}</th>`).join("")}</tr></thead>`,
    `<tbody>${rows.map((r) => `<tr>${r.map(td).join("")}</tr>`).join("\n")}</tbody>`,
    "</table>",
  ].join("\n")

const na = (x: { readonly n: number; readonly reason: string }): string =>
  `<span class="na">${statementToHtml(notEstimableStatement(x))}</span>`

/** Cells of a correlation row: r, CI, test, p, n — or the not-estimable reason across them. */
const correlationCells = (c: Correlation): ReadonlyArray<HtmlCell> =>
  c.status === "not_estimable"
    ? [{ html: na(c), colspan: 4 }, formatCount(c.n)]
    : [
        formatR(c.estimate),
        escapeHtml(formatCi(c.ci)),
        `<i>t</i>(${formatDf(c.df)}) = ${escapeHtml(formatNumber(c.statistic))}`,
        escapeHtml(formatPValue(c.p)),
        formatCount(c.n),
      ]

const correlationHeader = (level: number): ReadonlyArray<string> => [
  "<i>r</i>",
  `${formatLevel(level)} CI`,
  "Test",
  "<i>p</i>",
  "<i>n</i>",
]

/** Header, title and study line. */
export const headerSection = (results: Results, title: string): string => {
  const { settings: s } = results
  const dir = s.outcome.direction === "lower_is_better" ? "lower is better" : "higher is better"
  return `<header>
<p class="kicker">Alliance–outcome analysis</p>
<h1>${escapeHtml(title)}</h1>
<p class="meta">Study code <code>${escapeHtml(results.study.name)}</code> · ${escapeHtml(results.tool.name)} ${escapeHtml(results.tool.version)} · results schema ${escapeHtml(results.schema_version)}</p>
<p class="meta">Outcome: <strong>${escapeHtml(s.outcome.instrument)}</strong> (range ${formatNumber(s.outcome.range[0], 0)}–${formatNumber(s.outcome.range[1], 0)}, ${dir}); ${escapeHtml(signConvention(s))}. Early alliance: <strong>${escapeHtml(s.alliance.instrument)}</strong>, mean of ${escapeHtml(earlyWindowLabel(s))}.</p>
</header>`
}

/** The warnings, prominently boxed (or a quiet note that there are none). */
export const warningsSection = (results: Pick<Results, "warnings">, none = "No warnings were raised for this run."): string =>
  results.warnings.length === 0
    ? `<section class="no-warnings" id="warnings"><p>${escapeHtml(none)}</p></section>`
    : `<section class="warnings" id="warnings" role="alert">
<h2>⚠ Warnings (${formatCount(results.warnings.length)})</h2>
<ul>
${results.warnings.map((w) => `<li><code>${escapeHtml(w.code)}</code> ${escapeHtml(w.message)}</li>`).join("\n")}
</ul>
</section>`

/** The headline result next to the literature reference. */
export const keyResultSection = (results: Results): string => {
  const { pearson } = results.primary
  const level = results.settings.ci_level
  const main =
    pearson.status === "estimated"
      ? `Early alliance and improvement: ${statementToHtml(correlationStatement(pearson, level))}, <i>n</i> = ${formatCount(pearson.n)}.`
      : `Early alliance and improvement: ${na(pearson)}`
  const lit = LITERATURE_REFERENCE
  return `<section class="key" id="key-result">
<p class="key-main">${main}</p>
<p class="key-ref">Literature reference (not estimated from these data): ${escapeHtml(lit.label)}, <i>r</i> = ${formatR(lit.estimate, 3)}, 95% CI ${escapeHtml(formatCi(lit.ci, (x) => formatR(x, 3)))}, ${lit.studies} studies, ${escapeHtml(lit.patients)} patients.</p>
</section>`
}

const sessionsPerClient = (s: Results["descriptives"]["sessions_per_client"]): string =>
  s === null
    ? ""
    : ` Sessions per client: <i>M</i> = ${formatNumber(s.mean)}${s.sd === null ? "" : `, <i>SD</i> = ${formatNumber(s.sd)}`}, median ${formatNumber(s.median, 1)} (IQR ${formatNumber(s.q1, 1)}–${formatNumber(s.q3, 1)}${s.min === null || s.max === null ? "" : `, range ${formatNumber(s.min, 0)}–${formatNumber(s.max, 0)}`}).`

/** What was analysed: counts, the exclusion funnel, sessions per client and missingness. */
export const sampleSection = (results: Results): string => {
  const d = results.descriptives
  const s = d.sessions_per_client
  const funnel = htmlTable(
    ["Step", "Excluded", "Remaining"],
    d.funnel.map((f) => [escapeHtml(f.step), formatShownCount(f.excluded), formatShownCount(f.remaining)]),
    "Clients from input to analysed sample",
  )
  const missing =
    d.missingness.length === 0
      ? "<p>No missingness summary was recorded.</p>"
      : htmlTable(
          ["File", "Column", "<i>n</i>", "Missing", "%"],
          d.missingness.map((m) => [
            escapeHtml(m.file),
            `<code>${escapeHtml(m.column)}</code>`,
            formatCount(m.n),
            formatShownCount(m.n_missing),
            m.percent === null ? SUPPRESSED : formatPercent(m.percent),
          ]),
          "Missing values by column",
        )
  return `<section id="sample">
<h2>What was analysed</h2>
<p><strong>${formatCount(results.primary.n_analysed)}</strong> of ${formatCount(d.n_clients)} clients were analysed, seen by ${formatCount(d.n_therapists)} therapists at ${formatCount(d.n_sites)} sites, with ${formatCount(d.n_sessions)} sessions in total.${sessionsPerClient(s)}</p>
${funnel}
${missing}
</section>`
}

/** The primary estimates as a table and as APA sentences. */
export const primarySection = (results: Results): string => {
  const { pearson, spearman, partial, residualized_gain } = results.primary
  const level = results.settings.ci_level
  const spearmanCells: ReadonlyArray<HtmlCell> =
    spearman.status === "not_estimable"
      ? [{ html: na(spearman), colspan: 4 }, formatCount(spearman.n)]
      : [formatR(spearman.estimate), DASH, `<i>S</i> = ${formatNumber(spearman.statistic, 0)}`, escapeHtml(formatPValue(spearman.p)), formatCount(spearman.n)]
  const rows: ReadonlyArray<ReadonlyArray<HtmlCell>> = [
    ["Pearson <i>r</i> (early alliance, improvement)", ...correlationCells(pearson)],
    ["Spearman <i>ρ</i> (early alliance, improvement)", ...spearmanCells],
    ["Partial <i>r</i> (early alliance, outcome | baseline; raw sign)", ...correlationCells(partial)],
    ["Residualized-gain <i>r</i>", ...correlationCells(residualized_gain)],
  ]
  const sentence = (label: string, c: Correlation, symbol = "r"): string =>
    `<li>${label}: ${c.status === "estimated" ? `${statementToHtml(correlationStatement(c, level, symbol))}.` : na(c)}</li>`
  const partialDirection =
    partial.status === "estimated"
      ? `<p class="direction"><strong>Direction of the partial correlation</strong> (controlling for ${escapeHtml(partial.controlling_for.join(", "))}): ${escapeHtml(partial.direction)}</p>`
      : ""
  return `<section id="primary">
<h2>Primary results</h2>
${htmlTable(["Estimate", ...correlationHeader(level)], rows)}
<ul class="apa">
${sentence("Pearson correlation of early alliance with improvement", pearson)}
<li>Spearman rank correlation: ${spearman.status === "estimated" ? `${statementToHtml(spearmanStatement(spearman))}.` : na(spearman)}</li>
${sentence("Partial correlation of early alliance with the outcome score, controlling for baseline", partial)}
${sentence("Correlation of early alliance with the residualized gain", residualized_gain)}
</ul>
${partialDirection}
</section>`
}

/** Correlations by rater perspective and by alliance subscale. */
export const moderatorSection = (results: Results): string => {
  const level = results.settings.ci_level
  const header = ["Perspective", "Column", ...correlationHeader(level)]
  const rater =
    results.by_rater.length === 0
      ? "<p>No rater perspectives were analysed.</p>"
      : htmlTable(header, results.by_rater.map((r) => [raterLabel(r.rater), `<code>${escapeHtml(r.column)}</code>`, ...correlationCells(r.correlation)]), "By rater of the alliance")
  const subscale =
    results.by_subscale.length === 0
      ? "<p>No alliance subscales were analysed.</p>"
      : htmlTable(["Subscale", "Column", ...correlationHeader(level)], results.by_subscale.map((s) => [subscaleLabel(s.subscale), `<code>${escapeHtml(s.column)}</code>`, ...correlationCells(s.correlation)]), "By alliance subscale")
  return `<section id="moderators">
<h2>By rater and by subscale</h2>
<p>Each row is the correlation of that early-alliance score with improvement.</p>
${rater}
${subscale}
</section>`
}

/** The per-site table and the random-effects pooled estimate with heterogeneity. */
export const sitesSection = (results: Results): string => {
  const { settings } = results
  const level = settings.ci_level
  const rows = results.sites.per_site.map((s) => {
    const c = s.correlation
    const rci: ReadonlyArray<HtmlCell> =
      c.status === "estimated"
        ? [formatR(c.estimate), escapeHtml(formatCi(c.ci)), escapeHtml(formatPValue(c.p))]
        : [{ html: na(c), colspan: 3 }]
    const pooled: HtmlCell =
      s.pooled && c.status === "estimated"
        ? "yes"
        : c.status === "not_estimable"
          ? "no"
          : { html: `<span class="na">no — ${escapeHtml(notPooledReason(s, settings).replace(/^not pooled: /, ""))}</span>`, colspan: 1 }
    return [escapeHtml(s.site), formatCount(s.n), ...rci, s.weight === null ? DASH : formatPercent(s.weight), pooled]
  })
  const p = results.sites.pooled
  const pooledText =
    p.status === "not_estimable"
      ? `<p><strong>Pooled estimate:</strong> ${na(p)}</p>`
      : `<p><strong>Pooled estimate</strong> (${escapeHtml(p.method)} random-effects model on Fisher <i>z</i>, back-transformed to <i>r</i>): ${statementToHtml(pooledStatement(p, level))}.</p>
<p><strong>Heterogeneity:</strong> ${statementToHtml(heterogeneityStatement(p, level))}.</p>
<p><strong>CI method:</strong> ${escapeHtml(ciMethodLabel(p.test))}. The prediction interval (PI) is where the correlation of a new, similar site is expected to fall. Matches <code>${escapeHtml(p.reference)}</code>.</p>`
  return `<section id="sites">
<h2>Sites and pooled estimate</h2>
${htmlTable(["Site", "<i>n</i>", "<i>r</i>", `${formatLevel(level)} CI`, "<i>p</i>", "Weight", "Pooled"], rows)}${
    results.sites.per_site.some((s) => s.merged_from !== null)
      ? `\n<p class="note">Sites with fewer than ${formatCount(settings.privacy.k)} analysed clients are merged into one row, and pooled as one site (disclosure control); while that row had fewer than ${formatCount(settings.privacy.k)} clients, the smallest other site joined it.</p>`
      : ""
  }
${pooledText}
</section>`
}

/** The binned data behind the alliance–improvement figure. */
export const binsTable = (results: Results): string =>
  results.binned.length === 0
    ? "<p>No alliance bins had enough clients to be shown.</p>"
    : htmlTable(
        ["Early alliance bin", "<i>n</i>", "Mean alliance", "Mean improvement", `${formatLevel(results.settings.ci_level)} CI`],
        results.binned.map((b) => [
          `${formatNumber(b.low)}–${formatNumber(b.high)}`,
          formatCount(b.n),
          formatNumber(b.mean_alliance),
          formatNumber(b.mean_improvement),
          escapeHtml(formatCi(b.ci, (x) => formatNumber(x))),
        ]),
        `Improvement (${escapeHtml(signConvention(results.settings))}) by bin of early alliance`,
      )
