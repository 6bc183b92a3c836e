/**
 * Special functions behind the t, χ² and F distributions: log Γ, log B, the regularized
 * incomplete beta function I_x(a, b) and the regularized incomplete gamma functions P(a, x) and
 * Q(a, x).
 *
 * Accuracy strategy:
 * - The power terms x^a(1−x)^b / B(a, b) and x^a e^(−x) / Γ(a + 1) are evaluated in Loader's
 *   saddle-point form, with the Stirling error term and the deviance term bd0 (as R's dbinom and
 *   dpois do), so that they keep full relative accuracy even for parameters in the millions
 *   (Loader 2000, "Fast and accurate computation of binomial probabilities").
 * - The incomplete functions are evaluated by a power series or a continued fraction (modified
 *   Lentz algorithm; Lentz 1976, Thompson & Barnett 1986) on the side of the usual switch point
 *   (x = (a + 1)/(a + b + 2) for the beta, x = a + 1 for the gamma) where the expansion converges
 *   fast. That side holds the smaller tail, or a tail close to ½, so a small tail is always computed
 *   directly and never as 1 − (the other tail).
 * The algorithms are implemented from the cited papers (not translated from R's GPL sources).
 * Observed agreement with R 4.2 (test/stats/distributions): within 1.3e-13 relative over ~2,800
 * golden values, including tails down to 1e-300.
 */

const LN_SQRT_2PI = 0.918938533204672741780329736406 // log(sqrt(2π))
const LN_2PI = 1.83787706640934548356065947281 // log(2π)
const EPSILON = Number.EPSILON
const TINY = 1e-300 // Lentz's guard against division by zero
const MAX_ITERATIONS = 100_000

/**
 * Stirling's error term: log Γ(n + 1) − [(n + ½) log n − n + log √(2π)], for n > 0.
 * For n ≥ 15 the asymptotic series (error < 1e-18); below, the exact recurrence
 * δ(n) = δ(n + 1) + (n + ½)·log1p(1/n) − 1 carries n up to 15 (absolute error ~1e-15).
 * Example: `stirlingError(1)` → 0.0810614667953269; exactly 1 − log √(2π), which R evaluates as
 * 0.08106146679532733.
 */
export const stirlingError = (n: number): number => {
  let shift = 0
  let m = n
  while (m < 15) {
    shift += (m + 0.5) * Math.log1p(1 / m) - 1
    m += 1
  }
  const m2 = m * m
  const series =
    (1 / 12 - (1 / 360 - (1 / 1260 - (1 / 1680 - (1 / 1188 - 691 / 360360 / m2) / m2) / m2) / m2) / m2) / m
  return shift + series
}

/**
 * The deviance term bd0(x, μ) = x·log(x/μ) + μ − x ≥ 0 (Loader 2000), for x ≥ 0, μ > 0.
 * Near x = μ the direct formula cancels catastrophically, so a series in v = (x − μ)/(x + μ) is
 * used: bd0 = (x − μ)·v + 2x·Σ_{j≥1} v^(2j+1)/(2j + 1).
 * Example: `devianceTerm(3, 10)` → 3.3880815870221914, identical to R `3 * log(0.3) + 7`.
 */
export const devianceTerm = (x: number, mu: number): number => {
  if (!Number.isFinite(x) || !Number.isFinite(mu) || mu === 0) return x === mu ? 0 : Number.POSITIVE_INFINITY
  if (Math.abs(x - mu) < 0.1 * (x + mu)) {
    let v = (x - mu) / (x + mu)
    let sum = (x - mu) * v
    let term = 2 * x * v
    v *= v
    for (let j = 1; j < 1000; j++) {
      term *= v
      const next = sum + term / (2 * j + 1)
      if (next === sum) return next
      sum = next
    }
    return sum
  }
  return x * Math.log(x / mu) + mu - x
}

