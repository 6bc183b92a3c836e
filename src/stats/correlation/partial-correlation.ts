/**
 * First-order partial correlation: the correlation of x and y with z held constant, e.g. alliance
 * and post-treatment score controlling for the baseline score.
 */

import type { MeanAndRange } from "../descriptives/summary.ts"
import { studentTTwoSidedP } from "../distributions/students-t.ts"
import { type CorrelationTest, type NotEstimable, notEstimable } from "../types.ts"
import { completeCasesWithRanges, correlationProblemOfRanges } from "./complete-cases.ts"
import { fisherZInterval } from "./fisher-z.ts"
import { pearsonOfRanges } from "./pearson.ts"

/** Options for {@link partialCorrelationTest}. */
export interface PartialCorrelationOptions {
  /** confidence level of the Fisher-z interval; default 0.95 (psych's `alpha = .05`) */
  readonly level?: number
}

/**
 * Partial correlation of x and y controlling for z, with its t test and Fisher-z interval, on the
 * complete triples.
 *
 * Definition: r_xy·z = (r_xy − r_xz·r_yz) / √((1 − r_xz²)(1 − r_yz²)), the correlation of the
 * residuals of x and of y after regressing each on z.
 * Formula: t = r·√(n − 3)/√(1 − r²) on n − 3 df, p = 2·P(T > |t|);
 * CI = tanh(atanh(r) ∓ qnorm((1 + level)/2)/√(n − 4)). This t equals the t of x in
 * `lm(y ~ x + z)` (and of y in `lm(x ~ y + z)`).
 * Reference: the estimate is `psych::partial.r(data, c("x", "y"), "z")`; t, p and CI are
 * `psych::corr.p(r, n = n - 1)` (corr.p uses n − 2 df and se 1/√(n − 3) for the n it is given,
 * so n − 1 gives the one degree of freedom the control costs). Verified against both, and against
 * `summary(lm(y ~ x + z))`, in test/reference/correlation.R.
 * Preconditions: x, y, z of equal length and level in (0, 1) (RangeError otherwise); triples with
 * a NaN are dropped.
 * Not estimable (with a reason) with fewer than 5 complete triples (the interval needs n − 4 > 0),
 * when a variable is constant or contains ±Infinity, or when x or y is perfectly correlated with z
 * (nothing is left once z is held constant).
 * Returns: `{ status: "estimated", estimate: r_xy·z, n: triples used, ci, level, statistic: t,
 * df: n − 3, p: two-sided, method }` or `NotEstimable`.
 * Example: for x = [1, 2, 3, 4, 5, 6], y = [2, 1, 4, 3, 6, 5], z = [1, 1, 2, 2, 3, 4]:
 * estimate −0.040291148201269181, statistic −0.069843029576958107, df 3, p 0.94871360013592854,
 * ci [−0.89088868408891864, 0.87300857362993067]. R (d = data.frame(x, y, z);
 * `pr <- psych::partial.r(d, c("x", "y"), "z"); psych::corr.p(pr, 5)`) gives r −0.040291148201269188,
 * t −0.069843029576958121, p 0.94871360013592876 and the same interval; `lm(y ~ x + z)` gives
 * t −0.069843029576958648 for x.
 */
export const partialCorrelationTest = (
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  z: ArrayLike<number>,
  options: PartialCorrelationOptions = {},
): CorrelationTest | NotEstimable => {
  const level = options.level ?? 0.95
  if (!(level > 0 && level < 1)) throw new RangeError(`the confidence level must lie in (0, 1); got ${level}`)

  // setup: complete triples, and the conditions the estimate needs
  const complete = completeCasesWithRanges(x, y, z)
  const [cx, cy, cz] = complete.columns as [ArrayLike<number>, ArrayLike<number>, ArrayLike<number>]
  const [rangeX, rangeY, rangeZ] = complete.ranges as [MeanAndRange, MeanAndRange, MeanAndRange]
  const n = cx.length
  const problem = correlationProblemOfRanges(
    [["x", rangeX], ["y", rangeY], ["z", rangeZ]],
    n,
    5,
    "a partial correlation test with a confidence interval",
  )
  if (problem !== undefined) return notEstimable(n, problem)

  // estimate: the three pairwise r, each variable's mean computed once
  const rxy = pearsonOfRanges(cx, rangeX, cy, rangeY)
  const rxz = pearsonOfRanges(cx, rangeX, cz, rangeZ)
  const ryz = pearsonOfRanges(cy, rangeY, cz, rangeZ)
  const residualX = 1 - rxz * rxz
  const residualY = 1 - ryz * ryz
  if (residualX <= 0 || residualY <= 0) {
    const which = residualX <= 0 ? "x" : "y"
    return notEstimable(n, `${which} is perfectly correlated with z, so nothing is left to correlate once z is held constant`)
  }
  const raw = (rxy - rxz * ryz) / Math.sqrt(residualX * residualY)
  const r = raw >= 1 ? 1 : raw <= -1 ? -1 : raw

  // inference
  const df = n - 3
  const statistic = (r * Math.sqrt(df)) / Math.sqrt(1 - r * r)
  return {
    status: "estimated",
    estimate: r,
    n,
    ci: fisherZInterval(r, n, level, 1),
    level,
    statistic,
    df,
    p: studentTTwoSidedP(statistic, df),
    method:
      "First-order partial correlation controlling for z (R: psych::partial.r; t, p and CI as psych::corr.p(r, n - 1)); t test on n - 3 df, Fisher-z interval with se 1/sqrt(n - 4)",
  }
}
