/**
 * Three-level random-effects meta-analysis: several effects per study.
 *
 * Model (Konstantopoulos 2011; Cheung 2014; Van den Noortgate et al. 2013): for effect i of study s,
 *   yᵢ = xᵢᵀβ + u_s + wᵢ + εᵢ,   u_s ~ N(0, σ²₃) (between studies), wᵢ ~ N(0, σ²₂) (within
 *   studies), εᵢ ~ N(0, vᵢ) (sampling error, vᵢ known),
 * so Var(y) = V = diag(vᵢ) + σ²₃·ZZᵀ + σ²₂·I, block-diagonal by study (Z: study indicators).
 *
 * Estimation: σ²₃, σ²₂ maximise the restricted (REML, default) or full (ML) log-likelihood, by
 * Fisher scoring with step-halving and the bounds σ² ≥ 0. With Q = P (REML; P = V⁻¹ − V⁻¹X(XᵀV⁻¹X)⁻¹XᵀV⁻¹)
 * or Q = V⁻¹ (ML), G₃ = ZZᵀ and G₂ = I: score_j = ½(yᵀPG_jPy − tr(QG_j)), information
 * I_jl = ½ tr(QG_jQG_l). V⁻¹ is built study by study (Sherman–Morrison: each block is
 * A + σ²₃·11ᵀ with A diagonal). β̂ = (XᵀV⁻¹X)⁻¹XᵀV⁻¹y with Var(β̂) = (XᵀV⁻¹X)⁻¹; z tests, or
 * t tests on k − p df ("t"); prediction interval μ̂ ± crit·√(se² + σ²₃ + σ²₂).
 *
 * Reference: `metafor::rma.mv(yi, vi, mods, random = ~ 1 | study/es, method, test)` (metafor 3.8),
 * `predict()`; the I² split by level is Cheung's (2014) with the typical sampling variance
 * (k − p)/tr(P₀), P₀ the projection at weights 1/vᵢ.
 *
 * Dense k × k work: intended for up to a few thousand effects.
 */
import { chiSquaredCdf } from "../distributions/chi-squared.ts"
import { type Matrix, invertSpd, matrixFromRows } from "../numeric/matrix.ts"
import { type Interval, type NotEstimable, notEstimable } from "../types.ts"
import type { RegressionCoefficient } from "./rma-reg.ts"
import { criticalValue, twoSidedP } from "./wald.ts"

export type ThreeLevelMethod = "REML" | "ML"
export type ThreeLevelTest = "z" | "t"

export interface ThreeLevelInput {
  readonly yi: ArrayLike<number>
  readonly vi: ArrayLike<number>
  /** the study (cluster) of each effect */
  readonly study: ReadonlyArray<string>
  /** design matrix, k × p, first column the intercept (default: intercept only) */
  readonly x?: Matrix
  readonly names?: ReadonlyArray<string>
}

export interface ThreeLevelOptions {
  readonly method?: ThreeLevelMethod
  readonly test?: ThreeLevelTest
  readonly level?: number
}

/** A coefficient with its z or t test and CI (the record of rma-reg.ts). */
export type ThreeLevelCoefficient = RegressionCoefficient

export interface ThreeLevelResult {
  readonly status: "estimated"
  readonly k: number
  readonly studies: number
  readonly p: number
  readonly coefficients: ReadonlyArray<ThreeLevelCoefficient>
  /** Var(β̂), row-major p × p */
  readonly vcov: Float64Array
  /** t df k − p for "t"; null for "z" */
  readonly df: number | null
  /** [σ²₃ between studies, σ²₂ within studies] */
  readonly sigma2: readonly [number, number]
  /** Cheung's I² by level [between, within], percent */
  readonly i2: readonly [number, number]
  /** prediction interval of the first coefficient (the pooled effect in an intercept-only model) */
  readonly pi: Interval
  /** Cochran's Q of the equal-effects model with these moderators, on k − p df */
  readonly qe: number
  readonly qeDf: number
  readonly qeP: number
  /** log-likelihood as metafor's logLik() (REML or ML) */
  readonly logLik: number
  readonly iterations: number
  readonly method: ThreeLevelMethod
  readonly test: ThreeLevelTest
  readonly level: number
  /** the fitted V⁻¹ (k × k, row-major) and the study index of each effect, for robust inference */
  readonly vInverse: Float64Array
  readonly cluster: Int32Array
  readonly x: Matrix
  readonly yi: Float64Array
  readonly reference: string
}

