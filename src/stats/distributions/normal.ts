/**
 * The standard normal distribution: distribution function (Cody 1969/1993) and quantile function
 * (Wichura 1988, AS 241) — the two algorithms R's `pnorm` and `qnorm` use, so results agree with R
 * to the last digit or two, including tails down to ~1e-308.
 */

const SQRT_32 = 5.656854249492380195206754896838 // √32
const INV_SQRT_2PI = 0.398942280401432677939946059934 // 1/√(2π)

// Cody's rational Chebyshev approximations (Math. Comp. 1969; SPECFUN ANORM, TOMS 715).
const A = [2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582, 18154.981253343561249, 0.065682337918207449113] as const
const B = [47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956] as const
const C = [
  0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979, 597.27027639480026226,
  2494.5375852903726711, 6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218,
  1.0765576773720192317e-8,
] as const
const D = [
  22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755,
  18615.571640885098091, 34900.952721145977266, 38912.003286093271411, 19685.429676859990727,
] as const
const P = [0.21589853405795699, 0.1274011611602473639, 0.022235277870649807, 0.001421619193227893466, 2.9112874951168792e-5, 0.02307344176494017303] as const
const Q = [1.28426009614491121, 0.468238212480865118, 0.0659881378689285515, 0.00378239633202758244, 7.29751555083966205e-5] as const

/**
 * exp(−y²/2) without losing the low bits of y²: split y = h + (y − h) with h = y rounded down to
 * a multiple of 1/16, so that h² is exact and the remainder (y − h)(y + h) is small.
 */
const expMinusHalfSquare = (y: number): number => {
  const h = Math.trunc(y * 16) / 16
  const remainder = (y - h) * (y + h)
  return Math.exp(-h * h * 0.5) * Math.exp(-remainder * 0.5)
}

/** P(Z > y) for y > 0.67448975 (the tail beyond the quartile), Cody's second and third ranges. */
const upperTailBeyondQuartile = (y: number): number => {
  if (y <= SQRT_32) {
    let numerator = C[8] * y
    let denominator = y
    for (let i = 0; i < 7; i++) {
      numerator = (numerator + (C[i] as number)) * y
      denominator = (denominator + (D[i] as number)) * y
    }
    return (expMinusHalfSquare(y) * (numerator + C[7])) / (denominator + D[7])
  }
  // below this the probability underflows to zero, as in R
  if (y >= 37.5193) return 0
  const inverseSquare = 1 / (y * y)
  let numerator = P[5] * inverseSquare
  let denominator = inverseSquare
  for (let i = 0; i < 4; i++) {
    numerator = (numerator + (P[i] as number)) * inverseSquare
    denominator = (denominator + (Q[i] as number)) * inverseSquare
  }
  const ratio = (inverseSquare * (numerator + P[4])) / (denominator + Q[4])
  return (expMinusHalfSquare(y) * (INV_SQRT_2PI - ratio)) / y
}

/**
 * Standard normal distribution function.
 *
 * Definition: Φ(x) = P(Z ≤ x) for Z ~ N(0, 1); with `lowerTail = false`, 1 − Φ(x) = P(Z > x).
 * Formula: Cody's rational Chebyshev approximations on |x| ≤ 0.674, ≤ √32 and beyond (with
 * exp(−x²/2) split to keep full precision); the tail probability is computed directly and the
 * other side as 1 minus it.
 * Reference: Cody (1993) TOMS 715; R `pnorm(x, lower.tail = lowerTail)` (pnorm_both).
 * Preconditions: none; NaN gives NaN, ±Infinity give 0 or 1.
 * Returns: the probability.
 * Example: `normalCdf(-10)` → 7.6198530241605269e-24, identical to R `sprintf("%.17g", pnorm(-10))`.
 */
