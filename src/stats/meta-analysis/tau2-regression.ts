/**
 * Residual between-study variance τ² of a meta-regression yᵢ = xᵢᵀβ + uᵢ + εᵢ, uᵢ ~ N(0, τ²),
 * εᵢ ~ N(0, vᵢ), by every method `rmaUni` offers, in metafor's general (moderator) form.
 */

import { brent } from "../numeric/root-finding.ts"
import type { Matrix } from "../numeric/matrix.ts"
import { type NotEstimable, notEstimable } from "../types.ts"
import { coefficients, type Projection, projectionAt, quadratic, quadraticSquared, squareSum, weightedTrace } from "./projection.ts"
import type { Tau2Method } from "./tau2-estimate.ts"

/** τ², metafor's se.tau2 and the iterations of an iterative method (0 otherwise). */
export interface RegressionTau2 {
  readonly tau2: number
  readonly se: number
  readonly iterations: number
}

/** metafor's control defaults */
const THRESHOLD = 1e-5
const MAX_ITERATIONS = 100
const TAU2_MAX = 100
const ROOT_TOLERANCE = Math.pow(2 ** -52, 0.25)
const LL0_TOLERANCE = Math.pow(2 ** -52, 0.25)

const singular = (k: number): NotEstimable =>
  notEstimable(k, "the moderators are redundant (their design matrix is not of full rank), so their effects cannot be separated")

const weightsAt = (v: Float64Array, tau2: number): Float64Array => Float64Array.from(v, (x) => 1 / (x + tau2))

/** Log-likelihood (ML) or restricted log-likelihood (REML) at τ², as metafor's ll0 check computes it. */
const logLikelihood = (x: Matrix, y: Float64Array, v: Float64Array, tau2: number, likelihood: "ML" | "REML"): number | null => {
  const k = x.rows
  const proj = projectionAt(x, weightsAt(v, tau2))
  if (proj === null) return null
  const beta = coefficients(x, proj, y)
  let rss = 0
  let logV = 0
  for (let i = 0; i < k; i++) {
    let fitted = 0
    for (let c = 0; c < x.cols; c++) fitted += x.data[i * x.cols + c]! * beta[c]!
    rss += proj.w[i]! * (y[i]! - fitted) ** 2
    logV += Math.log(v[i]! + tau2)
  }
  return likelihood === "ML"
    ? -0.5 * k * Math.log(2 * Math.PI) - 0.5 * logV - 0.5 * rss
    : -0.5 * (k - x.cols) * Math.log(2 * Math.PI) - 0.5 * logV - 0.5 * proj.logDetXtwx - 0.5 * rss
}

/** Hedges' estimator in general form (untruncated), and the sums its se needs. */
const hedges = (x: Matrix, y: Float64Array, v: Float64Array) => {
  const proj = projectionAt(x, new Float64Array(x.rows).fill(1))
  if (proj === null) return null
  const tracePV = weightedTrace(proj, v)
  return { proj, tracePV, tau2: (quadratic(proj, y) - tracePV) / (x.rows - x.cols) }
}

/** ML, REML and EB: metafor's Fisher-scoring loop, started at max(0, HE). */
const scored = (x: Matrix, y: Float64Array, v: Float64Array, method: "ML" | "REML" | "EB", start: number): RegressionTau2 | NotEstimable => {
  const k = x.rows
  const p = x.cols
  let tau2 = Math.max(0, start)
  let change = THRESHOLD + 1
  let iterations = 0
  let proj: Projection | null = null
  while (change > THRESHOLD) {
    iterations += 1
    const previous = tau2
    proj = projectionAt(x, weightsAt(v, tau2))
    if (proj === null) return singular(k)
    const sumW = proj.w.reduce((s, w) => s + w, 0)
    let step =
      method === "REML"
        ? (quadraticSquared(proj, y) - weightedTrace(proj)) / squareSum(proj)
        : method === "ML"
          ? (quadraticSquared(proj, y) - sumW) / proj.w.reduce((s, w) => s + w * w, 0)
          : ((quadratic(proj, y) * k) / (k - p) - k) / sumW
    if (Number.isNaN(step)) step = 0
    while (tau2 + step < 0) step /= 2
    tau2 += step
    change = Math.abs(previous - tau2)
    if (iterations > MAX_ITERATIONS) {
      return notEstimable(k, `the ${method} estimation of tau^2 did not converge within ${MAX_ITERATIONS} iterations`)
    }
  }
  if (method !== "EB") {
    const ll0 = logLikelihood(x, y, v, 0, method)
    const ll = logLikelihood(x, y, v, tau2, method)
    if (ll0 !== null && ll !== null && ll0 - ll > LL0_TOLERANCE && tau2 > THRESHOLD) tau2 = 0
  }
  tau2 = Math.max(0, tau2)
  proj = projectionAt(x, weightsAt(v, tau2))
  if (proj === null) return singular(k)
  const w = proj.w
  const se =
    method === "ML"
      ? Math.sqrt(2 / w.reduce((s, wi) => s + wi * wi, 0))
      : method === "REML"
        ? Math.sqrt(2 / squareSum(proj))
        : Math.sqrt((2 * k * k) / (k - p)) / w.reduce((s, wi) => s + wi, 0)
  return { tau2, se, iterations }
}

