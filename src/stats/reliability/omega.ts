/**
 * McDonald's ω from a one-factor model, as `psych::omega(nfactors = 1)` reports it.
 *
 * The factor model is fitted by minimum residuals (minres, psych's default `fm`): loadings λ that
 * minimise the squared off-diagonal residuals of the correlation matrix R,
 *
 *   f(λ) = Σ_{i<j} (r_ij − λ_i λ_j)²,
 *
 * solved here by damped Newton steps from the first principal component (gradient and Hessian in
 * closed form) until the gradient vanishes to rounding; the uniquenesses are u_i = 1 − λ_i². Then,
 * with V_t = ΣR (the variance of the standardized total),
 *
 *   ω_total = 1 − Σu_i / V_t              (psych's omega.tot)
 *   ω_h     = (Σλ_i)² / V_t               (psych's omega_h; with one factor the general factor is
 *                                          the only one, so this is the ω of the unidimensional model)
 *
 * (McDonald 1999, ch. 6; Revelle & Zinbarg 2009). psych's optimiser stops at its default
 * tolerance — loadings up to 1e-5 and ω about 1e-8 from the optimum on the bfi scales —
 * so test/reference/reliability.R refines its solution to the gradient's rounding.
 * A loading of 1 or more (a Heywood case: a uniqueness at or below 0) is reported, not repaired:
 * psych bounds uniquenesses at 0.005 instead.
 */
import { invertSpd, symmetricEigen } from "../numeric/matrix.ts"

export interface OmegaResult {
  readonly loadings: Float64Array
  readonly uniquenesses: Float64Array
  readonly omegaTotal: number
  readonly omegaHierarchical: number
  /** a loading of 1 or more: the one-factor model does not fit these items */
  readonly heywood: boolean
  /** Newton steps taken */
  readonly iterations: number
}

/** f(λ), its gradient and Hessian (file comment). */
const objective = (r: Float64Array, k: number, l: Float64Array) => {
  let value = 0
  const gradient = new Float64Array(k)
  const hessian = new Float64Array(k * k)
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      if (i === j) continue
      const residual = r[i * k + j]! - l[i]! * l[j]!
      if (j < i) value += residual * residual
      gradient[i]! -= 2 * residual * l[j]!
      hessian[i * k + i]! += 2 * l[j]! * l[j]!
      hessian[i * k + j] = -2 * residual + 2 * l[i]! * l[j]!
    }
  }
  return { value, gradient, hessian }
}

/** Minres loadings of one factor for the k × k correlation matrix `r` (row-major). */
export const oneFactorMinres = (r: Float64Array, k: number): { readonly loadings: Float64Array; readonly iterations: number } => {
  // start: the first principal component, λ = √e₁ · v₁
  const { values, vectors } = symmetricEigen({ rows: k, cols: k, data: r })
  let first = 0
  for (let i = 1; i < k; i++) if (values[i]! > values[first]!) first = i
  let l = Float64Array.from({ length: k }, (_, i) => vectors.data[i * k + first]! * Math.sqrt(values[first]!))
  let iterations = 0
  for (; iterations < 200; iterations++) {
    const { value, gradient, hessian } = objective(r, k, l)
    if (Math.max(...gradient.map(Math.abs)) < 1e-15) break
    const inverse = invertSpd({ rows: k, cols: k, data: hessian }, 0)
    // Newton's direction where the Hessian is positive definite, else steepest descent
    const step = inverse === null ? Float64Array.from(gradient, (g) => -g) : Float64Array.from({ length: k }, (_, i) => -inverse.inverse.data.slice(i * k, (i + 1) * k).reduce((s, h, j) => s + h * gradient[j]!, 0))
    let scale = 1
    let next = l
    for (let halving = 0; halving < 60; halving++, scale /= 2) {
      next = Float64Array.from(l, (v, i) => v + scale * step[i]!)
      if (objective(r, k, next).value <= value) break
    }
    if (next.every((v, i) => v === l[i])) break
    l = next
  }
  // the sign of a factor is arbitrary: the one with positive loadings on the whole
  if (l.reduce((s, v) => s + v, 0) < 0) l = l.map((v) => -v)
  return { loadings: l, iterations }
}

/** ω_total and ω_h of a one-factor minres model of the items' correlation matrix `r` (k × k). */
export const omegaOneFactor = (r: Float64Array, k: number): OmegaResult => {
  if (k < 3) throw new RangeError(`a one-factor model needs at least 3 items, got ${k}`)
  if (invertSpd({ rows: k, cols: k, data: r }, 1e-12) === null) throw new RangeError("the items' correlation matrix is singular")
  const { loadings, iterations } = oneFactorMinres(r, k)
  const uniquenesses = loadings.map((v) => 1 - v * v)
  const total = r.reduce((s, v) => s + v, 0)
  const sumLoadings = loadings.reduce((s, v) => s + v, 0)
  return {
    loadings,
    uniquenesses,
    omegaTotal: 1 - uniquenesses.reduce((s, v) => s + v, 0) / total,
    omegaHierarchical: (sumLoadings * sumLoadings) / total,
    heywood: loadings.some((v) => Math.abs(v) >= 1),
    iterations,
  }
}
