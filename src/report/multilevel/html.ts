/**
 * The report's "Therapists, clients and sessions" section (the multilevel analyses) and its
 * methods paragraph. Tables give every estimate with its SE, Satterthwaite df, p and interval;
 * the sentences say what the numbers mean, in the outcome's own direction.
 */
import type { IccModel, MixedCoefficientRecord, StandardizedCoefficientRecord } from "../../../data-schemas/multilevel-results.ts"
import type { Results } from "../../../data-schemas/results.ts"
import { formatCi, formatCount, formatDf, formatLevel, formatNumber, formatP, formatPercent, formatPValue, formatR } from "../format.ts"
import { escapeHtml, type HtmlCell, htmlTable } from "../html-sections.ts"

const num = (x: number, digits = 2) => formatNumber(x, digits)
const ci = (c: readonly [number, number], digits = 2) => formatCi(c, (x) => num(x, digits))
const na = (reason: string) => `<span class="na">Not estimable: ${escapeHtml(reason)}.</span>`

const coefficientCells = (label: string, c: MixedCoefficientRecord, standardized: StandardizedCoefficientRecord | null): ReadonlyArray<HtmlCell> => [
  escapeHtml(label),
  num(c.estimate),
  num(c.se),
  formatDf(c.df),
  num(c.statistic),
  escapeHtml(formatPValue(c.p)),
  ci(c.ci),
  // a standardized coefficient (and its interval) can exceed 1, so it keeps its leading zero (APA)
  standardized === null ? "—" : `${num(standardized.standardized, 3)} ${ci(standardized.standardized_ci, 3)}`,
]

const coefficientHeader = (level: number) => ["Term", "<i>b</i>", "SE", "df", "<i>t</i>", "<i>p</i>", `${formatLevel(level)} CI`, "Standardized β [CI]"]

const iccRow = (m: IccModel, label: string): ReadonlyArray<HtmlCell> => {
  if (m.status !== "estimated") return [escapeHtml(label), { html: na(m.reason), colspan: 5 }]
  const therapist = m.variance_components.find((c) => c.source === "therapist")!
  const residual = m.variance_components.find((c) => c.source === "residual")!
  return [escapeHtml(label), formatCount(m.n), formatCount(m.n_therapists), num(therapist.variance), num(residual.variance), `${formatR(m.icc, 3)} ${formatCi(m.icc_ci, (x) => formatR(x, 3))}`]
}

const therapistSection = (results: Results): string => {
  const t = results.multilevel.therapist_effects
  const level = formatLevel(results.settings.ci_level)
  const load = t.clients_per_therapist
  const intro =
    load === null
      ? "<p>No clients had both a baseline and an outcome score.</p>"
      : `<p>${formatCount(t.n_clients)} clients with baseline and outcome scores were seen by ${formatCount(t.n_therapists)} therapists: ${num(load.mean, 1)} clients per therapist on average (median ${num(load.median, 1)}${load.min === null || load.max === null ? "" : `, range ${formatCount(load.min)}–${formatCount(load.max)}`}).</p>`
  const adjusted = t.adjusted
  const share =
    adjusted.status === "estimated"
      ? `<p>Adjusted for baseline severity, ${formatPercent(adjusted.icc * 100)} of the variance in outcome lay between therapists (ICC = ${formatR(adjusted.icc, 3)}, ${level} CI ${formatCi(adjusted.icc_ci, (x) => formatR(x, 3))}); the rest lay between clients of the same therapist. Studies of therapist effects typically find 3–8% (Baldwin &amp; Imel, 2013).</p>`
      : ""
  const site = t.site_adjusted
  const siteText =
    site.status === "estimated"
      ? `<p>With therapists nested in ${formatCount(site.n_sites)} sites, the variance of improvement adjusted for baseline divides into ${site.variance_components.map((c) => `${escapeHtml(c.source)} ${formatPercent(c.share * 100)}`).join(", ")}.</p>`
      : `<p>A site level was not added: ${escapeHtml(site.reason)}.</p>`
  const table = htmlTable(
    ["Outcome", "Clients", "Therapists", "Therapist variance", "Residual variance", `ICC [${level} CI]`],
    [iccRow(t.unadjusted, "Improvement"), iccRow(t.adjusted, "Post score adjusted for baseline")],
    "Therapist effects (random-intercept models, REML)",
  )
  const shown = t.caterpillar.length
  const caterpillarNote =
    shown === 0
      ? `<p>No therapist had at least ${formatCount(results.settings.min_cell)} clients, so the therapist-effects chart is empty.</p>`
      : `<p>The chart of therapist effects shows ${formatCount(shown)}${shown < t.caterpillar_eligible ? ` of ${formatCount(t.caterpillar_eligible)} (evenly spaced by rank)` : ""} therapists, unnamed${t.caterpillar_left_out > 0 ? `; ${formatCount(t.caterpillar_left_out)} with fewer than ${formatCount(results.settings.min_cell)} clients are left out` : ""}.</p>`
  return `<h3>Therapist effects</h3>\n${intro}\n${share}\n${table}\n${siteText}\n${caterpillarNote}`
}

