/**
 * Residualized change ("residual gain"): the part of the post-treatment score that the baseline
 * score does not predict. Correlating it with alliance asks whether clients with a better alliance
 * ended better than their baseline predicted.
 *
 * The residualized-gain correlation is `pearsonTest(alliance, sign · residualize(post, baseline))`:
 * pearsonTest drops the clients whose residual is NaN, and `sign` fixes the direction convention
 * (positive r = better alliance goes with more improvement). For a measure on which lower is
 * better (PHQ-9, GAD-7, OQ-45), a lower-than-predicted post score is improvement, so sign = −1;
 * for a higher-is-better measure, sign = +1. Because the residual is uncorrelated with baseline by
 * construction, this r equals the semipartial (part) correlation of alliance with post,
 * baseline removed from post only; the partial r (partial-correlation.ts) removes it from both.
 */

import { CompensatedSum } from "../numeric/kahan.ts"
import { completeCasesWithRanges } from "./complete-cases.ts"

/**
 * Ordinary least-squares residuals of y regressed on x (with intercept).
 *
 * Definition: eᵢ = yᵢ − (a + b·xᵢ), with b = Sxy/Sxx and a = ȳ − b·x̄ fitted on the complete pairs.
 * Formula: eᵢ = (yᵢ − ȳ) − b·(xᵢ − x̄), with centred, compensated sums (two-pass).
 * Reference: R `resid(lm(y ~ x, na.action = na.exclude))` — residuals in the input order, NA where
 * the row was not used. When x is constant on the complete pairs R drops it as aliased and the
 * residuals are y − ȳ; so do we (b = 0).
 * Preconditions: y and x of equal length (RangeError otherwise). No minimum n: one complete pair
 * gives the residual 0, none gives all NaN.
 * Returns: a Float64Array of y's length: the residual where both y and x are present, NaN elsewhere.
 * Example: `residualize([1, 3, 2, 5, NaN], [1, 2, 3, 4, 5])` → [−0.099999999999999867,
 * 0.80000000000000004, −1.3, 0.59999999999999987, NaN]; R (y <- c(1, 3, 2, 5, NA); x <- 1:5;
 * `resid(lm(y ~ x, na.action = na.exclude))`) gives [−0.099999999999999867,
 * 0.79999999999999982, −1.2999999999999998, 0.59999999999999987, NA].
 */
export const residualize = (y: ArrayLike<number>, x: ArrayLike<number>): Float64Array => {
  // setup: fit on the complete pairs
  const complete = completeCasesWithRanges(y, x)
  const [cy, cx] = complete.columns as [ArrayLike<number>, ArrayLike<number>]
  const result = new Float64Array(y.length).fill(Number.NaN)
  if (cy.length === 0) return result
  const my = complete.ranges[0]!.mean
  const mx = complete.ranges[1]!.mean

  // estimate the slope from centred sums
  const sxx = new CompensatedSum()
  const sxy = new CompensatedSum()
  for (let i = 0; i < cx.length; i++) {
    const dx = (cx[i] as number) - mx
    sxx.add(dx * dx)
    sxy.add(dx * ((cy[i] as number) - my))
  }
  const slope = sxx.value > 0 ? sxy.value / sxx.value : 0

  // output: residuals in input order
  for (let i = 0; i < y.length; i++) {
    const yi = y[i] as number
    const xi = x[i] as number
    if (!Number.isNaN(yi) && !Number.isNaN(xi)) result[i] = yi - my - slope * (xi - mx)
  }
  return result
}
