/**
 * Linear mixed models with nested grouping factors (random intercepts, optionally a correlated
 * random slope), fitted by REML or ML from per-group sufficient statistics — the models of
 * `lme4::lmer(y ~ x + (1 | therapist/client))` and `lmer(y ~ days + (days | subject))`, with
 * lmerTest's Satterthwaite degrees of freedom.
 *
 * - design.ts reads the rows once into per-group cross-products;
 * - criterion.ts evaluates lme4's profiled REML criterion (or deviance) at relative covariance
 *   factors θ from them, in time proportional to the number of groups;
 * - here θ̂ is found (Brent's fmin for one parameter, damped Newton for several; lme4's starting
 *   point θ = 1 on the diagonal), σ̂² = r²/(N − p) (REML) or r²/N (ML), β̂ and Var(β̂) = σ̂²(XᵀV⁻¹X)⁻¹;
 * - satterthwaite.ts gives the df of each coefficient and of every contrast (lmerTest's `contest`).
 *
 * A variance at the boundary: when a diagonal θ ends below 10⁻³ and fixing it at 0 (re-fitting
 * the rest) is not worse than the optimum by more than 10⁻¹⁰ relative, it is set to exactly 0 and
 * the fit flagged singular, as lme4's `isSingular`.
 *
 * Reference: Bates, Mächler, Bolker & Walker (2015), *J Stat Softw* 67(1); Kuznetsova, Brockhoff &
 * Christensen (2017), *J Stat Softw* 82(13). Golden tests: test/reference/mixed-models.R.
 */
import { studentTQuantile, studentTTwoSidedP } from "../distributions/students-t.ts"
import { type Interval, type NotEstimable, notEstimable } from "../types.ts"
import { conditionalModes, criterionOf, evaluate, lambdaOf, type LevelModes, thetaCount, thetaOffsets } from "./criterion.ts"
import type { MixedModelSummary } from "./design.ts"
import { minimiseNewton, minimiseOneParameter } from "./optimise.ts"
import { satterthwaite } from "./satterthwaite.ts"

/** A fixed effect, or a contrast of them, with its t test on Satterthwaite df. */
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

/** One grouping factor's variance components: σ²Λ_kΛ_kᵀ. */
export interface VarianceComponent {
  readonly factor: string
  readonly groups: number
  /** the names of its random terms: "(Intercept)", and the slope's column */
  readonly terms: ReadonlyArray<string>
  /** variance of each term */
  readonly variances: ReadonlyArray<number>
  /** correlation of intercept and slope (two terms), null otherwise or when a variance is 0 */
  readonly correlation: number | null
}

export interface MixedModelFit {
  readonly status: "estimated"
  readonly method: "REML" | "ML"
  readonly n: number
  readonly coefficients: ReadonlyArray<MixedCoefficient>
  /** Var(β̂), p × p row-major */
  readonly vcov: Float64Array
  readonly residualVariance: number
  /** outermost factor first */
  readonly components: ReadonlyArray<VarianceComponent>
  /** lme4's θ (relative covariance factors, lower triangles column by column, outermost first) */
  readonly theta: Float64Array
  /** REML criterion (REML) or deviance (ML), as lme4 */
  readonly criterion: number
  readonly logLik: number
  readonly aic: number
  readonly bic: number
  /** a variance component at 0 (or a correlation at ±1) */
  readonly singular: boolean
  readonly reference: string
  /** the t test of Σ wⱼβⱼ (lmerTest `contest1D`) */
  readonly contrast: (name: string, weights: ArrayLike<number>) => MixedCoefficient
  /** conditional modes per level, outermost first; groups in the summary's compact order */
  readonly modes: () => ReadonlyArray<LevelModes>
}

export interface MixedModelOptions {
  readonly method?: "REML" | "ML"
  readonly level?: number
}

/** The diagonal entries of Λ in θ, per level: the ones a boundary can put at 0. */
const diagonalIndices = (summary: MixedModelSummary): number[][] =>
  summary.levels.map((level, k) => {
    const offset = thetaOffsets(summary)[k]!
    const q = level.terms.length
    const indices: number[] = []
    let at = offset
    for (let c = 0; c < q; c++) {
      indices.push(at)
      at += q - c
    }
    return indices
  })

