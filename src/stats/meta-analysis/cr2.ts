/**
 * Cluster-robust inference for a three-level model: the CR2 sandwich estimator with
 * Satterthwaite degrees of freedom, clusters = studies (Bell & McCaffrey 2002; Tipton 2015;
 * Pustejovsky & Tipton 2018).
 *
 * With working weights W = V̂⁻¹ (the fitted model's), target Φ = V̂, bread M = (XᵀWX)⁻¹ and
 * residuals e = y − Xβ̂: per cluster j, U_j the upper Cholesky factor of Φ_j (U_jᵀU_j = Φ_j),
 * G_j = U_j(I − X_jMX_jᵀW_j)Φ_jU_jᵀ and the adjustment A_j = U_jᵀG_j^(−1/2)U_j; then
 * V_CR2 = M·Σ_j X_jᵀW_jA_je_je_jᵀA_jᵀW_jX_j·M. For coefficient c, writing cᵀV_CR2c = Σ_j (u_jᵀy)²
 * with u_j = (I − H)ᵀ[g_j], g_j = A_jᵀW_jX_jMc and H = XMXᵀW, the Satterthwaite df under the
 * working model are (Σ_j u_jᵀΦu_j)² / Σ_i Σ_j (u_iᵀΦu_j)²; tests and CIs use t on those df.
 *
 * Reference: `clubSandwich::coef_test(fit, vcov = "CR2", cluster = study, test = "Satterthwaite")`
 * and `conf_int(fit, vcov = "CR2", cluster = study)` for `fit <- metafor::rma.mv(...)` (clubSandwich 0.5.8).
 */
import { studentTQuantile, studentTTwoSidedP } from "../distributions/students-t.ts"
import { inverseSquareRoot, type Matrix } from "../numeric/matrix.ts"
import type { Interval } from "../types.ts"
import type { ThreeLevelResult } from "./three-level.ts"

export interface RobustCoefficient {
  readonly name: string
  readonly estimate: number
  readonly se: number
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
  readonly clusters: number
  readonly reference: string
}

const multiply = (a: Float64Array, b: Float64Array, n: number, m: number, q: number): Float64Array => {
  const out = new Float64Array(n * q)
  for (let i = 0; i < n; i++) for (let l = 0; l < m; l++) {
    const v = a[i * m + l]!
    if (v === 0) continue
    for (let j = 0; j < q; j++) out[i * q + j]! += v * b[l * q + j]!
  }
  return out
}
const transpose = (a: Float64Array, n: number, m: number): Float64Array => {
  const out = new Float64Array(m * n)
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) out[j * n + i] = a[i * m + j]!
  return out
}

/** Upper Cholesky factor U of an SPD matrix (UᵀU = A), as R's chol(). */
const upperCholesky = (a: Float64Array, n: number): Float64Array => {
  const u = new Float64Array(n * n)
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j]!
    for (let k = 0; k < j; k++) d -= u[k * n + j]! ** 2
    u[j * n + j] = Math.sqrt(d)
    for (let i = j + 1; i < n; i++) {
      let s = a[j * n + i]!
      for (let k = 0; k < j; k++) s -= u[k * n + j]! * u[k * n + i]!
      u[j * n + i] = s / u[j * n + j]!
    }
  }
  return u
}

