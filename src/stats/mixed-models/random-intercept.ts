/**
 * Linear mixed model with a random intercept for one grouping factor, from per-group sufficient
 * statistics (issue 5, first step): yᵢⱼ = xᵢⱼᵀβ + u_j + εᵢⱼ, u_j ~ N(0, σ²_u), εᵢⱼ ~ N(0, σ²).
 *
 * With θ = σ²_u/σ², each group's covariance is σ²(I + θ11ᵀ), whose inverse is
 * (I − d_j 11ᵀ)/σ² with d_j = θ/(1 + n_jθ). So every quantity is a sum over groups of
 * X_jᵀX_j, X_jᵀy_j, y_jᵀy_j, s_j = X_jᵀ1 and t_j = 1ᵀy_j (Searle, Casella & McCulloch 1992, ch. 6):
 *   A(θ) = Σ_j (X_jᵀX_j − d_j s_js_jᵀ),  b(θ) = Σ_j (X_jᵀy_j − d_j s_jt_j),
 *   β̂ = A⁻¹b,  RSS(θ) = Σ_j (y_jᵀy_j − d_jt_j²) − bᵀβ̂,  log|Ṽ| = Σ_j log(1 + n_jθ).
 * σ² is profiled out (σ̂² = RSS/(N − p) for REML, RSS/N for ML), and the criterion
 *   REML: (N − p)(1 + log(2πσ̂²)) + log|Ṽ| + log|A|,   ML: N(1 + log(2πσ̂²)) + log|Ṽ|
 * (lme4's REML criterion and deviance) is minimised over √θ ≥ 0 (lme4's θ) by golden-section
 * search with parabolic steps (Brent 1973, "fmin"). Var(β̂) = σ̂²A⁻¹; conditional modes
 * û_j = d_j(t_j − s_jᵀβ̂). Satterthwaite df per coefficient as lmerTest: 2V²/(∇Vᵀ·2H⁻¹·∇V) with V
 * the coefficient's variance as a function of (σ²_u, σ²), H the Hessian of the (unprofiled) REML
 * or ML deviance in those parameters, both by Richardson-extrapolated central differences.
 *
 * Reference: `lme4::lmer(y ~ x + (1 | g), REML)` and `lmerTest` (summary: Satterthwaite df and p).
 * Memory and time O(groups · p²) after one pass over the rows: a 9-million-row table is one pass.
 */
import { studentTQuantile, studentTTwoSidedP } from "../distributions/students-t.ts"
import { invertSpd, type Matrix } from "../numeric/matrix.ts"
import { type Interval, type NotEstimable, notEstimable } from "../types.ts"

/** Per-group sufficient statistics of the rows of one group. */
export interface GroupStatistics {
  readonly n: number
  /** X_jᵀX_j, row-major p × p */
  readonly xtx: Float64Array
  /** X_jᵀy_j */
  readonly xty: Float64Array
  readonly yty: number
  /** X_jᵀ1 (column sums) */
  readonly s: Float64Array
  /** 1ᵀy_j */
  readonly t: number
}

/** Accumulates the per-group statistics from rows: x is N × p (first column the intercept), group codes 0..G−1. */
export const groupStatistics = (x: Matrix, y: ArrayLike<number>, group: ArrayLike<number>, groups: number): GroupStatistics[] => {
  const p = x.cols
  const stats = Array.from({ length: groups }, () => ({ n: 0, xtx: new Float64Array(p * p), xty: new Float64Array(p), yty: 0, s: new Float64Array(p), t: 0 }))
  for (let i = 0; i < x.rows; i++) {
    const g = stats[group[i]!]!
    const yi = y[i]!
    g.n++
    g.yty += yi * yi
    g.t += yi
    for (let c = 0; c < p; c++) {
      const xc = x.data[i * p + c]!
      g.s[c]! += xc
      g.xty[c]! += xc * yi
      for (let d = 0; d < p; d++) g.xtx[c * p + d]! += xc * x.data[i * p + d]!
    }
  }
  return stats
}

export interface MixedCoefficient {
  readonly name: string
  readonly estimate: number
  readonly se: number
  /** Satterthwaite degrees of freedom (lmerTest) */
  readonly df: number
  readonly statistic: number
  readonly p: number
  readonly ci: Interval
}

export interface RandomInterceptResult {
  readonly status: "estimated"
  readonly n: number
  readonly groups: number
  readonly coefficients: ReadonlyArray<MixedCoefficient>
  readonly vcov: Float64Array
  /** σ²_u, the variance of the group intercepts */
  readonly groupVariance: number
  /** σ², the residual variance */
  readonly residualVariance: number
  /** intraclass correlation σ²_u/(σ²_u + σ²) */
  readonly icc: number
  /** REML criterion (REML) or deviance (ML), as lme4 */
  readonly criterion: number
  readonly logLik: number
  readonly aic: number
  readonly bic: number
  /** conditional modes of the group intercepts, by group code */
  readonly conditionalModes: Float64Array
  /** the variance ratio at the boundary 0: the fit is singular */
  readonly singular: boolean
  readonly method: "REML" | "ML"
  readonly reference: string
}

