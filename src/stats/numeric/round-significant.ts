/**
 * Rounding to significant digits, as R's `signif(x, digits)`, computed exactly as
 * `Number(x.toPrecision(digits))` but without building a string for almost every input. Early
 * alliance rounds one mean per client and alliance column, millions per study, through this.
 */

/**
 * 10^0 … 10^22, each built from the one before by one multiplication by 10. Every one is a double
 * exactly (10^j = 2^j·5^j and 5^22 < 2^53), so every product is exact.
 */
const POWERS_OF_TEN: readonly number[] = (() => {
  const powers = [1]
  for (let j = 1; j <= 22; j++) powers.push(powers[j - 1]! * 10)
  return powers
})()

/**
 * How close to a half-integer the scaled value may come before the fast path gives up. The scaled
 * value is below 10^12 < 2^40, so its rounding error is at most half an ulp, 2^−14 ≈ 6.1e-5; any
 * margin larger than that is safe. With 1e-3, about 1 input in 500 takes the slow path.
 */
const TIE_MARGIN = 1e-3

/** The most digits the fast path handles: the scaled value must stay below 10^12 (see TIE_MARGIN). */
const FAST_DIGITS = 12

/**
 * ⌊log10 a⌋ for a > 0: by comparison with the exact powers of ten for 1 ≤ a < 10^22 (exact, and
 * cheaper than a logarithm), from Math.log10 elsewhere (which can be one off next to a power of ten).
 */
const decimalExponent = (a: number): number => {
  if (a < 1 || a >= POWERS_OF_TEN[22]!) return Math.floor(Math.log10(a))
  let e = 0
  while (a >= POWERS_OF_TEN[e + 1]!) e++
  return e
}

/**
 * x rounded to `digits` significant digits.
 *
 * Definition: the double nearest to the decimal with `digits` significant digits nearest to x,
 * i.e. exactly, bit for bit, `Number(x.toPrecision(digits))` (decimal ties go away from zero; −0
 * becomes +0; NaN and ±Infinity stay). Reference: R `signif(x, digits)`, which rounds to the same
 * decimal.
 * Formula: the fast path, for 1 ≤ p = digits ≤ 12 and x finite and non-zero, with a = |x|:
 *   k = p − 1 − ⌊log10 a⌋ with |k| ≤ 22; y = a·10^k (a / 10^−k when k < 0); n = round(y);
 *   taken only when 10^(p−1) ≤ y, n < 10^p and |y − n| ≤ 1/2 − 1e-3, and then
 *   result = ±(n / 10^k) (±(n·10^−k) when k < 0). Every other input goes to `toPrecision`.
 * Why the fast path is exact: let Y = a·10^k exactly. 10^|k| is an exact double, so y is one
 * correctly rounded operation on Y: |y − Y| ≤ ulp(y)/2 ≤ 2^−14, as y < 10^12 < 2^40.
 *   1. y is at least 1e-3 from every half-integer, so Y rounds to the same integer n as y.
 *   2. The decimal `toPrecision` writes is n·10^−k. If Y ≥ 10^(p−1), then 10^(p−1) ≤ Y < n + 1/2
 *      ≤ 10^p − 1/2: a has exactly p digits down to the place 10^−k, and rounding Y to an integer
 *      gives n without a carry into a (p+1)th digit. If Y < 10^(p−1) ≤ y, then 10^(p−1) − 2^−14 <
 *      Y: a lies just below the power of ten 10^(p−1−k), so its p digits reach one place further,
 *      10·Y > 10^p − 1e-3 rounds up to 10^p, and the decimal is 10^p·10^−(k+1) = 10^(p−1)·10^−k;
 *      and n = round(y) = 10^(p−1) as well, since y ≤ Y + 2^−14 < 10^(p−1) + 1/2.
 *   3. n < 2^53 and 10^|k| are exact, so n / 10^k (or n·10^−k) is one correctly rounded
 *      operation: the double nearest to n·10^−k, which is what `Number()` makes of that decimal
 *      (both round to nearest, ties to even).
 * ⌊log10 a⌋ (see {@link decimalExponent}) may be off by one next to a power of ten; then y falls
 * outside [10^(p−1), 10^p) and the slow path answers: the checks on y and n carry the proof.
 * Preconditions: digits an integer in 1..100 (otherwise `toPrecision` throws a RangeError).
 * Returns: the rounded double.
 * Example: `roundSignificant(3.4566666666666666)` → 3.45666666667; `roundSignificant(-0)` → 0.
 */
export const roundSignificant = (x: number, digits = 12): number => {
  const a = Math.abs(x)
  if (Number.isInteger(digits) && digits >= 1 && digits <= FAST_DIGITS && a > 0 && a < Number.POSITIVE_INFINITY) {
    const k = digits - 1 - decimalExponent(a)
    if (k >= -22 && k <= 22) {
      const scale = POWERS_OF_TEN[k >= 0 ? k : -k]!
      const y = k >= 0 ? a * scale : a / scale
      const n = Math.round(y)
      if (y >= POWERS_OF_TEN[digits - 1]! && n < POWERS_OF_TEN[digits]! && Math.abs(y - n) <= 0.5 - TIE_MARGIN) {
        const rounded = k >= 0 ? n / scale : n * scale
        return x < 0 ? -rounded : rounded
      }
    }
  }
  return Number(x.toPrecision(digits))
}
