/**
 * Cluster-robust inference for a three-level model: the CR2 ("bias-reduced linearization")
 * sandwich estimator with Satterthwaite degrees of freedom, clusters = studies (Bell & McCaffrey
 * 2002; Hedges, Tipton & Johnson 2010; Tipton 2015; Pustejovsky & Tipton 2018).
 *
 * Working model: weights W = V̂⁻¹ and target Φ = V̂, both from the fitted three-level model
 * (clubSandwich's default for rma.mv, its `inverse_var` case). With M = (XᵀWX)⁻¹ and residuals
 * e = y − Xβ̂, per study j (X_j, W_j, Φ_j, e_j its rows and block):
 *   adjustment  A_j = D_jᵀ·G_j^(−½)·D_j,  D_j = chol(Φ_j) (upper, D_jᵀD_j = Φ_j),
 *               G_j = D_j(I − X_jMX_jᵀW_j)Φ_jD_jᵀ = D_j(Φ_j − X_jMX_jᵀ)D_jᵀ,
 *               G_j^(−½) over the eigenvalues above 1e-12 (a pseudo-inverse when study j alone
 *               determines a coefficient, as clubSandwich's matrix_power)
 *   vcov        V_CR2 = M·(Σ_j b_jb_jᵀ)·M,  b_j = X_jᵀW_jA_je_j
 *   df          for coefficient c, with p_j = A_jW_jX_jMc, s_j = p_jᵀΦ_jp_j, g_j = X_jᵀp_j, the
 *               Satterthwaite df under the working model are (tr Ω)²/Σ Ω²ᵢⱼ with
 *               Ω_ij = δ_ij·s_j − g_iᵀMg_j (clubSandwich's P array for inverse-variance weights),
 *               summed as Σ_j(s_j − m_jj)² + tr(MΓMΓ) − Σ_j m_jj², m_jj = g_jᵀMg_j, Γ = Σ_j g_jg_jᵀ
 *   tests       t = β̂_c/se_c on those df; CI β̂_c ± t_{1−α/2}(df)·se_c
 *
 * Cost: O(Σ_j n_j³) for the per-study adjustments (n_j effects in study j) plus O(m·p³).
 *
 * Reference: `clubSandwich::coef_test(fit, vcov = "CR2", cluster = study, test = "Satterthwaite")`,
 * `conf_int(fit, vcov = "CR2", cluster = study)` and `vcovCR(fit, cluster = study, type = "CR2")` for
 * `fit <- metafor::rma.mv(...)` (clubSandwich 0.5.8); metafor's `robust(fit, cluster = study,
 * clubSandwich = TRUE)` gives the same coefficient table.
 */
import { studentTQuantile, studentTTwoSidedP } from "../distributions/students-t.ts"
import { cholesky, type Matrix, multiply, symmetricPower, transpose } from "../numeric/matrix.ts"
import type { Interval } from "../types.ts"
import type { ThreeLevelResult } from "./three-level.ts"

export interface RobustCoefficient {
  readonly name: string
  readonly estimate: number
  /** CR2 standard error */
  readonly se: number
  /** t statistic estimate/se */
  readonly statistic: number
  /** Satterthwaite degrees of freedom */
  readonly df: number
  readonly p: number
  readonly ci: Interval
}

export interface Cr2Result {
  readonly coefficients: ReadonlyArray<RobustCoefficient>
  /** the CR2 variance–covariance matrix, row-major p × p */
  readonly vcov: Float64Array
  /** number of clusters (studies) */
  readonly clusters: number
  readonly reference: string
}

/** The rows `idx` of a k × cols row-major matrix. */
const rowsOf = (data: Float64Array, cols: number, idx: Int32Array): Matrix => {
  const out = new Float64Array(idx.length * cols)
  idx.forEach((i, r) => out.set(data.subarray(i * cols, (i + 1) * cols), r * cols))
  return { rows: idx.length, cols, data: out }
}

/** Per study: b_j (p), and P_j = A_jW_jX_jM (n_j × p) with Φ_j, for the Satterthwaite df. */
interface ClusterTerms {
  readonly b: Float64Array
  readonly pj: Matrix
  readonly phi: Matrix
  readonly xj: Matrix
}

const clusterTerms = (fit: ThreeLevelResult, vi: ArrayLike<number>, idx: Int32Array, resid: Float64Array, m: Matrix): ClusterTerms => {
  const n = idx.length
  const [between, within] = fit.sigma2
  const xj = rowsOf(fit.x.data, fit.p, idx)
  // Φ_j = diag(vᵢ + σ²₂) + σ²₁·11ᵀ and its inverse W_j = diag(f) − c·ffᵀ (Sherman–Morrison)
  const phi = new Float64Array(n * n).fill(between)
  const f = Float64Array.from(idx, (i) => 1 / (vi[i]! + within))
  const c = between / (1 + between * f.reduce((s, fi) => s + fi, 0))
  const w = new Float64Array(n * n)
  for (let r = 0; r < n; r++) {
    phi[r * n + r]! += vi[idx[r]!]! + within
    for (let s = 0; s < n; s++) w[r * n + s] = (r === s ? f[r]! : 0) - c * f[r]! * f[s]!
  }
  const phiMatrix = { rows: n, cols: n, data: phi }
  // G_j = Lᵀ(Φ_j − X_jMX_jᵀ)L with L = D_jᵀ the lower Cholesky factor; A_j = L·G_j^(−½)·Lᵀ
  const xm = multiply(xj, m)
  const core = multiply(xm, transpose(xj)).data.map((h, i) => phi[i]! - h)
  const factor = cholesky(phiMatrix)
  if (factor === null) throw new Error("the fitted marginal variance of a study is not positive definite")
  const lower = factor.lower
  const g = multiply(multiply(transpose(lower), { rows: n, cols: n, data: core }), lower)
  for (let r = 0; r < n; r++) for (let s = r + 1; s < n; s++) g.data[r * n + s] = g.data[s * n + r] = (g.data[r * n + s]! + g.data[s * n + r]!) / 2
  const a = multiply(multiply(lower, symmetricPower(g, -0.5)), transpose(lower))
  // A_j is symmetric, so A_jW_jX_j = (X_jᵀW_jA_j)ᵀ
  const awx = multiply(multiply(a, { rows: n, cols: n, data: w }), xj)
  const p = fit.p
  const b = new Float64Array(p)
  idx.forEach((i, r) => { for (let d = 0; d < p; d++) b[d]! += awx.data[r * p + d]! * resid[i]! })
  return { b, pj: multiply(awx, m), phi: phiMatrix, xj }
}

