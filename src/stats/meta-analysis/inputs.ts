/**
 * Input checks shared by the meta-analysis estimators (internal to this folder).
 *
 * Every estimator here takes per-study estimates `yi` and their sampling variances `vi`. Data
 * conditions that make a fit impossible (too few studies, a non-finite value, a non-positive
 * variance) come back as `NotEstimable` with a plain reason; a length mismatch between `yi` and
 * `vi` is a caller bug and throws.
 */

import { type NotEstimable, notEstimable } from "../types.ts"

/** Validated copies of the inputs. */
export interface MetaInputs {
  readonly status: "ok"
  readonly yi: Float64Array
  readonly vi: Float64Array
  /** number of studies */
  readonly k: number
}

/**
 * Copy and check `yi`, `vi` for an intercept-only meta-analysis.
 *
 * Returns `NotEstimable` when fewer than `minK` studies are given, any value is not finite, or any
 * sampling variance is ≤ 0 (metafor's Q test, I², DL and the Q-profile all need vi > 0).
 */
export const readMetaInputs = (
  yi: ArrayLike<number>,
  vi: ArrayLike<number>,
  minK = 2,
): MetaInputs | NotEstimable => {
  if (yi.length !== vi.length) {
    throw new RangeError(`yi and vi must have the same length (got ${yi.length} and ${vi.length})`)
  }
  const k = yi.length
  const y = Float64Array.from(yi)
  const v = Float64Array.from(vi)
  if (k < minK) {
    return notEstimable(k, `a random-effects meta-analysis needs at least ${minK} studies; ${k} given`)
  }
  for (let i = 0; i < k; i++) {
    if (!Number.isFinite(y[i]) || !Number.isFinite(v[i])) {
      return notEstimable(k, `study ${i + 1} has a missing or non-finite estimate or sampling variance`)
    }
    if ((v[i] ?? 0) <= 0) {
      return notEstimable(k, `study ${i + 1} has a sampling variance of ${v[i]}; every variance must be positive`)
    }
  }
  return { status: "ok", yi: y, vi: v, k }
}
