/**
 * Three-level random-effects meta-analysis: several effects per study (Konstantopoulos 2011;
 * Van den Noortgate, López-López, Marín-Martínez & Sánchez-Meca 2013; Cheung 2014).
 *
 * Model: for effect i of study s, yᵢ = xᵢᵀβ + u_s + wᵢ + εᵢ with u_s ~ N(0, σ²₁) between studies,
 * wᵢ ~ N(0, σ²₂) within studies (between effects) and εᵢ ~ N(0, vᵢ) sampling error (vᵢ known), so
 *   Var(y) = V = diag(vᵢ) + σ²₁·ZZᵀ + σ²₂·I,   Z the study indicators.
 *
 * Phases, as metafor's `rma.mv`:
 *   setup → estimate σ²₁, σ²₂ (REML or ML; three-level-likelihood.ts) → coefficients (GLS) →
 *   inference (z or t per coefficient, QM) → heterogeneity (QE, I² by level) → fit statistics →
 *   prediction interval → output
 *
 * Reference: `metafor::rma.mv(yi, vi, mods, random = ~ 1 | study/es, method, test)` (metafor 3.8,
 * dfs = "residual"), `fitstats()`, `predict()`; the I² split is Cheung's (2014), as the metafor
 * website gives it for multilevel models.
 */
import { chiSquaredCdf } from "../distributions/chi-squared.ts"
import { fisherFCdf } from "../distributions/f.ts"
import { invertSpd, invertWeightedCrossProduct, type Matrix, matrixFromRows } from "../numeric/matrix.ts"
import { type Interval, type NotEstimable, notEstimable } from "../types.ts"
import { readMetaInputs } from "./inputs.ts"
import type { RegressionCoefficient } from "./rma-reg.ts"
import { applyInverse, blockInverse, evaluate, maximise, studyBlocks, type ThreeLevelData } from "./three-level-likelihood.ts"
import { criticalValue, twoSidedP } from "./wald.ts"

export type ThreeLevelMethod = "REML" | "ML"
export type ThreeLevelTest = "z" | "t"

export interface ThreeLevelInput {
  readonly yi: ArrayLike<number>
  readonly vi: ArrayLike<number>
  /** the study (cluster) of each effect */
  readonly study: ReadonlyArray<string>
  /** design matrix, k × p, its first column the intercept (default: intercept only) */
  readonly x?: Matrix
  /** the coefficients' names, in the order of X's columns (default "intrcpt", "x1", …) */
  readonly names?: ReadonlyArray<string>
}

export interface ThreeLevelOptions {
  readonly method?: ThreeLevelMethod
  /** "z" (metafor's default) or "t" on k − p degrees of freedom */
  readonly test?: ThreeLevelTest
  /** confidence level as a proportion (default 0.95) */
  readonly level?: number
}

/** A coefficient with its z or t test and CI (the record of rma-reg.ts). */
export type ThreeLevelCoefficient = RegressionCoefficient

export interface ThreeLevelResult {
  readonly status: "estimated"
  /** number of effects */
  readonly k: number
  /** number of studies */
  readonly studies: number
  /** number of coefficients */
  readonly p: number
  readonly coefficients: ReadonlyArray<ThreeLevelCoefficient>
  /** Var(β̂) = (XᵀV̂⁻¹X)⁻¹, row-major p × p */
  readonly vcov: Float64Array
  /** t degrees of freedom k − p for "t"; null for "z" */
  readonly df: number | null
  /** [σ²₁ between studies, σ²₂ within studies] */
  readonly sigma2: readonly [number, number]
  /** Cheung's I² by level [between, within], percent, and their sum */
  readonly i2: readonly [number, number]
  readonly i2Total: number
  /** prediction interval at the intercept row (x = e₁): the pooled effect's in an intercept-only model */
  readonly pi: Interval
  /** Cochran's Q of the equal-effects model with these moderators (weights 1/vᵢ), on k − p df */
  readonly qe: number
  readonly qeDf: number
  readonly qeP: number
  /** Wald test of every coefficient but the intercept (of the intercept alone when p = 1): χ² on m df, or F on (m, k − p) for "t" */
  readonly qm: number
  readonly qmDf: readonly [number, number | null]
  readonly qmP: number
  /** fitstats() for the method: log-likelihood, deviance, AIC, BIC, AICc (parameters p + 2) */
  readonly logLik: number
  readonly deviance: number
  readonly aic: number
  readonly bic: number
  readonly aicc: number
  readonly iterations: number
  readonly method: ThreeLevelMethod
  readonly test: ThreeLevelTest
  readonly level: number
  /** the data of the fit, for robust inference (cr2.ts) and prediction */
  readonly yi: Float64Array
  readonly vi: Float64Array
  readonly x: Matrix
  /** each effect's study, as an index into `studyLabels` (order of first appearance) */
  readonly cluster: Int32Array
  readonly studyLabels: ReadonlyArray<string>
  readonly reference: string
}

