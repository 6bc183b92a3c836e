/**
 * A site's common-factor figures for two-stage pooling (issue 10).
 *
 * The breakdown of the primary pipeline (src/analysis/common-factors/) rests on R² shares of
 * families that include categories (modality, age band, gender). Its sufficient statistics would
 * be the cross-products of every category's dummies with each other and with the outcome: counts
 * and sums of improvement in cross-tabulated cells, which at a site of a few hundred clients are
 * cells of one to four clients. So what a site shares is what pools without such cells:
 *
 * - each numeric predictor of the families (baseline, expectancy, empathy, positive regard,
 *   congruence, early alliance, a lab's own numeric columns): its correlation with improvement,
 *   with Fisher z and variance, to be pooled like the primary r — the comparison of the alliance
 *   with the other common factors that meta-analyses make (Wampold & Imel 2015, ch. 8; Norcross &
 *   Lambert 2019);
 * - the sums of squares and cross-products of (1, baseline, the numeric predictors, improvement)
 *   over the same clients: summed over sites, exactly the regression of improvement on all the
 *   numeric common factors over every site's clients (one stage).
 *
 * Sample: clients with improvement, baseline and every numeric predictor. Categorical predictors
 * are named, not summarised. Disclosure: nothing when the sample has fewer than k clients; and
 * when the sample differs from the primary analysis's clients by 1 to k − 1 clients, the
 * difference of the two cross-product tables would be those few clients' sums, so this table and
 * these correlations are withheld.
 */
import type { CommonFactorConfig } from "../../../data-schemas/study-file.ts"
import type { ResolvedFamilies } from "../common-factors/families.ts"
import type { DerivedClients } from "../derive-clients.ts"
import { type CorrelationSummary, correlationOf, crossProducts, type Withheld } from "./build.ts"

export interface CommonFactorSummary {
  readonly outcome: CommonFactorConfig["outcome"]
  readonly n: number
  /** each numeric predictor's r with improvement, in family order */
  readonly factors: ReadonlyArray<{ readonly predictor: string; readonly family: string } & CorrelationSummary>
  /** terms: intercept, baseline, the other numeric predictors, improvement */
  readonly crossProducts: { readonly terms: ReadonlyArray<string>; readonly matrix: ReadonlyArray<ReadonlyArray<number>> }
  /** categorical predictors of the families, not summarised (file comment) */
  readonly categorical: ReadonlyArray<string>
}

/** What a site withholds when it withholds its common-factor part whole (pool reads it by this name). */
export const COMMON_FACTORS_WITHHELD = "the common-factor correlations and cross-products"
const WHAT = COMMON_FACTORS_WITHHELD

/** The site's common-factor figures (file comment), checked against the primary analysis's clients (`derived.analysed`). */
export const summariseCommonFactors = (
  resolved: ResolvedFamilies,
  derived: DerivedClients,
  outcome: CommonFactorConfig["outcome"],
  options: { readonly k: number; readonly level: number },
): { readonly summary: CommonFactorSummary | null; readonly withheld: ReadonlyArray<Withheld> } => {
  const { k, level } = options
  const numeric = resolved.families.flatMap((f) => f.predictors.flatMap((p) => (p.kind === "number" ? [{ predictor: p.name, family: f.name, values: p.values }] : [])))
  const categorical = resolved.families.flatMap((f) => f.predictors.flatMap((p) => (p.kind === "category" ? [p.name] : [])))
  if (numeric.length === 0) return { summary: null, withheld: [{ what: WHAT, reason: "the families have no numeric predictor in this study" }] }

  // baseline leads (a predictor of its own, or the control of a baseline-adjusted outcome)
  const others = numeric.filter((p) => p.predictor !== "baseline")
  const columns = [derived.baseline, ...others.map((p) => p.values), derived.improvement]
  const terms = ["intercept", "baseline", ...others.map((p) => p.predictor), "improvement"]
  const rows: number[] = []
  for (let i = 0; i < derived.improvement.length; i++) if (columns.every((c) => !Number.isNaN(c[i]!))) rows.push(i)
  if (rows.length < k) return { summary: null, withheld: [{ what: WHAT, reason: `fewer than ${k} clients have improvement, baseline and every numeric predictor` }] }

  // differencing against the primary table: |sample △ analysed| must be 0 or at least k
  const inSample = new Uint8Array(derived.improvement.length)
  for (const row of rows) inSample[row] = 1
  let shared = 0
  for (const row of derived.analysed) shared += inSample[row]!
  const apart = rows.length + derived.analysed.length - 2 * shared
  if (derived.analysed.length >= k && apart > 0 && apart < k) {
    return {
      summary: null,
      withheld: [{ what: WHAT, reason: `their clients differ from the primary analysis's by fewer than ${k}, so the two tables' difference would describe those few clients` }],
    }
  }

  const sample = Int32Array.from(rows)
  const withheld: Withheld[] = []
  const factors: Array<CommonFactorSummary["factors"][number]> = []
  for (const p of numeric) {
    const r = correlationOf(p.values, derived.improvement, sample, level)
    if (typeof r === "string") withheld.push({ what: `the correlation of ${p.predictor} with improvement`, reason: r })
    else factors.push({ predictor: p.predictor, family: p.family, ...r })
  }
  return { summary: { outcome, n: rows.length, factors, crossProducts: { terms, matrix: crossProducts(columns, sample) }, categorical }, withheld }
}
