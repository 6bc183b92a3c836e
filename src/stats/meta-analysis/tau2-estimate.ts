/**
 * The record every τ² estimator in this folder returns (`tau2-reml.ts`, `tau2-ml.ts`, `tau2-dl.ts`,
 * `tau2-he.ts`, `tau2-hs.ts`, `tau2-sj.ts`, `tau2-pm.ts`, `tau2-eb.ts`).
 */

/** τ² methods implemented here, named as in `metafor::rma.uni(method = ...)`. */
export type Tau2Method = "REML" | "ML" | "DL" | "HE" | "HS" | "SJ" | "PM" | "EB"

/** An estimate of the between-study variance τ² of an intercept-only random-effects model. */
export interface Tau2Estimate {
  readonly status: "estimated"
  readonly method: Tau2Method
  /** number of studies */
  readonly k: number
  /** τ², truncated at 0 as metafor does */
  readonly tau2: number
  /** metafor's `se.tau2` (expected information for ML/REML, moment formulas for the others) */
  readonly se: number
  /** Fisher scoring (ML, REML, EB) or root-search (PM) iterations; 0 for closed-form estimators */
  readonly iterations: number
  /** the R call this matches */
  readonly reference: string
}
