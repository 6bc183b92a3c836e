/**
 * The sections of the synthesis report.html: key result, data, the models (APA paragraph and
 * table), the τ² estimators, moderators and subgroups, small-study tests, sensitivity analyses
 * and the three-level model. Every cell is escaped or built from numbers.
 */
import type { ModelRecord, SynthesisResults } from "../../../data-schemas/synthesis-results.ts"
import { DASH, formatCount, formatDf, formatLevel, formatNumber, formatP, formatPercent, formatPValue, formatR } from "../format.ts"
import { escapeHtml, type HtmlCell, htmlTable, statementToHtml } from "../html-sections.ts"
import { formatTau2, LITERATURE_REFERENCE } from "../statements.ts"
import { effectFormatter, METHOD_LABEL, modelStatement, smallStudyParagraph, testLabel, threeLevelParagraph, twoLevelParagraph } from "./statements.ts"

const pText = (p: number): string => escapeHtml(formatP(p))
const na = (reason: string): string => `<span class="na">not estimable: ${escapeHtml(reason)}</span>`
const num = (x: number | null, digits = 2): string => (x === null ? DASH : escapeHtml(formatNumber(x, digits)))
const stat = (test: "z" | "knha" | "t", df: number | null, value: number): string =>
  `<i>${test === "z" ? "z" : "t"}</i>${df === null ? "" : `(${formatDf(df)})`} = ${escapeHtml(formatNumber(value))}`

/** The headline: the model to report (three-level when studies report several effects). */
export const keyResultSection = (results: SynthesisResults): string => {
  const lines: string[] = []
  const m = results.model
  const t = results.three_level?.model
  if (t?.status === "estimated") {
    lines.push(`<p class="key-main">${statementToHtml(threeLevelParagraph(results) ?? [])}</p>`)
  } else if (m.status === "estimated") {
    lines.push(`<p class="key-main">Pooled ${escapeHtml(results.settings.effect_label)}: ${statementToHtml(modelStatement(results, m))} (<i>k</i> = ${formatCount(m.k)}).</p>`)
  } else {
    lines.push(`<p class="key-main">${na(m.reason)}</p>`)
  }
  if (results.settings.literature_reference) {
    const ref = LITERATURE_REFERENCE
    lines.push(`<p class="key-ref">For reference: ${escapeHtml(ref.label)} pooled ${ref.studies} studies (${escapeHtml(ref.patients)} patients): <i>r</i> = ${formatR(ref.estimate, 3)}, 95% CI [${formatR(ref.ci[0], 3)}, ${formatR(ref.ci[1], 3)}].</p>`)
  }
  return `<section class="key" id="key-result">\n${lines.join("\n")}\n</section>`
}

/** What was pooled. */
export const dataSection = (results: SynthesisResults): string => {
  const d = results.data
  const s = results.settings
  const rows: Array<[string, string]> = [
    ["Effects (<i>k</i>)", formatCount(d.k)],
    ["Studies", formatCount(d.studies)],
    ["Effects per study", d.several_effects_per_study ? `1 to ${formatCount(d.max_effects_per_study)}` : "1"],
    ...(d.n_total === null ? [] : ([["Total <i>N</i> (sum over effects)", formatCount(d.n_total)]] as Array<[string, string]>)),
    ["Effect size", escapeHtml(s.effect_label)],
    ["Model scale", escapeHtml(s.scale)],
    ["Moderators", s.moderators.length === 0 ? "none" : s.moderators.map((m) => `${escapeHtml(m.column)} (${m.type})`).join(", ")],
  ]
  return `<section id="data">\n<h2>What was pooled</h2>\n${htmlTable(["", "Value"], rows)}\n</section>`
}

/** One row of the APA model table. */
const modelCells = (results: SynthesisResults, label: string, m: ModelRecord): HtmlCell[] => {
  if (m.status === "not_estimable") return [escapeHtml(label), { html: na(m.reason), colspan: 7 }]
  const f = effectFormatter(results)
  return [
    escapeHtml(label),
    formatCount(m.k),
    `${f.value(m.estimate)} ${escapeHtml(f.interval(m.ci))}`,
    m.method === "EE" ? DASH : escapeHtml(f.interval(m.pi)),
    `${escapeHtml(formatNumber(m.q))} (${formatDf(m.q_df)})`,
    escapeHtml(formatPValue(m.q_p)),
    escapeHtml(formatPercent(m.i2)),
    m.method === "EE" ? DASH : escapeHtml(formatTau2(m.tau2)),
  ]
}

