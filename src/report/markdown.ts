/**
 * summary.md: the key results as GitHub-flavoured Markdown, for a CI job summary
 * (`$GITHUB_STEP_SUMMARY`) or a lab wiki. One table of the primary estimates and the pooled site
 * estimate, a heterogeneity line, one line each for the multilevel models and the common-factor
 * shares, the sample size and every warning.
 *
 * All text taken from results.json (study title, reasons, warnings) is escaped so that it cannot
 * inject Markdown or HTML; statistical symbols are italicised.
 */
import type { Correlation, Results } from "../../data-schemas/results.ts"
import {
  formatCi,
  formatCount,
  formatDf,
  formatLevel,
  formatNumber,
  formatPValue,
  formatR,
  type Statement,
} from "./format.ts"
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

const DASH = "—"

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
  lines.push(...multilevelLines(results), ...commonFactorLines(results))
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
