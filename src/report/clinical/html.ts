/**
 * The report's "Clinical significance, reliability and process markers" section (results.clinical),
 * its methods paragraph and its references.
 *
 * In order: the instruments and their sourced thresholds, the scoring of item columns, reliability,
 * Jacobson–Truax categories with early alliance by category, the NHS Talking Therapies metrics,
 * ruptures and repairs, and sudden gains. A subsection without data (scoring, reliability) is left
 * out; one that could not be estimated says why. Thresholds not checked against their source are
 * marked as such wherever they are used.
 */
import { type ClinicalResults, JT_CATEGORIES } from "../../../data-schemas/clinical-results.ts"
import type { Results } from "../../../data-schemas/results.ts"
import { DASH, formatCount, formatNumber, formatR, formatShownCount } from "../format.ts"
import { escapeHtml, type HtmlCell, htmlTable } from "../html-sections.ts"
import { instrumentsHtml, reliabilityHtml, scoringHtml, UNVERIFIED, UNVERIFIED_NOTE } from "./html-measures.ts"
import { comparisonHtml, label, notEstimable, percentOf, points, rate, rupturesHtml, suddenGainsHtml } from "./html-process.ts"

type JacobsonTruax = Extract<ClinicalResults["jacobson_truax"], { status: "estimated" }>
type TalkingTherapies = Extract<ClinicalResults["talking_therapies"], { status: "estimated" }>

export const CLINICAL_HEADING = "Clinical significance, reliability and process markers"

/** The standard error of the difference of each recorded variant, as an HTML formula. */
export const SE_VARIANTS: Readonly<Record<JacobsonTruax["se_variant"], string>> = {
  jacobson_truax_1991: "Jacobson &amp; Truax (1991): <i>S</i><sub>diff</sub> = √2 · <i>SD</i><sub>pre</sub> · √(1 − <i>r</i><sub>xx</sub>)",
}

const unverified = (verified: boolean) => (verified ? "" : ` ${UNVERIFIED}`)

const reliableChangeText = (j: JacobsonTruax): string => {
  const r = j.reliable_change
  const source = `${escapeHtml(r.source)}${unverified(r.verified)}`
  if (r.rule === "rci") {
    const sDiff = r.s_diff === null ? "" : `<i>S</i><sub>diff</sub> = ${formatNumber(r.s_diff)}, from `
    const reliability = r.reliability === null ? "" : ` and <i>r</i><sub>xx</sub> = ${formatR(r.reliability)}`
    return `A change was reliable when |RCI| &gt; 1.96, with ${sDiff}<i>SD</i><sub>pre</sub> = ${formatNumber(r.sd_pre)}${reliability} (${source}): a change of at least ${points(r.points)} points. The standard error of the difference is that of ${SE_VARIANTS[j.se_variant]}.`
  }
  return `A change was reliable when it was at least ${points(r.points)} points (${source}), a threshold in points, so no <i>S</i><sub>diff</sub> was computed (the variant recorded is ${SE_VARIANTS[j.se_variant]}; <i>SD</i><sub>pre</sub> = ${formatNumber(r.sd_pre)}).`
}

const jacobsonTruaxEstimated = (j: JacobsonTruax, results: Results): string => {
  const s = results.settings
  const outcome = escapeHtml(s.outcome.instrument)
  const better = s.outcome.direction === "lower_is_better" ? "below" : "above"
  const counts = JT_CATEGORIES.map((c) => `${formatShownCount(j.counts[c])} ${c === "unchanged" ? "were unchanged" : c} (${percentOf(j.counts[c], j.n)})`)
  const table = htmlTable(
    ["Category", "<i>n</i>", `% of ${formatCount(j.n)}`],
    JT_CATEGORIES.map((c): ReadonlyArray<HtmlCell> => [label(c), formatShownCount(j.counts[c]), percentOf(j.counts[c], j.n)]),
    "Jacobson–Truax categories",
  )
  const note = !j.cut_off.verified || !j.reliable_change.verified ? `\n<p class="note">${UNVERIFIED_NOTE}</p>` : ""
  return `<p>Of the ${formatCount(j.n)} clients with an intake and an end ${outcome} score, ${counts.slice(0, 3).join(", ")} and ${counts[3]}.</p>
<p>${reliableChangeText(j)} Clinical cut-off: ${points(j.cut_off.value)} (${escapeHtml(j.cut_off.source)}${unverified(j.cut_off.verified)}); the functional side is ${better} it, and a score at the cut-off counts as clinical. Recovered: a reliable improvement from the clinical side at intake to the functional side at the end; improved: a reliable improvement without that crossing; deteriorated: a reliable change for the worse; unchanged: no reliable change.</p>
${table}${note}
${comparisonHtml(j.early_alliance, `Early ${escapeHtml(s.alliance.instrument)} alliance by outcome category`, s.min_cell)}`
}

