/**
 * A site's summary for two-stage pooling (issue 10): the aggregates a coordinator needs to pool
 * the sites of a consortium, and nothing else, with the disclosure rules applied before anything
 * leaves the site.
 *
 * Stage 1 of two-stage individual-participant-data meta-analysis (Riley, Lambert & Abo-Zaid 2010;
 * Flückiger et al. 2020): each site computes, on its own clients,
 *
 * - the primary correlation r(early alliance, improvement) with its Fisher z and sampling variance
 *   (metafor escalc "ZCOR": yi = atanh(r), vi = 1/(n − 3)), as src/analysis/sites.ts does for the
 *   sites of one study;
 * - the same correlation within each treatment modality;
 * - the sums of squares and cross-products of (1, early alliance, baseline, improvement): the
 *   sufficient statistics of the regression of improvement on early alliance and baseline, so that
 *   summing them over sites gives exactly the regression on the concatenated clients (one stage).
 *
 * The disclosure rules (k clients, default 5; src/privacy/disclosure/ for the report's tables):
 *
 * 1. nothing based on fewer than k clients: a site with fewer than k analysed clients shares no
 *    statistic at all, and a modality with fewer than k is withheld;
 * 2. nothing that isolates fewer than k clients by difference: a modality is withheld when the
 *    site's clients outside it number 1 to k − 1, and while the clients of the withheld modalities
 *    (with those without a modality) could be counted by subtraction as 1 to k − 1, the smallest
 *    shown modality is withheld too;
 * 3. no statistic of a single client's value: no minimum, maximum or quantile is shared.
 *
 * Every withheld statistic is listed with its reason, without its count.
 */
import { pearsonTest } from "../../stats/correlation/pearson.ts"
import { escalcZcor } from "../../stats/meta-analysis/escalc-zcor.ts"
import { take } from "../../derive/select.ts"
import type { CorrelationTest } from "../../stats/types.ts"
import type { Factor } from "../../data/study-data.ts"
import type { DerivedClients } from "../derive-clients.ts"
import type { CommonFactorSummary } from "./common-factors.ts"
import type { MultilevelSummary } from "./multilevel.ts"

/** The variables of the cross-products, in order (the first is the intercept's column of ones). */
export const CROSS_PRODUCT_TERMS = ["intercept", "early_alliance", "baseline", "improvement"] as const

/** What a site with fewer than k analysed clients (or no alliance) withholds: all of the primary analysis; its models are judged apart. */
export const PRIMARY_WITHHELD = "every statistic of the primary analysis (early alliance and improvement)"

export interface CorrelationSummary {
  readonly n: number
  readonly r: number
  /** Fisher z = atanh(r) */
  readonly yi: number
  /** its sampling variance, 1/(n − 3) */
  readonly vi: number
}

export interface Withheld {
  readonly what: string
  readonly reason: string
}

export interface SiteSummaryParts {
  /** analysed clients and their therapists; null when the site has fewer than k analysed clients */
  readonly counts: { readonly clients: number; readonly therapists: number } | null
  readonly primary: CorrelationSummary | null
  readonly byModality: ReadonlyArray<{ readonly modality: string } & CorrelationSummary>
  /** Σ xxᵀ over the analysed clients, x = (1, early alliance, baseline, improvement); row-major 4 × 4 */
  readonly crossProducts: ReadonlyArray<ReadonlyArray<number>> | null
  readonly withheld: ReadonlyArray<Withheld>
}

/** r(x, y) over `rows` with its Fisher z and variance, or why it cannot be shared. */
export const correlationOf = (x: Float64Array, y: Float64Array, rows: Int32Array, level: number): CorrelationSummary | string => {
  const test = pearsonTest(take(x, rows), take(y, rows), { level })
  if (test.status !== "estimated") return test.reason
  const r = (test as CorrelationTest).estimate
  if (!(Math.abs(r) < 1)) return "the correlation is ±1, so its Fisher z is infinite"
  if (rows.length < 4) return "fewer than 4 clients, so its Fisher z has no variance"
  return { n: rows.length, r, ...escalcZcor(r, rows.length) }
}

/** Σ xxᵀ over `rows`, x = (1, the columns' values): with columns (alliance, baseline, improvement), the primary's table. */
export const crossProducts = (columns: ReadonlyArray<Float64Array>, rows: ArrayLike<number>): number[][] => {
  const p = columns.length + 1
  const sums = Array.from({ length: p }, () => new Array<number>(p).fill(0))
  const x = new Float64Array(p)
  x[0] = 1
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!
    for (let a = 1; a < p; a++) x[a] = columns[a - 1]![row]!
    for (let a = 0; a < p; a++) for (let b = a; b < p; b++) sums[a]![b]! += x[a]! * x[b]!
  }
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) sums[a]![b] = sums[b]![a]!
  return sums
}

