/**
 * APA-style statements and plain-language labels shared by report.html, summary.md and the
 * figures: one place that decides how a correlation, a pooled estimate or the sign convention is
 * worded, so that every output says the same thing.
 *
 * Statements are sequences of {@link Segment}s (see format.ts) so that each renderer can italicise
 * statistical symbols and escape text in its own syntax.
 */
import type { Correlation, Pooled, Results } from "../../data-schemas/results.ts"
import type { SynthesisMethod } from "../../data-schemas/study-file.ts"
import {
  formatCi,
  formatCount,
  formatDf,
  formatLevel,
  formatNumber,
  formatP,
  formatPercent,
  formatR,
  type Segment,
  type Statement,
  sym,
  txt,
} from "./format.ts"

/** An estimated correlation (the `status: "estimated"` branch of {@link Correlation}). */
export type CorrelationEstimate = Extract<Correlation, { readonly status: "estimated" }>
/** An estimated pooled correlation (the `status: "estimated"` branch of {@link Pooled}). */
export type PooledEstimate = Extract<Pooled, { readonly status: "estimated" }>
/** An estimated Spearman correlation. */
export type SpearmanEstimate = Extract<Results["primary"]["spearman"], { readonly status: "estimated" }>
type Settings = Results["settings"]

/** Flückiger et al. (2018): the meta-analytic alliance–outcome correlation, shown as a literature reference. */
export const LITERATURE_REFERENCE = {
  label: "Flückiger et al. (2018)",
  estimate: 0.278,
  ci: [0.256, 0.299] as const,
  studies: 295,
  patients: "more than 30,000",
  citation:
    "Flückiger, C., Del Re, A. C., Wampold, B. E., & Horvath, A. O. (2018). The alliance in adult " +
    "psychotherapy: A meta-analytic synthesis. Psychotherapy, 55(4), 316–340. https://doi.org/10.1037/pst0000172",
} as const

/** Method names as a reader knows them. */
export const METHOD_LABEL: Readonly<Record<SynthesisMethod, string>> = {
  REML: "restricted maximum likelihood (REML)",
  ML: "maximum likelihood (ML)",
  DL: "DerSimonian–Laird (DL)",
  HE: "Hedges (HE)",
  HS: "Hunter–Schmidt (HS)",
  SJ: "Sidik–Jonkman (SJ)",
  PM: "Paule–Mandel (PM)",
  EB: "empirical Bayes (EB)",
  EE: "equal-effects (no τ²)",
}

/** Literature cited in the methods section, in APA reference style. */
export const CITATIONS = {
  fisher:
    "Fisher, R. A. (1921). On the “probable error” of a coefficient of correlation deduced from a small " +
    "sample. Metron, 1, 3–32.",
  viechtbauer2005:
    "Viechtbauer, W. (2005). Bias and efficiency of meta-analytic variance estimators in the random-effects " +
    "model. Journal of Educational and Behavioral Statistics, 30(3), 261–293. https://doi.org/10.3102/10769986030003261",
  metafor:
    "Viechtbauer, W. (2010). Conducting meta-analyses in R with the metafor package. Journal of Statistical " +
    "Software, 36(3), 1–48. https://doi.org/10.18637/jss.v036.i03",
  knappHartung:
    "Knapp, G., & Hartung, J. (2003). Improved tests for a random effects meta-regression with a single " +
    "covariate. Statistics in Medicine, 22(17), 2693–2710. https://doi.org/10.1002/sim.1482",
  higgins:
    "Higgins, J. P. T., & Thompson, S. G. (2002). Quantifying heterogeneity in a meta-analysis. Statistics in " +
    "Medicine, 21(11), 1539–1558. https://doi.org/10.1002/sim.1186",
  fluckiger: LITERATURE_REFERENCE.citation,
} as const

/** How improvement is computed for this outcome's direction, e.g. "improvement = baseline − outcome". */
export const improvementFormula = (settings: Settings): string =>
  settings.outcome.direction === "lower_is_better"
    ? "improvement = baseline − outcome"
    : "improvement = outcome − baseline"

/** The full sign convention: "improvement = baseline − outcome; higher = more improvement". */
export const signConvention = (settings: Settings): string =>
  `${improvementFormula(settings)}; higher = more improvement`

/** "sessions 1–3": the early-alliance window in words. */
export const earlyWindowLabel = (settings: Settings): string => {
  const [first, last] = settings.early_window
  return first === last ? `session ${first}` : `sessions ${first}–${last}`
}

/** The name of the CI method of the pooled estimate: z test or Knapp–Hartung. */
export const ciMethodLabel = (test: "z" | "knha"): string =>
  test === "z"
    ? "z test (Wald-type normal approximation; metafor default)"
    : "Knapp–Hartung adjustment (t distribution with k − 1 df)"

/** The study's display title: its title, or its name when it has none. */
export const studyTitle = (results: Results): string => results.study.title ?? results.study.name

/** Why a site was left out of the meta-analysis, in words. */
export const notPooledReason = (site: Results["sites"]["per_site"][number], settings: Settings): string => {
  if (site.correlation.status === "not_estimable") return `not estimable: ${site.correlation.reason}`
  if (site.note !== null) return `not pooled: ${site.note}`
  if (site.n < settings.pooling.min_site_n) {
    return `not pooled: n = ${formatCount(site.n)} is below the minimum of ${formatCount(settings.pooling.min_site_n)}`
  }
  return "not pooled"
}