const decompositionSection = (results: Results): string => {
  const d = results.multilevel.decomposition
  if (d.status !== "estimated") return `<h3>Alliance: therapist or client?</h3>\n<p>${na(d.reason)}</p>`
  const verdict =
    d.difference.p < 1 - results.settings.ci_level
      ? `The two differ (<i>p</i> ${escapeHtml(formatP(d.difference.p))}): per point of alliance, ${d.difference.estimate > 0 ? "the therapist's typical alliance" : "the client's deviation"} goes with more improvement.`
      : `The two do not differ significantly (<i>p</i> ${escapeHtml(formatP(d.difference.p))}).`
  return `<h3>Alliance: therapist or client?</h3>
<p>Following Baldwin, Wampold and Imel (2007), each client's early alliance was split into their therapist's mean (over ${formatCount(d.n_therapists)} therapists) and the client's deviation from it; both predicted improvement with baseline held constant and a random intercept per therapist (${formatCount(d.n)} clients). ${verdict}</p>
${htmlTable(coefficientHeader(results.settings.ci_level), [
  coefficientCells("Therapist's mean early alliance (between therapists)", d.between, d.between),
  coefficientCells("Client's deviation from it (within therapist)", d.within, d.within),
  coefficientCells("Difference (between − within)", d.difference, null),
], "Improvement on early alliance, split by therapist (linear mixed model, REML, Satterthwaite df)")}`
}

const withinBetweenSection = (results: Results): string => {
  const w = results.multilevel.within_between
  if (w.status !== "estimated") return `<h3>Within and between clients, session by session</h3>\n<p>${na(w.reason)}</p>`
  const lower = results.settings.outcome.direction === "lower_is_better"
  const good = lower ? w.within.estimate < 0 : w.within.estimate > 0
  const reading = `In sessions where a client's alliance was one point above their own average, their symptom score at the next session was ${num(Math.abs(w.within.estimate))} points ${w.within.estimate < 0 ? "lower" : "higher"} (${good ? "better" : "worse"}), holding the current score constant.`
  return `<h3>Within and between clients, session by session</h3>
<p>${formatCount(w.n)} pairs of consecutive sessions from ${formatCount(w.n_clients)} clients related this session's alliance to the next session's symptom score, controlling for this session's score, with a random intercept per client${w.therapist_intercept ? " and per therapist (clients nested in therapists)" : ""}. Alliance was split into the client's own mean (between clients) and this session's deviation from it (within client; Curran &amp; Bauer, 2011). ${reading}</p>
${htmlTable(coefficientHeader(results.settings.ci_level), [
  coefficientCells("Client's mean alliance (between clients)", w.between, w.between),
  coefficientCells("Session's deviation from it (within client)", w.within, w.within),
  coefficientCells("Difference (within − between)", w.difference, null),
], "Next-session symptom score on alliance (linear mixed model, REML, Satterthwaite df)")}`
}

export const multilevelSection = (results: Results): string => `<section id="multilevel">
<h2>Therapists, clients and sessions</h2>
${therapistSection(results)}
${decompositionSection(results)}
${withinBetweenSection(results)}
</section>`

/** The methods paragraph of the multilevel analyses. */
export const multilevelMethods = (results: Results): string => {
  const level = formatLevel(results.settings.ci_level)
  return `<p>Multilevel models were linear mixed models fitted by restricted maximum likelihood, as <code>lme4::lmer</code> (Bates, Mächler, Bolker &amp; Walker, 2015), with fixed effects tested on Satterthwaite degrees of freedom as in <code>lmerTest</code> (Kuznetsova, Brockhoff &amp; Christensen, 2017). Therapist effects are the intraclass correlation of improvement across therapists (random-intercept models, with and without baseline), with ${level} profile-likelihood intervals; the therapists' predicted effects are conditional modes with intervals from their conditional variances. The therapist/client decomposition of early alliance follows Baldwin, Wampold and Imel (2007). The session-level model relates alliance in one session to the symptom score at the next, split by person-mean centring into between- and within-client parts (Curran &amp; Bauer, 2011; Falkenström, Finkel, Sandell, Rubel &amp; Holmqvist, 2017); with a lagged outcome and few sessions per client, its within-client coefficient can be slightly biased (Nickell, 1981). Standardized coefficients multiply each coefficient by the SD of its predictor over the SD of the outcome, over the rows of the model.</p>`
}

/** References of the multilevel analyses, APA style. */
export const MULTILEVEL_REFERENCES: ReadonlyArray<string> = [
  "Baldwin, S. A., & Imel, Z. E. (2013). Therapist effects: Findings and methods. In M. J. Lambert (Ed.), Bergin and Garfield's handbook of psychotherapy and behavior change (6th ed., pp. 258–297). Wiley.",
  "Baldwin, S. A., Wampold, B. E., & Imel, Z. E. (2007). Untangling the alliance–outcome correlation: Exploring the relative importance of therapist and patient variability in the alliance. Journal of Consulting and Clinical Psychology, 75(6), 842–852. https://doi.org/10.1037/0022-006X.75.6.842",
  "Bates, D., Mächler, M., Bolker, B., & Walker, S. (2015). Fitting linear mixed-effects models using lme4. Journal of Statistical Software, 67(1), 1–48. https://doi.org/10.18637/jss.v067.i01",
  "Curran, P. J., & Bauer, D. J. (2011). The disaggregation of within-person and between-person effects in longitudinal models of change. Annual Review of Psychology, 62, 583–619. https://doi.org/10.1146/annurev.psych.093008.100356",
  "Falkenström, F., Finkel, S., Sandell, R., Rubel, J. A., & Holmqvist, R. (2017). Dynamic models of individual change in psychotherapy process research. Journal of Consulting and Clinical Psychology, 85(6), 537–549. https://doi.org/10.1037/ccp0000203",
  "Kuznetsova, A., Brockhoff, P. B., & Christensen, R. H. B. (2017). lmerTest package: Tests in linear mixed effects models. Journal of Statistical Software, 82(13), 1–26. https://doi.org/10.18637/jss.v082.i13",
  "Nickell, S. (1981). Biases in dynamic models with fixed effects. Econometrica, 49(6), 1417–1426. https://doi.org/10.2307/1911408",
]
