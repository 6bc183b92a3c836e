/**
 * The one-stage pooled regression from the sites' summed cross-products (issue 10): ordinary least
 * squares of improvement on early alliance and baseline over every site's analysed clients, as
 * R's `lm(improvement ~ early + baseline)` on the concatenated data gives it — and likewise of
 * improvement on baseline and every numeric common factor, from the common-factor tables.
 *
 * With S = Σ x xᵀ over the clients, x = (1, early alliance, baseline, improvement), the normal
 * equations use only sums: X'X is S's leading 3 × 3 block, X'y its last column above the corner,
 * y'y the corner. Then b = (X'X)⁻¹ X'y, RSS = y'y − b'X'y, σ² = RSS / (n − 3) and
 * Var(b) = σ² (X'X)⁻¹, with t tests on n − 3 degrees of freedom. The sums are additive over sites,
 * so the sites' summaries give exactly the estimate the pooled data would (a common intercept and
 * common slopes; site differences are the two-stage analysis's business).
 */
import { studentTQuantile, studentTTwoSidedP } from "../../stats/distributions/students-t.ts"
import { invertSpd, matrixFromRows } from "../../stats/numeric/matrix.ts"
import { type NotEstimable, notEstimable } from "../../stats/types.ts"

export const ONE_STAGE_TERMS = ["intercept", "early_alliance", "baseline"] as const

export interface OneStageRegression {
  readonly status: "estimated"
  readonly terms: ReadonlyArray<string>
  readonly estimate: ReadonlyArray<number>
  readonly se: ReadonlyArray<number>
  readonly statistic: ReadonlyArray<number>
  readonly p: ReadonlyArray<number>
  readonly ci: ReadonlyArray<readonly [number, number]>
  readonly df: number
  /** residual standard deviation */
  readonly sigma: number
  readonly rSquared: number
  readonly n: number
}

/** Element-wise sum of the sites' square cross-product tables (all of one size). */
export const sumCrossProducts = (tables: ReadonlyArray<ReadonlyArray<ReadonlyArray<number>>>): number[][] => {
  const d = tables[0]?.length ?? 0
  return Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => tables.reduce((sum, t) => sum + t[i]![j]!, 0)))
}

/**
 * The regression from summed cross-products: the table's first term is the intercept's column of
 * ones, its last the response; `terms` names the coefficients (every term but the response).
 */
export const oneStageRegression = (sums: ReadonlyArray<ReadonlyArray<number>>, level: number, terms: ReadonlyArray<string> = ONE_STAGE_TERMS): OneStageRegression | NotEstimable => {
  const n = sums[0]![0]!
  const p = sums.length - 1
  if (terms.length !== p) throw new Error(`${terms.length} term names for a regression with ${p} coefficients`)
  if (!(n > p)) return notEstimable(Math.max(0, n), `the regression needs more than ${p} clients`)
  const index = Array.from({ length: p }, (_, i) => i)
  const xtx = matrixFromRows(index.map((i) => index.map((j) => sums[i]![j]!)))
  const xty = index.map((i) => sums[i]![p]!)
  const yty = sums[p]![p]!
  const inverted = invertSpd(xtx)
  if (inverted === null) return notEstimable(n, `${terms.slice(1).join(", ")} are collinear (or one is constant) over the pooled clients`)
  const inverse = (i: number, j: number) => inverted.inverse.data[i * p + j]!
  const b = index.map((i) => xty.reduce((sum, v, j) => sum + inverse(i, j) * v, 0))
  const rss = yty - b.reduce((sum, bi, i) => sum + bi * xty[i]!, 0)
  const df = n - p
  const sigma2 = rss / df
  const se = index.map((i) => Math.sqrt(sigma2 * inverse(i, i)))
  const statistic = b.map((bi, i) => bi / se[i]!)
  const q = studentTQuantile((1 + level) / 2, df)
  // R² about the mean: 1 − RSS / Σ(y − ȳ)², with Σ(y − ȳ)² = y'y − (Σy)² / n
  const total = yty - (sums[0]![p]! * sums[0]![p]!) / n
  return {
    status: "estimated",
    terms: [...terms],
    estimate: b,
    se,
    statistic,
    p: statistic.map((t) => studentTTwoSidedP(t, df)),
    ci: b.map((bi, i) => [bi - q * se[i]!, bi + q * se[i]!] as const),
    df,
    sigma: Math.sqrt(sigma2),
    rSquared: 1 - rss / total,
    n,
  }
}
