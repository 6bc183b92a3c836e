/**
 * Case-deletion influence diagnostics for an intercept-only meta-analysis: which studies drive
 * the pooled estimate and the heterogeneity.
 */

import { chiSquaredCdf } from "../distributions/chi-squared.ts"
import type { NotEstimable } from "../types.ts"
import { leaveOneOut } from "./leave-one-out.ts"
import { type RmaUniOptions, rmaUni } from "./rma-uni.ts"

/** One study's diagnostics (null where its deletion fit could not be made). */
export interface StudyInfluence {
  /** externally studentized residual: (yᵢ − μ̂₍ᵢ₎)/√(s²(vᵢ + τ²₍ᵢ₎) + Var(μ̂₍ᵢ₎)) */
  readonly rstudent: number | null
  /** change in the fitted value in standard-error units */
  readonly dffits: number | null
  /** Cook's distance: (μ̂ − μ̂₍ᵢ₎)²/Var(μ̂) */
  readonly cookD: number | null
  /** covariance ratio Var(μ̂₍ᵢ₎)/Var(μ̂): below 1, the study makes the estimate less precise */
  readonly covRatio: number | null
  /** τ² and Q without the study */
  readonly tau2Deleted: number | null
  readonly qDeleted: number | null
  /** hat value wᵢ/Σw */
  readonly hat: number
  /** percent weight */
  readonly weight: number
  /** DFBETAS of the intercept */
  readonly dfbetas: number | null
  /** flagged as influential by metafor's rules (see `influence`) */
  readonly influential: boolean
}

export interface InfluenceResult {
  readonly status: "estimated"
  readonly k: number
  readonly studies: ReadonlyArray<StudyInfluence>
  readonly reference: string
}

/**
 * Influence diagnostics by deleting each study in turn and refitting (same method and test).
 *
 * Formulas (metafor 3.8 `influence.rma.uni`, intercept-only, p = 1): with the full fit μ̂, Var(μ̂)
 * (Knapp–Hartung scaled where used), wᵢ = 1/(vᵢ + τ̂²), hᵢ = wᵢ/Σw, and the fit without study i —
 * μ̂₍ᵢ₎, Var(μ̂₍ᵢ₎), τ²₍ᵢ₎, Q₍ᵢ₎ and s²₍ᵢ₎ (the Knapp–Hartung factor, 1 for the z test):
 *   rstudent = (yᵢ − μ̂₍ᵢ₎)/√(s²₍ᵢ₎(vᵢ + τ²₍ᵢ₎) + Var(μ̂₍ᵢ₎))   (residuals below 100·eps are 0)
 *   DFFITS   = (μ̂ − μ̂₍ᵢ₎)/√(s²₍ᵢ₎·hᵢ·(τ²₍ᵢ₎ + vᵢ))
 *   DFBETAS  = (μ̂ − μ̂₍ᵢ₎)/√(s²₍ᵢ₎/Σⱼ 1/(vⱼ + τ²₍ᵢ₎))
 *   Cook's D = (μ̂ − μ̂₍ᵢ₎)²/Var(μ̂);  COVRATIO = Var(μ̂₍ᵢ₎)/Var(μ̂)
 * Influential (metafor's rule): |DFFITS| > 3√(1/(k − 1)), or P(χ²₁ ≤ D) > 0.5, or hᵢ > 3/k, or
 * |DFBETAS| > 1.
 *
 * Reference: `metafor::influence(rma.uni(yi, vi, method, test))` (metafor 3.8); Viechtbauer &
 * Cheung (2010), Res Synth Methods 1, 112–125.
 *
 * Preconditions: as `rmaUni`, with at least 3 studies (each deletion leaves 2); the full fit's
 * failure is returned as `NotEstimable`.
 *
 * Example: the golden tests compare every field with metafor on four datasets (REML/z and
 * DL/Knapp–Hartung).
 */
export const influence = (yi: ArrayLike<number>, vi: ArrayLike<number>, options: RmaUniOptions = {}): InfluenceResult | NotEstimable => {
  const full = rmaUni(yi, vi, options)
  if (full.status !== "estimated") return full
  const k = full.k
  const y = Array.from(yi)
  const v = Array.from(vi)
  const variance = full.se * full.se
  const deletions = leaveOneOut(yi, vi, { method: full.method, test: full.test, level: full.level })
  const studies = deletions.map(({ fit }, i): StudyInfluence => {
    // the fit's percent weight is 100·wᵢ/Σw, so the hat value is a hundredth of it
    const weight = full.weights[i]!
    const hat = weight / 100
    if (fit.status !== "estimated") {
      return { rstudent: null, dffits: null, cookD: null, covRatio: null, tau2Deleted: null, qDeleted: null, hat, weight, dfbetas: null, influential: hat > 3 / k }
    }
    const s2 = fit.knhaFactor ?? 1
    const change = full.estimate - fit.estimate
    let residual = y[i]! - fit.estimate
    if (Math.abs(residual) < 100 * Number.EPSILON) residual = 0
    const rstudent = residual / Math.sqrt(v[i]! * s2 + fit.se * fit.se + fit.tau2 * s2)
    const dffits = change / Math.sqrt(s2 * hat * (fit.tau2 + v[i]!))
    const deletedVariance = 1 / v.reduce((a, x) => a + 1 / (x + fit.tau2), 0)
    const dfbetas = change / Math.sqrt(s2 * deletedVariance)
    const cookD = (change * change) / variance
    const covRatio = (fit.se * fit.se) / variance
    const influential =
      Math.abs(dffits) > 3 * Math.sqrt(1 / (k - 1)) || chiSquaredCdf(cookD, 1) > 0.5 || hat > 3 / k || Math.abs(dfbetas) > 1
    return { rstudent, dffits, cookD, covRatio, tau2Deleted: fit.tau2, qDeleted: fit.q, hat, weight, dfbetas, influential }
  })
  return {
    status: "estimated",
    k,
    studies,
    reference: `metafor::influence(metafor::rma.uni(yi, vi, method = "${full.method}", test = "${full.test}"))`,
  }
}