/**
 * Natural logarithm of the gamma function, for x > 0.
 *
 * Definition: log Γ(x), Γ(x) = ∫₀^∞ t^(x−1) e^(−t) dt.
 * Formula: log Γ(x) = δ(x) + (x − ½)·log x − x + log √(2π), with δ the Stirling error
 * ({@link stirlingError}).
 * Reference: matches R `lgamma()` to ~1e-15 absolute (relative near the roots x = 1, 2 is
 * not meaningful, as for any log-gamma).
 * Preconditions: x > 0; returns Infinity at 0 and NaN for x < 0 or NaN (not needed here).
 * Returns: log Γ(x).
 * Example: `logGamma(0.5)` → 0.57236494292469975; R `sprintf("%.17g", lgamma(0.5))` gives
 * 0.57236494292470008 (= log √π; difference 3e-16).
 */
export const logGamma = (x: number): number => {
  if (Number.isNaN(x) || x < 0) return Number.NaN
  if (x === 0) return Number.POSITIVE_INFINITY
  if (x === Number.POSITIVE_INFINITY) return x
  if (x === 1 || x === 2) return 0 // exact, as R's lgamma; the formula leaves ~3e-16 there
  return stirlingError(x) + (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI
}

/**
 * Natural logarithm of the beta function, for a, b > 0.
 *
 * Definition: log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b).
 * Formula (no cancellation for large a, b): with n = a + b, p = min(a, b), q = max(a, b),
 * log B = δ(a) + δ(b) − δ(n) + (p − ½)·log(p/n) + (q − ½)·log1p(−p/n) − ½·log n + log √(2π).
 * Reference: matches R `lbeta()`.
 * Preconditions: a, b > 0 (NaN otherwise; Infinity if either is 0).
 * Returns: log B(a, b).
 * Example: `logBeta(0.5, 0.5)` → 1.1447298858493999; R `lbeta(0.5, 0.5)` gives 1.1447298858494004
 * (= log π).
 */
export const logBeta = (a: number, b: number): number => {
  if (Number.isNaN(a) || Number.isNaN(b) || a < 0 || b < 0) return Number.NaN
  if (a === 0 || b === 0) return Number.POSITIVE_INFINITY
  const p = Math.min(a, b)
  const q = Math.max(a, b)
  if (q === Number.POSITIVE_INFINITY) return Number.NEGATIVE_INFINITY
  const n = p + q
  const correction = stirlingError(p) + stirlingError(q) - stirlingError(n)
  return correction + (p - 0.5) * Math.log(p / n) + (q - 0.5) * Math.log1p(-p / n) - 0.5 * Math.log(n) + LN_SQRT_2PI
}

/** x^a·y^b / B(a, b) with y = 1 − x, in Loader's form (full relative accuracy). */
const betaPowerTerm = (x: number, y: number, a: number, b: number): number => {
  const n = a + b
  const correction = stirlingError(a) + stirlingError(b) - stirlingError(n)
  const exponent =
    -devianceTerm(a, x * n) - devianceTerm(b, y * n) + 0.5 * (Math.log(a) + Math.log(b) - Math.log(n) - LN_2PI)
  return Math.exp(exponent - correction)
}

/**
 * The continued fraction for I_x(a, b) in its even-contracted form (DiDonato & Morris 1992,
 * ACM TOMS 18:360, the BFRAC expansion; the even part of A&S 26.5.8), evaluated by the modified
 * Lentz algorithm: I_x(a, b) = [x^a y^b / B(a, b)] / (β₀ + α₁/(β₁ + α₂/(β₂ + …))), with y = 1 − x,
 *   α_m = (a + m − 1)(a + b + m − 1)·m·(b − m)·x² / (a + 2m − 1)²,
 *   β_m = m + m(b − m)x/(a + 2m − 1) + (a + m)(a·y − b·x + 1 + m(2 − x))/(a + 2m + 1).
 * Writing β_m with y rather than 1 − (a + b)x/(a + 1) avoids the cancellation that costs the plain
 * form up to 7 digits when a is large and x is close to 1 (the t distribution with df ≥ 1e5).
 * It converges fast for x < (a + 1)/(a + b + 2).
 */
const betaContinuedFraction = (x: number, y: number, a: number, b: number): number => {
  const guard = (v: number): number => (Math.abs(v) < TINY ? TINY : v)
  const term = (m: number): number =>
    m + (m * (b - m) * x) / (a + 2 * m - 1) + ((a + m) * (a * y - b * x + 1 + m * (2 - x))) / (a + 2 * m + 1)
  let f = guard((a * (a * y - b * x + 1)) / (a + 1)) // β₀ (term(0) would divide 0 by 0 at a = 1)
  let c = f
  let d = 0
  for (let m = 1; m <= MAX_ITERATIONS; m++) {
    const denominator = a + 2 * m - 1
    const alpha = ((a + m - 1) * (a + b + m - 1) * m * (b - m) * x * x) / (denominator * denominator)
    const beta = term(m)
    d = 1 / guard(beta + alpha * d)
    c = guard(beta + alpha / c)
    const delta = c * d
    f *= delta
    if (Math.abs(delta - 1) <= EPSILON) break
  }
  return 1 / f
}

/**
 * Regularized incomplete beta function I_x(a, b) (lower tail) or 1 − I_x(a, b) (upper tail).
 *
 * Definition: I_x(a, b) = ∫₀^x t^(a−1)(1−t)^(b−1) dt / B(a, b), the Beta(a, b) distribution
 * function.
 * Formula: continued fraction (A&S 26.5.8, contracted as in DiDonato & Morris 1992) on whichever of I_x(a, b), I_{1−x}(b, a) = 1 − I_x(a, b)
 * is the smaller tail; the requested tail is either that value or 1 minus it, so small upper
 * tails keep their relative accuracy.
 * Reference: R `pbeta(x, a, b, lower.tail)` (which uses TOMS 708); largest relative difference
 * over 256 golden values (a, b from 0.5 to 5e4, tails to 1e-150) is 1.3e-13.
 * Preconditions: a, b > 0; x in [0, 1]. `complement` may pass 1 − x when the caller has it more
 * accurately than 1 − x can be computed (e.g. n/(n + t²) in the t distribution).
 * Returns: the probability; NaN for invalid arguments.
 * Example: `regularizedIncompleteBeta(0.2, 2, 3)` → 0.18080000000000004, identical to R
 * `sprintf("%.17g", pbeta(0.2, 2, 3))` (exactly 0.1808).
 */
export const regularizedIncompleteBeta = (
  x: number,
  a: number,
  b: number,
  lowerTail = true,
  complement = 1 - x,
): number => {
  if ([x, a, b].some(Number.isNaN) || a <= 0 || b <= 0 || x < 0 || x > 1) return Number.NaN
  if (x === 0) return lowerTail ? 0 : 1
  if (x === 1 || complement === 0) return lowerTail ? 1 : 0
  if (x < (a + 1) / (a + b + 2)) {
    const lower = betaPowerTerm(x, complement, a, b) * betaContinuedFraction(x, complement, a, b)
    return lowerTail ? lower : 0.5 - lower + 0.5
  }
  const upper = betaPowerTerm(complement, x, b, a) * betaContinuedFraction(complement, x, b, a)
  return lowerTail ? 0.5 - upper + 0.5 : upper
}

/** x^a e^(−x) / Γ(a + 1), the Poisson "density" at a non-integer count a, in Loader's form. */
const gammaPowerTerm = (a: number, x: number): number => {
  if (a < 1) return Math.exp(a * Math.log(x) - x - logGamma(a + 1))
  return Math.exp(-stirlingError(a) - devianceTerm(a, x)) / Math.sqrt(2 * Math.PI * a)
}

/** P(a, x) by its power series (A&S 6.5.29); converges fast for x < a + 1. */
const gammaSeries = (a: number, x: number): number => {
  let term = 1
  let sum = 1
  for (let k = 1; k <= MAX_ITERATIONS; k++) {
    term *= x / (a + k)
    sum += term
    if (term < sum * EPSILON) break
  }
  return gammaPowerTerm(a, x) * sum
}

/** Q(a, x) by its continued fraction (A&S 6.5.31, modified Lentz); converges fast for x > a + 1. */
const gammaContinuedFraction = (a: number, x: number): number => {
  const guard = (v: number): number => (Math.abs(v) < TINY ? TINY : v)
  let b = x + 1 - a
  let c = 1 / TINY
  let d = 1 / b
  let h = d
  for (let i = 1; i <= MAX_ITERATIONS; i++) {
    const an = -i * (i - a)
    b += 2
    d = 1 / guard(an * d + b)
    c = guard(b + an / c)
    const delta = d * c
    h *= delta
    if (Math.abs(delta - 1) <= EPSILON) break
  }
  return a * gammaPowerTerm(a, x) * h
}

/** Both tails of the regularized incomplete gamma function, the smaller one computed directly. */
const incompleteGamma = (a: number, x: number, lowerTail: boolean): number => {
  if (Number.isNaN(a) || Number.isNaN(x) || a <= 0) return Number.NaN
  if (x <= 0) return lowerTail ? 0 : 1
  if (x === Number.POSITIVE_INFINITY) return lowerTail ? 1 : 0
  if (x < a + 1) {
    const p = gammaSeries(a, x)
    return lowerTail ? p : 0.5 - p + 0.5
  }
  const q = gammaContinuedFraction(a, x)
  return lowerTail ? 0.5 - q + 0.5 : q
}

/**
 * Regularized lower incomplete gamma function P(a, x).
 *
 * Definition: P(a, x) = γ(a, x)/Γ(a) = ∫₀^x t^(a−1) e^(−t) dt / Γ(a), the Gamma(a, 1)
 * distribution function.
 * Formula: series x^a e^(−x)/Γ(a+1) · Σ_k x^k/((a+1)…(a+k)) when x < a + 1, else 1 − Q(a, x)
 * with Q from its continued fraction.
 * Reference: R `pgamma(x, shape = a)`; largest relative difference over the golden values is 9e-14.
 * Preconditions: a > 0, x ≥ 0 (x ≤ 0 gives 0; NaN for a ≤ 0).
 * Returns: P(a, x) in [0, 1].
 * Example: `regularizedGammaP(2.5, 3)` → 0.6937810815867218; R `pgamma(3, 2.5)` gives
 * 0.69378108158672158.
 */
export const regularizedGammaP = (a: number, x: number): number => incompleteGamma(a, x, true)

/**
 * Regularized upper incomplete gamma function Q(a, x) = 1 − P(a, x), computed directly in the
 * upper tail so that values far below 1e-16 keep full relative accuracy.
 *
 * Definition: Q(a, x) = Γ(a, x)/Γ(a) = ∫ₓ^∞ t^(a−1) e^(−t) dt / Γ(a).
 * Formula: continued fraction (A&S 6.5.31) x^a e^(−x)/Γ(a) · 1/(x + 1 − a − 1·(1 − a)/(x + 3 − a − …))
 * when x ≥ a + 1, else 1 − P(a, x) from the series.
 * Reference: R `pgamma(x, shape = a, lower.tail = FALSE)`; largest relative difference over the
 * golden values (tails to 1e-298) is 9e-14.
 * Preconditions: a > 0, x ≥ 0.
 * Returns: Q(a, x) in [0, 1].
 * Example: `regularizedGammaQ(0.5, 50)` → 1.5239706048321024e-23; R
 * `pgamma(50, 0.5, lower.tail = FALSE)` gives 1.5239706048321054e-23 (= erfc(√50)).
 */
export const regularizedGammaQ = (a: number, x: number): number => incompleteGamma(a, x, false)
