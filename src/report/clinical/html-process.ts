/**
 * Parts of the report's clinical section shared by its subsections (group comparisons, number
 * helpers), and the process markers: alliance ruptures and repairs, and sudden gains.
 *
 * Groups smaller than min_cell come from results.json with their n only (mean and SD null) and
 * are said to be too small rather than left out, so the reader sees every group. Every label
 * that comes from the data is escaped; every not-estimable quantity shows its reason.
 */
import type { ClinicalResults } from "../../../data-schemas/clinical-results.ts"
import type { Results } from "../../../data-schemas/results.ts"
import { DASH, formatCount, formatDf, formatNumber, formatP, formatPercent, formatShownCount, formatShownRate, SUPPRESSED } from "../format.ts"
import { escapeHtml, type HtmlCell, htmlTable } from "../html-sections.ts"

type Comparison = Extract<ClinicalResults["jacobson_truax"], { status: "estimated" }>["early_alliance"]
type FTest = Extract<Comparison, { status: "estimated" }>["welch"]
type Ruptures = Extract<ClinicalResults["ruptures"], { status: "estimated" }>
type Gains = Extract<ClinicalResults["sudden_gains"], { status: "estimated" }>


/** A score or threshold in points: whole numbers without decimals, others with up to two ("5.81", "25.5"). */
export const points = (x: number): string => {
  const text = formatNumber(x, Number.isInteger(x) ? 0 : 2)
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text
}

/** `count` as a percentage of `total` ("36.4%"); "[c]" when either is suppressed; a dash when the total is zero. */
export const percentOf = (count: number | null, total: number | null): string =>
  count === null || total === null ? SUPPRESSED : total > 0 ? formatPercent((count / total) * 100) : DASH

/** A proportion (0–1) as a percentage, "[c]" when suppressed, a dash when there is none (format.ts). */
export const rate = formatShownRate

/** A label from the data, escaped, with its first letter capitalised: "a rupture unrepaired" → "A rupture unrepaired". */
export const label = (text: string): string => escapeHtml(text.charAt(0).toUpperCase() + text.slice(1))

/** A not-estimable paragraph. */
export const notEstimable = (what: string, reason: string): string => `<p class="na">${what} could not be estimated: ${escapeHtml(reason)}.</p>`

/** A one-way F test, APA style: "<i>F</i>(3, 196.42) = 14.83, <i>p</i> &lt; .001". */
export const fTest = (t: FTest): string =>
  `<i>F</i>(${formatDf(t.df1)}, ${formatDf(t.df2)}) = ${formatNumber(t.statistic)}, <i>p</i> ${escapeHtml(formatP(t.p))}`

/**
 * A measure compared across groups: n, M and SD per group (groups below min_cell by their n only),
 * then Welch's F and the equal-variance F, or why there is no test.
 */
export const comparisonHtml = (c: Comparison, caption: string, minCell: number): string => {
  const rows = c.groups.map((g): ReadonlyArray<HtmlCell> => [
    label(g.category),
    formatShownCount(g.n),
    ...(g.mean === null
      ? [{ html: `<span class="na">fewer than ${formatCount(minCell)} clients (min_cell): not shown</span>`, colspan: 2 }]
      : [formatNumber(g.mean), g.sd === null ? DASH : formatNumber(g.sd)]),
  ])
  const test =
    c.status === "estimated"
      ? `<p>Welch's ${fTest(c.welch)}; equal-variance ${fTest(c.classic)}.</p>`
      : `<p class="na">No test: ${escapeHtml(c.reason)}.</p>`
  return `${htmlTable(["Group", "<i>n</i>", "<i>M</i>", "<i>SD</i>"], rows, caption)}\n${test}`
}