const modelHeader = (results: SynthesisResults): string[] => {
  const lvl = formatLevel(results.settings.ci_level)
  const symbol = results.settings.effect === "correlation" ? "<i>r</i>" : "Estimate"
  return ["Model", "<i>k</i>", `${symbol} [${lvl} CI]`, `${lvl} PI`, "<i>Q</i> (df)", "<i>p</i>", "<i>I</i>²", "<i>τ</i>²"]
}

/** The APA paragraphs and the model table (two-level, three-level). */
export const modelsSection = (results: SynthesisResults): string => {
  const s = results.settings
  const rows: HtmlCell[][] = [modelCells(results, `Two-level, ${s.method}, ${testLabel(s.test)}`, results.model)]
  const t = results.three_level?.model
  const f = effectFormatter(results)
  if (t !== undefined) {
    rows.push(
      t.status === "not_estimable"
        ? ["Three-level", { html: na(t.reason), colspan: 7 }]
        : [
            `Three-level, ${escapeHtml(t.method)} (CR2 CI ${escapeHtml(f.interval(t.robust.ci))})`,
            `${formatCount(t.k)} (${formatCount(t.studies)} studies)`,
            `${f.value(t.estimate)} ${escapeHtml(f.interval(t.ci))}`,
            escapeHtml(f.interval(t.pi)),
            `${escapeHtml(formatNumber(t.q))} (${formatDf(t.q_df)})`,
            escapeHtml(formatPValue(t.q_p)),
            escapeHtml(formatPercent(t.i2_total)),
            `${escapeHtml(formatTau2(t.sigma2_between))} + ${escapeHtml(formatTau2(t.sigma2_within))}`,
          ],
    )
  }
  const three = threeLevelParagraph(results)
  return `<section id="models">
<h2>Pooled effect</h2>
<p>${statementToHtml(twoLevelParagraph(results))}</p>
${three === null ? "" : `<p>${statementToHtml(three)}</p>`}
${htmlTable(modelHeader(results), rows, "Random-effects models")}
<p class="meta">τ² (and σ²) are on the model scale (${escapeHtml(s.scale)}). For the three-level model <i>I</i>² is the total over both levels and τ² is given as σ²₃ (between studies) + σ²₂ (within studies).</p>
</section>`
}

/** The pooled estimate under every τ² estimator. */
export const estimatorsSection = (results: SynthesisResults): string => {
  const rows = results.estimators.map((e) => modelCells(results, METHOD_LABEL[e.method], e.model))
  return `<section id="estimators">
<h2>Sensitivity to the τ² estimator</h2>
<p>The same two-level model under each between-study variance estimator. The report's model uses ${escapeHtml(METHOD_LABEL[results.settings.method])}; large differences between rows mean the conclusion depends on the estimator.</p>
${htmlTable(modelHeader(results), rows)}
</section>`
}