/** The fit's model-based prediction at one design row (as metafor's predict()). */
export interface ThreeLevelPrediction {
  readonly estimate: number
  readonly se: number
  readonly ci: Interval
  /** estimate ± crit·√(se² + σ²₁ + σ²₂) */
  readonly pi: Interval
}

/**
 * Fits the three-level model (see the module comment).
 *
 * Estimation: σ²₁, σ²₂ maximise the restricted (REML, default) or full (ML) log-likelihood, by
 * Newton–Raphson with analytic derivatives, step-halving and the bounds σ² ≥ 0, from metafor's start
 * (each half of max(0.002, var(y − Xβ̂_EE) − 1/mean(1/vᵢ))), to a step under 1e-11 of their scale:
 * tighter than metafor. β̂ = (XᵀV̂⁻¹X)⁻¹XᵀV̂⁻¹y, Var(β̂) = (XᵀV̂⁻¹X)⁻¹; z tests, or t on k − p df.
 * QM = β̂_Bᵀ Var(β̂)_B⁻¹ β̂_B (QM/m on F(m, k − p) for "t"); QE = Σ(yᵢ − xᵢᵀβ̂_EE)²/vᵢ.
 * I²_l = 100·σ²_l/(σ²₁ + σ²₂ + s²), s² = (k − p)/tr P₀, P₀ = W − WX(XᵀWX)⁻¹XᵀW, W = diag(1/vᵢ).
 * Log-likelihood as metafor: ML −½(k ln 2π + ln|V| + rss); REML −½((k − p) ln 2π − ln|XᵀX| + ln|V|
 * + ln|XᵀV⁻¹X| + rss). Deviance: ML −2(ℓ − ℓ_saturated), ℓ_saturated = −½Σ ln(2πvᵢ); REML −2ℓ.
 * AIC = −2ℓ + 2q, BIC = −2ℓ + q·ln n, AICc = −2ℓ + 2q·max(n, q + 2)/(max(n, q + 2) − q − 1), with
 * q = p + 2 parameters and n = k (ML) or k − p (REML).
 *
 * Work is O(k·p²) per iteration (V⁻¹ is applied study by study), so tens of thousands of effects fit.
 *
 * Preconditions: as many study labels (and rows of X) as effects, 0 < level < 1 (otherwise throws).
 * `NotEstimable` for a non-finite yi or vi, vi ≤ 0, fewer than p + 2 effects, a single study, a
 * design that is not of full rank, or a likelihood that could not be maximised.
 *
 * Example: dat.konstantopoulos2011 (metadat; study = district): rmaThreeLevel({ yi, vi, study })
 * → μ̂ 0.1847132, se 0.0845559, σ² [0.0650619, 0.0327365] (R: rma.mv(yi, vi, random = ~ 1 |
 * district/school): 0.18471316403845536, 0.08455592000627507, [0.06506194688925514, 0.03273651570292709]).
 */
