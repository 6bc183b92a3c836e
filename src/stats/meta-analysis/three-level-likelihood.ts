/**
 * The (restricted) likelihood of the three-level model and its maximisation over σ²₁, σ²₂ ≥ 0
 * (internal to this folder; rmaThreeLevel in three-level.ts is the public entry point).
 *
 * Block structure (Konstantopoulos 2011): V = diag(vᵢ) + σ²₁·ZZᵀ + σ²₂·I is block-diagonal by
 * study, block s being V_s = A_s + σ²₁·11ᵀ with A_s = diag(vᵢ + σ²₂). By Sherman–Morrison, with
 *   fᵢ = 1/(vᵢ + σ²₂),  S_s = Σ_{i∈s} fᵢ,  λ_s = 1 + σ²₁·S_s,  c_s = σ²₁/λ_s:
 *   V_s⁻¹ = diag(f) − c_s·ffᵀ,   ln|V_s| = Σ_{i∈s} ln(vᵢ + σ²₂) + ln λ_s,   V_s⁻¹1 = f/λ_s,
 * and V_s⁻¹ = L_sᵀL_s with L_s = (I − γ_s·ĝĝᵀ)·diag(√f), ĝ = √f/√S_s, γ_s = 1 − λ_s^(−½), which
 * whitens row by row: (L_s u)ᵢ = √fᵢ·(uᵢ − (γ_s/S_s)·Σ_{j∈s} fⱼuⱼ). Nothing k × k is ever formed:
 * each evaluation is O(k·p²).
 *
 * Likelihood (Harville 1977; metafor's `.ll.rma.mv` without its constants), β̂ the GLS estimate:
 *   ℓ_ML = −½(ln|V| + rss),   ℓ_REML = −½(ln|V| + ln|XᵀV⁻¹X| + rss),   rss = (y − Xβ̂)ᵀV⁻¹(y − Xβ̂).
 * Derivatives, with G₁ = ZZᵀ, G₂ = I, P = V⁻¹ − V⁻¹X(XᵀV⁻¹X)⁻¹XᵀV⁻¹, r = Py and Q = P (REML) or
 * V⁻¹ (ML; the profile likelihood in β):
 *   gradient ½(rᵀG_jr − tr(QG_j)),  Hessian ½tr(QG_jQG_l) − (G_jr)ᵀP(G_lr),  information ½tr(QG_jQG_l),
 * each trace reduced to per-study sums and p × p products (see `derivatives`).
 */
import { invertWeightedCrossProduct, type Matrix, multiply } from "../numeric/matrix.ts"

/** Effects grouped by study. */
export interface StudyBlocks {
  /** the study labels, in order of first appearance */
  readonly labels: ReadonlyArray<string>
  /** each effect's study, as an index into `labels` */
  readonly cluster: Int32Array
  /** each study's effects, as indices into the data */
  readonly members: ReadonlyArray<Int32Array>
}

/** The studies of `study` in order of first appearance, with their effects. */
export const studyBlocks = (study: ReadonlyArray<string>): StudyBlocks => {
  const seen = new Map<string, number>()
  const cluster = Int32Array.from(study, (s) => {
    let index = seen.get(s)
    if (index === undefined) seen.set(s, (index = seen.size))
    return index
  })
  const counts = new Int32Array(seen.size)
  for (const s of cluster) counts[s]! += 1
  const members = Array.from(counts, (n) => new Int32Array(n))
  counts.fill(0)
  cluster.forEach((s, i) => (members[s]![counts[s]!++] = i))
  return { labels: [...seen.keys()], cluster, members }
}

/** The data of a three-level fit. */
export interface ThreeLevelData {
  readonly y: Float64Array
  readonly v: Float64Array
  /** design matrix, k × p */
  readonly x: Matrix
  readonly blocks: StudyBlocks
}

