/**
 * summary.md: the key results as GitHub-flavoured Markdown, for a CI job summary
 * (`$GITHUB_STEP_SUMMARY`) or a lab wiki. One table of the primary estimates and the pooled site
 * estimate, a heterogeneity line, one line each for the multilevel models and the common-factor
 * shares, a few lines of the clinical section (categories, reliability, Talking Therapies rates,
 * ruptures, sudden gains), the sample size and every warning.
 *
 * All text taken from results.json (study title, reasons, warnings) is escaped so that it cannot
 * inject Markdown or HTML; statistical symbols are italicised.
 */
import type { Correlation, Results } from "../../data-schemas/results.ts"
import { DASH, formatCi, formatCount, formatDf, formatLevel, formatNumber, formatPercent, formatPValue, formatR, formatShownCount, formatShownRate, SUPPRESSED, type Statement } from "./format.ts"
import {
  ciMethodLabel,
  earlyWindowLabel,
  heterogeneityStatement,
  LITERATURE_REFERENCE,
  signConvention,
  studyTitle,
} from "./statements.ts"

/**
 * Backslash-escapes the ASCII punctuation that can start Markdown or HTML syntax inside a line
 * (emphasis, code, links, tags, entities, table pipes, strikethrough) and folds line breaks to
 * spaces. Text is never placed at the start of a line, so block syntax (#, -, +) needs no escape.
 */
