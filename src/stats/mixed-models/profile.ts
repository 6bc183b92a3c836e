/**
 * Profile-likelihood interval for the intraclass correlation of a model with one random
 * intercept: ICC = σ²_u/(σ²_u + σ²) = θ²/(1 + θ²) is a monotone function of θ alone, and the
 * criterion profiled over β and σ² as a function of θ is exactly what criterion.ts evaluates. So
 * the interval is the set of θ ≥ 0 where criterion(θ) − criterion(θ̂) ≤ χ²₁(level) (the REML
 * criterion for a REML fit), mapped to the ICC scale. When the criterion at θ = 0 is within that
 * bound the lower limit is 0 (a boundary that the Wald interval would cross into negative values).
 *
 * Reference: the same computation in R from `lmer(..., devFunOnly = TRUE)` and `uniroot`
 * (test/reference/multilevel-example.R); the method is lme4's `profile` (Bates et al. 2015, §5.1)
 * applied to θ.
 */
import { chiSquaredQuantile } from "../distributions/chi-squared.ts"
import { brent } from "../numeric/root-finding.ts"
import type { Interval } from "../types.ts"
import { criterionOf, evaluate } from "./criterion.ts"
import type { MixedModelSummary } from "./design.ts"
import type { MixedModelFit } from "./lmm.ts"

/** ICC from θ: θ²/(1 + θ²). */
export const iccOfTheta = (theta: number): number => (theta * theta) / (1 + theta * theta)

/** The profile interval of the ICC (file comment); the fit must have one factor with one term. */
export const iccProfileInterval = (summary: MixedModelSummary, fit: MixedModelFit, level = 0.95): Interval => {
  if (fit.theta.length !== 1) throw new RangeError("the ICC profile needs a model with a single random intercept")
  const reml = fit.method === "REML"
  const bound = chiSquaredQuantile(level, 1)
  const at = (theta: number): number => {
    const e = evaluate(summary, [theta])
    return e === null ? Number.NaN : criterionOf(e, summary.n, summary.p, reml) - fit.criterion - bound
  }
  const best = fit.theta[0]!
  const solve = (lower: number, upper: number): number => {
    const root = brent(at, lower, upper, { tolerance: 1e-12 })
    return root.status === "converged" ? root.root : Number.NaN
  }
  const low = at(0) <= 0 ? 0 : solve(0, best)
  let high = Math.max(best, 0.05) * 2
  while (high < 1e6 && at(high) < 0) high *= 2
  const upper = at(high) < 0 ? Number.POSITIVE_INFINITY : solve(best, high)
  return [iccOfTheta(low), upper === Number.POSITIVE_INFINITY ? 1 : iccOfTheta(upper)]
}