const MAX_ITERATIONS = 500
const TOLERANCE = 1e-12

/** Study indices in order of first appearance. */
const clusters = (study: ReadonlyArray<string>): { index: Int32Array; count: number } => {
  const seen = new Map<string, number>()
  const index = Int32Array.from(study, (s) => {
    let i = seen.get(s)
    if (i === undefined) seen.set(s, (i = seen.size))
    return i
  })
  return { index, count: seen.size }
}

/** V⁻¹ and log|V| for σ² = [σ²₃, σ²₂] (block by block). */
const inverseV = (vi: Float64Array, members: ReadonlyArray<ReadonlyArray<number>>, s3: number, s2: number) => {
  const k = vi.length
  const inv = new Float64Array(k * k)
  let logDet = 0
  for (const m of members) {
    let sumInvA = 0
    for (const i of m) {
      const a = vi[i]! + s2
      logDet += Math.log(a)
      sumInvA += 1 / a
    }
    const denom = 1 + s3 * sumInvA
    logDet += Math.log(denom)
    for (const i of m) {
      const ai = 1 / (vi[i]! + s2)
      for (const j of m) inv[i * k + j] = (i === j ? ai : 0) - (s3 * ai * (1 / (vi[j]! + s2))) / denom
    }
  }
  return { inv, logDet }
}

/** XᵀMX and XᵀMy for a k × k matrix M. */
const crossProducts = (x: Matrix, m: Float64Array, y: Float64Array) => {
  const { rows: k, cols: p, data } = x
  const mx = new Float64Array(k * p) // M X
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
    const mij = m[i * k + j]!
    if (mij === 0) continue
    for (let c = 0; c < p; c++) mx[i * p + c]! += mij * data[j * p + c]!
  }
  const xmx = new Float64Array(p * p)
  const xmy = new Float64Array(p)
  for (let i = 0; i < k; i++) for (let c = 0; c < p; c++) {
    xmy[c]! += mx[i * p + c]! * y[i]!
    for (let d = 0; d < p; d++) xmx[c * p + d]! += data[i * p + c]! * mx[i * p + d]!
  }
  return { mx, xmx: { rows: p, cols: p, data: xmx }, xmy }
}

interface Evaluation {
  readonly ll: number
  readonly score: readonly [number, number]
  readonly info: readonly [number, number, number]
  readonly beta: Float64Array
  readonly vcov: Float64Array
  readonly vInverse: Float64Array
}

