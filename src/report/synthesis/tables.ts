/**
 * Tidy CSV tables of a synthesis (`tables/*.csv`), for R, Python or a spreadsheet:
 *
 * - `estimates.csv`: one row per estimate (analysis, term, estimate, se, statistic, df, p,
 *   ci_low, ci_high, k, method, status, reason) on the model scale, with `r`, `r_ci_low`,
 *   `r_ci_high` back-transformed for correlations: the pooled model, every τ² estimator, the
 *   three-level model (model-based and CR2), moderator coefficients, subgroups, small-study tests;
 * - `effects.csv`: the effects as read, with CIs and weights;
 * - `leave-one-out.csv`, `influence.csv`: the sensitivity analyses, one row per effect.
 *
 * Numbers at full precision (shortest round-trip form), as the primary pipeline's tables.
 */
import type { ModelRecord, SynthesisResults } from "../../../data-schemas/synthesis-results.ts"
import { type Cell, type Table, toCsv } from "../tables.ts"

export const SYNTHESIS_ESTIMATE_COLUMNS = [
  "analysis",
  "term",
  "estimate",
  "se",
  "statistic",
  "df",
  "p",
  "ci_low",
  "ci_high",
  "r",
  "r_ci_low",
  "r_ci_high",
  "k",
  "method",
  "status",
  "reason",
] as const

type Row = ReadonlyArray<Cell>

const rOf = (results: SynthesisResults, x: number | null): number | null =>
  results.settings.effect === "correlation" && x !== null ? Math.tanh(x) : null

const estimateRow = (
  results: SynthesisResults,
  analysis: string,
  term: string,
  e: { estimate: number; se: number | null; statistic: number | null; df: number | null; p: number | null; ci: readonly [number, number] | null; k: number | null; method: string },
): Row => [
  analysis,
  term,
  e.estimate,
  e.se,
  e.statistic,
  e.df,
  e.p,
  e.ci?.[0] ?? null,
  e.ci?.[1] ?? null,
  rOf(results, e.estimate),
  rOf(results, e.ci?.[0] ?? null),
  rOf(results, e.ci?.[1] ?? null),
  e.k,
  e.method,
  "estimated",
  null,
]

const notEstimableRow = (analysis: string, term: string, x: { n: number; reason: string }, method: string): Row => [
  analysis, term, null, null, null, null, null, null, null, null, null, null, x.n, method, "not_estimable", x.reason,
]

const modelRow = (results: SynthesisResults, analysis: string, m: ModelRecord, method: string): Row =>
  m.status === "not_estimable"
    ? notEstimableRow(analysis, "pooled", m, method)
    : estimateRow(results, analysis, "pooled", { ...m, method: `${m.method}, ${m.test}` })