export const rmaThreeLevel = (input: ThreeLevelInput, options: ThreeLevelOptions = {}): ThreeLevelResult | NotEstimable => {
  // setup
  const method = options.method ?? "REML"
  const test = options.test ?? "z"
  const level = options.level ?? 0.95
  if (!(level > 0 && level < 1)) throw new RangeError(`level must lie strictly between 0 and 1 (got ${level})`)
  const k = input.yi.length
  if (input.study.length !== k) throw new RangeError(`${input.study.length} study labels for ${k} effects`)
  const x = input.x ?? matrixFromRows(Array.from({ length: k }, () => [1]))
  if (x.rows !== k) throw new RangeError(`X has ${x.rows} rows for ${k} effects`)
  const p = x.cols
  const inputs = readMetaInputs(input.yi, input.vi, 0)
  if (inputs.status !== "ok") return inputs
  if (k < p + 2) return notEstimable(k, `a three-level model with ${p} coefficient${p === 1 ? "" : "s"} needs at least ${p + 2} effects; ${k} given`)
  const { yi: y, vi: v } = inputs
  const blocks = studyBlocks(input.study)
  if (blocks.labels.length < 2) return notEstimable(k, "a three-level model needs effects from at least 2 studies")
  const data: ThreeLevelData = { y, v, x, blocks }
  const reml = method === "REML"

  // equal-effects fit (V = diag(vᵢ)): QE, the typical sampling variance, metafor's starting values
  const fixed = evaluate(data, 0, 0, false)
  if (fixed === null) return notEstimable(k, "the moderators are redundant (the design matrix is not of full rank)")
  const residuals = Float64Array.from(y, (yi, i) => yi - fixed.beta.reduce((f, b, c) => f + x.data[i * p + c]! * b, 0))
  const total = Math.max(0.002, sampleVariance(residuals) - k / v.reduce((s, vi) => s + 1 / vi, 0))

  // estimate σ²₁, σ²₂
  const meanV = v.reduce((s, vi) => s + vi, 0) / k
  const fit = maximise(data, reml, [total / 2, total / 2], 1e-4 * meanV)
  if (fit === null) return notEstimable(k, `the ${method} likelihood of the three-level model could not be maximised`)
  const { sigma2, evaluation } = fit
  const vcov = evaluation.vcov.data

  // inference
  const df = k - p
  const wald = test === "t" ? "knha" : "z"
  const crit = criticalValue(wald, df, level)
  const coefficients = Array.from({ length: p }, (_, c): ThreeLevelCoefficient => {
    const estimate = evaluation.beta[c]!
    const se = Math.sqrt(vcov[c * p + c]!)
    const statistic = estimate / se
    const name = input.names?.[c] ?? (c === 0 ? "intrcpt" : `x${c}`)
    return { name, estimate, se, statistic, p: twoSidedP(statistic, wald, df), ci: [estimate - crit * se, estimate + crit * se] }
  })
  const btt = p === 1 ? [0] : Array.from({ length: p - 1 }, (_, c) => c + 1)
  const qmWald = waldStatistic(evaluation.beta, vcov, p, btt)
  if (qmWald === null) return notEstimable(k, "the covariance matrix of the tested coefficients is singular")
  const m = btt.length
  const qm = test === "t" ? qmWald / m : qmWald

  // heterogeneity
  const typical = df / equalEffectsTrace(data, fixed.vcov.data)
  const sum = sigma2[0] + sigma2[1]
  const i2: [number, number] = [(100 * sigma2[0]) / (sum + typical), (100 * sigma2[1]) / (sum + typical)]

  // fit statistics
  const crossProduct = reml ? invertWeightedCrossProduct(x, new Float64Array(k).fill(1)) : null
  if (reml && crossProduct === null) return notEstimable(k, "the moderators are redundant (the design matrix is not of full rank)")
  const logDetXtX = crossProduct?.logDeterminant ?? 0
  const logLik = reml ? evaluation.ll - 0.5 * df * Math.log(2 * Math.PI) + 0.5 * logDetXtX : evaluation.ll - 0.5 * k * Math.log(2 * Math.PI)
  const saturated = -0.5 * v.reduce((s, vi) => s + Math.log(2 * Math.PI * vi), 0)
  const q = p + 2
  const n = reml ? df : k
  const nAicc = Math.max(n, q + 2)

  const result: Omit<ThreeLevelResult, "pi"> = {
    status: "estimated",
    k,
    studies: blocks.labels.length,
    p,
    coefficients,
    vcov,
    df: test === "t" ? df : null,
    sigma2,
    i2,
    i2Total: i2[0] + i2[1],
    qe: fixed.rss,
    qeDf: df,
    qeP: chiSquaredCdf(fixed.rss, df, false),
    qm,
    qmDf: [m, test === "t" ? df : null],
    qmP: test === "t" ? fisherFCdf(qm, m, df, false) : chiSquaredCdf(qm, m, false),
    logLik,
    deviance: reml ? -2 * logLik : -2 * (logLik - saturated),
    aic: -2 * logLik + 2 * q,
    bic: -2 * logLik + q * Math.log(n),
    aicc: -2 * logLik + (2 * q * nAicc) / (nAicc - q - 1),
    iterations: fit.iterations,
    method,
    test,
    level,
    yi: y,
    vi: v,
    x,
    cluster: blocks.cluster,
    studyLabels: blocks.labels,
    reference: `metafor::rma.mv(yi, vi, ${p > 1 ? "mods, " : ""}random = ~ 1 | study/es, method = "${method}", test = "${test}")`,
  }
  const intercept = Float64Array.from({ length: p }, (_, c) => (c === 0 ? 1 : 0))
  return { ...result, pi: predictAt(result, intercept).pi }
}

