/**
 * Result records shared by every estimator in src/stats.
 *
 * Estimators return plain readonly records. When an estimate cannot be computed from the data
 * (too few observations, zero variance, a boundary the method does not handle) they return
 * `NotEstimable` with a plain-language reason instead of NaN, so that nothing undefined can flow
 * into a report.
 */

/** A closed interval `[lower, upper]`. */
export type Interval = readonly [lower: number, upper: number]

/** Why an estimate was not produced, in words a researcher can act on. */
export interface NotEstimable {
  readonly status: "not_estimable"
  /** number of usable observations that were available */
  readonly n: number
  readonly reason: string
}

/** A correlation coefficient with its t test and Fisher-z confidence interval (R: `cor.test`). */
export interface CorrelationTest {
  readonly status: "estimated"
  /** the correlation coefficient */
  readonly estimate: number
  /** number of complete pairs used */
  readonly n: number
  /** Fisher-z confidence interval at `level` */
  readonly ci: Interval
  readonly level: number
  /** t statistic */
  readonly statistic: number
  /** degrees of freedom of t */
  readonly df: number
  /** two-sided p-value */
  readonly p: number
  /** what was computed, naming the R function it matches */
  readonly method: string
}

export const notEstimable = (n: number, reason: string): NotEstimable => ({ status: "not_estimable", n, reason })

export const isEstimated = <T extends { readonly status: string }>(
  x: T | NotEstimable,
): x is Exclude<T, NotEstimable> => x.status === "estimated"
