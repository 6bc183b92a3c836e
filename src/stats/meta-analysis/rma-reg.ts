/**
 * Mixed-effects meta-regression: study effects on moderators, with residual heterogeneity τ² —
 * metafor's `rma.uni(yi, vi, mods = ...)`. Subgroup analysis is the special case of one
 * categorical moderator (its QM is the between-groups test).
 *
 * Phases, as in metafor's `rma.uni`:
 *   setup → estimate τ² → coefficients → inference (per coefficient, and QM) → residual
 *   heterogeneity (QE, I², H²) → R² against the model without moderators → output
 */

import { chiSquaredCdf } from "../distributions/chi-squared.ts"
import { fisherFCdf } from "../distributions/f.ts"
import { invertSpd, type Matrix } from "../numeric/matrix.ts"
import { type Interval, type NotEstimable, notEstimable } from "../types.ts"
import { readMetaInputs } from "./inputs.ts"
import { coefficients, projectionAt, quadratic, weightedTrace } from "./projection.ts"
import { type RmaMethod, type RmaTest, rmaUni } from "./rma-uni.ts"
import { tau2Regression } from "./tau2-regression.ts"
import { criticalValue, twoSidedP } from "./wald.ts"

export interface RmaRegOptions {
  readonly method?: RmaMethod
  readonly test?: RmaTest
  /** confidence level as a proportion (default 0.95) */
  readonly level?: number
  /**
   * the coefficients QM tests (0-based column indices of X); default every column but the first
   * (the intercept), as metafor's `btt`
   */
  readonly btt?: ReadonlyArray<number>
  /** the coefficients' names, in the order of X's columns (default "intrcpt", "x1", …) */
  readonly names?: ReadonlyArray<string>
}

/** One coefficient of the model. */
export interface RegressionCoefficient {
  readonly name: string
  readonly estimate: number
  readonly se: number
  /** z or t statistic */
  readonly statistic: number
  readonly p: number
  readonly ci: Interval
}

export interface RmaRegResult {
  readonly status: "estimated"
  readonly k: number
  /** number of coefficients, intercept included */
  readonly p: number
  readonly coefficients: ReadonlyArray<RegressionCoefficient>
  /** variance–covariance matrix of the coefficients (Knapp–Hartung scaled for "knha"), row-major p × p */
  readonly vcov: Float64Array
  /** t degrees of freedom k − p for "knha"; null for "z" */
  readonly df: number | null
  /** omnibus test of the `btt` coefficients: Wald χ² on m df ("z"), or F on (m, k − p) ("knha") */
  readonly qm: number
  readonly qmDf: readonly [number, number | null]
  readonly qmP: number
  readonly btt: ReadonlyArray<number>
  /** residual heterogeneity τ² and metafor's se.tau2 (null for EE) */
  readonly tau2: number
  readonly tau2Se: number | null
  /** test for residual heterogeneity: QE on k − p df */
  readonly qe: number
  readonly qeDf: number
  readonly qeP: number
  /** residual I² (percent) and H² */
  readonly i2: number
  readonly h2: number
  /**
   * R² analogue in percent, max(0, 100·(τ²₀ − τ²)/τ²₀) with τ²₀ from the model without
   * moderators (same method): the share of heterogeneity the moderators account for; null for EE,
   * when τ²₀ = 0 it is 0 (as metafor)
   */
  readonly r2: number | null
  /** Knapp–Hartung factor s²_w = Σwᵢeᵢ²/(k − p); null for "z" */
  readonly knhaFactor: number | null
  readonly method: RmaMethod
  readonly test: RmaTest
  readonly level: number
  readonly iterations: number
  readonly reference: string
}

const columnNames = (x: Matrix, names: ReadonlyArray<string> | undefined): string[] =>
  Array.from({ length: x.cols }, (_, c) => names?.[c] ?? (c === 0 ? "intrcpt" : `x${c}`))

/**
 * Meta-regression of yi on the design matrix X (k × p; its first column the intercept).
 *
 * Model: yᵢ = xᵢᵀβ + uᵢ + εᵢ, uᵢ ~ N(0, τ²), εᵢ ~ N(0, vᵢ) (τ² = 0 for "EE").
 * Formulas: τ² by `tau2Regression`; wᵢ = 1/(vᵢ + τ²); β̂ = (XᵀWX)⁻¹XᵀWy; Var(β̂) = (XᵀWX)⁻¹, times
 * s²_w = Σwᵢ(yᵢ − xᵢᵀβ̂)²/(k − p) for Knapp–Hartung; z or t(k − p) tests and CIs per coefficient;
 * QM = β̂ᵀ_B Var(β̂)⁻¹_B β̂_B for the coefficients B = btt (χ²(m), or F(m, k − p) as QM/m);
 * QE = yᵀP₀y with P₀ at wᵢ = 1/vᵢ on k − p df; I² = 100τ²/(s² + τ²), H² = τ²/s² + 1,
 * s² = (k − p)/tr P₀ (for EE: I² = max(0, 100(QE − (k − p))/QE), H² = QE/(k − p));
 * R² = max(0, 100(τ²₀ − τ²)/τ²₀), τ²₀ the same method's τ² without moderators.
 *
 * Reference: `metafor::rma.uni(yi, vi, mods = X[, -1], method, test)` (metafor 3.8); Viechtbauer
 * (2010), J Stat Softw 36(3); Raudenbush (2009); Knapp & Hartung (2003).
 *
 * Preconditions: X has one row per study, and 0 < level < 1 (otherwise throws). `NotEstimable` for
 * fewer than p + 1 studies, invalid yi/vi (see inputs.ts), a design that is not of full rank, or a
 * τ² estimator that fails.
 *
 * Fields: see {@link RmaRegResult}.
 *
 * Example (R: `rma(c(0.1, 0.3, 0.5, 0.2, 0.4), c(0.01, 0.02, 0.015, 0.01, 0.02), mods = ~ c(1, 2, 3, 1, 2))`):
 *   rmaReg(yi, vi, matrixFromRows([1, 2, 3, 1, 2].map((x) => [1, x])))
 *   → coefficients −0.0250000000000006, 0.179166666666667; τ² 0; QM 7.0037878787879, p 0.0081337427347;
 *     R² 100 (R: −0.025000000000000203, 0.17916666666666642, 0, 7.0037878787878558, 0.0081337427346931026, 100)
 */