const estimateRows = (results: SynthesisResults): Row[] => {
  const rows: Row[] = [modelRow(results, "random_effects", results.model, results.settings.method)]
  for (const e of results.estimators) rows.push(modelRow(results, `estimator_${e.method}`, e.model, e.method))
  const t = results.three_level
  if (t !== null) {
    const m = t.model
    if (m.status === "not_estimable") rows.push(notEstimableRow("three_level", "pooled", m, "REML"))
    else {
      rows.push(estimateRow(results, "three_level", "pooled", { ...m, k: m.k, method: `${m.method}, ${m.test}` }))
      rows.push(estimateRow(results, "three_level_cr2", "pooled", { ...m.robust, k: m.k, method: "CR2, Satterthwaite" }))
    }
  }
  for (const m of results.moderators) {
    const analysis = `moderator_${m.column}`
    if (m.status === "not_estimable") {
      rows.push(notEstimableRow(analysis, m.column, m, results.settings.method))
      continue
    }
    for (const c of m.coefficients) {
      rows.push([analysis, c.name, c.estimate, c.se, c.statistic, c.df, c.p, c.ci[0], c.ci[1], null, null, null, m.k, results.settings.method, "estimated", null])
    }
    rows.push([analysis, "QM", m.qm, null, m.qm, m.qm_df[1] ?? m.qm_df[0], m.qm_p, null, null, null, null, null, m.k, m.qm_df[1] === null ? "chi-squared" : "F", "estimated", null])
    for (const g of m.subgroups?.groups ?? []) rows.push(modelRow(results, `subgroup_${m.column}`, g.model, results.settings.method).map((cell, i) => (i === 1 ? g.level : cell)))
    if (m.subgroups !== null && m.subgroups.q_between !== null) {
      rows.push([`subgroup_${m.column}`, "Q_between", m.subgroups.q_between, null, m.subgroups.q_between, m.subgroups.df, m.subgroups.p, null, null, null, null, null, m.k, "chi-squared", "estimated", null])
    }
  }
  const ss = results.small_study
  for (const [analysis, test] of [["egger_mixed", ss.egger], ["egger_classical", ss.egger_classical]] as const) {
    rows.push(
      test.status === "not_estimable"
        ? notEstimableRow(analysis, "asymmetry", test, "regtest")
        : [analysis, "asymmetry", null, null, test.statistic, test.df, test.p, null, null, null, null, null, test.k, test.reference, "estimated", null],
    )
    if (test.status === "estimated") rows.push(estimateRow(results, analysis, "limit_estimate", { estimate: test.limit_estimate, se: null, statistic: null, df: null, p: null, ci: test.limit_ci, k: test.k, method: test.reference }))
  }
  rows.push(
    ss.rank.status === "not_estimable"
      ? notEstimableRow("rank_correlation", "kendall_tau", ss.rank, "ranktest")
      : ["rank_correlation", "kendall_tau", ss.rank.tau, null, null, null, ss.rank.p, null, null, null, null, null, ss.rank.k, ss.rank.reference, "estimated", null],
  )
  for (const tf of ss.trim_and_fill) {
    rows.push(tf.status === "not_estimable" ? notEstimableRow(`trim_and_fill_${tf.estimator}`, "pooled", tf, tf.estimator) : modelRow(results, `trim_and_fill_${tf.estimator}`, tf.model, tf.reference))
  }
  return rows
}

/** Every table of a synthesis report. */
export const renderSynthesisTables = (results: SynthesisResults): ReadonlyArray<Table> => {
  const moderatorColumns = results.settings.moderators.map((m) => m.column)
  const effects = toCsv(
    ["study", "effect", "line", "yi", "vi", "ci_low", "ci_high", "r", "r_ci_low", "r_ci_high", "n", "weight", ...moderatorColumns],
    results.effects.map((e) => [e.study, e.effect, e.line, e.yi, e.vi, e.ci[0], e.ci[1], e.r, e.r_ci?.[0] ?? null, e.r_ci?.[1] ?? null, e.n, e.weight, ...moderatorColumns.map((c) => e.moderators[c] ?? null)]),
  )
  const looRows = results.small_study.leave_one_out.map((l): Row => {
    const m = l.model
    return m.status === "not_estimable"
      ? [l.study, l.effect, null, null, null, null, null, null, null, null, "not_estimable", m.reason]
      : [l.study, l.effect, m.estimate, m.se, m.p, m.ci[0], m.ci[1], m.tau2, m.i2, m.q, "estimated", null]
  })
  const influence = results.small_study.influence
  const infRows = influence.status === "not_estimable" ? [] : influence.rows.map((r): Row => [r.study, r.effect, r.rstudent, r.dffits, r.cook_d, r.cov_ratio, r.tau2_deleted, r.q_deleted, r.hat, r.weight, r.dfbetas, r.influential])
  return [
    { name: "effects.csv", csv: effects },
    { name: "estimates.csv", csv: toCsv(SYNTHESIS_ESTIMATE_COLUMNS, estimateRows(results)) },
    { name: "influence.csv", csv: toCsv(["study", "effect", "rstudent", "dffits", "cook_d", "cov_ratio", "tau2_deleted", "q_deleted", "hat", "weight", "dfbetas", "influential"], infRows) },
    { name: "leave-one-out.csv", csv: toCsv(["omitted_study", "omitted_effect", "estimate", "se", "p", "ci_low", "ci_high", "tau2", "i2", "q", "status", "reason"], looRows) },
  ]
}