/** The site's summary parts from its derived clients; `modality` null when the study has no modality column. */
export const summariseSite = (
  derived: DerivedClients,
  therapist: Factor,
  modality: Factor | null,
  options: { readonly k: number; readonly level: number },
): SiteSummaryParts => {
  const { k, level } = options
  const alliance = derived.early.get("alliance")
  const rows = derived.analysed
  const withheld: Withheld[] = []
  if (alliance === undefined || rows.length < k) {
    const reason = alliance === undefined ? "sessions.csv has no alliance column" : `the site has fewer than ${k} analysed clients (k = ${k})`
    withheld.push({ what: PRIMARY_WITHHELD, reason })
    return { counts: null, primary: null, byModality: [], crossProducts: null, withheld }
  }
  const therapists = new Set<number>()
  for (const row of rows) therapists.add(therapist.codes[row]!)

  const primary = correlationOf(alliance, derived.improvement, rows, level)
  if (typeof primary === "string") withheld.push({ what: "the primary correlation", reason: primary })

  // by modality: rule 1 (fewer than k), rule 2 (the rest fewer than k, or countable by subtraction)
  const byModality: Array<{ readonly modality: string } & CorrelationSummary> = []
  if (modality !== null) {
    const members = modality.levels.map(() => [] as number[])
    for (const row of rows) {
      const code = modality.codes[row]!
      if (code >= 0) members[code]!.push(row)
    }
    const groups = modality.levels.map((label, code) => ({ label, rows: Int32Array.from(members[code]!) })).filter((g) => g.rows.length > 0)
    const hidden = new Map<string, string>()
    for (const g of groups) {
      if (g.rows.length < k) hidden.set(g.label, `fewer than ${k} clients`)
      else if (rows.length - g.rows.length >= 1 && rows.length - g.rows.length < k) hidden.set(g.label, `the site's other clients number fewer than ${k}, so the site's figures would reveal them by difference`)
    }
    const unaccounted = () => rows.length - groups.filter((g) => !hidden.has(g.label)).reduce((n, g) => n + g.rows.length, 0)
    while (unaccounted() > 0 && unaccounted() < k) {
      const smallest = groups.filter((g) => !hidden.has(g.label)).sort((a, b) => a.rows.length - b.rows.length || a.label.localeCompare(b.label))[0]
      if (smallest === undefined) break
      hidden.set(smallest.label, `withheld with the modalities beside it, whose clients could otherwise be counted by subtraction`)
    }
    for (const g of [...groups].sort((a, b) => a.label.localeCompare(b.label))) {
      const why = hidden.get(g.label)
      if (why !== undefined) {
        withheld.push({ what: `the correlation in modality ${g.label}`, reason: why })
        continue
      }
      const summary = correlationOf(alliance, derived.improvement, g.rows, level)
      if (typeof summary === "string") withheld.push({ what: `the correlation in modality ${g.label}`, reason: summary })
      else byModality.push({ modality: g.label, ...summary })
    }
  }
  return {
    counts: { clients: rows.length, therapists: therapists.size },
    primary: typeof primary === "string" ? null : primary,
    byModality,
    crossProducts: crossProducts([alliance, derived.baseline, derived.improvement], rows),
    withheld,
  }
}

const coefficientText = (what: string, c: { readonly estimate: number; readonly se: number }) => `${what} (${c.estimate.toFixed(3)}, SE ${c.se.toFixed(3)})`

/** What a summary contains, in plain language, for the site's data-protection officer. */
export const contentsOf = (
  site: string,
  parts: SiteSummaryParts,
  multilevel: MultilevelSummary,
  commonFactors: CommonFactorSummary | null,
  k: number,
  tool: string,
  files: ReadonlyArray<string>,
): string[] => {
  const wb = multilevel.withinBetween
  const dec = multilevel.decomposition
  return [
    `The site label "${site}".`,
    `The version of the pipeline that made it (${tool}), the analysis settings that shape its numbers, and their SHA-256.`,
    `The SHA-256 of each data file summarised (${files.join(", ")}): a fingerprint, from which nothing in the files can be recovered.`,
    ...(parts.counts === null
      ? []
      : [`The number of clients analysed (${parts.counts.clients}) and of their therapists (${parts.counts.therapists}).`]),
    ...(parts.primary === null ? [] : ["The correlation between early alliance and improvement over those clients, with its Fisher z and sampling variance."]),
    ...(parts.byModality.length === 0
      ? []
      : [`The same correlation within each treatment modality of at least ${k} clients that passes the disclosure rules: ${parts.byModality.map((m) => `${m.modality} (n = ${m.n})`).join(", ")}.`]),
    ...(parts.crossProducts === null
      ? []
      : ["Sums of squares and cross-products of early alliance, baseline and improvement over the analysed clients (a 4 × 4 table): what a pooled regression needs. No single client's value is among them."]),
    ...(wb === null
      ? []
      : [`From the session-level model over ${wb.n} session pairs of ${wb.clients} clients and their ${wb.therapists} therapists: ${coefficientText("the within-client coefficient of alliance", wb.within)} and ${coefficientText("the between-client one", wb.between)}, with their degrees of freedom.`]),
    ...(dec === null
      ? []
      : [
          `From the alliance decomposition over ${dec.n} clients of ${dec.therapists} therapists: ${coefficientText("the within-therapist coefficient", dec.within)}${dec.between === null ? "" : ` and ${coefficientText("the between-therapist one", dec.between)}`}, with their degrees of freedom.`,
        ]),
    ...multilevel.therapistEffects.map(
      (m) => `The ${m.model === "unadjusted" ? "unadjusted" : "baseline-adjusted"} therapist model's variance components over ${m.therapists} therapists: therapist variance, residual variance and the ICC (${m.icc.toFixed(3)}) with its interval. No single therapist's effect.`,
    ),
    ...(commonFactors === null
      ? []
      : [
          `The correlation with improvement of each numeric common factor over the ${commonFactors.n} clients who have them all: ${commonFactors.factors.map((f) => f.predictor).join(", ")}.`,
          `Sums of squares and cross-products of ${commonFactors.crossProducts.terms.slice(1).join(", ")} over those clients (a ${commonFactors.crossProducts.terms.length} × ${commonFactors.crossProducts.terms.length} table). No single client's value is among them.`,
        ]),
    `No client's row, identifier, date, minimum, maximum or quantile; no statistic of fewer than ${k} clients; no therapist-level figure of fewer than ${k} therapists.`,
    ...parts.withheld.map((w) => `Withheld: ${w.what} (${w.reason}).`),
  ]
}
