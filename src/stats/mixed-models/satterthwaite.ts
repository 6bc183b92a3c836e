/**
 * Satterthwaite degrees of freedom for linear contrasts of the fixed effects, as lmerTest
 * (Kuznetsova, Brockhoff & Christensen 2017, *J Stat Softw* 82(13), §3.1):
 *
 *   df(L) = 2·(LᵀVL)² / (∇ᵀ·Σ_φ·∇),   ∇ᵢ = Lᵀ(∂V/∂φᵢ)L,
 *
 * with V = σ²(XᵀV_θ⁻¹X)⁻¹ the covariance of β̂ as a function of the variance parameters
 * φ = (θ, σ), and Σ_φ = 2H⁺ from the Hessian H of the unprofiled REML criterion (or deviance) in φ,
 * inverted over its eigenvalues above 10⁻⁸ (lmerTest's pseudo-inverse, which matters at a boundary).
 *
 * The criterion is D(θ, σ) = m·log(2πσ²) + g(θ) + r²(θ)/σ², m = N − p (REML) or N, g = log|V_θ|
 * (+ log|XᵀV_θ⁻¹X| for REML). Its σ-derivatives are written out; the θ-derivatives of g, r² and
 * (XᵀV_θ⁻¹X)⁻¹ come from central differences with one Richardson extrapolation (steps h and h/2,
 * hᵢ = 10⁻³·max(|θᵢ|, 0.1)), accurate to about 10⁻⁸ — lmerTest itself uses numDeriv's Richardson.
 */
import { symmetricEigen } from "../numeric/matrix.ts"
import type { Evaluation } from "./criterion.ts"

export interface SatterthwaiteInputs {
  /** evaluates the profiled quantities at θ (criterion.ts `evaluate`) */
  readonly evaluate: (theta: Float64Array) => Evaluation | null
  readonly theta: Float64Array
  readonly n: number
  readonly p: number
  readonly reml: boolean
}

/** The pieces of df(L): V, its derivatives in φ and Σ_φ. */
export interface Satterthwaite {
  /** df for the contrast with these weights on the fixed effects */
  readonly df: (weights: ArrayLike<number>) => number
}

interface Point {
  readonly g: number
  readonly r2: number
  readonly aInverse: Float64Array
}

export const satterthwaite = (inputs: SatterthwaiteInputs): Satterthwaite => {
  const { theta, n, p, reml } = inputs
  const k = theta.length
  const m = reml ? n - p : n
  const at = (moves: ReadonlyArray<readonly [number, number]>): Point => {
    const x = Float64Array.from(theta)
    for (const [i, s] of moves) x[i]! += s
    const e = inputs.evaluate(x)
    if (e === null) return { g: Number.NaN, r2: Number.NaN, aInverse: new Float64Array(p * p).fill(Number.NaN) }
    return { g: e.logDetV + (reml ? e.logDetA : 0), r2: e.r2, aInverse: e.aInverse }
  }
  const centre = at([])
  const sigma2 = centre.r2 / m
  const sigma = Math.sqrt(sigma2)
  const h = Array.from(theta, (v) => 1e-3 * Math.max(Math.abs(v), 0.1))
  const richardson = (coarse: number, fine: number) => (4 * fine - coarse) / 3

  // first and second θ-derivatives of g and r², first of A⁻¹
  const r2Gradient = new Float64Array(k)
  const hessian = new Float64Array((k + 1) * (k + 1))
  const aInverseGradient: Float64Array[] = []
  for (let i = 0; i < k; i++) {
    const one = (s: number) => {
      const up = at([[i, s]])
      const down = at([[i, -s]])
      return {
        gSecond: (up.g - 2 * centre.g + down.g) / (s * s),
        r2First: (up.r2 - down.r2) / (2 * s),
        r2Second: (up.r2 - 2 * centre.r2 + down.r2) / (s * s),
        aFirst: Float64Array.from(up.aInverse, (v, c) => (v - down.aInverse[c]!) / (2 * s)),
      }
    }
    const coarse = one(h[i]!)
    const fine = one(h[i]! / 2)
    r2Gradient[i] = richardson(coarse.r2First, fine.r2First)
    hessian[i * (k + 1) + i] = richardson(coarse.gSecond, fine.gSecond) + richardson(coarse.r2Second, fine.r2Second) / sigma2
    aInverseGradient.push(Float64Array.from(coarse.aFirst, (v, c) => richardson(v, fine.aFirst[c]!)))
    for (let j = 0; j < i; j++) {
      const mixed = (s: number, t: number) => {
        const pp = at([[i, s], [j, t]])
        const pm = at([[i, s], [j, -t]])
        const mp = at([[i, -s], [j, t]])
        const mm = at([[i, -s], [j, -t]])
        const d = 4 * s * t
        return (pp.g - pm.g - mp.g + mm.g) / d + (pp.r2 - pm.r2 - mp.r2 + mm.r2) / d / sigma2
      }
      const value = richardson(mixed(h[i]!, h[j]!), mixed(h[i]! / 2, h[j]! / 2))
      hessian[i * (k + 1) + j] = value
      hessian[j * (k + 1) + i] = value
    }
  }
  // σ-derivatives of D, written out: ∂²D/∂θᵢ∂σ = −2(∂r²/∂θᵢ)/σ³, ∂²D/∂σ² = −2m/σ² + 6r²/σ⁴
  for (let i = 0; i < k; i++) {
    const value = (-2 * r2Gradient[i]!) / (sigma2 * sigma)
    hessian[i * (k + 1) + k] = value
    hessian[k * (k + 1) + i] = value
  }
  hessian[k * (k + 1) + k] = (-2 * m) / sigma2 + (6 * centre.r2) / (sigma2 * sigma2)

  // Σ_φ = 2·H⁺ over the eigenvalues above 1e-8 (lmerTest)
  const size = k + 1
  const eigen = symmetricEigen({ rows: size, cols: size, data: hessian })
  const covariance = new Float64Array(size * size)
  for (let e = 0; e < size; e++) {
    const value = eigen.values[e]!
    if (!(value > 1e-8)) continue
    for (let a = 0; a < size; a++) {
      for (let b = 0; b < size; b++) {
        covariance[a * size + b]! += (2 * eigen.vectors.data[a * size + e]! * eigen.vectors.data[b * size + e]!) / value
      }
    }
  }
  // ∂V/∂θᵢ = σ²·∂A⁻¹/∂θᵢ, ∂V/∂σ = 2σ·A⁻¹
  const jacobian = [...aInverseGradient.map((g) => g.map((v) => v * sigma2)), centre.aInverse.map((v) => 2 * sigma * v)]
  const quadratic = (w: ArrayLike<number>, matrix: Float64Array): number => {
    let sum = 0
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) sum += w[a]! * matrix[a * p + b]! * w[b]!
    return sum
  }
  return {
    df: (weights) => {
      const variance = sigma2 * quadratic(weights, centre.aInverse)
      const gradient = jacobian.map((j) => quadratic(weights, j))
      let spread = 0
      for (let a = 0; a < size; a++) for (let b = 0; b < size; b++) spread += gradient[a]! * covariance[a * size + b]! * gradient[b]!
      return (2 * variance * variance) / spread
    },
  }
}
