/**
 * Bracketing root finding. Brent's method combines bisection (always safe) with secant and
 * inverse quadratic interpolation (fast near a simple root), so it never leaves the bracket and
 * converges superlinearly on smooth functions. Used by the distribution quantiles and by the
 * meta-analysis Q-profile interval.
 */

/** Options for {@link brent}. */
export interface BrentOptions {
  /**
   * Absolute tolerance on the root. The search stops when the bracket is narrower than
   * 4·eps·|x| + tolerance, so 0 asks for full double precision. Default 1e-12.
   */
  readonly tolerance?: number
  /** Maximum number of function evaluations after the two end points. Default 1000. */
  readonly maxIterations?: number
}

/** A root of f, to within the requested tolerance. */
export interface RootConverged {
  readonly status: "converged"
  /** the root: the end of the final bracket where |f| is smaller */
  readonly root: number
  /** f at `root` */
  readonly value: number
  /** function evaluations used after the two end points */
  readonly iterations: number
}

/** No root was found: the reason says why, `best` is the closest point reached (NaN if none). */
export interface RootNotConverged {
  readonly status: "not_converged"
  readonly reason: string
  readonly best: number
  readonly iterations: number
}

export type RootResult = RootConverged | RootNotConverged

const EPSILON = Number.EPSILON

const converged = (root: number, value: number, iterations: number): RootConverged => ({
  status: "converged",
  root,
  value,
  iterations,
})

const notConverged = (reason: string, best: number, iterations: number): RootNotConverged => ({
  status: "not_converged",
  reason,
  best,
  iterations,
})

const sameSign = (u: number, v: number): boolean => (u > 0 && v > 0) || (u < 0 && v < 0)

/**
 * Finds a root of `f` in `[lower, upper]` by Brent's method.
 *
 * Definition: returns x with f(x) ≈ 0 inside a bracket where f changes sign.
 * Algorithm: Brent (1973), *Algorithms for Minimization without Derivatives*, ch. 4 ("zero"),
 * step for step as R `uniroot()` runs it (R_zeroin2): the same interpolation tests and the same
 * stopping rule (half-width of the bracket ≤ 2·eps·|b| + tolerance/2), so with R's tolerance it
 * returns R's root, iterate for iterate — which matters where R stops early (metafor's
 * Paule–Mandel estimator uses uniroot's default tolerance, eps^0.25 ≈ 1.2e-4).
 * Preconditions: f continuous on the interval; f(lower) and f(upper) of opposite signs (or one
 * of them exactly 0). Otherwise, or if f returns NaN, or maxIterations runs out, the result is
 * `not_converged` with a plain reason.
 * Returns: `{ status: "converged", root, value: f(root), iterations }` or
 * `{ status: "not_converged", reason, best, iterations }`.
 * Example: `brent((x) => x * x - 2, 0, 2, { tolerance: 0 })` → root 1.4142135623730949 after 8
 * iterations, the same as R `sprintf("%.17g", uniroot(function(x) x^2 - 2, c(0, 2), tol = 1e-15)$root)`
 * (√2 = 1.4142135623730951 is 1 ulp away).
 */
export const brent = (
  f: (x: number) => number,
  lower: number,
  upper: number,
  options: BrentOptions = {},
): RootResult => {
  const tolerance = options.tolerance ?? 1e-12
  const maxIterations = options.maxIterations ?? 1000

  // setup: evaluate the ends and check the bracket
  let a = lower
  let b = upper
  let fa = f(a)
  let fb = f(b)
  if (Number.isNaN(fa) || Number.isNaN(fb)) {
    return notConverged("the function is not defined (NaN) at an end of the interval", Number.NaN, 0)
  }
  if (fa === 0) return converged(a, fa, 0)
  if (fb === 0) return converged(b, fb, 0)
  if (sameSign(fa, fb)) {
    const best = Math.abs(fa) < Math.abs(fb) ? a : b
    return notConverged(
      `the function has the same sign at both ends of [${lower}, ${upper}], so no root is bracketed`,
      best,
      0,
    )
  }

  // iterate, as R_zeroin2 does: b is the best estimate, c the point that keeps the root
  // bracketed between b and c, a the previous b
  let c = a
  let fc = fa
  for (let iteration = 1; iteration <= maxIterations + 1; iteration++) {
    const previousStep = b - a
    if (Math.abs(fc) < Math.abs(fb)) {
      // make b the end where |f| is smaller
      a = b
      b = c
      c = a
      fa = fb
      fb = fc
      fc = fa
    }
    const tol1 = 2 * EPSILON * Math.abs(b) + 0.5 * tolerance
    let step = 0.5 * (c - b) // bisection
    if (Math.abs(step) <= tol1 || fb === 0) return converged(b, fb, iteration - 1)

    if (Math.abs(previousStep) >= tol1 && Math.abs(fa) > Math.abs(fb)) {
      // try interpolation: secant when only two points are distinct, inverse quadratic otherwise
      const cb = c - b
      let p: number
      let q: number
      if (a === c) {
        const t1 = fb / fa
        p = cb * t1
        q = 1 - t1
      } else {
        const qa = fa / fc
        const t1 = fb / fc
        const t2 = fb / fa
        p = t2 * (cb * qa * (qa - t1) - (b - a) * (t1 - 1))
        q = (qa - 1) * (t1 - 1) * (t2 - 1)
      }
      if (p > 0) q = -q
      else p = -p
      // accept the interpolation only if it falls well inside the bracket and shrinks fast enough
      if (p < 0.75 * cb * q - Math.abs(tol1 * q) / 2 && p < Math.abs((previousStep * q) / 2)) step = p / q
    }
    if (Math.abs(step) < tol1) step = step > 0 ? tol1 : -tol1

    a = b
    fa = fb
    b += step
    fb = f(b)
    if (Number.isNaN(fb)) {
      return notConverged(`the function is not defined (NaN) at x = ${b}`, a, iteration)
    }
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      c = a
      fc = fa
    }
  }
  return notConverged(
    `no convergence within ${maxIterations} iterations (bracket [${Math.min(b, c)}, ${Math.max(b, c)}])`,
    b,
    maxIterations,
  )
}
