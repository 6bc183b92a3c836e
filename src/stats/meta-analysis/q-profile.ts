/**
 * Q-profile confidence interval for the between-study variance τ², and the I² and H² intervals it
 * implies.
 */

import { chiSquaredQuantile } from "../distributions/chi-squared.ts"
import { brent } from "../numeric/root-finding.ts"
import type { NotEstimable } from "../types.ts"
import { h2FromTau2, i2FromTau2, typicalWithinVariance } from "./heterogeneity.ts"
import { type MetaInputs, readMetaInputs } from "./inputs.ts"
import { tau2Reml } from "./tau2-reml.ts"
import { weightedFit } from "./weighted-fit.ts"

/** An interval whose bounds may be missing; a missing bound always comes with a note saying why. */
export type NullableInterval = readonly [lower: number | null, upper: number | null]

/**
 * How a bound was obtained:
 * - "root": solved Q(τ²) = χ² quantile inside the search range;
 * - "zero": the lower bound is truncated at τ² = 0 (Q(0) is below the upper χ² quantile);
 * - "empty": the whole interval lies below 0 (Q(0) is below the lower χ² quantile) — no bound;
 * - "beyond-search-limit": the bound lies above the search limit — no bound;
 * - "not-found": the root search failed — no bound.
 */
export type BoundKind = "root" | "zero" | "empty" | "beyond-search-limit" | "not-found"

/** The Q-profile interval with its I² and H² counterparts. */
export interface Tau2ConfidenceInterval {
  readonly status: "estimated"
  readonly k: number
  /** confidence level, e.g. 0.95 */
  readonly level: number
  /** interval for τ² */
  readonly tau2: NullableInterval
  /** interval for I² (percent), 100·τ²/(s² + τ²) at each τ² bound */
  readonly i2: NullableInterval
  /** interval for H², τ²/s² + 1 at each τ² bound */
  readonly h2: NullableInterval
  readonly lowerBound: BoundKind
  readonly upperBound: BoundKind
  /** upper end of the τ² search range, max(100, 10·τ̂²) as in metafor */
  readonly searchLimit: number
  /** plain-language explanation when a bound is 0 or missing; null when both are roots */
  readonly note: string | null
  /** the R call this matches */
  readonly reference: string
}

/** Options for {@link tau2ConfidenceInterval}. */
export interface Tau2CiOptions {
  /** the fitted τ² that sets the search limit max(100, 10·τ²); default: the REML estimate */
  readonly tau2?: number
  /** absolute tolerance of the root search (default 0: full double precision) */
  readonly tolerance?: number
}

const fmt = (x: number): string => x.toPrecision(4)

/**
 * The `level` argument of an R call as metafor spells it (percent), or "" for the default 95%.
 * Example: levelArgument(0.9) → ", level = 90"; levelArgument(0.95) → "".
 */
export const levelArgument = (level: number): string =>
  level === 0.95 ? "" : `, level = ${Number((level * 100).toPrecision(12))}`

/**
 * Q-profile confidence interval for τ² (Viechtbauer 2007), with the implied I² and H² intervals.
 *
 * Definition: the set of τ² ≥ 0 at which the generalised Q statistic
 *   Q(τ²) = Σ wᵢ (yᵢ − ȳ_w)²,  wᵢ = 1/(vᵢ + τ²),  ȳ_w = Σ wᵢ yᵢ / Σ wᵢ,
 * lies between the χ²ₖ₋₁ quantiles at α/2 and 1 − α/2. Q(τ²) decreases in τ², so
 *   lower bound: Q(τ²) = χ²ₖ₋₁,₁₋α/₂   (0 if Q(0) is already below it),
 *   upper bound: Q(τ²) = χ²ₖ₋₁,α/₂,
 * searched on [0, max(100, 10·τ̂²)]. I² and H² bounds are 100·τ²/(s² + τ²) and τ²/s² + 1 at the τ²
 * bounds, s² the typical within-study variance.
 *
 * Reference: `confint(metafor::rma.uni(yi, vi, method = "REML"))` (metafor 3.8, type = "QP");
 * Viechtbauer (2007), Stat Med 26, 37–52. Deliberate differences: (1) the roots are solved to full
 * double precision, whereas metafor's `uniroot` stops at tol = .Machine$double.eps^0.25 (≈1.2e-4
 * absolute), so its printed bounds can differ from these in the 3rd–4th significant digit; they
 * agree with `confint(fit, control = list(tol = 1e-13))`. (2) Where metafor prints a placeholder
 * bound (0 and 0 for an empty interval, the search limit with ">" when a bound lies beyond it, NA
 * when the search fails) this returns null and says why in `note`.
 *
 * Preconditions: at least 2 studies, finite yi, finite vi > 0 (otherwise `NotEstimable`);
 * 0 < level < 1 (otherwise throws).
 *
 * Fields: `tau2`, `i2`, `h2` the intervals; `lowerBound`/`upperBound` how each bound was obtained
 * (see {@link BoundKind}); `searchLimit`; `note`; `level`; `k`; `reference`.
 *
 * Example (R: `confint(rma(c(0.1, 0.3, 0.5, 0.2), c(0.01, 0.02, 0.015, 0.01)), control = list(tol = 1e-13))`):
 *   tau2ConfidenceInterval([0.1, 0.3, 0.5, 0.2], [0.01, 0.02, 0.015, 0.01], 0.95).tau2
 *   → [0, 0.39251503895766]  (lower bound "zero"; R ci.ub 0.39251503895766215)
 */