/** Moderator analyses: coefficients, QM, R², and subgroups with the between-groups test. */
export const moderatorsSection = (results: SynthesisResults): string => {
  if (results.moderators.length === 0) return `<section id="moderators">\n<h2>Moderators</h2>\n<p>No moderator columns were analysed.</p>\n</section>`
  const f = effectFormatter(results)
  const lvl = formatLevel(results.settings.ci_level)
  const parts = results.moderators.map((m) => {
    const title = `<h3>${escapeHtml(m.column)} (${m.type})</h3>`
    if (m.status === "not_estimable") return `${title}\n<p>${na(m.reason)}</p>`
    const coefficients = htmlTable(
      ["Term", "Estimate", "<i>SE</i>", "Test", "<i>p</i>", `${lvl} CI`],
      m.coefficients.map((c) => [escapeHtml(c.name), num(c.estimate, 4), num(c.se, 4), stat(c.df === null ? "z" : "t", c.df, c.statistic), escapeHtml(formatPValue(c.p)), `[${num(c.ci[0], 4)}, ${num(c.ci[1], 4)}]`]),
      `Meta-regression on ${escapeHtml(m.column)} (model scale)`,
    )
    const qm = m.qm_df[1] === null ? `<i>Q<sub>M</sub></i>(${formatDf(m.qm_df[0])}) = ${num(m.qm)}` : `<i>F</i>(${formatDf(m.qm_df[0])}, ${formatDf(m.qm_df[1])}) = ${num(m.qm)}`
    const summary = `<p>Test of the moderator: ${qm}, <i>p</i> ${pText(m.qm_p)}; residual heterogeneity <i>Q<sub>E</sub></i>(${formatDf(m.qe_df)}) = ${num(m.qe)}, <i>p</i> ${pText(m.qe_p)}, <i>τ</i>² = ${escapeHtml(formatTau2(m.tau2))}, <i>I</i>² = ${escapeHtml(formatPercent(m.i2))}${m.r2 === null ? "" : `; <i>R</i>² = ${escapeHtml(formatPercent(m.r2))} of the between-study variance accounted for`}. <i>k</i> = ${formatCount(m.k)}${m.omitted > 0 ? ` (${formatCount(m.omitted)} effects without a value left out)` : ""}.</p>`
    const sub = m.subgroups
    const subgroups =
      sub === null
        ? ""
        : htmlTable(
            ["Level", "<i>k</i>", `${results.settings.effect === "correlation" ? "<i>r</i>" : "Estimate"} [${lvl} CI]`, "<i>I</i>²", "<i>τ</i>²"],
            sub.groups.map((g) =>
              g.model.status === "not_estimable"
                ? [escapeHtml(g.level), formatCount(g.k), { html: na(g.model.reason), colspan: 3 }]
                : [escapeHtml(g.level), formatCount(g.k), `${f.value(g.model.estimate)} ${escapeHtml(f.interval(g.model.ci))}`, escapeHtml(formatPercent(g.model.i2)), escapeHtml(formatTau2(g.model.tau2))],
            ),
            `Subgroups of ${escapeHtml(m.column)} (separate models)` +
              (sub.q_between === null ? "" : `; between groups <i>Q</i>(${formatDf(sub.df ?? 0)}) = ${num(sub.q_between)}, <i>p</i> ${pText(sub.p ?? 1)}`),
          ) + (sub.note === null ? "" : `\n<p class="meta">${escapeHtml(sub.note)}</p>`)
    return [title, summary, coefficients, subgroups].join("\n")
  })
  return `<section id="moderators">\n<h2>Moderators</h2>\n<p>Each moderator is tested on its own (a mixed-effects meta-regression); categorical moderators are also analysed as subgroups, each with its own τ², compared by the between-groups <i>Q</i> test.</p>\n${parts.join("\n")}\n</section>`
}

/** Small-study tests, trim-and-fill and fail-safe N. */
export const smallStudySection = (results: SynthesisResults): string => {
  const ss = results.small_study
  const f = effectFormatter(results)
  const lvl = formatLevel(results.settings.ci_level)
  const tf = ss.trim_and_fill.map((t): HtmlCell[] =>
    t.status === "not_estimable"
      ? [t.estimator, { html: na(t.reason), colspan: 3 }]
      : [t.estimator, `${escapeHtml(t.side)}${t.side_from_data ? " (from the data)" : ""}`, formatCount(t.k0), `${f.value(t.model.estimate)} ${escapeHtml(f.interval(t.model.ci))}`],
  )
  const fsn = ss.fail_safe_n.map((x): HtmlCell[] =>
    x.status === "not_estimable" ? [x.type, { html: na(x.reason), colspan: 1 }] : [x.type, Number.isFinite(x.n) ? formatCount(x.n) : "∞"],
  )
  return `<section id="small-study">
<h2>Small-study effects and publication bias</h2>
<p>${statementToHtml(smallStudyParagraph(results))}</p>
${htmlTable(["Estimator", "Side", "Imputed", `Adjusted estimate [${lvl} CI]`], tf, "Trim-and-fill")}
${htmlTable(["Method", "Fail-safe N"], fsn, "Fail-safe N (for comparison with the literature; none of them estimates bias)")}
</section>`
}

