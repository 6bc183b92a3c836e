/**
 * The report's "Common factors: what explains the outcome" section and its methods paragraph.
 *
 * The section leads with what a reader asks first — how much of the outcome the families explain,
 * which family explains most, how much lies between therapists and how much is left — then gives
 * the shares with their bootstrap intervals, the dominance verdicts in words, the hierarchical ΔR²
 * steps, the commonality parts and the single predictors. A family the study has no data for is
 * named with its reason, never dropped. Shares are printed as percentages of the outcome's total
 * variance (or of the explained variance); R² and ΔR² in the hierarchical table as APA proportions.
 */
import type { CommonFactorsRecord } from "../../../data-schemas/common-factors-results.ts"
import type { Results } from "../../../data-schemas/results.ts"
import { DASH, formatCi, formatCount, formatDf, formatLevel, formatNumber, formatPValue, formatR } from "../format.ts"
import { escapeHtml, type HtmlCell, htmlTable } from "../html-sections.ts"
import { familyLabel, varianceWhole } from "./figures.ts"

type Bootstrap = CommonFactorsRecord["bootstrap"]
type Absent = ReadonlyArray<{ readonly family: string; readonly reason: string }>

/** A proportion as a percentage number without the sign: 0.1643 → "16.4". */
const pct = (x: number, digits = 1) => formatNumber(x * 100, digits)
const pctCi = (c: readonly [number, number], digits = 1) => formatCi(c, (x) => pct(x, digits))
/** A family's label in running text: "common" → "common factors", "social_support" → "social support". */
const name = (family: string) => escapeHtml(familyLabel(family).toLowerCase())
/** The same at the start of a sentence. */
const Name = (family: string) => escapeHtml(familyLabel(family))
const wrap = (html: string): HtmlCell => ({ html, colspan: 1 })
const code = (text: string) => `<code>${escapeHtml(text)}</code>`

