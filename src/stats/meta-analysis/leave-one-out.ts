/**
 * Leave-one-out sensitivity analysis of an intercept-only meta-analysis.
 */

import type { NotEstimable } from "../types.ts"
import { type RmaUniOptions, type RmaUniResult, rmaUni } from "./rma-uni.ts"

/** The model refitted without one study. */
export interface LeaveOneOutRow {
  /** the study left out (0-based index) */
  readonly omitted: number
  /** the refit, or why it could not be made */
  readonly fit: RmaUniResult | NotEstimable
}

/**
 * Refits `rmaUni` k times, each time without one study, with the same method, test and level.
 *
 * Reference: `metafor::leave1out(rma.uni(yi, vi, method, test))` (metafor 3.8): per omitted study
 * the estimate, se, z/t, p, CI, Q, Qp, τ², I² and H² are the refit's own fields here.
 *
 * Preconditions: as `rmaUni`; with k = 2 every refit has one study and is `NotEstimable`.
 *
 * Example: leaveOneOut([0.1, 0.3, 0.5, 0.2], [0.01, 0.02, 0.015, 0.01])[2].fit.estimate is the
 * pooled estimate of the other three studies, rmaUni([0.1, 0.3, 0.2], [0.01, 0.02, 0.01]).estimate.
 */
export const leaveOneOut = (yi: ArrayLike<number>, vi: ArrayLike<number>, options: RmaUniOptions = {}): LeaveOneOutRow[] => {
  if (yi.length !== vi.length) throw new RangeError(`yi and vi must have the same length (got ${yi.length} and ${vi.length})`)
  const y = Array.from(yi)
  const v = Array.from(vi)
  return y.map((_, omitted) => ({
    omitted,
    fit: rmaUni(
      y.filter((__, i) => i !== omitted),
      v.filter((__, i) => i !== omitted),
      options,
    ),
  }))
}