/** Concatenates statements and segments into one statement. */
export const join = (...parts: ReadonlyArray<Statement | Segment>): Statement =>
  parts.flatMap((p) => ("text" in p ? [p as Segment] : (p as Statement)))

/** "r(1182) = .28": a correlation symbol with its df and value. */
const rWithDf = (symbol: string, c: CorrelationEstimate): Statement =>
  join(sym(symbol), txt(`(${formatDf(c.df)}) = ${formatR(c.estimate)}`))

/**
 * "r(1182) = .28, 95% CI [.23, .34], p < .001" for an estimated correlation.
 * `symbol` is the italic symbol (r, or r with a subscript written out, e.g. "r").
 */
export const correlationStatement = (c: CorrelationEstimate, level: number, symbol = "r"): Statement =>
  join(
    rWithDf(symbol, c),
    txt(`, ${formatLevel(level)} CI ${formatCi(c.ci)}, `),
    sym("p"),
    txt(` ${formatP(c.p)}`),
  )

/** "ρ = .27, p < .001, n = 1,184" for an estimated Spearman correlation. */
export const spearmanStatement = (s: SpearmanEstimate): Statement =>
  join(
    sym("ρ"),
    txt(` = ${formatR(s.estimate)}, `),
    sym("p"),
    txt(` ${formatP(s.p)}, `),
    sym("n"),
    txt(` = ${formatCount(s.n)}`),
  )

/** "not estimable (n = 3): reason" for any not-estimable entry. */
export const notEstimableStatement = (x: { readonly n: number; readonly reason: string }): Statement =>
  join(txt("not estimable ("), sym("n"), txt(` = ${formatCount(x.n)}): ${x.reason}`))

/** The test of the pooled estimate: "z = 5.40" or "t(2) = −2.08". */
/** "z = 5.40", "t(4) = 3.21": the test statistic of a pooled estimate. */
export const pooledTest = (p: Pick<PooledEstimate, "test" | "df" | "statistic">): Statement =>
  p.test === "knha" && p.df !== null
    ? join(sym("t"), txt(`(${formatDf(p.df)}) = ${formatNumber(p.statistic)}`))
    : join(sym(p.test === "knha" ? "t" : "z"), txt(` = ${formatNumber(p.statistic)}`))

/**
 * "r = .27, 95% CI [.18, .36], z = 5.40, p < .001; 95% PI [.07, .46] (k = 5, n = 1,163)".
 */
export const pooledStatement = (p: PooledEstimate, level: number): Statement =>
  join(
    sym("r"),
    txt(` = ${formatR(p.estimate)}, ${formatLevel(level)} CI ${formatCi(p.ci)}, `),
    pooledTest(p),
    txt(", "),
    sym("p"),
    txt(` ${formatP(p.p)}; ${formatLevel(level)} PI ${formatCi(p.pi)} (`),
    sym("k"),
    txt(` = ${formatCount(p.k)}, `),
    sym("n"),
    txt(` = ${formatCount(p.n)})`),
  )

/** τ² with 4 decimals (Fisher-z scale variances are small). */
export const formatTau2 = (tau2: number): string => formatNumber(tau2, 4, "tau^2")

/** "τ² = 0.0089, 95% CI [0.0009, 0.0913]; I² = 67.0%, 95% CI [17.3%, 95.3%]; Q(4) = 12.12, p = .016". */
export const heterogeneityStatement = (
  p: Pick<PooledEstimate, "tau2" | "tau2_ci" | "i2" | "i2_ci" | "q" | "q_df" | "q_p">,
  level: number,
): Statement => {
  const lvl = formatLevel(level)
  const tau2Ci = p.tau2_ci === null ? "" : `, ${lvl} CI ${formatCi(p.tau2_ci, formatTau2)}`
  const i2Ci = p.i2_ci === null ? "" : `, ${lvl} CI ${formatCi(p.i2_ci, (x) => formatPercent(x))}`
  return join(
    sym("τ²"),
    txt(` = ${formatTau2(p.tau2)}${tau2Ci}; `),
    sym("I²"),
    txt(` = ${formatPercent(p.i2)}${i2Ci}; `),
    sym("Q"),
    txt(`(${formatDf(p.q_df)}) = ${formatNumber(p.q)}, `),
    sym("p"),
    txt(` ${formatP(p.q_p)}`),
  )
}

/** Short label for the forest plot: "k = 5, τ² = 0.0089, I² = 67.0%". */
export const heterogeneityLabel = (p: Pick<PooledEstimate, "k" | "tau2" | "i2">): string =>
  `k = ${formatCount(p.k)}, τ² = ${formatTau2(p.tau2)}, I² = ${formatPercent(p.i2)}`

/** Display label of a rater perspective. */
export const raterLabel = (rater: "client" | "therapist" | "observer"): string =>
  ({ client: "Client", therapist: "Therapist", observer: "Observer" })[rater]

/** Display label of a WAI subscale. */
export const subscaleLabel = (subscale: "goal" | "task" | "bond"): string =>
  ({ goal: "Goal", task: "Task", bond: "Bond" })[subscale]