const rupturesEstimated = (r: Ruptures, results: Results): string => {
  const s = results.settings
  const alliance = escapeHtml(s.alliance.instrument)
  const improvement = `Improvement in ${escapeHtml(s.outcome.instrument)} by rupture group`
  return `<p>Operational definition: a rupture is a drop in ${alliance} of at least ${points(r.threshold)} points from one rated session to the next (the session numbered one before), that is ${points(r.threshold_sd)} × the pooled within-client SD of ${formatNumber(r.within_client_sd)} points; it counts as repaired when the alliance comes back to at least its level before the drop within the next ${formatCount(r.repair_window)} session${r.repair_window === 1 ? "" : "s"}. The definition follows the V-shaped rupture–repair sequences of Stiles et al. (2004) and the self-report rupture markers reviewed by Eubanks, Muran and Safran (2018); the threshold and the window are settings, and their defaults are this project's choice, not a published standard.</p>
<p>${formatCount(r.clients_rated)} clients had at least two consecutive rated sessions, with ${formatCount(r.transitions)} session-to-session transitions. There were ${formatShownCount(r.ruptures)} ruptures (${rate(r.rupture_rate, r.ruptures === null)} of transitions) in ${formatShownCount(r.clients_with_rupture)} clients (${percentOf(r.clients_with_rupture, r.clients_rated)}); ${formatShownCount(r.repaired)} were repaired (${rate(r.repair_rate, r.repaired === null || r.ruptures === null)} of ruptures).</p>
${comparisonHtml(r.improvement, improvement, s.min_cell)}`
}

/** The "Alliance ruptures and repairs" subsection. */
export const rupturesHtml = (results: Results): string => {
  const r = results.clinical.ruptures
  const body = r.status === "estimated" ? rupturesEstimated(r, results) : notEstimable("Ruptures and repairs", r.reason)
  return `<h3>Alliance ruptures and repairs</h3>\n${body}`
}

const allianceAroundGain = (a: Gains["alliance_around_gain"], alliance: string): string =>
  a.status === "estimated"
    ? `<p>Around each client's first gain, ${alliance} was <i>M</i> = ${formatNumber(a.before)} at the pre-gain session and <i>M</i> = ${formatNumber(a.after)} at the post-gain session (difference ${formatNumber(a.difference)}, paired <i>t</i>(${formatDf(a.df)}) = ${formatNumber(a.t)}, <i>p</i> ${escapeHtml(formatP(a.p))}, <i>n</i> = ${formatCount(a.n)} first gains with alliance rated at both sessions).</p>`
    : `<p class="na">Alliance around the first gain could not be compared: ${escapeHtml(a.reason)}.</p>`

const gainsEstimated = (g: Gains, results: Results): string => {
  const s = results.settings
  const outcome = escapeHtml(s.outcome.instrument)
  const f = g.first_gain_session
  const when =
    f === null
      ? ` The session of the first gain is not shown: fewer than ${formatCount(s.min_cell)} clients (min_cell) had a gain.`
      : ` The first gain came after session ${points(f.median)} (median; IQR ${points(f.q1)}–${points(f.q3)}).`
  return `<p>A sudden gain is an improvement in ${outcome} between two consecutive sessions of at least ${points(g.minimum)} points (the reliable-change threshold) that also meets the relative and stability criteria of Tang and DeRubeis (1999). Of ${formatCount(g.clients_with_series)} clients with session scores, ${formatShownCount(g.clients_with_gain)} (${percentOf(g.clients_with_gain, g.clients_with_series)}) had at least one sudden gain; there were ${formatShownCount(g.gains)} gains in all.${when}</p>
${allianceAroundGain(g.alliance_around_gain, escapeHtml(s.alliance.instrument))}
${comparisonHtml(g.improvement, `Improvement in ${outcome} with and without a sudden gain`, s.min_cell)}`
}

/** The "Sudden gains" subsection. */
export const suddenGainsHtml = (results: Results): string => {
  const g = results.clinical.sudden_gains
  const body = g.status === "estimated" ? gainsEstimated(g, results) : notEstimable("Sudden gains", g.reason)
  return `<h3>Sudden gains</h3>\n${body}`
}