/** Flips columns of each Λ so that its diagonal is ≥ 0 (the criterion depends on ΛΛᵀ only). */
const normaliseSigns = (summary: MixedModelSummary, theta: Float64Array): void => {
  const offsets = thetaOffsets(summary)
  summary.levels.forEach((level, k) => {
    const q = level.terms.length
    let at = offsets[k]!
    for (let c = 0; c < q; c++) {
      const length = q - c
      if (theta[at]! < 0) for (let r = 0; r < length; r++) theta[at + r] = -theta[at + r]!
      at += length
    }
  })
}

/** Fits the model (file comment). NotEstimable when a factor has fewer than 2 groups, or X is rank-deficient. */
export const fitMixedModel = (summary: MixedModelSummary, options: MixedModelOptions = {}): MixedModelFit | NotEstimable => {
  const method = options.method ?? "REML"
  const level = options.level ?? 0.95
  const reml = method === "REML"
  const { n, p, names } = summary
  const k = summary.levels.reduce((s, l) => s + thetaCount(l.terms.length), 0)
  for (const l of summary.levels) {
    if (l.groups < 2) return notEstimable(n, `the ${l.name} variance needs at least 2 ${l.name} groups; there ${l.groups === 1 ? "is 1" : `are ${l.groups}`}`)
    if (l.groups >= n) return notEstimable(n, `every ${l.name} group has a single observation, so its variance cannot be told from the residual variance`)
  }
  if (n <= p + 1) return notEstimable(n, `${n} observations are too few for ${p} fixed effects and the variances`)
  const criterionAt = (theta: ArrayLike<number>): number => {
    const e = evaluate(summary, theta)
    return e === null ? Number.NaN : criterionOf(e, n, p, reml)
  }
  if (Number.isNaN(criterionAt(new Float64Array(k)))) return notEstimable(n, "the fixed-effects design is not of full rank")

  let theta: Float64Array
  if (k === 1) {
    const at = (t: number) => criterionAt([t])
    theta = Float64Array.of(minimiseOneParameter(at, 1, true))
  } else {
    const start = new Float64Array(k)
    for (const d of diagonalIndices(summary).flat()) start[d] = 1
    theta = minimiseNewton(criterionAt, start).x
  }
  normaliseSigns(summary, theta)
  theta = settleBoundaries(summary, theta, criterionAt)

  const e = evaluate(summary, theta)
  if (e === null || !theta.every(Number.isFinite)) return notEstimable(n, "the variance parameters could not be estimated (the fixed-effects design became singular at the optimum)")
  const criterion = criterionOf(e, n, p, reml)
  const m = reml ? n - p : n
  const residualVariance = e.r2 / m
  // back from the centred columns (design.ts): β = T⁻¹(β̃ + ȳe₀), T⁻¹ = I − e₀mᵀ
  const m0 = summary.centre.columns
  const beta = Float64Array.from(e.beta)
  for (let j = 1; j < p; j++) beta[0]! -= m0[j]! * e.beta[j]!
  beta[0]! += summary.centre.y
  const centred = Float64Array.from(e.aInverse, (v) => v * residualVariance)
  const shifted = Float64Array.from(centred) // T⁻¹Ṽ
  for (let b = 0; b < p; b++) for (let j = 1; j < p; j++) shifted[b]! -= m0[j]! * centred[j * p + b]!
  const vcov = Float64Array.from(shifted) // T⁻¹ṼT⁻ᵀ
  for (let a = 0; a < p; a++) for (let j = 1; j < p; j++) vcov[a * p]! -= shifted[a * p + j]! * m0[j]!
  const satt = satterthwaite({ evaluate: (t) => evaluate(summary, t), theta, n, p, reml })
  const test = (name: string, weights: ArrayLike<number>): MixedCoefficient => {
    let estimate = 0
    let variance = 0
    for (let a = 0; a < p; a++) {
      estimate += weights[a]! * beta[a]!
      for (let b = 0; b < p; b++) variance += weights[a]! * vcov[a * p + b]! * weights[b]!
    }
    const df = satt.df(Float64Array.from({ length: p }, (_, j) => weights[j]! - m0[j]! * weights[0]!))
    const se = Math.sqrt(variance)
    const statistic = estimate / se
    const crit = studentTQuantile((1 - level) / 2, df, false)
    return { name, estimate, se, df, statistic, p: studentTTwoSidedP(statistic, df), ci: [estimate - crit * se, estimate + crit * se] }
  }
  const coefficients = names.map((name, j) => test(name, Float64Array.from({ length: p }, (_, i) => (i === j ? 1 : 0))))

  const offsets = thetaOffsets(summary)
  let singular = false
  const components = summary.levels.map((l, idx): VarianceComponent => {
    const q = l.terms.length
    const lambda = lambdaOf(theta, offsets[idx]!, q)
    const cov = (i: number, j: number) => {
      let sum = 0
      for (let r = 0; r < q; r++) sum += lambda[i * q + r]! * lambda[j * q + r]!
      return residualVariance * sum
    }
    const variances = Array.from({ length: q }, (_, i) => cov(i, i))
    for (let c = 0; c < q; c++) if (lambda[c * q + c] === 0) singular = true
    const correlation = q === 2 && variances[0]! > 0 && variances[1]! > 0 ? cov(1, 0) / Math.sqrt(variances[0]! * variances[1]!) : null
    return { factor: l.name, groups: l.groups, terms: l.terms.map((t) => names[t]!), variances, correlation }
  })
  const parameters = p + k + 1
  return {
    status: "estimated",
    method,
    n,
    coefficients,
    vcov,
    residualVariance,
    components,
    theta,
    criterion,
    logLik: -criterion / 2,
    aic: criterion + 2 * parameters,
    bic: criterion + Math.log(n) * parameters,
    singular,
    reference: `lme4::lmer(REML = ${reml ? "TRUE" : "FALSE"}) with lmerTest's Satterthwaite df`,
    contrast: test,
    modes: () => conditionalModes(summary, theta, e.beta, residualVariance),
  }
}