/** "a", "a and b", "a, b and c". */
const listText = (items: ReadonlyArray<string>): string =>
  items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`

/** The bootstrap in one plain-text phrase, for figure captions. */
export const bootstrapSummary = (b: Bootstrap, level: number): string => {
  const unit = b.resample === "clients" ? "clients" : "therapists (each with all their clients)"
  const used = b.used < b.replicates ? ` (${formatCount(b.used)} could be fitted)` : ""
  return b.method === "m_out_of_n"
    ? `m-out-of-n bootstrap: ${formatCount(b.replicates)} replicates${used}, each drawing m = ${formatCount(b.size)} of the N = ${formatCount(b.units)} ${unit}, seed ${b.seed}; ${formatLevel(level)} percentile intervals rescaled by √(m/N)`
    : `${formatCount(b.replicates)} bootstrap replicates${used} resampling the ${formatCount(b.units)} ${unit}, seed ${b.seed}; ${formatLevel(level)} percentile intervals`
}

/** One sentence per family without data, with its reason. */
export const absentFamilySentences = (absent: Absent): string =>
  absent.length === 0
    ? ""
    : `<p>${absent.map((a) => `No data for the ${name(a.family)} family: ${escapeHtml(a.reason)}. Its share was not estimated.`).join(" ")}</p>`

const leadParagraph = (c: CommonFactorsRecord, level: number): string => {
  const missing = c.outcome === "baseline_adjusted" ? "a missing predictor or baseline score" : "a missing predictor"
  const r2 = c.outcome === "baseline_adjusted" ? "partial <i>R</i>²" : "<i>R</i>²"
  const ranked = [...c.families].sort((a, b) => a.rank - b.rank)
  const top = ranked[0]
  const largest =
    top === undefined
      ? ""
      : ` The largest share came from the ${name(top.family)} family: ${pct(top.general_dominance)}% of the ${varianceWhole(c)} (${formatLevel(level)} CI ${pctCi(top.ci)}), ${pct(top.share_of_explained)}% of what the families explained.`
  const t = c.therapist
  const rest =
    t.status === "estimated"
      ? ` Differences between therapists accounted for a further ${pct(t.share)}% (${formatLevel(level)} CI ${pctCi(t.share_ci)}), and ${pct(c.unexplained)}% remained unexplained.`
      : ` The therapist share could not be estimated (${escapeHtml(t.reason)}); ${pct(c.unexplained)}% remained unexplained, therapist differences included.`
  return `<p>Outcome: ${escapeHtml(c.outcome_description)}. ${formatCount(c.n)} clients had every predictor and were analysed; ${formatCount(c.n_excluded)} were left out for ${missing}. Together the ${c.families.length === 1 ? "one family" : `${formatCount(c.families.length)} families`} of factors explained ${pct(c.r_squared)}% of the variance (${r2} = ${formatR(c.r_squared, 3)}).${largest}${rest}</p>`
}

const mainTable = (c: CommonFactorsRecord, level: number): string => {
  const families = c.families.map((f): ReadonlyArray<HtmlCell> => [
    escapeHtml(familyLabel(f.family)),
    wrap(f.predictors.map(code).join(", ")),
    `${pct(f.general_dominance)} ${pctCi(f.ci)}`,
    pct(f.share_of_explained),
    formatCount(f.rank),
  ])
  const absent = c.absent_families.map((a): ReadonlyArray<HtmlCell> => [escapeHtml(familyLabel(a.family)), { html: `<span class="na">No data: ${escapeHtml(a.reason)}.</span>`, colspan: 4 }])
  const t = c.therapist
  const therapistShare = t.status === "estimated" ? t.share : 0
  const therapist: ReadonlyArray<HtmlCell> =
    t.status === "estimated"
      ? ["Therapist", "(1 − <i>R</i>²) × ICC", `${pct(t.share)} ${pctCi(t.share_ci)}`, DASH, DASH]
      : ["Therapist", { html: `<span class="na">Not estimable: ${escapeHtml(t.reason)}.</span>`, colspan: 4 }]
  const explainedSum = c.families.reduce((s, f) => s + f.share_of_explained, 0)
  const rows: ReadonlyArray<ReadonlyArray<HtmlCell>> = [
    ...families,
    ...absent,
    ["<strong>All families</strong> (<i>R</i>²)", "", pct(c.r_squared), pct(explainedSum), ""],
    therapist,
    ["Unexplained", t.status === "estimated" ? "1 − <i>R</i>² − therapist" : "1 − <i>R</i>²", pct(c.unexplained), DASH, DASH],
    ["<strong>Total</strong>", "", pct(c.r_squared + therapistShare + c.unexplained), "", ""],
  ]
  return htmlTable(
    ["Family", "Predictors", `% of ${varianceWhole(c)} [${formatLevel(level)} CI]`, "% of explained", "Rank"],
    rows,
    "Shares of the outcome variance (general dominance weights, bootstrap intervals)",
  )
}

type Level = "completely" | "conditionally" | "generally"
const LEVELS: ReadonlyArray<{ readonly level: Level; readonly key: keyof CommonFactorsRecord["dominance"] }> = [
  { level: "completely", key: "complete" },
  { level: "conditionally", key: "conditional" },
  { level: "generally", key: "general" },
]

/** The strongest dominance between families i and j: who dominates, and how; null when neither does. */
const strongest = (d: CommonFactorsRecord["dominance"], i: number, j: number): { readonly winner: number; readonly loser: number; readonly level: Level } | null => {
  for (const { level, key } of LEVELS) {
    const v = d[key][i]?.[j]
    if (v === 1) return { winner: i, loser: j, level }
    if (v === 0) return { winner: j, loser: i, level }
  }
  return null
}

/** The pairwise dominance verdicts in words: one item per dominating family (by rank), and the undetermined pairs. */
export const dominanceVerdicts = (c: CommonFactorsRecord): ReadonlyArray<string> => {
  const k = c.families.length
  const wins = new Map<number, Map<Level, string[]>>()
  const ties: string[] = []
  for (let i = 0; i < k; i++) {
    for (let j = i + 1; j < k; j++) {
      const a = c.families[i]!.family
      const b = c.families[j]!.family
      const s = strongest(c.dominance, i, j)
      if (s === null) {
        ties.push(`Neither ${name(a)} nor ${name(b)} dominates the other.`)
        continue
      }
      const byLevel = wins.get(s.winner) ?? new Map<Level, string[]>()
      byLevel.set(s.level, [...(byLevel.get(s.level) ?? []), name(c.families[s.loser]!.family)])
      wins.set(s.winner, byLevel)
    }
  }
  const order = c.families.map((f, i) => ({ rank: f.rank, i })).sort((a, b) => a.rank - b.rank || a.i - b.i)
  const verdicts = order.flatMap(({ i }) => {
    const byLevel = wins.get(i)
    if (byLevel === undefined) return []
    const parts = LEVELS.flatMap(({ level }) => {
      const losers = byLevel.get(level)
      return losers === undefined ? [] : [`${level} dominates ${listText(losers)}`]
    })
    return [`${Name(c.families[i]!.family)} ${listText(parts)}.`]
  })
  return [...verdicts, ...ties]
}

const dominanceText = (c: CommonFactorsRecord): string => {
  const verdicts = dominanceVerdicts(c)
  if (verdicts.length === 0) return ""
  return `<h3>Which family dominates which</h3>