/** V⁻¹ at (σ²₁, σ²₂), study by study (the quantities of the module comment). */
export interface BlockInverse {
  readonly between: number
  readonly within: number
  /** fᵢ = 1/(vᵢ + σ²₂), per effect */
  readonly f: Float64Array
  /** S_s, per study */
  readonly sumF: Float64Array
  /** λ_s = 1 + σ²₁·S_s, per study */
  readonly lambda: Float64Array
  /** c_s = σ²₁/λ_s, per study */
  readonly shrink: Float64Array
  readonly logDetV: number
}

export const blockInverse = (v: Float64Array, blocks: StudyBlocks, between: number, within: number): BlockInverse => {
  const f = Float64Array.from(v, (vi) => 1 / (vi + within))
  const m = blocks.members.length
  const sumF = new Float64Array(m)
  let logDetV = 0
  blocks.cluster.forEach((s, i) => {
    sumF[s]! += f[i]!
    logDetV -= Math.log(f[i]!)
  })
  const lambda = Float64Array.from(sumF, (sum) => 1 + between * sum)
  for (const l of lambda) logDetV += Math.log(l)
  return { between, within, f, sumF, lambda, shrink: Float64Array.from(lambda, (l) => between / l), logDetV }
}

/**
 * Per study, outᵢ = scaleᵢ·(uᵢ − shrink_s·Σ_{j∈s} fⱼuⱼ) for every column of the k × cols matrix u:
 * V⁻¹u with scale = f and shrink = c; the whitening L·u with scale = √f and shrink = γ/S.
 */
export const perStudy = (inv: BlockInverse, blocks: StudyBlocks, u: Float64Array, cols: number, scale: Float64Array, shrink: Float64Array): Float64Array => {
  const out = new Float64Array(u.length)
  const sums = new Float64Array(cols)
  blocks.members.forEach((idx, s) => {
    sums.fill(0)
    for (const i of idx) for (let c = 0; c < cols; c++) sums[c]! += inv.f[i]! * u[i * cols + c]!
    for (const i of idx) for (let c = 0; c < cols; c++) out[i * cols + c] = scale[i]! * (u[i * cols + c]! - shrink[s]! * sums[c]!)
  })
  return out
}

/** V⁻¹u for a k × cols matrix u. */
export const applyInverse = (inv: BlockInverse, blocks: StudyBlocks, u: Float64Array, cols: number): Float64Array =>
  perStudy(inv, blocks, u, cols, inv.f, inv.shrink)

/** The GLS fit at (σ²₁, σ²₂). */
export interface Evaluation {
  readonly inv: BlockInverse
  /** ℓ without constants (see the module comment) */
  readonly ll: number
  readonly beta: Float64Array
  /** (XᵀV⁻¹X)⁻¹ */
  readonly vcov: Matrix
  readonly logDetXtvx: number
  readonly rss: number
}

/** β̂, (XᵀV⁻¹X)⁻¹ (by QR of the whitened X, as metafor's `.invcalc`) and ℓ; null if X is rank-deficient. */
export const evaluate = (data: ThreeLevelData, between: number, within: number, reml: boolean): Evaluation | null => {
  const { y, v, x, blocks } = data
  const k = y.length
  const p = x.cols
  const inv = blockInverse(v, blocks, between, within)
  const root = Float64Array.from(inv.f, Math.sqrt)
  const whiten = Float64Array.from(inv.sumF, (sum, s) => (1 - 1 / Math.sqrt(inv.lambda[s]!)) / sum)
  const sx = perStudy(inv, blocks, x.data, p, root, whiten)
  const sy = perStudy(inv, blocks, y, 1, root, whiten)
  const qr = invertWeightedCrossProduct({ rows: k, cols: p, data: sx }, new Float64Array(k).fill(1))
  if (qr === null) return null
  const xty = new Float64Array(p)
  for (let i = 0; i < k; i++) for (let c = 0; c < p; c++) xty[c]! += sx[i * p + c]! * sy[i]!
  const b = qr.inverse.data
  const beta = Float64Array.from({ length: p }, (_, c) => xty.reduce((sum, t, d) => sum + b[c * p + d]! * t, 0))
  let rss = 0
  for (let i = 0; i < k; i++) {
    let fitted = 0
    for (let c = 0; c < p; c++) fitted += sx[i * p + c]! * beta[c]!
    rss += (sy[i]! - fitted) ** 2
  }
  const ll = -0.5 * (inv.logDetV + (reml ? qr.logDeterminant : 0) + rss)
  return { inv, ll, beta, vcov: qr.inverse, logDetXtvx: qr.logDeterminant, rss }
}

