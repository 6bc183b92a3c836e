/**
 * APA-style statements and the results paragraph of a synthesis report, generated from the
 * numbers in results.json (never typed by hand): the two-level model, the three-level model with
 * its cluster-robust inference, and the small-study tests.
 */
import type { ModelEstimateRecord, SynthesisResults, ThreeLevelRecord } from "../../../data-schemas/synthesis-results.ts"
import { formatCi, formatCount, formatDf, formatLevel, formatNumber, formatP, formatPercent, formatR, type Statement, sym, txt } from "../format.ts"
import { formatTau2, heterogeneityStatement, join, METHOD_LABEL, pooledTest } from "../statements.ts"

export { METHOD_LABEL }

type ThreeLevelEstimate = Extract<ThreeLevelRecord["model"], { readonly status: "estimated" }>

/** "z test" or "Knapp–Hartung t test". */
export const testLabel = (test: "z" | "knha" | "t"): string => (test === "knha" ? "Knapp–Hartung t test" : test === "t" ? "t test" : "z test")

/**
 * Formats a value on the reporting scale: r without its leading zero for correlations (given on
 * the Fisher z scale and back-transformed here), two decimals for generic effects.
 */
export const effectFormatter = (results: SynthesisResults) =>
  results.settings.effect === "correlation"
    ? { symbol: "r", value: (z: number) => formatR(Math.tanh(z)), interval: (i: readonly [number, number]) => formatCi([Math.tanh(i[0]), Math.tanh(i[1])]) }
    : {
        symbol: "ȳ",
        value: (y: number) => formatNumber(y),
        interval: (i: readonly [number, number]) => formatCi(i, (x) => formatNumber(x)),
      }

/** "r = .27, 95% CI [.21, .33], z = 8.12, p < .001; 95% PI [.05, .47]". */
export const modelStatement = (results: SynthesisResults, m: ModelEstimateRecord): Statement => {
  const f = effectFormatter(results)
  const lvl = formatLevel(results.settings.ci_level)
  return join(
    sym(f.symbol),
    txt(` = ${f.value(m.estimate)}, ${lvl} CI ${f.interval(m.ci)}, `),
    pooledTest(m),
    txt(", "),
    sym("p"),
    txt(` ${formatP(m.p)}`),
    ...(m.method === "EE" ? [] : [txt(`; ${lvl} PI ${f.interval(m.pi)}`)]),
  )
}

const kAndN = (results: SynthesisResults): string => {
  const d = results.data
  const studies = d.several_effects_per_study ? ` from ${formatCount(d.studies)} studies` : ""
  const n = d.n_total === null ? "" : ` (N = ${formatCount(d.n_total)}${d.several_effects_per_study ? ", counting a study's sample once per effect" : ""})`
  return `k = ${formatCount(d.k)} effects${studies}${n}`
}

/** The APA results paragraph of the two-level model. */
export const twoLevelParagraph = (results: SynthesisResults): Statement => {
  const m = results.model
  const s = results.settings
  if (m.status === "not_estimable") return [txt(`The random-effects model could not be fitted: ${m.reason}`)]
  const model = s.method === "EE" ? "An equal-effects meta-analysis" : `A random-effects meta-analysis (τ² by ${METHOD_LABEL[s.method]}, ${testLabel(s.test)})`
  const scale = s.effect === "correlation" ? " on Fisher z, back-transformed to r," : ""
  const pooled = s.effect === "correlation" ? "a pooled correlation of " : "a pooled effect of "
  const heterogeneity =
    s.method === "EE"
      ? join(txt(" The test for heterogeneity gave "), sym("Q"), txt(`(${formatDf(m.q_df)}) = ${formatNumber(m.q)}, `), sym("p"), txt(` ${formatP(m.q_p)}.`))
      : join(txt(" Heterogeneity: "), heterogeneityStatement(m, s.ci_level), txt(". The prediction interval gives the range in which the true effect of a new study is expected to lie."))
  return join(txt(`${model} of ${kAndN(results)}${scale} gave ${pooled}`), modelStatement(results, m), txt("."), heterogeneity)
}