<p>One family <em>completely</em> dominates another when it adds more to <i>R</i>² than the other in every model made of the remaining families; <em>conditionally</em> when it adds more on average at every model size; <em>generally</em> when its general dominance weight is larger (Azen &amp; Budescu, 2003). Each pair is described by the strongest verdict that holds.</p>
<ul class="apa">
${verdicts.map((v) => `<li>${v}</li>`).join("\n")}
</ul>`
}

const hierarchicalTable = (c: CommonFactorsRecord): string =>
  c.hierarchical.length === 0
    ? ""
    : `<h3>Families entered one after another</h3>
${htmlTable(
  ["Step", "Family entered", "<i>R</i>²", "Δ<i>R</i>²", "<i>F</i>(<i>df</i><sub>1</sub>, <i>df</i><sub>2</sub>)", "<i>p</i>"],
  c.hierarchical.map((h, i) => [
    formatCount(i + 1),
    escapeHtml(familyLabel(h.family)),
    formatR(h.r_squared, 3),
    formatR(h.delta_r_squared, 3),
    `<i>F</i>(${formatDf(h.df1)}, ${formatDf(h.df2)}) = ${formatNumber(h.f)}`,
    escapeHtml(formatPValue(h.p)),
  ]),
  "Hierarchical regression: Δ<i>R</i>² of each family over those entered before it",
)}`

const commonalityTable = (c: CommonFactorsRecord): string => {
  if (c.commonality === null) {
    return `<h3>Unique and shared parts</h3>\n<p>Commonality analysis is not shown with more than 6 families (it would have ${formatCount(2 ** c.families.length - 1)} parts).</p>`
  }
  const label = (families: ReadonlyArray<string>) =>
    families.length === 1 ? `Unique to ${name(families[0] ?? "")}` : `Shared by ${listText(families.map(name))}`
  const total = c.commonality.reduce((s, p) => s + p.value, 0)
  const totalExplained = c.commonality.reduce((s, p) => s + p.share_of_explained, 0)
  return `<h3>Unique and shared parts</h3>
