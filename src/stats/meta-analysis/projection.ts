/**
 * The weighted least-squares projection of a meta-regression at given weights (internal to this
 * folder): metafor's k × k matrix
 *   P = W − W·X·(XᵀWX)⁻¹·XᵀW,   W = diag(wᵢ),
 * built explicitly (O(k²p), fine for the few thousand studies a meta-analysis has), with the sums
 * its τ² estimators and tests take over it. `weighted-fit.ts` has the O(k) closed forms of the same
 * sums for the intercept-only model.
 */

import { invertWeightedCrossProduct, type Matrix, multiplyVector, weightedCrossVector } from "../numeric/matrix.ts"

export interface Projection {
  readonly k: number
  /** number of coefficients */
  readonly p: number
  readonly w: Float64Array
  /** (XᵀWX)⁻¹ */
  readonly xtwxInverse: Matrix
  /** ln det(XᵀWX) */
  readonly logDetXtwx: number
  /** P, row-major k × k */
  readonly matrix: Float64Array
}

/** P at weights w, or null when XᵀWX is singular (redundant moderators). */
export const projectionAt = (x: Matrix, w: Float64Array): Projection | null => {
  const k = x.rows
  const p = x.cols
  const inverted = invertWeightedCrossProduct(x, w)
  if (inverted === null) return null
  const a = inverted.inverse.data
  // P = W − B·A·Bᵀ with B = W·X
  const matrix = new Float64Array(k * k)
  const ba = new Float64Array(k * p)
  for (let i = 0; i < k; i++) {
    for (let c = 0; c < p; c++) {
      let sum = 0
      for (let d = 0; d < p; d++) sum += w[i]! * x.data[i * p + d]! * a[d * p + c]!
      ba[i * p + c] = sum
    }
  }
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      let sum = 0
      for (let c = 0; c < p; c++) sum += ba[i * p + c]! * w[j]! * x.data[j * p + c]!
      matrix[i * k + j] = (i === j ? w[i]! : 0) - sum
    }
  }
  return { k, p, w, xtwxInverse: inverted.inverse, logDetXtwx: inverted.logDeterminant, matrix }
}

/** The weighted least-squares coefficients (XᵀWX)⁻¹XᵀWy at the projection's weights. */
export const coefficients = (x: Matrix, proj: Projection, y: ArrayLike<number>): Float64Array =>
  multiplyVector(proj.xtwxInverse, weightedCrossVector(x, proj.w, y))

/** P·y: the weighted residuals wᵢ(yᵢ − xᵢᵀβ̂). */
const projected = (proj: Projection, y: ArrayLike<number>): Float64Array => {
  const { k, matrix } = proj
  const out = new Float64Array(k)
  for (let i = 0; i < k; i++) {
    let row = 0
    for (let j = 0; j < k; j++) row += matrix[i * k + j]! * y[j]!
    out[i] = row
  }
  return out
}

/** yᵀPy: the weighted residual sum of squares Σ wᵢ(yᵢ − xᵢᵀβ̂)². */
export const quadratic = (proj: Projection, y: ArrayLike<number>): number =>
  projected(proj, y).reduce((sum, py, i) => sum + y[i]! * py, 0)

/** yᵀPPy = ‖Py‖². */
export const quadraticSquared = (proj: Projection, y: ArrayLike<number>): number =>
  projected(proj, y).reduce((sum, py) => sum + py * py, 0)

/** tr(P·diag(a)) = Σ Pᵢᵢ aᵢ (a = 1: tr P). */
export const weightedTrace = (proj: Projection, a?: ArrayLike<number>): number => {
  let sum = 0
  for (let i = 0; i < proj.k; i++) sum += proj.matrix[i * proj.k + i]! * (a === undefined ? 1 : a[i]!)
  return sum
}

/**
 * Σᵢⱼ Pᵢⱼ² aᵢ bⱼ (P is symmetric): sum(P * P) with a = b = 1, sum(PV * P) with a = 1, b = v, and
 * sum(PV * t(PV)) with a = b = v, V = diag(v), in metafor's notation.
 */
export const squareSum = (proj: Projection, a?: ArrayLike<number>, b?: ArrayLike<number>): number => {
  const { k, matrix } = proj
  let sum = 0
  for (let i = 0; i < k; i++) {
    let row = 0
    for (let j = 0; j < k; j++) {
      const pij = matrix[i * k + j]!
      row += pij * pij * (b === undefined ? 1 : b[j]!)
    }
    sum += row * (a === undefined ? 1 : a[i]!)
  }
  return sum
}