/** Leave-one-out and influence diagnostics. */
export const sensitivitySection = (results: SynthesisResults): string => {
  const f = effectFormatter(results)
  const lvl = formatLevel(results.settings.ci_level)
  const label = (study: string, effect: string): string => escapeHtml(results.data.several_effects_per_study ? `${study} / ${effect}` : study)
  const loo = results.small_study.leave_one_out.map((l): HtmlCell[] =>
    l.model.status === "not_estimable"
      ? [label(l.study, l.effect), { html: na(l.model.reason), colspan: 3 }]
      : [label(l.study, l.effect), `${f.value(l.model.estimate)} ${escapeHtml(f.interval(l.model.ci))}`, escapeHtml(formatPercent(l.model.i2)), escapeHtml(formatTau2(l.model.tau2))],
  )
  const inf = results.small_study.influence
  const infTable =
    inf.status === "not_estimable"
      ? `<p>${na(inf.reason)}</p>`
      : htmlTable(
          ["Effect", "Studentized residual", "Cook's <i>D</i>", "Hat", "Weight", "Influential"],
          inf.rows.map((r) => [label(r.study, r.effect), num(r.rstudent), num(r.cook_d, 3), num(r.hat, 3), escapeHtml(formatPercent(r.weight)), r.influential ? "<strong>yes</strong>" : "no"]),
          "Influence diagnostics (Viechtbauer &amp; Cheung, 2010)",
        )
  return `<section id="sensitivity">
<h2>Sensitivity analyses</h2>
${htmlTable(["Left out", `Estimate [${lvl} CI]`, "<i>I</i>²", "<i>τ</i>²"], loo, "Leave-one-out")}
${infTable}
</section>`
}

/** The three-level model's variance components, CR2 inference, multilevel Egger test and leave-one-study-out. */
export const threeLevelSection = (results: SynthesisResults): string => {
  const t = results.three_level
  if (t === null) return ""
  const f = effectFormatter(results)
  const lvl = formatLevel(results.settings.ci_level)
  const m = t.model
  const components =
    m.status === "not_estimable"
      ? `<p>${na(m.reason)}</p>`
      : htmlTable(
          ["Level", "Variance", "Share of total (<i>I</i>²)"],
          [
            ["Between studies (level 3)", escapeHtml(formatTau2(m.sigma2_between)), escapeHtml(formatPercent(m.i2_between))],
            ["Within studies (level 2)", escapeHtml(formatTau2(m.sigma2_within)), escapeHtml(formatPercent(m.i2_within))],
            ["Sampling error (level 1)", DASH, escapeHtml(formatPercent(Math.max(0, 100 - m.i2_total)))],
          ],
          "Variance components",
        )
  const e = t.egger
  const egger =
    e.status === "not_estimable"
      ? `<p>Multilevel regression test: ${na(e.reason)}</p>`
      : `<p>Multilevel regression test for small-study effects (the three-level model with the standard error as moderator): slope ${num(e.slope, 3)}, model-based ${stat(e.df === null ? "z" : "t", e.df, e.statistic)}, <i>p</i> ${pText(e.p)}; cluster-robust (CR2) <i>t</i>(${formatDf(e.robust_df)}) = ${num(e.robust_statistic)}, <i>p</i> ${pText(e.robust_p)}. Limit estimate (standard error → 0): ${f.value(e.limit_estimate)} ${escapeHtml(f.interval(e.limit_ci))}.</p>`
  const loso = t.leave_one_study_out.map((l): HtmlCell[] =>
    l.status === "not_estimable" || l.estimate === null || l.ci === null
      ? [escapeHtml(l.study), { html: na(l.reason ?? "not estimable"), colspan: 2 }]
      : [escapeHtml(l.study), `${f.value(l.estimate)} ${escapeHtml(f.interval(l.ci))}`, `${num(l.sigma2_between, 4)} / ${num(l.sigma2_within, 4)}`],
  )
  return `<section id="three-level">
<h2>Several effects per study: three-level model</h2>
${components}
${egger}
${htmlTable(["Study left out", `Estimate [${lvl} CI]`, "σ²₃ / σ²₂"], loso, "Leave one study (cluster) out")}
</section>`
}