/**
 * CR2 cluster-robust tests and CIs of every coefficient of a fitted three-level model, clusters =
 * its studies (formulas in the module comment).
 *
 * `vi`: the sampling variances the model was fitted to; the fit's own by default (kept as an
 * argument for callers that pass them).
 *
 * Returns the robust vcov and per coefficient: estimate (the model's β̂), CR2 se, t, Satterthwaite
 * df, two-sided p, and the CI at the fit's level.
 *
 * Example: for the intercept-only REML fit of dat.konstantopoulos2011 (study = district),
 * se 0.0844580, df 9.86316, p 0.0539667 (R clubSandwich::coef_test: 0.08445799556699257,
 * 9.863156242244653, 0.053966742364455755).
 */
export const cr2ThreeLevel = (fit: ThreeLevelResult, vi: ArrayLike<number> = fit.vi): Cr2Result => {
  const { k, p, x, yi } = fit
  if (vi.length !== k) throw new RangeError(`${vi.length} sampling variances for a fit of ${k} effects`)
  const m: Matrix = { rows: p, cols: p, data: fit.vcov }
  const beta = fit.coefficients.map((c) => c.estimate)
  const resid = Float64Array.from(yi, (y, i) => y - beta.reduce((s, b, c) => s + x.data[i * p + c]! * b, 0))
  const members: number[][] = fit.studyLabels.map(() => [])
  fit.cluster.forEach((s, i) => members[s]!.push(i))
  const terms = members.map((idx) => clusterTerms(fit, vi, Int32Array.from(idx), resid, m))

  // V_CR2 = M (Σ b_j b_jᵀ) M
  const meat = new Float64Array(p * p)
  for (const { b } of terms) for (let c = 0; c < p; c++) for (let d = 0; d < p; d++) meat[c * p + d]! += b[c]! * b[d]!
  const vcov = multiply(multiply(m, { rows: p, cols: p, data: meat }), m).data

  const coefficients = fit.coefficients.map((coef, c): RobustCoefficient => {
    const df = satterthwaite(terms, m, c)
    const se = Math.sqrt(vcov[c * p + c]!)
    const statistic = coef.estimate / se
    const crit = studentTQuantile((1 - fit.level) / 2, df, false)
    return { name: coef.name, estimate: coef.estimate, se, statistic, df, p: studentTTwoSidedP(statistic, df), ci: [coef.estimate - crit * se, coef.estimate + crit * se] }
  })
  return {
    coefficients,
    vcov,
    clusters: terms.length,
    reference: 'clubSandwich::coef_test(fit, vcov = "CR2", cluster = study, test = "Satterthwaite"); conf_int(); vcovCR()',
  }
}

/** Satterthwaite df of coefficient c: (tr Ω)²/Σ Ω²ᵢⱼ with Ω_ij = δ_ij·s_j − g_iᵀMg_j. */
const satterthwaite = (terms: ReadonlyArray<ClusterTerms>, m: Matrix, c: number): number => {
  const p = m.rows
  const gamma = new Float64Array(p * p)
  let trace = 0
  let squares = 0
  let diagonal = 0
  for (const { pj, phi, xj } of terms) {
    const n = pj.rows
    const col = Float64Array.from({ length: n }, (_, r) => pj.data[r * p + c]!)
    let s = 0
    for (let r = 0; r < n; r++) for (let t = 0; t < n; t++) s += col[r]! * phi.data[r * n + t]! * col[t]!
    const g = new Float64Array(p)
    for (let r = 0; r < n; r++) for (let d = 0; d < p; d++) g[d]! += xj.data[r * p + d]! * col[r]!
    let mjj = 0
    for (let d = 0; d < p; d++) for (let e = 0; e < p; e++) {
      mjj += g[d]! * m.data[d * p + e]! * g[e]!
      gamma[d * p + e]! += g[d]! * g[e]!
    }
    trace += s - mjj
    squares += (s - mjj) ** 2
    diagonal += mjj * mjj
  }
  const mg = multiply(m, { rows: p, cols: p, data: gamma }).data
  let offDiagonal = -diagonal
  for (let d = 0; d < p; d++) for (let e = 0; e < p; e++) offDiagonal += mg[d * p + e]! * mg[e * p + d]!
  return (trace * trace) / (squares + offDiagonal)
}
