/**
 * Minimisers for the profiled criterion of a mixed model: Brent's fmin for one parameter, and a
 * damped Newton method (Levenberg–Marquardt, with backtracking) on central-difference derivatives
 * for several. The criterion is even in each column of Λ (it depends on ΛΛᵀ only), so the search
 * runs unconstrained and a boundary optimum (a variance of 0) is an interior stationary point.
 */
import { symmetricEigen } from "../numeric/matrix.ts"

const GOLDEN = (3 - Math.sqrt(5)) / 2

/**
 * Brent's fmin (Brent 1973, ch. 5; R `optimize`): the minimiser of f on [a, b] to tolerance
 * tol, by golden-section search with parabolic steps.
 */
export const minimiseOnInterval = (f: (x: number) => number, a: number, b: number, tol: number): number => {
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

/**
 * Minimises f of one parameter over [0, ∞) (`nonNegative`, a diagonal of Λ) or the whole line (an
 * off-diagonal): the bracket's end doubles from `scale` while f still falls (up to 10⁶), then
 * Brent's fmin searches it to 10⁻¹².
 */
export const minimiseOneParameter = (f: (x: number) => number, scale: number, nonNegative: boolean): number => {
  let upper = scale
  while (upper < 1e6 && f(upper * 2) < f(upper)) upper *= 2
  return minimiseOnInterval(f, nonNegative ? 0 : -upper * 2, upper * 2, 1e-12)
}

/** f at x, its gradient and Hessian (k × k, row-major) by central differences with steps h. */
export interface Derivatives {
  readonly value: number
  readonly gradient: Float64Array
  readonly hessian: Float64Array
}

/**
 * Central differences: f(x ± hᵢeᵢ) for the gradient and the diagonal, f(x ± hᵢeᵢ ± hⱼeⱼ) for the
 * mixed second derivatives — 1 + 2k + 2k(k − 1) evaluations.
 */
export const centralDerivatives = (f: (x: Float64Array) => number, x: ArrayLike<number>, h: ArrayLike<number>): Derivatives => {
  const k = x.length
  const at = (moves: ReadonlyArray<readonly [number, number]>): number => {
    const y = Float64Array.from(x)
    for (const [i, s] of moves) y[i]! += s * h[i]!
    return f(y)
  }
  const value = at([])
  const gradient = new Float64Array(k)
  const hessian = new Float64Array(k * k)
  for (let i = 0; i < k; i++) {
    const up = at([[i, 1]])
    const down = at([[i, -1]])
    gradient[i] = (up - down) / (2 * h[i]!)
    hessian[i * k + i] = (up - 2 * value + down) / (h[i]! * h[i]!)
    for (let j = 0; j < i; j++) {
      const mixed = (at([[i, 1], [j, 1]]) - at([[i, 1], [j, -1]]) - at([[i, -1], [j, 1]]) + at([[i, -1], [j, -1]])) / (4 * h[i]! * h[j]!)
      hessian[i * k + j] = mixed
      hessian[j * k + i] = mixed
    }
  }
  return { value, gradient, hessian }
}

export interface Minimum {
  readonly x: Float64Array
  readonly value: number
  readonly iterations: number
}

/**
 * Minimises a smooth f of a few parameters by damped Newton steps (Levenberg–Marquardt: H + λ·I
 * scaled to H's diagonal, λ raised until the step is a descent step within four halvings, lowered
 * after each success). Derivatives by central differences with steps 10⁻⁴·max(|xᵢ|, 0.1). Stops
 * after a full Newton step below 10⁻⁷·(1 + ‖x‖∞) (Newton converges quadratically, so that step
 * leaves an error of about its square; waiting for a smaller one only chases f's rounding, which
 * for a criterion over millions of rows is far above 10⁻¹⁴), after an accepted step below
 * `tolerance`·(1 + ‖x‖∞), when no damping yields a descent step, or after `maxIterations`.
 */
export const minimiseNewton = (
  f: (x: Float64Array) => number,
  start: ArrayLike<number>,
  options: { readonly tolerance?: number; readonly maxIterations?: number } = {},
): Minimum => {
  const tolerance = options.tolerance ?? 1e-10
  const maxIterations = options.maxIterations ?? 200
  const k = start.length
  let x: Float64Array<ArrayBuffer> = Float64Array.from(start)
  let fx = f(x)
  let damping = 0
  let iterations = 0
  for (; iterations < maxIterations; iterations++) {
    const h = Float64Array.from(x, (v) => 1e-4 * Math.max(Math.abs(v), 0.1))
    const { gradient, hessian } = centralDerivatives(f, x, h)
    // saddle-free Newton (Dauphin et al. 2014): H's eigenvalues taken by absolute value, so that
    // at a saddle — the criterion at a variance of 0 when the optimum is not there — the step
    // leads away from it instead of towards it; damping adds a multiple of the largest
    const eigen = symmetricEigen({ rows: k, cols: k, data: hessian })
    let scale = 0
    for (const value of eigen.values) scale = Math.max(scale, Math.abs(value))
    if (!(scale > 0)) scale = 1
    const positive = eigen.values.every((value) => value > 0)
    const projected = Array.from({ length: k }, (_, e) => {
      let sum = 0
      for (let i = 0; i < k; i++) sum += eigen.vectors.data[i * k + e]! * gradient[i]!
      return sum
    })
    let accepted: { readonly y: Float64Array<ArrayBuffer>; readonly fy: number; readonly size: number } | null = null
    let converged = false
    while (accepted === null && !converged && damping <= 1e8) {
      const step = new Float64Array(k)
      for (let e = 0; e < k; e++) {
        const curvature = Math.max(Math.abs(eigen.values[e]!), 1e-8 * scale) + damping * scale
        for (let i = 0; i < k; i++) step[i]! -= (eigen.vectors.data[i * k + e]! * projected[e]!) / curvature
      }
      const size = Math.max(...step.map(Math.abs))
      // a full Newton step this small lands within about its square of the minimum: take it
      // (unless f says it went wrong beyond rounding) and stop
      if (damping === 0 && positive && size <= 1e-7 * (1 + Math.max(...x.map(Math.abs)))) {
        const y = Float64Array.from(x, (v, i) => v + step[i]!)
        const fy = f(y)
        if (fy <= fx + 1e-10 * (1 + Math.abs(fx))) {
          x = y
          fx = Math.min(fx, fy)
        }
        converged = true
        break
      }
      for (let t = 1; t >= 1 / 16 && accepted === null; t /= 2) {
        const y = Float64Array.from(x, (v, i) => v + t * step[i]!)
        const fy = f(y)
        if (fy < fx) accepted = { y, fy, size: t * size }
      }
      if (accepted === null) damping = damping === 0 ? 1e-4 : damping * 100
    }
    if (accepted === null) break
    x = accepted.y
    fx = accepted.fy
    damping /= 100
    if (damping < 1e-4) damping = 0
    if (accepted.size <= tolerance * (1 + Math.max(...x.map(Math.abs)))) break
  }
  return { x, value: fx, iterations }
}