/** "t(12.3) = 5.10, p < .001, 95% CI [.20, .35]" — the CR2 robust test of the three-level model. */
const robustStatement = (results: SynthesisResults, m: ThreeLevelEstimate): Statement => {
  const f = effectFormatter(results)
  return join(sym("t"), txt(`(${formatDf(m.robust.df)}) = ${formatNumber(m.robust.statistic)}, `), sym("p"), txt(` ${formatP(m.robust.p)}, ${formatLevel(results.settings.ci_level)} CI ${f.interval(m.robust.ci)}`))
}

/** The APA results paragraph of the three-level model (null when there is none). */
export const threeLevelParagraph = (results: SynthesisResults): Statement | null => {
  const t = results.three_level
  if (t === null) return null
  const m = t.model
  if (m.status === "not_estimable") return [txt(`The three-level model could not be fitted: ${m.reason}`)]
  const f = effectFormatter(results)
  const lvl = formatLevel(results.settings.ci_level)
  return join(
    txt(`A three-level model (effects within studies; ${m.method}) of ${formatCount(m.k)} effects from ${formatCount(m.studies)} studies gave `),
    sym(f.symbol),
    txt(` = ${f.value(m.estimate)}, ${lvl} CI ${f.interval(m.ci)}, `),
    pooledTest({ test: m.test === "t" ? "knha" : "z", df: m.df, statistic: m.statistic }),
    txt(", "),
    sym("p"),
    txt(` ${formatP(m.p)}; with cluster-robust inference (CR2, Satterthwaite df), `),
    robustStatement(results, m),
    txt(`. Of the total variance of the true effects, ${formatPercent(m.i2_between)} lay between studies (σ²₃ = ${formatTau2(m.sigma2_between)}) and ${formatPercent(m.i2_within)} within studies (σ²₂ = ${formatTau2(m.sigma2_within)}); `),
    txt(`${lvl} PI ${f.interval(m.pi)}.`),
  )
}

/** The small-study paragraph: Egger (mixed and classical), Begg, trim-and-fill and fail-safe N. */
export const smallStudyParagraph = (results: SynthesisResults): Statement => {
  const ss = results.small_study
  const f = effectFormatter(results)
  const parts: Array<Statement> = []
  if (ss.egger.status === "estimated") {
    parts.push(join(txt("The regression test for funnel-plot asymmetry (mixed-effects model with the standard error as predictor) gave "), pooledTest({ test: ss.egger.df === null ? "z" : "knha", df: ss.egger.df, statistic: ss.egger.statistic }), txt(", "), sym("p"), txt(` ${formatP(ss.egger.p)}`)))
  }
  if (ss.egger_classical.status === "estimated") {
    parts.push(join(txt("the classical Egger test "), sym("t"), txt(`(${formatDf(ss.egger_classical.df ?? 0)}) = ${formatNumber(ss.egger_classical.statistic)}, `), sym("p"), txt(` ${formatP(ss.egger_classical.p)}`)))
  }
  if (ss.rank.status === "estimated") {
    parts.push(join(txt("Begg's rank correlation "), sym("τ"), txt(` = ${formatNumber(ss.rank.tau, 3)}, `), sym("p"), txt(` ${formatP(ss.rank.p)}`)))
  }
  const sentences: Statement[] = []
  if (parts.length > 0) sentences.push(join(...parts.flatMap((p, i) => (i === 0 ? [p] : [txt("; "), p])), txt(".")))
  const l0 = ss.trim_and_fill.find((t) => t.estimator === "L0")
  if (l0?.status === "estimated") {
    sentences.push(
      join(
        txt(`Trim-and-fill (L0) estimated ${formatCount(l0.k0)} missing ${l0.k0 === 1 ? "study" : "studies"} on the ${l0.side} side; `),
        txt(l0.k0 === 0 ? "the estimate is unchanged." : "with them the estimate would be "),
        ...(l0.k0 === 0 ? [] : [sym(f.symbol), txt(` = ${f.value(l0.model.estimate)}, ${formatLevel(results.settings.ci_level)} CI ${f.interval(l0.model.ci)}.`)]),
      ),
    )
  }
  const rosenthal = ss.fail_safe_n.find((x) => x.type === "Rosenthal")
  if (rosenthal?.status === "estimated") {
    sentences.push([txt(`Rosenthal's fail-safe N is ${formatCount(rosenthal.n)} (reported for comparison; it does not estimate bias).`)])
  }
  return join(...sentences.flatMap((s, i) => (i === 0 ? [s] : [txt(" "), s])))
}