${htmlTable(
  ["Families sharing", `% of ${varianceWhole(c)}`, "% of explained"],
  [
    ...c.commonality.map((p): ReadonlyArray<HtmlCell> => [label(p.families), pct(p.value, 2), pct(p.share_of_explained, 2)]),
    ["<strong>Total</strong> (<i>R</i>²)", pct(total, 2), pct(totalExplained, 2)],
  ],
  "Commonality analysis of <i>R</i>²",
)}
<p>A negative shared part indicates suppression: together those families explain more than the sum of what each explains alone, because one removes variance from another that is unrelated to the outcome (Nimon et al., 2008).</p>`
}

const predictorsTable = (c: CommonFactorsRecord): string =>
  c.predictors_skipped !== null
    ? `<h3>Single predictors</h3>\n<p>Not analysed: ${escapeHtml(c.predictors_skipped)}.</p>`
    : c.predictors.length === 0
      ? ""
      : `<h3>Single predictors</h3>
${htmlTable(
  ["Predictor", "Family", "Design columns", `% of ${varianceWhole(c)}`, "% of explained"],
  c.predictors.map((p) => [code(p.predictor), escapeHtml(familyLabel(p.family)), formatCount(p.columns.length), pct(p.general_dominance, 2), pct(p.share_of_explained, 2)]),
  "General dominance weights of the single predictors (a categorical predictor counts once, with all its dummy columns)",
)}`

/** The "Common factors: what explains the outcome" section (or why it could not be estimated). */
export const commonFactorsSection = (results: Results): string => {
  const c = results.common_factors
  const level = results.settings.ci_level
  const heading = `<section id="common-factors">\n<h2>Common factors: what explains the outcome</h2>`
  if (c.status !== "estimated") {
    return `${heading}
<p class="na">The common-factor breakdown could not be estimated: ${escapeHtml(c.reason)}.</p>
${absentFamilySentences(c.absent_families)}
</section>`
  }
  return `${heading}
${leadParagraph(c, level)}
${absentFamilySentences(c.absent_families)}
${mainTable(c, level)}
<p>The shares of the ${varianceWhole(c)} add up to 100%; the families' shares (their general dominance weights) add up to <i>R</i>². The figures below draw the same shares beside Lambert's (1992) heuristic split, which is not an estimate.</p>
${dominanceText(c)}
${hierarchicalTable(c)}
${commonalityTable(c)}
${predictorsTable(c)}
</section>`
}

const bootstrapMethods = (results: Results): string => {
  const level = formatLevel(results.settings.ci_level)
  const c = results.common_factors
  const s = results.settings.common_factors.bootstrap
  const unit = s.resample === "clients" ? "clients" : "therapists with all their clients (a cluster bootstrap)"
  const base = `The intervals of the shares are ${level} bootstrap percentile intervals (Efron &amp; Tibshirani, 1993) from ${formatCount(s.replicates)} replicates resampling ${unit}, with seed ${s.seed}`
  if (c.status !== "estimated") {
    return `${base}; with more than ${formatCount(s.max_resample_size)} units, each replicate draws ${formatCount(s.max_resample_size)} of them (m-out-of-n bootstrap) and the interval is rescaled by √(<i>m</i>/<i>N</i>) (Bickel, Götze &amp; van Zwet, 1997).`
  }
  const b = c.bootstrap
  const used = b.used < b.replicates ? ` (${formatCount(b.used)} of them could be fitted)` : ""
  return b.method === "m_out_of_n"
    ? `${base}${used}. Because the sample has <i>N</i> = ${formatCount(b.units)} ${b.resample}, more than ${formatCount(s.max_resample_size)}, each replicate drew <i>m</i> = ${formatCount(b.size)} of them (the m-out-of-n bootstrap; Bickel, Götze &amp; van Zwet, 1997), and the percentile interval was rescaled by √(<i>m</i>/<i>N</i>) around the estimate.`
    : `${base}${used}.`
}

/** The methods paragraph of the common-factor breakdown. */
export const commonFactorsMethods = (results: Results): string => {
  const s = results.settings.common_factors
  const c = results.common_factors
  const order = (c.status === "estimated" ? c.families.map((f) => f.family) : s.families.map((f) => f.name)).map(name).join(" → ")
  const outcome =
    s.outcome === "baseline_adjusted"
      ? "the post-treatment score adjusted for baseline (baseline partialled out of the outcome and of every predictor, so each <i>R</i>² is a partial <i>R</i>²)"
      : "improvement"
  return `<p>The common-factor breakdown regressed ${outcome} on families of predictors by ordinary least squares, on the clients with every predictor present (complete cases); categorical predictors were dummy-coded against their first level. Each family's share is its general dominance weight: the mean increase in <i>R</i>² it brings over every subset of the other families, which is its Shapley value (the LMG measure); the weights sum to <i>R</i>² (Budescu, 1993; Azen &amp; Budescu, 2003). Complete and conditional dominance compare the families pair by pair. The therapist share is (1 − <i>R</i>²) × the intraclass correlation of the same model with a random therapist intercept, <code>(1 | therapist)</code>, fitted by REML; its interval is (1 − <i>R</i>²) × the ICC's profile-likelihood interval. What remains, 1 − <i>R</i>² − the therapist share, is unexplained. The hierarchical regression entered the families in the order ${order} (${s.families_from === "defaults" ? "the default order" : "the order of the study file"}), with an <i>F</i> test of each step's Δ<i>R</i>² (Cohen, Cohen, West &amp; Aiken, 2003). Commonality analysis split <i>R</i>² into the parts unique to each family and those shared by several (Nimon, Lewis, Kane &amp; Haynes, 2008). ${bootstrapMethods(results)} Lambert's split of outcome variance into extratherapeutic factors 40%, common factors 30%, expectancy 15% and techniques 15% (Lambert, 1992; Lambert &amp; Barley, 2001) is a narrative heuristic drawn from his reading of the literature, not an estimate; it is shown only for reference, beside this study's shares of the explained variance (which, unlike his split, leave out therapist differences and what no predictor explains).</p>`
}