/** CR2 robust tests of every coefficient of a fitted three-level model (see the module comment). */
export const cr2ThreeLevel = (fit: ThreeLevelResult, vi: ArrayLike<number>): Cr2Result => {
  const { k, p, x, yi: y, vInverse: w, cluster, vcov: m } = fit
  const [s3, s2] = fit.sigma2
  const members: number[][] = Array.from({ length: fit.studies }, () => [])
  cluster.forEach((s, i) => members[s]!.push(i))
  const beta = fit.coefficients.map((c) => c.estimate)
  const resid = Float64Array.from(y, (yi, i) => yi - beta.reduce((f, b, c) => f + x.data[i * p + c]! * b, 0))
  const rowsOf = (idx: ReadonlyArray<number>, mat: Matrix | { data: Float64Array; cols: number }) => {
    const out = new Float64Array(idx.length * mat.cols)
    idx.forEach((i, r) => out.set(mat.data.subarray(i * mat.cols, (i + 1) * mat.cols), r * mat.cols))
    return out
  }
  const block = (idx: ReadonlyArray<number>, full: Float64Array) => {
    const n = idx.length
    const out = new Float64Array(n * n)
    idx.forEach((i, r) => idx.forEach((j, c) => (out[r * n + c] = full[i * k + j]!)))
    return out
  }
  const phiBlock = (idx: ReadonlyArray<number>) => {
    const n = idx.length
    const out = new Float64Array(n * n)
    idx.forEach((i, r) => idx.forEach((_, c) => (out[r * n + c] = s3 + (r === c ? s2 + vi[i]! : 0))))
    return out
  }
  // per cluster: B_j = A_jᵀ W_j X_j (n_j × p), so that X_jᵀW_jA_je_j = B_jᵀe_j
  const bj = members.map((idx) => {
    const n = idx.length
    const xj = rowsOf(idx, x)
    const wj = block(idx, w)
    const phi = phiBlock(idx)
    // I − X_j M X_jᵀ W_j
    const xm = multiply(xj, m, n, p, p)
    const h = multiply(multiply(xm, transpose(xj, n, p), n, p, n), wj, n, n, n)
    const ih = Float64Array.from(h, (v, i) => (i % (n + 1) === 0 ? 1 : 0) - v)
    const u = upperCholesky(phi, n)
    const g = multiply(multiply(multiply(u, ih, n, n, n), phi, n, n, n), transpose(u, n, n), n, n, n)
    for (let r = 0; r < n; r++) for (let c = r + 1; c < n; c++) g[r * n + c] = g[c * n + r] = (g[r * n + c]! + g[c * n + r]!) / 2
    const gInvSqrt = inverseSquareRoot({ rows: n, cols: n, data: g }).data
    const a = multiply(multiply(transpose(u, n, n), gInvSqrt, n, n, n), u, n, n, n)
    return { idx, b: multiply(transpose(a, n, n), multiply(wj, xj, n, n, p), n, n, p), phi }
  })
  // V_CR2 = M (Σ_j B_jᵀe_j e_jᵀB_j) M
  const meat = new Float64Array(p * p)
  for (const { idx, b } of bj) {
    const v = new Float64Array(p)
    idx.forEach((i, r) => { for (let c = 0; c < p; c++) v[c]! += b[r * p + c]! * resid[i]! })
    for (let c = 0; c < p; c++) for (let d = 0; d < p; d++) meat[c * p + d]! += v[c]! * v[d]!
  }
  const vcov = multiply(multiply(m, meat, p, p, p), m, p, p, p)
  // W X (k × p) for u_j = pad(g_j) − W X (M X_jᵀ g_j)
  const wx = new Float64Array(k * p)
  for (const idx of members) idx.forEach((i) => idx.forEach((j) => { for (let c = 0; c < p; c++) wx[i * p + c]! += w[i * k + j]! * x.data[j * p + c]! }))
  const phiTimes = (u: Float64Array): Float64Array => {
    const out = new Float64Array(k)
    bj.forEach(({ idx, phi }) => idx.forEach((i, r) => idx.forEach((j, c) => (out[i]! += phi[r * idx.length + c]! * u[j]!))))
    return out
  }
  const level = fit.level
  const coefficients = fit.coefficients.map((coef, c): RobustCoefficient => {
    const mc = Float64Array.from({ length: p }, (_, d) => m[d * p + c]!)
    const us = bj.map(({ idx, b }) => {
      const g = Float64Array.from(idx, (_, r) => b.subarray(r * p, (r + 1) * p).reduce((s, v, d) => s + v * mc[d]!, 0))
      const xg = new Float64Array(p)
      idx.forEach((i, r) => { for (let d = 0; d < p; d++) xg[d]! += x.data[i * p + d]! * g[r]! })
      const mxg = multiply(m, xg, p, p, 1)
      const u = new Float64Array(k)
      for (let i = 0; i < k; i++) u[i] = -wx.subarray(i * p, (i + 1) * p).reduce((s, v, d) => s + v * mxg[d]!, 0)
      idx.forEach((i, r) => (u[i]! += g[r]!))
      return u
    })
    const phiU = us.map(phiTimes)
    let expectation = 0
    let sumSquares = 0
    us.forEach((ui, i) => phiU.forEach((pj, j) => {
      const v = ui.reduce((s, x_, l) => s + x_ * pj[l]!, 0)
      if (i === j) expectation += v
      sumSquares += v * v
    }))
    const df = (expectation * expectation) / sumSquares
    const se = Math.sqrt(vcov[c * p + c]!)
    const statistic = coef.estimate / se
    const crit = studentTQuantile((1 - level) / 2, df, false)
    return { name: coef.name, estimate: coef.estimate, se, statistic, df, p: studentTTwoSidedP(statistic, df), ci: [coef.estimate - crit * se, coef.estimate + crit * se] }
  })
  return { coefficients, vcov, clusters: fit.studies, reference: 'clubSandwich::coef_test(fit, vcov = "CR2", cluster = study, test = "Satterthwaite")' }
}