export const tau2ConfidenceInterval = (
  yi: ArrayLike<number>,
  vi: ArrayLike<number>,
  level = 0.95,
  options: Tau2CiOptions = {},
): Tau2ConfidenceInterval | NotEstimable => {
  if (!(level > 0 && level < 1)) throw new RangeError(`level must lie strictly between 0 and 1 (got ${level})`)
  const inputs = readMetaInputs(yi, vi)
  if (inputs.status !== "ok") return inputs
  let tau2Hat = options.tau2
  if (tau2Hat === undefined) {
    const reml = tau2Reml(inputs.yi, inputs.vi)
    if (reml.status !== "estimated") return reml
    tau2Hat = reml.tau2
  }
  return qProfile(inputs, level, tau2Hat, "REML", options.tolerance ?? 0)
}

/**
 * The Q-profile search behind {@link tau2ConfidenceInterval}, on inputs already validated by
 * `readMetaInputs`; `rmaUni` calls it with its own fit.
 *
 * Definition, formula and reference: as {@link tau2ConfidenceInterval}. `tau2Hat` is the fitted τ²
 * that sets the search limit max(100, 10·τ̂²); `method` names that fit's τ² method in `reference`
 * (metafor's confint() uses the Q-profile whatever the method); `tolerance` is the root-search
 * tolerance (0: full double precision).
 * Preconditions: 0 < level < 1, τ̂² ≥ 0.
 * Example: qProfile(readMetaInputs([0.1, 0.3, 0.5, 0.2], [0.01, 0.02, 0.015, 0.01]), 0.95, 0.0167)
 *   has the same bounds as the tau2ConfidenceInterval example, [0, 0.39251503895766].
 */
export const qProfile = (
  inputs: MetaInputs,
  level: number,
  tau2Hat: number,
  method = "REML",
  tolerance = 0,
): Tau2ConfidenceInterval => {
  // setup: critical values and the search range
  const df = inputs.k - 1
  const alpha = 1 - level
  const critUpper = chiSquaredQuantile(alpha / 2, df, false) // defines the lower τ² bound
  const critLower = chiSquaredQuantile(alpha / 2, df, true) // defines the upper τ² bound
  const searchLimit = Math.max(100, 10 * tau2Hat)
  const q = (tau2: number): number => weightedFit(inputs.yi, inputs.vi, tau2).rss
  const qAtZero = q(0)
  const qAtLimit = q(searchLimit)
  const solve = (target: number): number | null => {
    const found = brent((t) => q(t) - target, 0, searchLimit, { tolerance, maxIterations: 1000 })
    return found.status === "converged" ? found.root : null
  }

  // bounds, in metafor's order of cases
  let lower: number | null = null
  let upper: number | null = null
  let lowerBound: BoundKind
  let upperBound: BoundKind
  if (qAtZero < critLower) {
    lowerBound = "empty"
    upperBound = "empty"
  } else {
    if (qAtLimit > critLower) {
      upperBound = "beyond-search-limit"
    } else {
      upper = solve(critLower)
      upperBound = upper === null ? "not-found" : "root"
    }
    if (qAtLimit > critUpper) {
      lowerBound = "beyond-search-limit"
    } else if (qAtZero < critUpper) {
      lower = 0
      lowerBound = "zero"
    } else {
      lower = solve(critUpper)
      lowerBound = lower === null ? "not-found" : "root"
    }
  }

  // output: implied I² and H² intervals, and a note for anything that is not a plain root
  const vt = typicalWithinVariance(inputs.vi)
  const map = (f: (t: number) => number): NullableInterval => [
    lower === null ? null : f(lower),
    upper === null ? null : f(upper),
  ]
  const notes: string[] = []
  if (lowerBound === "empty") {
    notes.push(
      `The interval for tau^2 is empty: Q = ${fmt(qAtZero)} at tau^2 = 0 is already below the lower ` +
        `chi-squared(${df}) critical value ${fmt(critLower)}, so both bounds fall below zero ` +
        "(metafor prints 0 and 0 and calls it the null set). The data show less heterogeneity than sampling error alone predicts.",
    )
  }
  if (lowerBound === "zero") {
    notes.push(
      `The lower bound is 0: Q = ${fmt(qAtZero)} at tau^2 = 0 does not exceed the upper ` +
        `chi-squared(${df}) critical value ${fmt(critUpper)}.`,
    )
  }
  if (lowerBound === "beyond-search-limit") {
    notes.push(`Both bounds lie above the search limit tau^2 = ${fmt(searchLimit)} (metafor prints "> ${fmt(searchLimit)}").`)
  } else if (upperBound === "beyond-search-limit") {
    notes.push(`The upper bound lies above the search limit tau^2 = ${fmt(searchLimit)} (metafor prints "> ${fmt(searchLimit)}").`)
  }
  if (lowerBound === "not-found") notes.push("The root search for the lower bound failed.")
  if (upperBound === "not-found") notes.push("The root search for the upper bound failed.")
  return {
    status: "estimated",
    k: inputs.k,
    level,
    tau2: [lower, upper],
    i2: map((t) => i2FromTau2(t, vt)),
    h2: map((t) => h2FromTau2(t, vt)),
    lowerBound,
    upperBound,
    searchLimit,
    note: notes.length === 0 ? null : notes.join(" "),
    reference: `confint(metafor::rma.uni(yi, vi, method = "${method}"${levelArgument(level)}))`,
  }
}