/** The log-likelihood (without constants), its score and expected information at σ². */
const evaluate = (y: Float64Array, vi: Float64Array, x: Matrix, members: ReadonlyArray<ReadonlyArray<number>>, cluster: Int32Array, s3: number, s2: number, reml: boolean): Evaluation | null => {
  const k = y.length
  const p = x.cols
  const { inv, logDet } = inverseV(vi, members, s3, s2)
  const { mx, xmx, xmy } = crossProducts(x, inv, y)
  const bread = invertSpd(xmx)
  if (bread === null) return null
  const b = bread.inverse.data
  const beta = new Float64Array(p)
  for (let c = 0; c < p; c++) for (let d = 0; d < p; d++) beta[c]! += b[c * p + d]! * xmy[d]!
  // Q = V⁻¹ − V⁻¹X B XᵀV⁻¹ (REML) or V⁻¹ (ML); Py = V⁻¹(y − Xβ̂) in both cases
  const q = reml ? new Float64Array(inv) : inv
  if (reml) {
    for (let i = 0; i < k; i++) for (let j = i; j < k; j++) {
      let s = 0
      for (let c = 0; c < p; c++) for (let d = 0; d < p; d++) s += mx[i * p + c]! * b[c * p + d]! * mx[j * p + d]!
      q[i * k + j]! -= s
      if (j !== i) q[j * k + i]! -= s
    }
  }
  const resid = Float64Array.from(y, (yi, i) => {
    let f = 0
    for (let c = 0; c < p; c++) f += x.data[i * p + c]! * beta[c]!
    return yi - f
  })
  const py = new Float64Array(k)
  for (let i = 0; i < k; i++) {
    let s = 0
    for (const j of members[cluster[i]!]!) s += inv[i * k + j]! * resid[j]!
    py[i] = s
  }
  let rss = 0
  for (let i = 0; i < k; i++) rss += resid[i]! * py[i]!
  const ll = -0.5 * (logDet + (reml ? bread.logDeterminant : 0) + rss)
  // traces with G₂ = I and G₃ = ZZᵀ: C = Q·Z (k × m), B = ZᵀQZ (m × m)
  const m = members.length
  const cz = new Float64Array(k * m)
  let trQ = 0
  let trQQ = 0
  for (let i = 0; i < k; i++) {
    trQ += q[i * k + i]!
    for (let j = 0; j < k; j++) {
      const v = q[i * k + j]!
      trQQ += v * v
      cz[i * m + cluster[j]!]! += v
    }
  }
  let trQZ = 0 // tr(Q G₃) = Σ_s 1ᵀQ_ss1
  let trQQZ = 0 // tr(Q G₂ Q G₃) = Σ (QZ)²
  const bz = new Float64Array(m * m)
  for (let i = 0; i < k; i++) {
    trQZ += cz[i * m + cluster[i]!]!
    for (let s = 0; s < m; s++) {
      const v = cz[i * m + s]!
      trQQZ += v * v
      bz[cluster[i]! * m + s]! += v
    }
  }
  let trQZQZ = 0
  for (const v of bz) trQZQZ += v * v
  const zpy = new Float64Array(m)
  let pyy = 0
  for (let i = 0; i < k; i++) {
    zpy[cluster[i]!]! += py[i]!
    pyy += py[i]! * py[i]!
  }
  let zz = 0
  for (const v of zpy) zz += v * v
  return {
    ll,
    score: [0.5 * (zz - trQZ), 0.5 * (pyy - trQ)],
    info: [0.5 * trQZQZ, 0.5 * trQQZ, 0.5 * trQQ],
    beta,
    vcov: b,
    vInverse: inv,
  }
}

/** Maximises the (restricted) likelihood over σ²₃, σ²₂ ≥ 0 by Fisher scoring with step-halving. */
const maximise = (y: Float64Array, vi: Float64Array, x: Matrix, members: ReadonlyArray<ReadonlyArray<number>>, cluster: Int32Array, reml: boolean, start: readonly [number, number]) => {
  let theta: [number, number] = [start[0], start[1]]
  let current = evaluate(y, vi, x, members, cluster, theta[0], theta[1], reml)
  if (current === null) return null
  let iterations = 0
  for (; iterations < MAX_ITERATIONS; iterations++) {
    const [g3, g2] = current.score
    const [i33, i32, i22] = current.info
    // coordinates held at the bound 0 when the score pushes below it
    const free = [!(theta[0] === 0 && g3 <= 0), !(theta[1] === 0 && g2 <= 0)]
    let step: [number, number]
    if (free[0] && free[1]) {
      const det = i33 * i22 - i32 * i32
      // When the two variance components are not separately identified (one effect per study:
      // G₃ = G₂), the information is singular; scoring along their sum keeps the split even.
      if (det > 1e-10 * i33 * i22) step = [(i22 * g3 - i32 * g2) / det, (i33 * g2 - i32 * g3) / det]
      else {
        const along = (g3 + g2) / (i33 + 2 * i32 + i22)
        step = [along, along]
      }
    } else step = [free[0] ? g3 / i33 : 0, free[1] ? g2 / i22 : 0]
    let factor = 1
    let next: Evaluation | null = null
    let candidate: [number, number] = theta
    for (let h = 0; h < 60; h++, factor /= 2) {
      candidate = [Math.max(0, theta[0] + factor * step[0]), Math.max(0, theta[1] + factor * step[1])]
      next = evaluate(y, vi, x, members, cluster, candidate[0], candidate[1], reml)
      if (next !== null && next.ll >= current.ll - 1e-12 * Math.abs(current.ll)) break
    }
    if (next === null) return null
    const change = Math.abs(candidate[0] - theta[0]) + Math.abs(candidate[1] - theta[1])
    theta = candidate
    current = next
    if (change <= TOLERANCE * Math.max(1e-8, theta[0] + theta[1])) break
  }
  return { theta, evaluation: current, iterations }
}

