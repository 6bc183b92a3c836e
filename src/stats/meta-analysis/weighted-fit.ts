/**
 * The intercept-only weighted fit at a given τ², in closed form (internal to this folder).
 *
 * metafor writes its estimators with the k × k projection matrix
 *   P = W − W·X·(XᵀWX)⁻¹·XᵀW,   W = diag(wᵢ),  wᵢ = 1 / (vᵢ + τ²).
 * With X a column of ones (no moderators) every quantity it uses has an O(k) closed form:
 *   Yᵀ P Y   = Σ wᵢ (yᵢ − ȳ_w)²                      (weighted residual sum of squares, Q at τ²)
 *   Yᵀ P P Y = Σ wᵢ² (yᵢ − ȳ_w)²
 *   tr(P)    = Σw − Σw² / Σw
 *   tr(PP)   = Σ(P∘P) = Σw² − 2·Σw³ / Σw + (Σw²)² / (Σw)²
 * where ȳ_w = Σ wᵢ yᵢ / Σ wᵢ. Sums are compensated (Kahan–Babuška).
 */

import { kahanSum } from "../numeric/kahan.ts"

export interface WeightedFit {
  /** number of studies */
  readonly k: number
  readonly tau2: number
  /** Σ wᵢ */
  readonly sumW: number
  /** Σ wᵢ² */
  readonly sumW2: number
  /** inverse-variance weighted mean Σ wᵢ yᵢ / Σ wᵢ */
  readonly mean: number
  /** Yᵀ P Y = Σ wᵢ (yᵢ − ȳ_w)² */
  readonly rss: number
  /** Yᵀ P P Y = Σ wᵢ² (yᵢ − ȳ_w)² */
  readonly rssW2: number
  /** tr(P) */
  readonly traceP: number
  /** tr(PP) = Σ over all entries of P² */
  readonly tracePP: number
  /** Σ ln(vᵢ + τ²) */
  readonly sumLogV: number
}

/** Every weighted sum metafor's intercept-only `rma.uni` needs at a given τ². */
export const weightedFit = (yi: Float64Array, vi: Float64Array, tau2: number): WeightedFit => {
  const k = yi.length
  const w = new Float64Array(k)
  const w2 = new Float64Array(k)
  const w3 = new Float64Array(k)
  const wy = new Float64Array(k)
  const logV = new Float64Array(k)
  for (let i = 0; i < k; i++) {
    const variance = (vi[i] ?? Number.NaN) + tau2
    const wi = 1 / variance
    w[i] = wi
    w2[i] = wi * wi
    w3[i] = wi * wi * wi
    wy[i] = wi * (yi[i] ?? Number.NaN)
    logV[i] = Math.log(variance)
  }
  const sumW = kahanSum(w)
  const sumW2 = kahanSum(w2)
  const sumW3 = kahanSum(w3)
  const mean = kahanSum(wy) / sumW
  const r1 = new Float64Array(k)
  const r2 = new Float64Array(k)
  for (let i = 0; i < k; i++) {
    const e = (yi[i] ?? Number.NaN) - mean
    r1[i] = (w[i] ?? Number.NaN) * e * e
    r2[i] = (w2[i] ?? Number.NaN) * e * e
  }
  const ratio = sumW2 / sumW
  return {
    k,
    tau2,
    sumW,
    sumW2,
    mean,
    rss: kahanSum(r1),
    rssW2: kahanSum(r2),
    traceP: sumW - ratio,
    tracePP: sumW2 - (2 * sumW3) / sumW + ratio * ratio,
    sumLogV: kahanSum(logV),
  }
}

/**
 * Σᵢⱼ Pᵢⱼ² aᵢ bⱼ for the intercept-only projection P = W − w·wᵀ/Σw, W = diag(w): the sums
 * metafor's method-of-moments standard errors take over k × k matrices — sum(P * P) is
 * (w, 1, 1), sum(PV * P) is (w, 1, v) and sum(PV * t(PV)) is (w, v, v), with V = diag(v).
 * Unit weights give P = I − 11ᵀ/k (Hedges' estimator). Summed directly, O(k²), as the matrices
 * would be.
 */
export const projectionSquareSum = (w: Float64Array, a: ArrayLike<number>, b: ArrayLike<number>): number => {
  const k = w.length
  const sumW = kahanSum(w)
  const rows = new Float64Array(k)
  for (let i = 0; i < k; i++) {
    const wi = w[i]!
    let row = 0
    for (let j = 0; j < k; j++) {
      const pij = (i === j ? wi : 0) - (wi * w[j]!) / sumW
      row += pij * pij * b[j]!
    }
    rows[i] = a[i]! * row
  }
  return kahanSum(rows)
}
