/**
 * Clinical significance after Jacobson & Truax (1991), *J Consult Clin Psychol* 59(1), 12–19.
 *
 * Reliable change. The reliable change index of a client is
 *
 *   RCI = (x_post − x_pre) / S_diff,   S_diff = √2 · SE,   SE = s_pre · √(1 − r_xx),
 *
 * with s_pre the SD at intake (of the sample, or of a norm group) and r_xx the measure's
 * reliability; |RCI| > 1.96 is a change larger than measurement error would give 95% of the
 * time. Other variants of SE exist (Christensen & Mendoza 1986; Hageman & Arrindell 1999): this is
 * the one of the 1991 paper, named `jacobson_truax_1991` wherever it is recorded.
 *
 * Clinical cut-offs, between a dysfunctional population (mean M₁, SD s₁) and a functional one
 * (M₀, s₀), on the side of the scale that means better:
 *
 *   a = M₁ ∓ 2 s₁          two SDs beyond the dysfunctional mean
 *   b = M₀ ± 2 s₀          within two SDs of the functional mean
 *   c = (s₀ M₁ + s₁ M₀) / (s₀ + s₁)   where the two distributions are equally likely
 *
 * (upper signs for a measure where lower is better, such as PHQ-9).
 *
 * Categories, with "better" meaning lower on a lower-is-better measure:
 *   recovered     reliable improvement, from the dysfunctional side of the cut-off at intake to
 *                 the functional side at the end
 *   improved      reliable improvement otherwise
 *   deteriorated  reliable change for the worse
 *   unchanged     no reliable change
 * A score exactly at the cut-off counts as dysfunctional.
 */

export type Direction = "lower_is_better" | "higher_is_better"
export type Category = "recovered" | "improved" | "unchanged" | "deteriorated"

/** The categories, from best to worst. */
export const CATEGORIES: ReadonlyArray<Category> = ["recovered", "improved", "unchanged", "deteriorated"]

/** The SE variant used, as recorded in results. */
export const SE_VARIANT = "jacobson_truax_1991"

/** Critical |RCI|: 1.96, as in the paper (the 97.5% normal quantile to two decimals). */
export const RCI_CRITERION = 1.96

/** S_diff = √2 · s_pre · √(1 − r_xx). */
export const differenceStandardError = (sdPre: number, reliability: number): number => {
  if (!(sdPre > 0) || !(reliability >= 0 && reliability < 1)) return Number.NaN
  return Math.SQRT2 * sdPre * Math.sqrt(1 - reliability)
}

/** RCI = (post − pre) / S_diff (positive: the score went up). */
export const reliableChangeIndex = (pre: number, post: number, sDiff: number): number => (post - pre) / sDiff

export interface Population {
  readonly mean: number
  readonly sd: number
}

export interface CutOffs {
  readonly a: number
  /** null without a functional population */
  readonly b: number | null
  readonly c: number | null
}

/** The cut-offs a, b and c (file comment). */
export const clinicalCutOffs = (dysfunctional: Population, functional: Population | null, direction: Direction): CutOffs => {
  const better = direction === "lower_is_better" ? -1 : 1
  return {
    a: dysfunctional.mean + better * 2 * dysfunctional.sd,
    b: functional === null ? null : functional.mean - better * 2 * functional.sd,
    c: functional === null ? null : (functional.sd * dysfunctional.mean + dysfunctional.sd * functional.mean) / (functional.sd + dysfunctional.sd),
  }
}

/** Whether a score lies on the functional side of `cutOff` (a score at the cut-off does not). */
export const functional = (score: number, cutOff: number, direction: Direction): boolean =>
  direction === "lower_is_better" ? score < cutOff : score > cutOff

/** A client's category (file comment) from intake and end scores. */
export const classify = (pre: number, post: number, sDiff: number, cutOff: number, direction: Direction): Category => {
  const rci = reliableChangeIndex(pre, post, sDiff)
  // positive = in the direction of improvement
  const towardsBetter = direction === "lower_is_better" ? -rci : rci
  if (towardsBetter < -RCI_CRITERION) return "deteriorated"
  if (towardsBetter <= RCI_CRITERION) return "unchanged"
  return !functional(pre, cutOff, direction) && functional(post, cutOff, direction) ? "recovered" : "improved"
}

export type CategoryCounts = Readonly<Record<Category, number>>

/** How many clients fall in each category; pairs with a missing score are not counted. */
export const categoryCounts = (pre: ArrayLike<number>, post: ArrayLike<number>, sDiff: number, cutOff: number, direction: Direction): CategoryCounts => {
  const counts = { recovered: 0, improved: 0, unchanged: 0, deteriorated: 0 }
  for (let i = 0; i < pre.length; i++) {
    if (Number.isNaN(pre[i]!) || Number.isNaN(post[i]!)) continue
    counts[classify(pre[i]!, post[i]!, sDiff, cutOff, direction)]++
  }
  return counts
}