/** Cochran's Q of the equal-effects model: Σwᵢeᵢ² at wᵢ = 1/vᵢ, with typical variance (k − p)/tr(P₀). */
const equalEffectsQ = (y: Float64Array, vi: Float64Array, x: Matrix) => {
  const k = y.length
  const p = x.cols
  const w = Float64Array.from(vi, (v) => 1 / v)
  const xwx = new Float64Array(p * p)
  const xwy = new Float64Array(p)
  for (let i = 0; i < k; i++) for (let c = 0; c < p; c++) {
    xwy[c]! += x.data[i * p + c]! * w[i]! * y[i]!
    for (let d = 0; d < p; d++) xwx[c * p + d]! += x.data[i * p + c]! * w[i]! * x.data[i * p + d]!
  }
  const inv = invertSpd({ rows: p, cols: p, data: xwx })
  if (inv === null) return null
  const b = inv.inverse.data
  let q = 0
  for (let i = 0; i < k; i++) {
    let f = 0
    for (let c = 0; c < p; c++) for (let d = 0; d < p; d++) f += x.data[i * p + c]! * b[c * p + d]! * xwy[d]!
    q += w[i]! * (y[i]! - f) ** 2
  }
  // tr(P₀) = Σwᵢ − tr((XᵀWX)⁻¹XᵀW²X)
  let trace = 0
  for (let i = 0; i < k; i++) {
    trace += w[i]!
    let h = 0
    for (let c = 0; c < p; c++) for (let d = 0; d < p; d++) h += x.data[i * p + c]! * b[c * p + d]! * x.data[i * p + d]!
    trace -= w[i]! * w[i]! * h
  }
  return { q, typical: (k - p) / trace }
}

/**
 * Fits the three-level model (see the module comment).
 *
 * Preconditions: yi finite, vi > 0, as many study labels as effects, 0 < level < 1. `NotEstimable`
 * for fewer than p + 2 effects, a single study, or a design that is not of full rank.
 *
 * Example: rmaThreeLevel({ yi, vi, study }) on metadat's dat.konstantopoulos2011 (study = district)
 * gives μ̂ = 0.1847, σ²₃ = 0.0651, σ²₂ = 0.0327 (REML), as rma.mv(yi, vi, random = ~ 1 | district/school).
 */