const GOLDEN = (3 - Math.sqrt(5)) / 2

/** Brent's fmin: the minimiser of f on [a, b] to tolerance tol. */
const minimise = (f: (x: number) => number, a: number, b: number, tol: number): number => {
  let v = a + GOLDEN * (b - a)
  let w = v
  let x = v
  let fx = f(x)
  let fv = fx
  let fw = fx
  let d = 0
  let e = 0
  for (let iter = 0; iter < 500; iter++) {
    const m = (a + b) / 2
    const tol1 = Math.sqrt(Number.EPSILON) * Math.abs(x) + tol / 3
    const tol2 = 2 * tol1
    if (Math.abs(x - m) <= tol2 - (b - a) / 2) break
    let golden = true
    if (Math.abs(e) > tol1) {
      let r = (x - w) * (fx - fv)
      let q = (x - v) * (fx - fw)
      let p = (x - v) * q - (x - w) * r
      q = 2 * (q - r)
      if (q > 0) p = -p
      else q = -q
      r = e
      e = d
      if (Math.abs(p) < Math.abs(0.5 * q * r) && p > q * (a - x) && p < q * (b - x)) {
        d = p / q
        const u = x + d
        if (u - a < tol2 || b - u < tol2) d = x < m ? tol1 : -tol1
        golden = false
      }
    }
    if (golden) {
      e = (x < m ? b : a) - x
      d = GOLDEN * e
    }
    const u = x + (Math.abs(d) >= tol1 ? d : d > 0 ? tol1 : -tol1)
    const fu = f(u)
    if (fu <= fx) {
      if (u < x) b = x
      else a = x
      v = w; fv = fw; w = x; fw = fx; x = u; fx = fu
    } else {
      if (u < x) a = u
      else b = u
      if (fu <= fw || w === x) { v = w; fv = fw; w = u; fw = fu } else if (fu <= fv || v === x || v === w) { v = u; fv = fu }
    }
  }
  return x
}

interface Profile {
  readonly a: Matrix
  readonly aInverse: Float64Array
  readonly logDetA: number
  readonly beta: Float64Array
  readonly rss: number
  readonly logDetV: number
}

const profile = (stats: ReadonlyArray<GroupStatistics>, p: number, theta: number): Profile | null => {
  const a = new Float64Array(p * p)
  const b = new Float64Array(p)
  let yy = 0
  let logDetV = 0
  for (const g of stats) {
    const d = theta / (1 + g.n * theta)
    logDetV += Math.log1p(g.n * theta)
    yy += g.yty - d * g.t * g.t
    for (let c = 0; c < p; c++) {
      b[c]! += g.xty[c]! - d * g.s[c]! * g.t
      for (let e = 0; e < p; e++) a[c * p + e]! += g.xtx[c * p + e]! - d * g.s[c]! * g.s[e]!
    }
  }
  const inv = invertSpd({ rows: p, cols: p, data: a })
  if (inv === null) return null
  const beta = new Float64Array(p)
  for (let c = 0; c < p; c++) for (let e = 0; e < p; e++) beta[c]! += inv.inverse.data[c * p + e]! * b[e]!
  let bb = 0
  for (let c = 0; c < p; c++) bb += b[c]! * beta[c]!
  return { a: { rows: p, cols: p, data: a }, aInverse: inv.inverse.data, logDetA: inv.logDeterminant, beta, rss: yy - bb, logDetV }
}

/** The unprofiled criterion (−2 log-likelihood) at σ²_u, σ². */
const deviance = (stats: ReadonlyArray<GroupStatistics>, p: number, n: number, reml: boolean, su: number, se: number): number => {
  const pr = profile(stats, p, su / se)
  if (pr === null) return Number.NaN
  const m = reml ? n - p : n
  // REML: (N − p)·log(2πσ²) + log|Ṽ| + log|A| + RSS/σ² (the −p·log σ² of log|XᵀV⁻¹X| cancels N·log σ² down to N − p)
  return m * Math.log(2 * Math.PI * se) + pr.logDetV + pr.rss / se + (reml ? pr.logDetA : 0)
}

/** Central-difference derivatives with Richardson extrapolation (as numDeriv, 4 steps). */
const richardson = (f: (h: number) => number, h0: number): number => {
  let table = [0, 1, 2, 3].map((k) => f(h0 / 2 ** k))
  for (let m = 1; m < 4; m++) table = table.slice(1).map((v, i) => (4 ** m * v - table[i]!) / (4 ** m - 1))
  return table[0]!
}

/**
 * Fits the random-intercept model (see the module comment).
 *
 * Preconditions: `stats` from {@link groupStatistics}; names for the p columns. `NotEstimable`
 * when fewer than 2 groups, N ≤ p, or X is not of full rank.
 */