/** Paule–Mandel: YᵀP(τ²)Y = k − p, by R's uniroot on [0, 100] at metafor's tolerance. */
const pauleMandel = (x: Matrix, y: Float64Array, v: Float64Array): RegressionTau2 | NotEstimable => {
  const k = x.rows
  const p = x.cols
  let failed = false
  const excess = (tau2: number): number => {
    const proj = projectionAt(x, weightsAt(v, tau2))
    if (proj === null) {
      failed = true
      return Number.NaN
    }
    return quadratic(proj, y) - (k - p)
  }
  let tau2 = 0
  let iterations = 0
  if (excess(0) >= 0) {
    if (excess(TAU2_MAX) > 0) {
      return notEstimable(k, `the Paule-Mandel equation has no root below tau^2 = ${TAU2_MAX}: the studies are too heterogeneous for this estimator`)
    }
    const root = brent(excess, 0, TAU2_MAX, { tolerance: ROOT_TOLERANCE, maxIterations: MAX_ITERATIONS })
    if (root.status !== "converged") return notEstimable(k, `the Paule-Mandel root search for tau^2 failed: ${root.reason}`)
    tau2 = Math.max(0, root.root)
    iterations = root.iterations
  }
  if (failed) return singular(k)
  const sumW = weightsAt(v, tau2).reduce((s, w) => s + w, 0)
  return { tau2, se: Math.sqrt((2 * k * k) / (k - p)) / sumW, iterations }
}

/**
 * τ² of the meta-regression of y on the design X (k × p, with its intercept column) by `method`.
 *
 * Formulas (metafor 3.8 `rma.uni` with `mods`; P at weights w as in `projection.ts`, V = diag(vᵢ),
 * y centred at its mean as metafor centres it for τ²):
 *   HE  P at w = 1:      τ² = (yᵀPy − tr PV)/(k − p)
 *   DL  P at w = 1/v:    τ² = (yᵀPy − (k − p))/tr P
 *   HS  P at w = 1/v:    τ² = (yᵀPy − k)/Σw
 *   SJ  P at w = 1/(v + τ₀²), τ₀² = Σ(yᵢ − ȳ)²/k:  τ² = τ₀²·yᵀPy/(k − p)
 *   PM  yᵀP(τ²)y = k − p (R uniroot on [0, 100]);  EB, ML, REML  Fisher scoring (see fisher-scoring.ts)
 * each truncated at 0, with metafor's se.tau2 for each method.
 *
 * Reference: `metafor::rma.uni(yi, vi, mods = ~ ..., method = ...)` (metafor 3.8); Viechtbauer
 * (2005); Raudenbush (2009) in *The Handbook of Research Synthesis and Meta-Analysis*.
 *
 * Preconditions: k > p, y and v of length k, v > 0 (validated by the caller). `NotEstimable` when
 * XᵀWX is singular, an iteration does not converge, or PM has no root below 100.
 *
 * Example: with X a single column of ones every method gives the intercept-only estimate of
 * `rmaUni` (the tests check this on every fixture dataset).
 */
export const tau2Regression = (x: Matrix, y: Float64Array, v: Float64Array, method: Tau2Method): RegressionTau2 | NotEstimable => {
  const k = x.rows
  const p = x.cols
  const mean = y.reduce((s, yi) => s + yi, 0) / k
  const centred = Float64Array.from(y, (yi) => yi - mean)
  if (method === "HE" || method === "ML" || method === "REML" || method === "EB") {
    const he = hedges(x, centred, v)
    if (he === null) return singular(k)
    if (method !== "HE") return scored(x, centred, v, method, he.tau2)
    const tau2 = Math.max(0, he.tau2)
    const se = Math.sqrt(2 * squareSum(he.proj, v, v) + 4 * tau2 * he.tracePV + 2 * tau2 * tau2 * (k - p)) / (k - p)
    return { tau2, se, iterations: 0 }
  }
  if (method === "PM") return pauleMandel(x, centred, v)
  const start = method === "SJ" ? centred.reduce((s, e) => s + e * e, 0) / k : 0
  const proj = projectionAt(x, weightsAt(v, start))
  if (proj === null) return singular(k)
  const rss = quadratic(proj, centred)
  const sumW = proj.w.reduce((s, w) => s + w, 0)
  const traceP = weightedTrace(proj)
  const pp = squareSum(proj)
  if (method === "DL") {
    const tau2 = Math.max(0, (rss - (k - p)) / traceP)
    return { tau2, se: Math.sqrt(2 * (k - p) + 4 * tau2 * traceP + 2 * tau2 * tau2 * pp) / traceP, iterations: 0 }
  }
  if (method === "HS") {
    const tau2 = Math.max(0, (rss - k) / sumW)
    return { tau2, se: Math.sqrt(2 * (k - p) + 4 * tau2 * traceP + 2 * tau2 * tau2 * pp) / sumW, iterations: 0 }
  }
  // SJ
  const tau2 = Math.max(0, (start * rss) / (k - p))
  const se = (start * Math.sqrt(2 * squareSum(proj, v, v) + 4 * tau2 * squareSum(proj, undefined, v) + 2 * tau2 * tau2 * pp)) / (k - p)
  return { tau2, se, iterations: 0 }
}