export const rmaThreeLevel = (input: ThreeLevelInput, options: ThreeLevelOptions = {}): ThreeLevelResult | NotEstimable => {
  const method = options.method ?? "REML"
  const test = options.test ?? "z"
  const level = options.level ?? 0.95
  if (!(level > 0 && level < 1)) throw new RangeError(`level must lie strictly between 0 and 1 (got ${level})`)
  const y = Float64Array.from(input.yi)
  const vi = Float64Array.from(input.vi)
  const k = y.length
  if (vi.length !== k || input.study.length !== k) throw new RangeError("yi, vi and study must have the same length")
  const x = input.x ?? matrixFromRows(Array.from({ length: k }, () => [1]))
  const p = x.cols
  if (x.rows !== k) throw new RangeError(`X has ${x.rows} rows for ${k} effects`)
  if (!y.every(Number.isFinite) || !vi.every((v) => Number.isFinite(v) && v > 0)) return notEstimable(k, "effects need finite yi and positive vi")
  const { index: cluster, count } = clusters(input.study)
  if (count < 2) return notEstimable(k, "a three-level model needs at least 2 studies")
  if (k < p + 2) return notEstimable(k, `a three-level model with ${p} coefficient${p === 1 ? "" : "s"} needs at least ${p + 2} effects`)
  const members: number[][] = Array.from({ length: count }, () => [])
  cluster.forEach((s, i) => members[s]!.push(i))
  const qe = equalEffectsQ(y, vi, x)
  if (qe === null) return notEstimable(k, "the moderators are collinear (the design matrix is not of full rank)")

  const reml = method === "REML"
  // start: the total heterogeneity beyond sampling error, split evenly between the levels
  let mean = 0
  for (const v of y) mean += v / k
  let spread = 0
  for (let i = 0; i < k; i++) spread += (y[i]! - mean) ** 2 / (k - 1)
  let vbar = 0
  for (const v of vi) vbar += v / k
  const start = Math.max(0.01, spread - vbar) / 2
  const fit = maximise(y, vi, x, members, cluster, reml, [start, start])
  if (fit === null) return notEstimable(k, "the likelihood could not be maximised (the design matrix is not of full rank)")
  const { theta, evaluation, iterations } = fit
  const df = test === "t" ? k - p : null
  const crit = criticalValue(test === "t" ? "knha" : "z", df ?? Number.NaN, level)
  const names = Array.from({ length: p }, (_, c) => input.names?.[c] ?? (c === 0 ? "intrcpt" : `x${c}`))
  const coefficients = names.map((name, c): ThreeLevelCoefficient => {
    const estimate = evaluation.beta[c]!
    const se = Math.sqrt(evaluation.vcov[c * p + c]!)
    const statistic = estimate / se
    return { name, estimate, se, statistic, p: twoSidedP(statistic, test === "t" ? "knha" : "z", df ?? Number.NaN), ci: [estimate - crit * se, estimate + crit * se] }
  })
  const total = theta[0] + theta[1]
  const first = coefficients[0]!
  const piHalf = crit * Math.sqrt(first.se ** 2 + total)
  // metafor's logLik: −½(n log 2π + log|V| + rss) for ML; REML with n = k − p and + ½ log|XᵀX| − ½ log|XᵀV⁻¹X|
  const xtx = crossProducts(x, identity(k), y).xmx
  const logDetXtX = invertSpd(xtx)?.logDeterminant ?? 0
  const n = reml ? k - p : k
  const logLik = evaluation.ll - 0.5 * n * Math.log(2 * Math.PI) + (reml ? 0.5 * logDetXtX : 0)
  return {
    status: "estimated",
    k,
    studies: count,
    p,
    coefficients,
    vcov: evaluation.vcov,
    df,
    sigma2: [theta[0], theta[1]],
    i2: [(100 * theta[0]) / (total + qe.typical), (100 * theta[1]) / (total + qe.typical)],
    pi: [first.estimate - piHalf, first.estimate + piHalf],
    qe: qe.q,
    qeDf: k - p,
    qeP: chiSquaredCdf(qe.q, k - p, false),
    logLik,
    iterations,
    method,
    test,
    level,
    vInverse: evaluation.vInverse,
    cluster,
    x,
    yi: y,
    reference: `metafor::rma.mv(yi, vi, ${p > 1 ? "mods, " : ""}random = ~ 1 | study/es, method = "${method}", test = "${test}")`,
  }
}

const identity = (k: number): Float64Array => {
  const m = new Float64Array(k * k)
  for (let i = 0; i < k; i++) m[i * k + i] = 1
  return m
}