/**
 * Puts at exactly 0 each diagonal θ that ended below 10⁻³ when the criterion with it fixed at 0
 * (the other parameters re-optimised) is as low, to 10⁻¹⁰ relative, as at the optimum found.
 */
const settleBoundaries = (summary: MixedModelSummary, theta: Float64Array, criterionAt: (t: ArrayLike<number>) => number): Float64Array => {
  let best: Float64Array<ArrayBuffer> = Float64Array.from(theta)
  let bestValue = criterionAt(best)
  const diagonals = diagonalIndices(summary)
  const onDiagonal = new Set(diagonals.flat())
  diagonals.forEach((diagonal, idx) => {
    const q = summary.levels[idx]!.terms.length
    diagonal.forEach((index, c) => {
      if (!(Math.abs(best[index]!) < 1e-3)) return
      // fixing a diagonal entry at 0 zeroes its column: Λ's column c is θ[index .. index + q − c)
      const fixed = new Set(Array.from({ length: q - c }, (_, r) => index + r))
      const free = Array.from(best.keys()).filter((i) => !fixed.has(i))
      const insert = (x: ArrayLike<number>) => {
        const full = Float64Array.from(best)
        for (const i of fixed) full[i] = 0
        free.forEach((i, j) => (full[i] = x[j]!))
        return full
      }
      let candidate: Float64Array<ArrayBuffer>
      if (free.length === 0) candidate = insert([])
      else if (free.length === 1) {
        const at = (t: number) => criterionAt(insert([t]))
        candidate = insert([minimiseOneParameter(at, Math.max(1, Math.abs(best[free[0]!]!)), onDiagonal.has(free[0]!))])
      } else candidate = insert(minimiseNewton((x) => criterionAt(insert(x)), free.map((i) => best[i]!)).x)
      const value = criterionAt(candidate)
      if (value <= bestValue + 1e-10 * Math.abs(bestValue)) {
        normaliseSigns(summary, candidate)
        best = candidate
        bestValue = value
      }
    })
  })
  return best
}