/** References of the common-factor breakdown, APA style. */
export const COMMON_FACTORS_REFERENCES: ReadonlyArray<string> = [
  "Azen, R., & Budescu, D. V. (2003). The dominance analysis approach for comparing predictors in multiple regression. Psychological Methods, 8(2), 129–148. https://doi.org/10.1037/1082-989X.8.2.129",
  "Bickel, P. J., Götze, F., & van Zwet, W. R. (1997). Resampling fewer than n observations: Gains, losses, and remedies for losses. Statistica Sinica, 7(1), 1–31.",
  "Budescu, D. V. (1993). Dominance analysis: A new approach to the problem of relative importance of predictors in multiple regression. Psychological Bulletin, 114(3), 542–551. https://doi.org/10.1037/0033-2909.114.3.542",
  "Cohen, J., Cohen, P., West, S. G., & Aiken, L. S. (2003). Applied multiple regression/correlation analysis for the behavioral sciences (3rd ed.). Lawrence Erlbaum Associates.",
  "Efron, B., & Tibshirani, R. J. (1993). An introduction to the bootstrap. Chapman & Hall.",
  "Lambert, M. J. (1992). Psychotherapy outcome research: Implications for integrative and eclectic therapists. In J. C. Norcross & M. R. Goldfried (Eds.), Handbook of psychotherapy integration (pp. 94–129). Basic Books.",
  "Lambert, M. J., & Barley, D. E. (2001). Research summary on the therapeutic relationship and psychotherapy outcome. Psychotherapy: Theory, Research, Practice, Training, 38(4), 357–361. https://doi.org/10.1037/0033-3204.38.4.357",
  "Nimon, K., Lewis, M., Kane, R., & Haynes, R. M. (2008). An R package to compute commonality coefficients in the multiple regression case: An introduction to the package and a practical example. Behavior Research Methods, 40(2), 457–466. https://doi.org/10.3758/BRM.40.2.457",
]