export const fitRandomIntercept = (
  stats: ReadonlyArray<GroupStatistics>,
  names: ReadonlyArray<string>,
  options: { readonly method?: "REML" | "ML"; readonly level?: number } = {},
): RandomInterceptResult | NotEstimable => {
  const method = options.method ?? "REML"
  const level = options.level ?? 0.95
  const reml = method === "REML"
  const p = names.length
  const used = stats.filter((g) => g.n > 0)
  const n = used.reduce((s, g) => s + g.n, 0)
  if (used.length < 2) return notEstimable(n, "a random intercept needs at least 2 groups")
  if (n <= p + 1) return notEstimable(n, `${n} observations are too few for ${p} fixed effects and 2 variances`)
  const m = reml ? n - p : n
  const criterionAt = (root: number): number => {
    const pr = profile(used, p, root * root)
    if (pr === null) return Number.NaN
    return m * (1 + Math.log((2 * Math.PI * pr.rss) / m)) + pr.logDetV + (reml ? pr.logDetA : 0)
  }
  if (Number.isNaN(criterionAt(0))) return notEstimable(n, "the fixed-effects design is not of full rank")
  let upper = 1
  while (upper < 1e6 && criterionAt(upper * 2) < criterionAt(upper)) upper *= 2
  const root = minimise(criterionAt, 0, upper * 2, 1e-12)
  // the boundary: when the criterion at θ = 0 is as low (to rounding) the fit is singular, as lme4's
  const atZero = criterionAt(0)
  const best = atZero <= criterionAt(root) + 1e-10 * Math.abs(atZero) ? 0 : root
  const theta = best * best
  const pr = profile(used, p, theta)!
  const residualVariance = pr.rss / m
  const groupVariance = theta * residualVariance
  const criterion = criterionAt(best)
  const vcov = Float64Array.from(pr.aInverse, (v) => v * residualVariance)

  // Satterthwaite: V_k(σ²_u, σ²) = σ²·[A(σ²_u/σ²)⁻¹]_kk, deviance Hessian in (σ²_u, σ²)
  const dev = (su: number, se: number) => deviance(used, p, n, reml, su, se)
  const phi = [groupVariance, residualVariance]
  const step = phi.map((v) => Math.max(Math.abs(v) * 1e-2, 1e-8))
  const hessian = [0, 1].map((i) => [0, 1].map((j) =>
    richardson((h) => {
      const at = (si: number, sj: number) => {
        const x = [...phi]
        x[i]! += si * h * step[i]!
        x[j]! += sj * h * step[j]!
        return dev(x[0]!, x[1]!)
      }
      return (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * h * h * step[i]! * step[j]!)
    }, 1),
  ))
  const det = hessian[0]![0]! * hessian[1]![1]! - hessian[0]![1]! * hessian[1]![0]!
  const cov = [[(2 * hessian[1]![1]!) / det, (-2 * hessian[0]![1]!) / det], [(-2 * hessian[1]![0]!) / det, (2 * hessian[0]![0]!) / det]]
  const variance = (k: number, su: number, se: number): number => {
    const q = profile(used, p, su / se)!
    return se * q.aInverse[k * p + k]!
  }
  const coefficients = names.map((name, k): MixedCoefficient => {
    const estimate = pr.beta[k]!
    const v = vcov[k * p + k]!
    const singular = theta === 0
    const grad = singular
      ? [0, richardson((h) => (variance(k, 0, residualVariance + h * step[1]!) - variance(k, 0, residualVariance - h * step[1]!)) / (2 * h * step[1]!), 1)]
      : [0, 1].map((i) => richardson((h) => {
          const up = [...phi]
          const down = [...phi]
          up[i]! += h * step[i]!
          down[i]! -= h * step[i]!
          return (variance(k, up[0]!, up[1]!) - variance(k, down[0]!, down[1]!)) / (2 * h * step[i]!)
        }, 1))
    const spread = singular ? grad[1]! * grad[1]! * (2 / hessian[1]![1]!) : grad[0]! * (cov[0]![0]! * grad[0]! + cov[0]![1]! * grad[1]!) + grad[1]! * (cov[1]![0]! * grad[0]! + cov[1]![1]! * grad[1]!)
    const df = (2 * v * v) / spread
    const se = Math.sqrt(v)
    const statistic = estimate / se
    const crit = studentTQuantile((1 - level) / 2, df, false)
    return { name, estimate, se, df, statistic, p: studentTTwoSidedP(statistic, df), ci: [estimate - crit * se, estimate + crit * se] }
  })
  const conditionalModes = Float64Array.from(stats, (g) => {
    if (g.n === 0) return 0
    const d = theta / (1 + g.n * theta)
    let fitted = 0
    for (let c = 0; c < p; c++) fitted += g.s[c]! * pr.beta[c]!
    return d * (g.t - fitted)
  })
  const logLik = -criterion / 2
  const parameters = p + 2
  return {
    status: "estimated",
    n,
    groups: used.length,
    coefficients,
    vcov,
    groupVariance,
    residualVariance,
    icc: groupVariance / (groupVariance + residualVariance),
    criterion,
    logLik,
    aic: -2 * logLik + 2 * parameters,
    bic: -2 * logLik + Math.log(n) * parameters,
    conditionalModes,
    singular: theta === 0,
    method,
    reference: `lme4::lmer(y ~ x + (1 | group), REML = ${reml ? "TRUE" : "FALSE"}); lmerTest Satterthwaite df`,
  }
}
