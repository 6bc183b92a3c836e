/**
 * The measurement parts of the report's clinical section: the instruments used (with where their
 * cut-offs and reliable-change thresholds come from, and whether those were checked), how item
 * columns were scored into totals, and the reliability of each scale with its item statistics.
 *
 * A threshold not yet checked against its primary source is marked "(unverified)" with a note
 * under the table; one set in the study file is marked "study file". Labels, keys, file names and
 * sources come from the study and are escaped.
 */
import type { ClinicalResults } from "../../../data-schemas/clinical-results.ts"
import type { Results } from "../../../data-schemas/results.ts"
import { DASH, formatCi, formatCount, formatLevel, formatNumber, formatR, formatShownCount } from "../format.ts"
import { escapeHtml, type HtmlCell, htmlTable } from "../html-sections.ts"
import { label, points } from "./html-process.ts"

type Instrument = NonNullable<ClinicalResults["instruments"]["outcome"]>
type Threshold = NonNullable<Instrument["cut_off"]>
type ReliabilityRow = ClinicalResults["reliability"][number]

/** The marker of a value not checked against its primary source, pointing to the note under the table. */
export const UNVERIFIED = '<span class="unverified">(unverified)</span><sup>a</sup>'
export const UNVERIFIED_NOTE =
  "<sup>a</sup> Unverified: taken from the source named, but not yet checked against that primary source by this project. A study file can state its own value (<code>instruments.thresholds</code>); it is then used and marked &ldquo;study file&rdquo;."

const ROLES = [
  ["outcome", "Outcome"],
  ["second_outcome", "Second outcome"],
  ["alliance", "Alliance"],
] as const

const CHOSEN: Readonly<Record<Instrument["chosen"], string>> = {
  named: "named in the study file",
  matched: "matched from the measure's instrument name",
}

const wrap = (html: string): HtmlCell => ({ html, colspan: 1 })
const code = (text: string) => `<code>${escapeHtml(text)}</code>`

/** A cut-off or reliable-change threshold with its markers and source; a dash when the instrument has none. */
export const thresholdHtml = (t: { readonly value: number; readonly source: string; readonly verified: boolean; readonly overridden?: boolean } | null): HtmlCell =>
  t === null
    ? `${DASH} (none published)`
    : wrap(`${points(t.value)}${t.overridden === true ? " (study file)" : ""}${t.verified ? "" : ` ${UNVERIFIED}`}<br><span class="source">${escapeHtml(t.source)}</span>`)

const isUnverified = (t: Threshold | null): boolean => t !== null && !t.verified

/** The instruments table, the licence of each and a sentence for a study measure not in the registry. */
export const instrumentsHtml = (results: Results): string => {
  const used = results.clinical.instruments
  const s = results.settings
  const present = ROLES.flatMap(([role, name]) => {
    const i = used[role]
    return i === null ? [] : [{ role: name, i }]
  })
  const missing = [
    ...(used.outcome === null ? [`The outcome measure (${escapeHtml(s.outcome.instrument)}) is not in the instrument registry: no published cut-off or reliable-change threshold applies unless the study file states one.`] : []),
    ...(used.alliance === null ? [`The alliance measure (${escapeHtml(s.alliance.instrument)}) is not in the instrument registry.`] : []),
  ]
  const gaps = missing.length === 0 ? "" : `\n<p>${missing.join(" ")}</p>`
  if (present.length === 0) return `<h3>Instruments</h3>${gaps}`
  const table = htmlTable(
    ["Instrument", "Role", "How chosen", "Cut-off (source)", "Reliable change (source)"],
    present.map(({ role, i }) => [escapeHtml(i.name), role, CHOSEN[i.chosen], thresholdHtml(i.cut_off), thresholdHtml(i.reliable_change)]),
    "Instruments used and their published thresholds",
  )
  const note = present.some(({ i }) => isUnverified(i.cut_off) || isUnverified(i.reliable_change)) ? `\n<p class="note">${UNVERIFIED_NOTE}</p>` : ""
  const licences = present.map(({ i }) => `<li><strong>${escapeHtml(i.name)}</strong>: ${escapeHtml(i.licence)} ${escapeHtml(i.citation)}</li>`)
  return `<h3>Instruments</h3>
${table}${note}${gaps}
<p>Licences and citations:</p>
<ul class="apa">
${licences.join("\n")}
</ul>`
}

/** "line 15 (items 3, 7)" or "line 20 (item 2)". */
export const exclusionText = (e: { readonly line: number; readonly missing: ReadonlyArray<number> }): string =>
  `line ${e.line} (item${e.missing.length === 1 ? "" : "s"} ${e.missing.join(", ")})`

