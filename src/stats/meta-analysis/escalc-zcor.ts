/**
 * Fisher's z transform of a correlation with its large-sample sampling variance: the effect size
 * that per-site correlations are pooled on.
 */

/** One study's effect size on the Fisher z scale. */
export interface ZcorEffect {
  /** Fisher z, atanh(r) */
  readonly yi: number
  /** sampling variance of z, 1 / (n − 3) */
  readonly vi: number
}

/**
 * Fisher's z-transformed correlation and its sampling variance.
 *
 * Formula: yi = atanh(r) = ½·ln((1 + r) / (1 − r)),  vi = 1 / (n − 3).
 *
 * Reference: `metafor::escalc(measure = "ZCOR", ri = r, ni = n)`; Fisher (1921). metafor writes
 * ½·log((1 + r)/(1 − r)); `Math.atanh` is the same function evaluated more accurately near r = 0
 * (the two agree to within a few units in the last place, 2e-16).
 *
 * Preconditions: −1 < r < 1 and n ≥ 4 (an integer count of pairs; for n ≤ 3 the variance is
 * undefined). Violations throw a `RangeError`: they are caller bugs, not data conditions, because
 * the pipeline filters sites with fewer than 4 pairs before calling this.
 *
 * Example (R: `escalc("ZCOR", ri = 0.3, ni = 50)` gives yi 0.30951960420311181 by its log form;
 * R `atanh(0.3)` gives 0.30951960420311175; vi 1/47):
 *   escalcZcor(0.3, 50) → { yi: 0.30951960420311175, vi: 0.02127659574468085 }
 */
export const escalcZcor = (r: number, n: number): ZcorEffect => {
  if (!(Math.abs(r) < 1)) throw new RangeError(`escalcZcor: r must lie strictly between -1 and 1 (got ${r})`)
  if (!(n >= 4) || !Number.isFinite(n)) throw new RangeError(`escalcZcor: n must be a finite count of at least 4 (got ${n})`)
  return { yi: Math.atanh(r), vi: 1 / (n - 3) }
}
