/**
 * One table of numerical tolerances, keyed by the kind of quantity (see STYLE.md "Tests").
 * Relative error |a − b| / max(|b|, tiny) unless the quantity is naturally absolute (p near 0).
 */
export const tolerance = {
  /** closed forms: r, t, Fisher z, partial r, Q, I² from a given τ² */
  closedForm: 1e-10,
  /** special functions (incomplete beta/gamma, quantiles) compared with R's pt/pnorm/qt/qchisq */
  distribution: 1e-9,
  /** iterative estimators: REML τ², Q-profile bounds, anything that stops on a convergence rule */
  iterative: 1e-6,
} as const

/** Relative difference, with an absolute floor so that values near zero compare sensibly. */
export const relativeError = (actual: number, expected: number, floor = 1e-300): number =>
  Math.abs(actual - expected) / Math.max(Math.abs(expected), floor)