/**
 * Predictions of a fitted three-level model at design rows (intercept column included), as
 * `metafor::predict(fit, newmods)`: estimate x₀ᵀβ̂, se √(x₀ᵀVar(β̂)x₀), CI estimate ± crit·se and
 * PI estimate ± crit·√(se² + σ²₁ + σ²₂), crit the z or t(k − p) quantile of the fit.
 * Default rows: the fit's own design (one row for an intercept-only model), as `predict(fit)`.
 * Example: for the intercept-only fit of dat.konstantopoulos2011 above, PI [−0.450231, 0.819657]
 * (R: predict(fit)$pi.lb, pi.ub = −0.4502309742648888, 0.8196573023417996).
 */
export const predictThreeLevel = (fit: ThreeLevelResult, rows?: Matrix): ReadonlyArray<ThreeLevelPrediction> => {
  const p = fit.p
  const design = rows ?? (p === 1 ? matrixFromRows([[1]]) : fit.x)
  if (design.cols !== p) throw new RangeError(`prediction rows have ${design.cols} columns; the model has ${p} coefficients`)
  return Array.from({ length: design.rows }, (_, i) => predictAt(fit, design.data.subarray(i * p, (i + 1) * p)))
}

const predictAt = (fit: Omit<ThreeLevelResult, "pi">, row: ArrayLike<number>): ThreeLevelPrediction => {
  const p = fit.p
  let estimate = 0
  let variance = 0
  for (let c = 0; c < p; c++) {
    estimate += row[c]! * fit.coefficients[c]!.estimate
    for (let d = 0; d < p; d++) variance += row[c]! * fit.vcov[c * p + d]! * row[d]!
  }
  const crit = criticalValue(fit.test === "t" ? "knha" : "z", fit.k - p, fit.level)
  const se = Math.sqrt(variance)
  const spread = crit * Math.sqrt(variance + fit.sigma2[0] + fit.sigma2[1])
  return { estimate, se, ci: [estimate - crit * se, estimate + crit * se], pi: [estimate - spread, estimate + spread] }
}

/** Sample variance (n − 1), as R's var(). */
const sampleVariance = (values: Float64Array): number => {
  const mean = values.reduce((s, e) => s + e, 0) / values.length
  return values.reduce((s, e) => s + (e - mean) ** 2, 0) / (values.length - 1)
}

/** β̂_Bᵀ Var(β̂)_B⁻¹ β̂_B for the coefficients B; null when that block is singular. */
const waldStatistic = (beta: Float64Array, vcov: Float64Array, p: number, btt: ReadonlyArray<number>): number | null => {
  const m = btt.length
  const block = new Float64Array(m * m)
  btt.forEach((a, i) => btt.forEach((b, j) => (block[i * m + j] = vcov[a * p + b]!)))
  const inverse = invertSpd({ rows: m, cols: m, data: block })
  if (inverse === null) return null
  let wald = 0
  btt.forEach((a, i) => btt.forEach((b, j) => (wald += beta[a]! * inverse.inverse.data[i * m + j]! * beta[b]!)))
  return wald
}

/** tr P₀ = Σwᵢ − tr((XᵀWX)⁻¹XᵀW²X) at W = diag(1/vᵢ), in O(k·p²). */
const equalEffectsTrace = (data: ThreeLevelData, xtwxInverse: Float64Array): number => {
  const { x, v, blocks } = data
  const p = x.cols
  const wx = applyInverse(blockInverse(v, blocks, 0, 0), blocks, x.data, p) // W·X
  let trace = 0
  for (let i = 0; i < x.rows; i++) {
    trace += 1 / v[i]!
    for (let c = 0; c < p; c++) for (let d = 0; d < p; d++) trace -= xtwxInverse[c * p + d]! * wx[i * p + d]! * wx[i * p + c]!
  }
  return trace
}