export const normalCdf = (x: number, lowerTail = true): number => {
  if (Number.isNaN(x)) return Number.NaN
  const y = Math.abs(x)
  if (y <= 0.67448975) {
    let numerator = 0
    let denominator = 0
    if (y > Number.EPSILON * 0.5) {
      const square = x * x
      numerator = A[4] * square
      denominator = square
      for (let i = 0; i < 3; i++) {
        numerator = (numerator + (A[i] as number)) * square
        denominator = (denominator + (B[i] as number)) * square
      }
    }
    const half = (x * (numerator + A[3])) / (denominator + B[3])
    return lowerTail ? 0.5 + half : 0.5 - half
  }
  const tail = upperTailBeyondQuartile(y)
  // the directly computed tail is the lower one for x < 0 and the upper one for x > 0
  const wantsTail = x < 0 === lowerTail
  return wantsTail ? tail : 1 - tail
}

/** Wichura's AS 241 (PPND16) for the central region |p − ½| ≤ 0.425. */
const centralQuantile = (q: number): number => {
  const r = 0.180625 - q * q
  return (
    (q *
      (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r +
        45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r +
        133.14166789178437745) * r + 3.387132872796366608)) /
    (((((((r * 5226.495278852854561 + 28729.085735721942674) * r + 39307.89580009271061) * r +
      21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r +
      42.313330701600911252) * r + 1)
  )
}

/** AS 241 for the tails, given r = √(−log(tail probability)); returns the positive deviate. */
const tailQuantile = (rootMinusLog: number): number => {
  if (rootMinusLog <= 5) {
    const r = rootMinusLog - 1.6
    return (
      (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r + 0.24178072517745061177) * r +
        1.27045825245236838258) * r + 3.64784832476320460504) * r + 5.7694972214606914055) * r +
        4.6303378461565452959) * r + 1.42343711074968357734) /
      (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r +
        0.14810397642748007459) * r + 0.68976733498510000455) * r + 1.6763848301838038494) * r +
        2.05319162663775882187) * r + 1)
    )
  }
  const r = rootMinusLog - 5
  return (
    (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r +
      0.026532189526576123093) * r + 0.29656057182850489123) * r + 1.7848265399172913358) * r +
      5.4637849111641143699) * r + 6.6579046435011037772) /
    (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r +
      7.868691311456132591e-4) * r + 0.0148753612908506148525) * r + 0.13692988092273580531) * r +
      0.59983220655588793769) * r + 1)
  )
}

/**
 * Standard normal quantile function.
 *
 * Definition: the z with Φ(z) = p (or 1 − Φ(z) = p when `lowerTail = false`).
 * Formula: Wichura's rational approximations (AS 241, "PPND16", accurate to ~1e-16) on
 * |p − ½| ≤ 0.425 and on r = √(−log min(p, 1 − p)) beyond; for an upper-tail p the tail is used
 * as given, never as 1 − p, so `normalQuantile(1e-300, false)` is exact.
 * Reference: Wichura (1988) Applied Statistics 37:477–484; R `qnorm(p, lower.tail = lowerTail)`
 * (R 4.2 uses AS 241 unchanged).
 * Preconditions: p in [0, 1]; 0 and 1 give ∓Infinity (or ±Infinity in the upper tail), other
 * values outside [0, 1] or NaN give NaN.
 * Returns: the quantile.
 * Example: `normalQuantile(0.975)` → 1.9599639845400536, identical to R
 * `sprintf("%.17g", qnorm(0.975))`.
 */
export const normalQuantile = (p: number, lowerTail = true): number => {
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN
  if (p === 0) return lowerTail ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY
  if (p === 1) return lowerTail ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY
  const lowerP = lowerTail ? p : 0.5 - p + 0.5
  const q = lowerP - 0.5
  if (Math.abs(q) <= 0.425) return centralQuantile(q)
  // the tail probability, taken from the input itself when that is the small side
  const tail = q > 0 ? (lowerTail ? 0.5 - p + 0.5 : p) : lowerP
  const value = tailQuantile(Math.sqrt(-Math.log(tail)))
  return q < 0 ? -value : value
}