/** The scoring table (empty when the study gives totals) and the first exclusions of each block. */
export const scoringHtml = (results: Results): string => {
  const rows = results.clinical.scoring
  if (rows.length === 0) return ""
  const table = htmlTable(
    ["Block", "File", "Items", "Proration limit", "Rows", "Answered", "Prorated", "Excluded"],
    rows.map((r) => [
      `${code(r.key)} (${escapeHtml(r.setting)})`,
      code(r.file),
      formatCount(r.items),
      r.proration_limit === 0 ? "none prorated" : `up to ${formatCount(r.proration_limit)} missing`,
      formatCount(r.rows),
      formatCount(r.answered),
      formatShownCount(r.prorated),
      formatShownCount(r.excluded),
    ]),
    "Item columns scored into totals",
  )
  const exclusions = rows
    .flatMap((r) => (r.excluded !== null && r.excluded > 0 && r.excluded_at.length > 0 ? [{ ...r, excluded: r.excluded }] : []))
    .map((r) => {
      const first = r.excluded_at.length < r.excluded ? `the first ${formatCount(r.excluded_at.length)} of ${formatCount(r.excluded)}` : `all ${formatCount(r.excluded)}`
      return `<li>${code(r.key)} in ${code(r.file)} (${first}): ${r.excluded_at.map(exclusionText).join("; ")}.</li>`
    })
  return `<h3>Scoring of item columns</h3>
<p>Rows with some items missing, but no more than the proration limit, had their total prorated from the items answered; rows missing more items were excluded (their total is missing). Rows where no item was answered are counted in rows but not in answered.</p>
${table}${exclusions.length === 0 ? "" : `\n<p>Excluded rows, by line of the file and missing item numbers:</p>\n<ul>\n${exclusions.join("\n")}\n</ul>`}${
    results.settings.privacy.mode === "strict" ? "\n<p class=\"note\">Line numbers of excluded rows are not shown (strict privacy).</p>" : ""
  }`
}

/** A reliability coefficient without its leading zero (APA); outside ±1 (a pathological α) with it. */
const coefficient = (x: number): string => (Math.abs(x) <= 1 ? formatR(x) : formatNumber(x))

const scaleName = (r: ReliabilityRow): string => `${label(r.scale)} (${code(r.key)})`

const itemDetails = (r: ReliabilityRow): string =>
  `<details>
<summary>Item statistics: ${escapeHtml(r.instrument)}, ${escapeHtml(r.scale)} (${code(r.key)})</summary>
${htmlTable(
  ["Item", "<i>M</i>", "<i>SD</i>", "<i>r</i><sub>drop</sub>", "α if deleted"],
  r.item_statistics.map((s) => [formatCount(s.item), formatNumber(s.mean), formatNumber(s.sd), coefficient(s.r_drop), s.alpha_if_deleted === null ? DASH : coefficient(s.alpha_if_deleted)]),
)}
</details>`

/** The reliability table (empty when no items were given) and one collapsible item table per scale. */
export const reliabilityHtml = (results: Results): string => {
  const rows = results.clinical.reliability
  if (rows.length === 0) return ""
  const level = formatLevel(results.settings.ci_level)
  const table = htmlTable(
    ["Instrument", "Scale", "Rows analysed", "<i>n</i>", "Items", `α [${level} CI]`, "Standardized α", "λ<sub>6</sub>", "ω<sub>total</sub>"],
    rows.map((r) => [
      escapeHtml(r.instrument),
      scaleName(r),
      wrap(escapeHtml(r.rows)),
      formatCount(r.n),
      formatCount(r.items.length),
      `${coefficient(r.alpha.raw)} ${formatCi(r.alpha.feldt, coefficient)}`,
      coefficient(r.alpha.standardized),
      coefficient(r.alpha.guttman_lambda6),
      r.omega_total === null ? DASH : coefficient(r.omega_total),
    ]),
    `Reliability: Cronbach's α with its Feldt ${level} interval, standardized α, Guttman's λ<sub>6</sub> and McDonald's ω<sub>total</sub>`,
  )
  return `<h3>Reliability</h3>
${table}
<p>ω<sub>total</sub> needs at least three items (a dash otherwise). The item statistics of each scale: mean, SD, the corrected item–total correlation (<i>r</i><sub>drop</sub>) and α if the item were left out.</p>
${rows.map(itemDetails).join("\n")}`
}