/** Symmetric 2 × 2 matrices as [(1,1), (1,2), (2,2)]; index 1 is σ²₁ (between), 2 is σ²₂ (within). */
export type Symmetric2 = readonly [number, number, number]

export interface Derivatives {
  readonly gradient: readonly [number, number]
  readonly hessian: Symmetric2
  readonly information: Symmetric2
}

/** tr(AB) for p × p row-major A, B. */
const traceProduct = (a: Float64Array, b: Float64Array, p: number): number => {
  let t = 0
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) t += a[i * p + j]! * b[j * p + i]!
  return t
}
/** AB for p × p row-major A, B. */
const product = (a: Float64Array, b: Float64Array, p: number): Float64Array => multiply({ rows: p, cols: p, data: a }, { rows: p, cols: p, data: b }).data
/** uᵀBw for p-vectors u, w. */
const bilinear = (u: ArrayLike<number>, b: Float64Array, w: ArrayLike<number>, p: number): number => {
  let t = 0
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) t += u[i]! * b[i * p + j]! * w[j]!
  return t
}
/** Σᵢ aᵢbᵢᵀ over the rows of two k × p matrices. */
const crossRows = (a: Float64Array, b: Float64Array, k: number, p: number): Float64Array => {
  const out = new Float64Array(p * p)
  for (let i = 0; i < k; i++) for (let c = 0; c < p; c++) for (let d = 0; d < p; d++) out[c * p + d]! += a[i * p + c]! * b[i * p + d]!
  return out
}

/**
 * Gradient, Hessian and expected information of ℓ at the evaluation's (σ²₁, σ²₂). With
 * R = V⁻¹X, B = (XᵀV⁻¹X)⁻¹, per study z_s = 1ᵀr_s, q_s = R_sᵀ1, d_s = 1ᵀV_s⁻¹1 = S_s/λ_s,
 * h_s = R_sᵀV_s⁻¹1, Γ = Σq_sq_sᵀ, the REML traces are
 *   tr(PG₁) = Σd_s − tr(BΓ)            tr(PG₂) = tr V⁻¹ − tr(BRᵀR)
 *   tr(PG₁PG₁) = Σd_s² − 2Σd_s·q_sᵀBq_s + tr(BΓBΓ)
 *   tr(PG₂PG₂) = tr V⁻² − 2tr(BRᵀV⁻¹R) + tr(BRᵀRBRᵀR)
 *   tr(PG₁PG₂) = Σ‖V_s⁻¹1‖² − 2Σh_sᵀBq_s + tr(BRᵀRBΓ)
 * (ML: the first term of each), and uᵀPw = uᵀV⁻¹w − (Rᵀu)ᵀB(Rᵀw) for the quadratic forms.
 */
