/**
 * Back-transformation of a pooled Fisher z (escalc "ZCOR") to the correlation scale.
 */

import type { Interval } from "../types.ts"

/** The pooled correlation with its confidence and prediction intervals. */
export interface PooledCorrelation {
  /** tanh(μ̂) */
  readonly estimate: number
  /** tanh of the Fisher-z CI bounds */
  readonly ci: Interval
  /** tanh of the Fisher-z PI bounds */
  readonly pi: Interval
}

/**
 * Pooled correlation from a meta-analysis of Fisher z values: every quantity mapped through tanh.
 *
 * Formula: r = tanh(z) = (e^{2z} − 1)/(e^{2z} + 1), applied to the estimate and to each interval
 * bound (tanh is increasing, so bounds stay ordered and intervals keep their coverage). Standard
 * errors, p-values and τ² stay on the z scale and are not transformed.
 *
 * Reference: `predict(rma(yi, vi), transf = metafor::transf.ztor)` (metafor 3.8).
 *
 * Preconditions: finite inputs on the z scale (produced by `rmaUni` from `escalcZcor` effects).
 *
 * Fields: `estimate`, `ci`, `pi` on the correlation scale.
 *
 * Example (R: `predict(rma(c(0.1, 0.3, 0.5, 0.2), c(0.01, 0.02, 0.015, 0.01)), transf = transf.ztor)`):
 *   zToCorrelation(rmaUni([0.1, 0.3, 0.5, 0.2], [0.01, 0.02, 0.015, 0.01]))
 *   → { estimate: 0.25724475505810, ci: [0.093340293893413, 0.40757404416448],
 *       pi: [-0.041693551965112, 0.51391034325940] }   (14 significant digits, as R prints them)
 */
export const zToCorrelation = (pooled: {
  readonly estimate: number
  readonly ci: Interval
  readonly pi: Interval
}): PooledCorrelation => ({
  estimate: Math.tanh(pooled.estimate),
  ci: [Math.tanh(pooled.ci[0]), Math.tanh(pooled.ci[1])],
  pi: [Math.tanh(pooled.pi[0]), Math.tanh(pooled.pi[1])],
})