export const escapeMarkdown = (text: string): string =>
  text.replace(/\r\n|\r|\n/g, " ").replace(/[\\`*_[\]<>|~&]/g, (c) => `\\${c}`)

/** Renders a statement as Markdown: symbols in *italics*, text escaped. */
export const statementToMarkdown = (statement: Statement): string =>
  statement.map((s) => (s.symbol === true ? `*${escapeMarkdown(s.text)}*` : escapeMarkdown(s.text))).join("")


type Cells = readonly [label: string, value: string, ci: string, test: string, p: string, n: string]

const notEstimableCells = (label: string, x: { readonly n: number; readonly reason: string }): Cells => [
  label,
  `not estimable: ${escapeMarkdown(x.reason)}`,
  DASH,
  DASH,
  DASH,
  formatCount(x.n),
]

const correlationCells = (label: string, c: Correlation): Cells =>
  c.status === "not_estimable"
    ? notEstimableCells(label, c)
    : [
        label,
        formatR(c.estimate),
        escapeMarkdown(formatCi(c.ci)),
        `*t*(${formatDf(c.df)}) = ${formatNumber(c.statistic)}`,
        escapeMarkdown(formatPValue(c.p)),
        formatCount(c.n),
      ]

const tableRows = (results: Results): ReadonlyArray<Cells> => {
  const { pearson, spearman, partial, residualized_gain } = results.primary
  const rows: Array<Cells> = [
    correlationCells("Pearson *r* (early alliance, improvement)", pearson),
    spearman.status === "not_estimable"
      ? notEstimableCells("Spearman *ρ*", spearman)
      : ["Spearman *ρ*", formatR(spearman.estimate), DASH, `*S* = ${formatNumber(spearman.statistic, 0)}`, escapeMarkdown(formatPValue(spearman.p)), formatCount(spearman.n)],
    correlationCells("Partial *r* (outcome, controlling for baseline; raw sign)", partial),
    correlationCells("Residualized-gain *r*", residualized_gain),
  ]
  const pooled = results.sites.pooled
  if (pooled.status === "not_estimable") {
    rows.push(notEstimableCells("Pooled site *r* (random effects)", pooled))
  } else {
    const test =
      pooled.test === "knha" && pooled.df !== null
        ? `*t*(${formatDf(pooled.df)}) = ${formatNumber(pooled.statistic)}`
        : `*z* = ${formatNumber(pooled.statistic)}`
    rows.push(
      [
        `Pooled site *r* (${escapeMarkdown(pooled.method)}, *k* = ${formatCount(pooled.k)})`,
        formatR(pooled.estimate),
        escapeMarkdown(formatCi(pooled.ci)),
        test,
        escapeMarkdown(formatPValue(pooled.p)),
        formatCount(pooled.n),
      ],
      [`${formatLevel(results.settings.ci_level)} prediction interval (new site)`, DASH, escapeMarkdown(formatCi(pooled.pi)), DASH, DASH, DASH],
    )
  }
  return rows
}

const table = (results: Results): ReadonlyArray<string> => {
  const level = formatLevel(results.settings.ci_level)
  return [
    `| Estimate | Value | ${level} CI | Test | *p* | *n* |`,
    "| --- | ---: | --- | --- | --- | ---: |",
    ...tableRows(results).map((cells) => `| ${cells.join(" | ")} |`),
  ]
}

/** One line each for the therapist ICC and the within/between coefficients, when estimated. */
const multilevelLines = (results: Results): ReadonlyArray<string> => {
  const { therapist_effects: t, within_between: w } = results.multilevel
  const level = formatLevel(results.settings.ci_level)
  const ci = (c: readonly [number, number], digits: number) => escapeMarkdown(formatCi(c, (x) => formatNumber(x, digits)))
  const lines: string[] = []
  if (t.adjusted.status === "estimated") {
    lines.push(
      `**Therapist effects:** ICC (adjusted for baseline) = ${formatR(t.adjusted.icc, 3)}, ${level} CI ${escapeMarkdown(formatCi(t.adjusted.icc_ci, (x) => formatR(x, 3)))}, ` +
        `${formatCount(t.n_therapists)} therapists.`,
      "",
    )
  }
  if (w.status === "estimated") {
    lines.push(
      `**Alliance → next-session symptoms:** within-client *b* = ${escapeMarkdown(formatNumber(w.within.estimate, 2))} ${ci(w.within.ci, 2)}, ` +
        `between-client *b* = ${escapeMarkdown(formatNumber(w.between.estimate, 2))} ${ci(w.between.ci, 2)} (${formatCount(w.n)} session pairs).`,
      "",
    )
  }
  return lines
}

/** One line of the common-factor shares of the outcome variance, or why they could not be estimated. */
const commonFactorLines = (results: Results): ReadonlyArray<string> => {
  const c = results.common_factors
  if (c.status !== "estimated") return [`**Common factors:** not estimable: ${escapeMarkdown(c.reason)}.`, ""]
  const pct = (x: number) => `${formatNumber(x * 100, 1)}%`
  const parts = [
    ...c.families.map((f) => `${escapeMarkdown(f.family)} ${pct(f.general_dominance)}`),
    ...(c.therapist.status === "estimated" ? [`therapist ${pct(c.therapist.share)}`] : []),
    `unexplained ${pct(c.unexplained)}`,
  ]
  const absent = c.absent_families.length === 0 ? "" : ` No data: ${c.absent_families.map((a) => escapeMarkdown(a.family)).join(", ")}.`
  const whole = c.outcome === "baseline_adjusted" ? "share of the outcome variance left after baseline" : "share of the outcome variance"
  return [`**Common factors** (${whole}, *n* = ${formatCount(c.n)}, *R*² = ${pct(c.r_squared)}): ${parts.join(", ")}.${absent}`, ""]
}

/** A count with its share of a total: "401 (36.4%)". */
/** A count that disclosure control may have suppressed, for Markdown ("\\[c\\]"). */
const shown = (n: number | null): string => escapeMarkdown(formatShownCount(n))

const countShare = (n: number | null, of: number): string => (n === null ? escapeMarkdown(SUPPRESSED) : of > 0 ? `${formatCount(n)} (${formatPercent((n / of) * 100)})` : formatCount(n))

/** Lines of the clinical section: JT categories, α per scale, Talking Therapies rates, rupture rate, sudden gains. */
const clinicalLines = (results: Results): ReadonlyArray<string> => {
  const c = results.clinical
  const j = c.jacobson_truax
  const lines = [
    j.status === "estimated"
      ? `**Clinical significance** (Jacobson–Truax, *n* = ${formatCount(j.n)}): recovered ${countShare(j.counts.recovered, j.n)}, improved ${countShare(j.counts.improved, j.n)}, ` +
        `unchanged ${countShare(j.counts.unchanged, j.n)}, deteriorated ${countShare(j.counts.deteriorated, j.n)}` +
        `${j.cut_off.verified && j.reliable_change.verified ? "" : "; a threshold is unverified"}.`
      : `**Clinical significance:** not estimable: ${escapeMarkdown(j.reason)}.`,
  ]
  if (c.reliability.length > 0) {
    const alpha = (x: number) => (Math.abs(x) <= 1 ? formatR(x) : formatNumber(x))
    lines.push(`**Reliability** (Cronbach's *α*): ${c.reliability.map((r) => `${escapeMarkdown(r.key)} ${escapeMarkdown(r.scale)} ${alpha(r.alpha.raw)} (*n* = ${formatCount(r.n)})`).join(", ")}.`)
  }
  const t = c.talking_therapies
  if (t.status === "estimated") {
    const rate = (x: number | null, ...counts: ReadonlyArray<number | null>) => escapeMarkdown(formatShownRate(x, counts.includes(null)))
    lines.push(
      `**NHS Talking Therapies** (${escapeMarkdown(formatShownCount(t.finished))} finished courses): recovery ${rate(t.recovery_rate, t.recovered, t.finished_cases)}, ` +
        `reliable improvement ${rate(t.reliable_improvement_rate, t.reliably_improved, t.finished)}, ` +
        `reliable deterioration ${rate(t.reliable_deterioration_rate, t.reliably_deteriorated, t.finished)}, reliable recovery ${rate(t.reliable_recovery_rate, t.reliably_recovered, t.finished_cases)}` +
        `${t.thresholds.verified ? "" : " (thresholds not verified against the current manual)"}.`,
    )
  }
  const r = c.ruptures
  lines.push(
    r.status === "estimated"
      ? `**Ruptures:** ${shown(r.ruptures)} in ${formatCount(r.transitions)} session-to-session transitions (${escapeMarkdown(formatShownRate(r.rupture_rate, r.ruptures === null))}), ` +
          `in ${shown(r.clients_with_rupture)} of ${formatCount(r.clients_rated)} clients rated; ` +
          `${r.ruptures === null || r.repaired === null ? `${shown(null)} repaired` : r.repair_rate === null ? "none to repair" : `${formatPercent(r.repair_rate * 100)} repaired`}.`
      : `**Ruptures:** not estimable: ${escapeMarkdown(r.reason)}.`,
  )
  const g = c.sudden_gains
  lines.push(
    g.status === "estimated"
      ? `**Sudden gains:** ${shown(g.gains)} gains; ${shown(g.clients_with_gain)} of ${formatCount(g.clients_with_series)} clients with session scores ` +
          `(${g.clients_with_gain === null ? shown(null) : formatPercent(g.clients_with_series > 0 ? (g.clients_with_gain / g.clients_with_series) * 100 : 0)}) had at least one.`
      : `**Sudden gains:** not estimable: ${escapeMarkdown(g.reason)}.`,
  )
  return lines.flatMap((l) => [l, ""])
}

const warningLines = (results: Results): ReadonlyArray<string> =>
  results.warnings.length === 0
    ? ["### Warnings", "", "None."]
    : [
        `### ⚠️ Warnings (${formatCount(results.warnings.length)})`,
        "",
        ...results.warnings.map((w) => `- **${escapeMarkdown(w.code)}**: ${escapeMarkdown(w.message)}`),
      ]

/**
 * Renders summary.md: title, sample, the key estimates table (Pearson r, Spearman ρ, partial r,
 * residualized-gain r, pooled site r and prediction interval), heterogeneity and warnings.
 * Pure; ends with a single newline.
 */
/** One line on disclosure control: the mode, k and how many counts are "[c]". */
const privacyLines = (results: Results): ReadonlyArray<string> => {
  const d = results.disclosure
  const suppressed = d.suppressed.reduce((n, t) => n + t.cells, 0)
  const merged = results.sites.per_site.filter((s) => s.merged_from !== null).flatMap((s) => s.merged_from ?? []).length
  return [
    `**Privacy:** ${d.mode} disclosure control, *k* = ${formatCount(d.k)}: ` +
      (suppressed === 0 ? "no count needed suppressing" : `${formatCount(suppressed)} ${suppressed === 1 ? "count" : "counts"} suppressed (${escapeMarkdown(SUPPRESSED)})`) +
      (merged === 0 ? "" : `; ${formatCount(merged)} small sites merged`) +
      ".",
    "",
  ]
}

export const renderSummaryMarkdown = (results: Results): string => {
  const { settings, descriptives: d, primary } = results
  const pooled = results.sites.pooled
  const lines: Array<string> = [
    `## Alliance–outcome results: ${escapeMarkdown(studyTitle(results))}`,
    "",
    `Study \`${results.study.name.replaceAll("`", "'")}\` · *n* = ${formatCount(primary.n_analysed)} clients analysed ` +
      `(of ${formatCount(d.n_clients)}) · ${formatCount(d.n_sites)} sites · ${formatCount(d.n_therapists)} therapists · ` +
      `${formatCount(d.n_sessions)} sessions`,
    "",
    `Outcome: ${escapeMarkdown(settings.outcome.instrument)} (${escapeMarkdown(signConvention(settings))}). ` +
      `Early alliance: ${escapeMarkdown(settings.alliance.instrument)}, ${earlyWindowLabel(settings)}.`,
    "",
    ...table(results),
    "",
  ]
  if (primary.partial.status === "estimated") {
    lines.push(`Partial *r* direction: ${escapeMarkdown(primary.partial.direction)}`, "")
  }
  if (pooled.status === "estimated") {
    lines.push(
      `**Heterogeneity:** ${statementToMarkdown(heterogeneityStatement(pooled, settings.ci_level))}. ` +
        `CI method: ${escapeMarkdown(ciMethodLabel(pooled.test))}.`,
      "",
    )
  }
  lines.push(...multilevelLines(results), ...commonFactorLines(results), ...clinicalLines(results), ...privacyLines(results))
  lines.push(
    `Literature reference: ${LITERATURE_REFERENCE.label}, *r* = ${formatR(LITERATURE_REFERENCE.estimate, 3)}, ` +
      `95% CI ${escapeMarkdown(formatCi(LITERATURE_REFERENCE.ci, (x) => formatR(x, 3)))} ` +
      `(${LITERATURE_REFERENCE.studies} studies).`,
    "",
    ...warningLines(results),
    "",
    `<sub>${escapeMarkdown(`${results.tool.name} ${results.tool.version}, results schema ${results.schema_version}`)}</sub>`,
  )
  return `${lines.join("\n")}\n`
}