export const derivatives = (data: ThreeLevelData, ev: Evaluation, reml: boolean): Derivatives => {
  const { y, x, blocks } = data
  const { inv, beta } = ev
  const k = y.length
  const p = x.cols
  const b = ev.vcov.data
  const resid = Float64Array.from(y, (yi, i) => yi - beta.reduce((f, bc, c) => f + x.data[i * p + c]! * bc, 0))
  const r = applyInverse(inv, blocks, resid, 1)
  const rx = applyInverse(inv, blocks, x.data, p)
  const m = blocks.members.length
  const z = new Float64Array(m)
  const q = new Float64Array(m * p)
  const h = new Float64Array(m * p)
  let sumD = 0, sumD2 = 0, sumG2 = 0, trVinv = 0, trV2 = 0
  blocks.members.forEach((idx, s) => {
    const c = inv.shrink[s]!
    const lambda = inv.lambda[s]!
    let f2 = 0, f3 = 0
    for (const i of idx) {
      const fi = inv.f[i]!
      z[s]! += r[i]!
      trVinv += fi - c * fi * fi
      f2 += fi * fi
      f3 += fi * fi * fi
      sumG2 += (fi / lambda) ** 2
      for (let a = 0; a < p; a++) {
        q[s * p + a]! += rx[i * p + a]!
        h[s * p + a]! += (fi / lambda) * rx[i * p + a]!
      }
    }
    trV2 += f2 - 2 * c * f3 + c * c * f2 * f2
    const d = inv.sumF[s]! / lambda
    sumD += d
    sumD2 += d * d
  })
  const expanded = Float64Array.from(blocks.cluster, (s) => z[s]!)
  // uᵀPw for u, w ∈ {G₁r, G₂r}
  const rtu = (u: Float64Array) => Float64Array.from({ length: p }, (_, a) => u.reduce((sum, ui, i) => sum + rx[i * p + a]! * ui, 0))
  const quadV = (u: Float64Array, w: Float64Array) => {
    let total = 0
    blocks.members.forEach((idx, s) => {
      let uw = 0, fu = 0, fw = 0
      for (const i of idx) {
        uw += inv.f[i]! * u[i]! * w[i]!
        fu += inv.f[i]! * u[i]!
        fw += inv.f[i]! * w[i]!
      }
      total += uw - inv.shrink[s]! * fu * fw
    })
    return total
  }
  const r1 = rtu(expanded)
  const r2 = rtu(r)
  const k11 = quadV(expanded, expanded) - bilinear(r1, b, r1, p)
  const k12 = quadV(expanded, r) - bilinear(r1, b, r2, p)
  const k22 = quadV(r, r) - bilinear(r2, b, r2, p)
  let t1 = sumD, t2 = trVinv, t11 = sumD2, t22 = trV2, t12 = sumG2
  if (reml) {
    const rtr = crossRows(rx, rx, k, p)
    const gamma = crossRows(q, q, m, p)
    const rtvr = crossRows(rx, applyInverse(inv, blocks, rx, p), k, p)
    const bRtR = product(b, rtr, p)
    const bGamma = product(b, gamma, p)
    let dqbq = 0, hbq = 0
    for (let s = 0; s < m; s++) {
      const qs = q.subarray(s * p, (s + 1) * p)
      dqbq += (inv.sumF[s]! / inv.lambda[s]!) * bilinear(qs, b, qs, p)
      hbq += bilinear(h.subarray(s * p, (s + 1) * p), b, qs, p)
    }
    t1 -= traceProduct(b, gamma, p)
    t2 -= traceProduct(b, rtr, p)
    t11 += -2 * dqbq + traceProduct(bGamma, bGamma, p)
    t22 += -2 * traceProduct(b, rtvr, p) + traceProduct(bRtR, bRtR, p)
    t12 += -2 * hbq + traceProduct(bRtR, bGamma, p)
  }
  let zz = 0
  for (const v of z) zz += v * v
  let rr = 0
  for (const v of r) rr += v * v
  return {
    gradient: [0.5 * (zz - t1), 0.5 * (rr - t2)],
    hessian: [0.5 * t11 - k11, 0.5 * t12 - k12, 0.5 * t22 - k22],
    information: [0.5 * t11, 0.5 * t12, 0.5 * t22],
  }
}

/** The maximiser of ℓ and how it was reached. */
export interface Maximum {
  readonly sigma2: readonly [number, number]
  readonly evaluation: Evaluation
  readonly iterations: number
}

/**
 * How far ℓ may fall in a step and still count as not lower: rounding in its sums. Near the maximum
 * a Newton step of relative size δ changes ℓ by O(δ²), below rounding once δ ≲ 1e-8, so requiring a
 * strict rise would stop σ² at ~1e-8 relative accuracy, as optimisers of ℓ alone do.
 */
const noise = (ev: Evaluation): number => 1e-12 * (1 + Math.abs(ev.inv.logDetV) + Math.abs(ev.logDetXtvx) + ev.rss)

