/**
 * summary.md of `synthesize`: the model table (two-level, three-level with its CR2 interval),
 * the small-study tests and every warning, as GitHub-flavoured Markdown for a CI job summary or
 * a lab wiki. Text from the data (study title, reasons, warnings) is escaped.
 */
import type { SynthesisResults } from "../../../data-schemas/synthesis-results.ts"
import { DASH, formatCount, formatDf, formatLevel, formatNumber, formatPercent, formatPValue } from "../format.ts"
import { escapeMarkdown, statementToMarkdown } from "../markdown.ts"
import { formatTau2 } from "../statements.ts"
import { effectFormatter, smallStudyParagraph, testLabel, twoLevelParagraph } from "./statements.ts"


/** Renders summary.md for a synthesis. */
export const renderSynthesisMarkdown = (results: SynthesisResults): string => {
  const s = results.settings
  const f = effectFormatter(results)
  const lvl = formatLevel(s.ci_level)
  const symbol = s.effect === "correlation" ? "*r*" : "Estimate"
  const rows: string[] = []
  const m = results.model
  rows.push(
    m.status === "not_estimable"
      ? `| Two-level (${s.method}) | ${DASH} | not estimable: ${escapeMarkdown(m.reason)} | ${DASH} | ${DASH} | ${DASH} | ${DASH} |`
      : `| Two-level (${s.method}, ${escapeMarkdown(testLabel(s.test))}) | ${formatCount(m.k)} | ${f.value(m.estimate)} ${escapeMarkdown(f.interval(m.ci))} | ${m.method === "EE" ? DASH : escapeMarkdown(f.interval(m.pi))} | ${formatPValue(m.p)} | ${formatPercent(m.i2)} | ${m.method === "EE" ? DASH : formatTau2(m.tau2)} |`,
  )
  const t = results.three_level?.model
  if (t !== undefined) {
    rows.push(
      t.status === "not_estimable"
        ? `| Three-level | ${DASH} | not estimable: ${escapeMarkdown(t.reason)} | ${DASH} | ${DASH} | ${DASH} | ${DASH} |`
        : `| Three-level (${t.method}) | ${formatCount(t.k)} in ${formatCount(t.studies)} studies | ${f.value(t.estimate)} ${escapeMarkdown(f.interval(t.ci))} | ${escapeMarkdown(f.interval(t.pi))} | ${formatPValue(t.p)} | ${formatPercent(t.i2_total)} | ${formatTau2(t.sigma2_between)} + ${formatTau2(t.sigma2_within)} |`,
      t.status === "not_estimable"
        ? ""
        : `| Three-level, CR2 robust (Satterthwaite *t*(${formatDf(t.robust.df)})) | ${formatCount(t.studies)} clusters | ${f.value(t.robust.estimate)} ${escapeMarkdown(f.interval(t.robust.ci))} | ${DASH} | ${formatPValue(t.robust.p)} | ${DASH} | ${DASH} |`,
    )
  }
  const moderators = results.moderators.map((x) =>
    x.status === "not_estimable"
      ? `| ${escapeMarkdown(x.column)} | ${x.type} | not estimable: ${escapeMarkdown(x.reason)} | ${DASH} | ${DASH} |`
      : `| ${escapeMarkdown(x.column)} | ${x.type} | ${x.qm_df[1] === null ? `*Q*~M~(${formatDf(x.qm_df[0])})` : `*F*(${formatDf(x.qm_df[0])}, ${formatDf(x.qm_df[1])})`} = ${formatNumber(x.qm)} | ${formatPValue(x.qm_p)} | ${x.r2 === null ? DASH : formatPercent(x.r2)} |`,
  )
  const title = results.study.title ?? results.study.name
  return [
    `## Evidence synthesis: ${escapeMarkdown(title)}`,
    "",
    `| Model | *k* | ${symbol} [${lvl} CI] | ${lvl} PI | *p* | *I*² | *τ*² |`,
    "| --- | ---: | --- | --- | ---: | ---: | ---: |",
    ...rows.filter((r) => r !== ""),
    "",
    statementToMarkdown(twoLevelParagraph(results)),
    "",
    ...(moderators.length === 0
      ? []
      : ["| Moderator | Type | Test | *p* | *R*² |", "| --- | --- | --- | ---: | ---: |", ...moderators, ""]),
    `**Small-study effects.** ${statementToMarkdown(smallStudyParagraph(results))}`,
    "",
    ...(results.warnings.length === 0
      ? ["No warnings."]
      : [`**Warnings (${formatCount(results.warnings.length)})**`, "", ...results.warnings.map((w) => `- \`${w.code}\` ${escapeMarkdown(w.message)}`)]),
    "",
  ].join("\n")
}
