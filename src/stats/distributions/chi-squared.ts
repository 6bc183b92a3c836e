/**
 * The χ² distribution (central), for any real df > 0: χ²(df) is Gamma(shape df/2, scale 2), so the
 * distribution function is the regularized incomplete gamma function P(df/2, x/2).
 */

import { brent } from "../numeric/root-finding.ts"
import { normalQuantile } from "./normal.ts"
import { logGamma, regularizedGammaP, regularizedGammaQ } from "./special-functions.ts"

/**
 * Distribution function of the χ² distribution.
 *
 * Definition: P(X ≤ x) for X ~ χ²(df) (or P(X > x) with `lowerTail = false`).
 * Formula: P(df/2, x/2) (lower) or Q(df/2, x/2) (upper), each computed directly, so an upper tail
 * of 1e-200 keeps its relative accuracy.
 * Reference: R `pchisq(x, df, lower.tail = lowerTail)`; largest relative difference over the
 * 408 golden values (df 0.5–1000, tails to 1e-300) is 5e-14.
 * Preconditions: df > 0 (non-integer allowed; NaN for df ≤ 0 or NaN arguments); x ≤ 0 gives the
 * lower tail 0.
 * Returns: the probability.
 * Example: `chiSquaredCdf(3.84, 1, false)` → 0.050043521248705113; R
 * `sprintf("%.17g", pchisq(3.84, 1, lower.tail = FALSE))` gives 0.050043521248705224.
 */
export const chiSquaredCdf = (x: number, df: number, lowerTail = true): number => {
  if (Number.isNaN(x) || Number.isNaN(df) || df <= 0) return Number.NaN
  return lowerTail ? regularizedGammaP(df / 2, x / 2) : regularizedGammaQ(df / 2, x / 2)
}

/**
 * A starting point for the quantile whose lower (side = 1) or upper (side = −1) tail is `tail`:
 * Wilson–Hilferty's cube-root normal approximation, or for small quantiles the leading term of
 * the series, P ≈ (x/2)^(df/2) / Γ(df/2 + 1).
 */
const startingPoint = (tail: number, side: 1 | -1, df: number): number => {
  const c = 2 / (9 * df)
  const cube = 1 - c + side * normalQuantile(tail) * Math.sqrt(c)
  if (cube > 0.2) return df * cube * cube * cube
  const lowerTail = side === 1 ? tail : 0.5 - tail + 0.5
  return 2 * Math.exp((Math.log(lowerTail) + logGamma(df / 2 + 1)) / (df / 2))
}

/**
 * Quantile function of the χ² distribution.
 *
 * Definition: the x with P(X ≤ x) = p (or P(X > x) = p when `lowerTail = false`), X ~ χ²(df).
 * Formula: the smaller of the two tail probabilities is targeted (1 − p is exact for p ≥ ½), and
 * log(tail(x)) = log(target) is solved in log x by Brent's method to full double precision,
 * starting from Wilson–Hilferty's approximation.
 * Reference: R `qchisq(p, df, lower.tail = lowerTail)`; largest relative difference over the
 * 456 golden values (p down to 1e-200) is 2e-14.
 * Preconditions: p in [0, 1], df > 0. The lower-tail p = 0 gives 0 and p = 1 gives Infinity
 * (reversed for the upper tail); NaN for invalid arguments.
 * Returns: the quantile.
 * Example: `chiSquaredQuantile(0.95, 1)` → 3.8414588206941294; R `sprintf("%.17g", qchisq(0.95, 1))`
 * gives 3.841458820694124.
 */
export const chiSquaredQuantile = (p: number, df: number, lowerTail = true): number => {
  if (Number.isNaN(p) || Number.isNaN(df) || df <= 0 || p < 0 || p > 1) return Number.NaN
  if (p === (lowerTail ? 0 : 1)) return 0
  if (p === (lowerTail ? 1 : 0)) return Number.POSITIVE_INFINITY

  // setup: which tail to match, on the log scale
  const small = p <= 0.5 ? p : 0.5 - p + 0.5
  const matchLower = p <= 0.5 === lowerTail
  const logTarget = Math.log(small)
  const f = (v: number): number => {
    const x = Math.exp(v)
    const tail = matchLower ? chiSquaredCdf(x, df, true) : chiSquaredCdf(x, df, false)
    // clamp underflow so that the bracket ends stay finite for the interpolation steps
    return Math.log(Math.max(tail, Number.MIN_VALUE)) - logTarget
  }

  // bracket: f increases in v when matching the lower tail, decreases for the upper tail
  const direction = matchLower ? 1 : -1
  const smallest = Math.log(Number.MIN_VALUE)
  const largest = Math.log(Number.MAX_VALUE)
  let low = Math.min(Math.max(Math.log(startingPoint(small, matchLower ? 1 : -1, df)), smallest), largest)
  let high = low
  for (let step = 0.25; direction * f(low) > 0; step *= 2) {
    // the quantile is below the smallest positive double, as R's qchisq then returns
    if (low === smallest) return 0
    low = Math.max(low - step, smallest)
  }
  for (let step = 0.25; direction * f(high) < 0; step *= 2) {
    if (high === largest) return Number.POSITIVE_INFINITY
    high = Math.min(high + step, largest)
  }

  // estimate
  const result = brent(f, low, high, { tolerance: 1e-16, maxIterations: 2000 })
  return Math.exp(result.status === "converged" ? result.root : result.best)
}