export const rmaReg = (
  yi: ArrayLike<number>,
  vi: ArrayLike<number>,
  x: Matrix,
  options: RmaRegOptions = {},
): RmaRegResult | NotEstimable => {
  // setup
  const method = options.method ?? "REML"
  const test = options.test ?? "z"
  const level = options.level ?? 0.95
  if (!(level > 0 && level < 1)) throw new RangeError(`level must lie strictly between 0 and 1 (got ${level})`)
  if (x.rows !== yi.length) throw new RangeError(`X has ${x.rows} rows for ${yi.length} studies`)
  const p = x.cols
  const inputs = readMetaInputs(yi, vi, p + 1)
  if (inputs.status !== "ok") return inputs
  const { k, yi: y, vi: v } = inputs
  const btt = options.btt ?? Array.from({ length: p - 1 }, (_, c) => c + 1)
  if (btt.length === 0 || btt.some((c) => !Number.isInteger(c) || c < 0 || c >= p)) {
    throw new RangeError(`btt must name columns 0 to ${p - 1} of X (got [${btt.join(", ")}])`)
  }

  // estimate τ²
  const estimated = method === "EE" ? { tau2: 0, se: null, iterations: 0 } : tau2Regression(x, y, v, method)
  if ("reason" in estimated) return estimated
  const { tau2 } = estimated

  // coefficients
  const proj = projectionAt(x, Float64Array.from(v, (vi_) => 1 / (vi_ + tau2)))
  if (proj === null) return notEstimable(k, "the moderators are redundant (their design matrix is not of full rank)")
  const beta = coefficients(x, proj, y)
  const rss = quadratic(proj, y)

  // inference
  const df = k - p
  const knhaFactor = test === "knha" ? (rss <= Number.EPSILON ? 0 : rss / df) : null
  if (knhaFactor === 0) {
    return notEstimable(k, 'the model fits every study exactly, so the Knapp-Hartung standard errors are 0; use test = "z"')
  }
  const vcov = Float64Array.from(proj.xtwxInverse.data, (c) => c * (knhaFactor ?? 1))
  const crit = criticalValue(test, df, level)
  const names = columnNames(x, options.names)
  const table = Array.from({ length: p }, (_, c): RegressionCoefficient => {
    const estimate = beta[c]!
    const se = Math.sqrt(vcov[c * p + c]!)
    const statistic = estimate / se
    return { name: names[c]!, estimate, se, statistic, p: twoSidedP(statistic, test, df), ci: [estimate - crit * se, estimate + crit * se] }
  })
  const m = btt.length
  const block = { rows: m, cols: m, data: new Float64Array(m * m) }
  btt.forEach((a, i) => btt.forEach((b, j) => (block.data[i * m + j] = vcov[a * p + b]!)))
  const blockInverse = invertSpd(block)
  if (blockInverse === null) return notEstimable(k, "the tested coefficients' covariance matrix is singular")
  let wald = 0
  btt.forEach((a, i) => btt.forEach((b, j) => (wald += beta[a]! * blockInverse.inverse.data[i * m + j]! * beta[b]!)))
  const qm = test === "knha" ? wald / m : wald
  const qmP = test === "knha" ? fisherFCdf(qm, m, df, false) : chiSquaredCdf(qm, m, false)

  // residual heterogeneity
  const fixed = projectionAt(x, Float64Array.from(v, (vi_) => 1 / vi_))
  if (fixed === null) return notEstimable(k, "the moderators are redundant (their design matrix is not of full rank)")
  const qe = Math.max(0, quadratic(fixed, y))
  const typical = df / weightedTrace(fixed)
  const i2 = method === "EE" ? Math.max(0, (100 * (qe - df)) / qe) : (100 * tau2) / (typical + tau2)
  const h2 = method === "EE" ? qe / df : tau2 / typical + 1

  // R² against the model without moderators
  let r2: number | null = null
  if (method !== "EE") {
    const base = rmaUni(y, v, { method, test, level })
    if (base.status === "estimated") r2 = base.tau2 === 0 ? 0 : Math.max(0, (100 * (base.tau2 - tau2)) / base.tau2)
  }

  // output
  return {
    status: "estimated",
    k,
    p,
    coefficients: table,
    vcov,
    df: test === "knha" ? df : null,
    qm,
    qmDf: [m, test === "knha" ? df : null],
    qmP,
    btt,
    tau2,
    tau2Se: estimated.se,
    qe,
    qeDf: df,
    qeP: chiSquaredCdf(qe, df, false),
    i2,
    h2,
    r2,
    knhaFactor,
    method,
    test,
    level,
    iterations: estimated.iterations,
    reference: `metafor::rma.uni(yi, vi, mods = ~ ..., method = "${method}", test = "${test}")`,
  }
}