const MAX_ITERATIONS = 200
/** stop when a step moves (σ²₁, σ²₂) by less than this times their scale */
const STEP_TOLERANCE = 1e-11

/**
 * The ascent step on the free coordinates: Newton's (−H)⁻¹g where −H is positive definite, Fisher
 * scoring's I⁻¹g where it is not, and, where I is singular too (the two components are not
 * separately identified: one effect per study makes G₁ = G₂), a step along their sum.
 */
const ascent = (d: Derivatives, free: readonly [boolean, boolean]): [number, number] => {
  const [g1, g2] = d.gradient
  const solve = ([a, b, c]: Symmetric2): [number, number] | null => {
    if (free[0] && free[1]) {
      const det = a * c - b * b
      return a > 0 && c > 0 && det > 1e-10 * a * c ? [(c * g1 - b * g2) / det, (a * g2 - b * g1) / det] : null
    }
    if (free[0]) return a > 0 ? [g1 / a, 0] : null
    return c > 0 ? [0, g2 / c] : null
  }
  const [h11, h12, h22] = d.hessian
  const [i11, i12, i22] = d.information
  const along = (g1 + g2) / (i11 + 2 * i12 + i22)
  return solve([-h11, -h12, -h22]) ?? solve(d.information) ?? [free[0] ? along : 0, free[1] ? along : 0]
}

/**
 * Maximises ℓ over σ²₁, σ²₂ ≥ 0 from `start`: Newton–Raphson with the analytic Hessian (Fisher
 * scoring where the Hessian is not negative definite), step-halving until ℓ does not decrease
 * (beyond rounding),
 * steps clipped at 0, and a component held at 0 while its gradient points below the bound (the
 * Karush–Kuhn–Tucker conditions). Stops when a full step moves the estimates by less than 1e-11 of
 * their scale (quadratic convergence puts the error far below that). Null when X is rank-deficient
 * or the iteration does not converge.
 */
export const maximise = (data: ThreeLevelData, reml: boolean, start: readonly [number, number], scale: number): Maximum | null => {
  let theta: [number, number] = [start[0], start[1]]
  let current = evaluate(data, theta[0], theta[1], reml)
  if (current === null) return null
  for (let iteration = 1; iteration <= MAX_ITERATIONS; iteration++) {
    const d = derivatives(data, current, reml)
    const free: [boolean, boolean] = [!(theta[0] === 0 && d.gradient[0] <= 0), !(theta[1] === 0 && d.gradient[1] <= 0)]
    let step = ascent(d, free)
    // a component at 0 that the joint step would take below 0 is held there, and the step retaken
    for (const j of [0, 1] as const) {
      if (free[j] && theta[j] === 0 && step[j] < 0) {
        free[j] = false
        step = ascent(d, free)
      }
    }
    if (!free[0] && !free[1]) return { sigma2: theta, evaluation: current, iterations: iteration }
    const tolerance = STEP_TOLERANCE * Math.max(scale, theta[0] + theta[1])
    let accepted: { theta: [number, number]; evaluation: Evaluation } | null = null
    for (let factor = 1, halvings = 0; halvings < 60 && accepted === null; halvings++, factor /= 2) {
      const candidate: [number, number] = [Math.max(0, theta[0] + factor * step[0]), Math.max(0, theta[1] + factor * step[1])]
      if (candidate[0] === theta[0] && candidate[1] === theta[1]) break
      const next = evaluate(data, candidate[0], candidate[1], reml)
      if (next !== null && next.ll >= current.ll - noise(current)) accepted = { theta: candidate, evaluation: next }
    }
    const full = Math.max(Math.abs(step[0]), Math.abs(step[1]))
    if (accepted === null) {
      // no step that does not lower ℓ: the maximum to rounding if the step was already small
      return full <= 1e-6 * Math.max(scale, theta[0] + theta[1]) ? { sigma2: theta, evaluation: current, iterations: iteration } : null
    }
    theta = accepted.theta
    current = accepted.evaluation
    if (full <= tolerance) return { sigma2: theta, evaluation: current, iterations: iteration }
  }
  return null
}