const jacobsonTruaxHtml = (results: Results): string => {
  const j = results.clinical.jacobson_truax
  const body = j.status === "estimated" ? jacobsonTruaxEstimated(j, results) : notEstimable("The Jacobson–Truax categories", j.reason)
  return `<h3>Clinically significant change (Jacobson–Truax)</h3>\n${body}`
}

const SESSIONS_FROM: Readonly<Record<TalkingTherapies["sessions_from"], string>> = {
  sessions_attended: "the sessions attended recorded for each client",
  session_rows: "the client's rows in the session file",
}

const talkingTherapiesEstimated = (t: TalkingTherapies): string => {
  const h = t.thresholds
  const row = (metric: string, n: number | null, of: string, value: string): ReadonlyArray<HtmlCell> => [metric, formatShownCount(n), of, value]
  const finished = `${formatShownCount(t.finished)} finished courses`
  const cases = `${formatShownCount(t.finished_cases)} finished cases`
  const hidden = (...counts: ReadonlyArray<number | null>) => counts.some((c) => c === null)
  const table = htmlTable(
    ["Metric", "<i>n</i>", "Of", "Rate"],
    [
      row("Courses", t.courses, DASH, DASH),
      row(`Finished courses (at least ${formatCount(h.minimum_sessions)} sessions)`, t.finished, `${formatCount(t.courses)} courses`, percentOf(t.finished, t.courses)),
      row("Cases at the start (finished courses)", t.finished_cases, finished, percentOf(t.finished_cases, t.finished)),
      row("Recovered", t.recovered, cases, rate(t.recovery_rate, hidden(t.recovered, t.finished_cases))),
      row("Reliably improved", t.reliably_improved, finished, rate(t.reliable_improvement_rate, hidden(t.reliably_improved, t.finished))),
      row("Reliably deteriorated", t.reliably_deteriorated, finished, rate(t.reliable_deterioration_rate, hidden(t.reliably_deteriorated, t.finished))),
      row("Reliably recovered", t.reliably_recovered, cases, rate(t.reliable_recovery_rate, hidden(t.reliably_recovered, t.finished_cases))),
    ],
    "NHS Talking Therapies outcome metrics",
  )
  const warning = h.verified
    ? ""
    : `\n<p class="na"><strong>Thresholds not verified against the current manual.</strong> These caseness and reliable-change thresholds have not been checked against the current NHS Talking Therapies manual by this project; check them before reporting these rates.</p>`
  return `<p>Caseness: PHQ-9 ≥ ${points(h.phq9_caseness)} or GAD-7 ≥ ${points(h.gad7_caseness)}. Recovery: a case at the start and below both thresholds at the end. Reliable improvement: a drop of at least ${points(h.phq9_reliable_change)} PHQ-9 or ${points(h.gad7_reliable_change)} GAD-7 points on one measure or both, with no reliable deterioration on the other (reliable deterioration the other way round). A course was finished with at least ${formatCount(h.minimum_sessions)} sessions, counted from ${SESSIONS_FROM[t.sessions_from]}. Recovery rates are over finished cases, improvement and deterioration rates over finished courses.${h.verified ? " The thresholds were stated in the study file." : ""}</p>${warning}
${table}`
}

const talkingTherapiesHtml = (results: Results): string => {
  const t = results.clinical.talking_therapies
  const body = t.status === "estimated" ? talkingTherapiesEstimated(t) : notEstimable("The NHS Talking Therapies metrics", t.reason)
  return `<h3>NHS Talking Therapies outcome metrics</h3>\n${body}`
}

/** The "Clinical significance, reliability and process markers" section. */
export const clinicalSection = (results: Results): string =>
  [
    `<section id="clinical">\n<h2>${CLINICAL_HEADING}</h2>`,
    instrumentsHtml(results),
    scoringHtml(results),
    reliabilityHtml(results),
    jacobsonTruaxHtml(results),
    talkingTherapiesHtml(results),
    rupturesHtml(results),
    suddenGainsHtml(results),
    "</section>",
  ]
    .filter((part) => part !== "")
    .join("\n")

