/**
 * Fisher's z transformation of a correlation and the confidence interval built on it, as used by
 * R's `cor.test`, `psych::corr.test` / `corr.p` and `metafor::escalc(measure = "ZCOR")`.
 */

import { normalQuantile } from "../distributions/normal.ts"
import type { Interval } from "../types.ts"

/**
 * Fisher's z transformation.
 *
 * Definition: z = atanh(r) = ½·log((1 + r)/(1 − r)); approximately normal with variance
 * 1/(n − 3) for a sample correlation from bivariate normal data.
 * Reference: Fisher (1921); R `atanh(r)`, `psych::fisherz(r)`.
 * Preconditions: r in [−1, 1]; ±1 give ±Infinity, |r| > 1 or NaN give NaN.
 * Returns: z.
 * Example: `fisherZ(0.5)` → 0.54930614433405478, identical to R `sprintf("%.17g", atanh(0.5))`.
 */
export const fisherZ = (r: number): number => Math.atanh(r)

/**
 * Inverse of Fisher's z transformation.
 *
 * Definition: r = tanh(z) = (e^(2z) − 1)/(e^(2z) + 1).
 * Reference: R `tanh(z)`, `psych::fisherz2r(z)`.
 * Preconditions: none; ±Infinity give ±1.
 * Returns: r in [−1, 1].
 * Example: `fisherZInverse(0.5493061443340549)` → 0.50000000000000011, identical to R
 * `sprintf("%.17g", tanh(0.5493061443340549))`.
 */
export const fisherZInverse = (z: number): number => Math.tanh(z)

/**
 * Fisher-z confidence interval for a (partial) correlation.
 *
 * Definition: the interval for ρ obtained by back-transforming z ± z₍1−α/2₎·SE, with
 * SE = 1/√(n − 3 − controls), where `controls` is the number of variables partialled out.
 * Formula: tanh(atanh(r) ∓ qnorm((1 + level)/2) / √(n − 3 − controls)); (1 + level)/2 is how R's
 * `cor.test` writes 1 − α/2.
 * Reference: R `cor.test(x, y)$conf.int` (controls = 0); `psych::corr.p(r, n − controls)$ci`
 * (for a partial correlation with one control, se = 1/√(n − 4)).
 * Preconditions: r in [−1, 1]; level in (0, 1); n − 3 − controls > 0. A violated precondition is a
 * programming error here (estimators check n first and return `NotEstimable`), so it throws a
 * RangeError rather than returning NaN.
 * Returns: `[lower, upper]`; r = ±1 gives the degenerate interval [±1, ±1].
 * Example: `fisherZInterval(0.5, 30)` → [0.17043136511180015, 0.72895855638835549], identical to R
 * `sprintf("%.17g", tanh(atanh(0.5) + c(-1, 1) * qnorm(0.975) / sqrt(27)))`.
 */
export const fisherZInterval = (r: number, n: number, level = 0.95, controls = 0): Interval => {
  const dfz = n - 3 - controls
  if (!(dfz > 0)) throw new RangeError(`a Fisher-z interval needs n − 3 − controls > 0 (n = ${n}, controls = ${controls})`)
  if (!(level > 0 && level < 1)) throw new RangeError(`the confidence level must lie in (0, 1); got ${level}`)
  if (!(r >= -1 && r <= 1)) throw new RangeError(`a correlation must lie in [−1, 1]; got ${r}`)
  const z = Math.atanh(r)
  const halfWidth = normalQuantile((1 + level) / 2) / Math.sqrt(dfz)
  return [Math.tanh(z - halfWidth), Math.tanh(z + halfWidth)]
}