/** The methods paragraph of the clinical section. */
export const clinicalMethods = (results: Results): string => {
  const s = results.settings
  return `<p>Item columns were scored into totals with the instrument registry's keys (reverse-keyed items reversed); a row missing no more items than the proration limit had its total prorated, a row missing more was excluded. Reliability was described by Cronbach's α (Cronbach, 1951) with Feldt's (1965) confidence interval, standardized α, Guttman's λ<sub>6</sub> and McDonald's (1999) ω total from a one-factor minimum-residual solution, as <code>psych::alpha</code> and <code>psych::omega</code> compute them. Clinically significant change followed Jacobson and Truax (1991): the reliable change index (RCI) divides the change by <i>S</i><sub>diff</sub> = √2 · <i>SD</i><sub>pre</sub> · √(1 − <i>r</i><sub>xx</sub>), and |RCI| &gt; 1.96 is reliable; when the study file states a threshold in points, or the study gives no intake items for its own reliability, a change of at least the stated or published threshold counts instead. Clients were recovered, improved, unchanged or deteriorated by reliable change and by crossing the clinical cut-off. Early alliance was compared across these categories, and improvement across rupture and sudden-gain groups, with Welch's (1951) heteroscedastic one-way <i>F</i> test and the equal-variance <i>F</i> test (R: <code>oneway.test</code>). The NHS Talking Therapies metrics (caseness, recovery, reliable improvement, deterioration and recovery) use the thresholds of the programme's manual as this project records them (NHS England, n.d.), which have not been verified against its current version unless the study file states them. Ruptures were drops in session alliance beyond a threshold in within-client SDs, repaired when the alliance came back to its earlier level within a window of sessions, after Stiles et al. (2004) and Eubanks, Muran and Safran (2018); the threshold and window defaults are this project's. Sudden gains followed the three criteria of Tang and DeRubeis (1999), with the reliable-change threshold as the absolute criterion; alliance before and after each client's first gain was compared with a paired <i>t</i> test. Groups, session cells and intake × end bins with fewer than ${formatCount(s.min_cell)} clients are shown by their size only or left out.</p>`
}

/** References of the clinical section, APA style. */
export const CLINICAL_REFERENCES: ReadonlyArray<string> = [
  "Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests. Psychometrika, 16(3), 297–334. https://doi.org/10.1007/BF02310555",
  "Eubanks, C. F., Muran, J. C., & Safran, J. D. (2018). Alliance rupture repair: A meta-analysis. Psychotherapy, 55(4), 508–519. https://doi.org/10.1037/pst0000185",
  "Feldt, L. S. (1965). The approximate sampling distribution of Kuder-Richardson reliability coefficient twenty. Psychometrika, 30(3), 357–370. https://doi.org/10.1007/BF02289499",
  "Jacobson, N. S., & Truax, P. (1991). Clinical significance: A statistical approach to defining meaningful change in psychotherapy research. Journal of Consulting and Clinical Psychology, 59(1), 12–19. https://doi.org/10.1037/0022-006X.59.1.12",
  "McDonald, R. P. (1999). Test theory: A unified treatment. Lawrence Erlbaum Associates.",
  "NHS England. (n.d.). NHS Talking Therapies for anxiety and depression manual. [The caseness and reliable-change thresholds used here have not been verified against the current version.]",
  "Stiles, W. B., Glick, M. J., Osatuke, K., Hardy, G. E., Shapiro, D. A., Agnew-Davies, R., Rees, A., & Barkham, M. (2004). Patterns of alliance development and the rupture-repair hypothesis: Are productive relationships U-shaped or V-shaped? Journal of Counseling Psychology, 51(1), 81–92. https://doi.org/10.1037/0022-0167.51.1.81",
  "Tang, T. Z., & DeRubeis, R. J. (1999). Sudden gains and critical sessions in cognitive-behavioral therapy for depression. Journal of Consulting and Clinical Psychology, 67(6), 894–904. https://doi.org/10.1037/0022-006X.67.6.894",
  "Welch, B. L. (1951). On the comparison of several mean values: An alternative approach. Biometrika, 38(3/4), 330–336. https://doi.org/10.2307/2332579",
]
