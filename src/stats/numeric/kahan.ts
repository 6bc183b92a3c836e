/**
 * Compensated summation (Kahan 1965, in the Neumaier 1974 form that also handles terms larger
 * than the running sum). Used wherever a sum runs over many values: means, sums of squares,
 * cross-products. The error bound is about 2·eps·Σ|xᵢ|, independent of n, where plain summation
 * grows like n·eps·Σ|xᵢ|. R accumulates these sums in long double; compensation gets as close.
 */

/**
 * A running compensated sum, for loops that produce their terms one at a time.
 *
 * Example: `const s = new CompensatedSum(); s.add(1e16); s.add(1); s.add(-1e16); s.value` → 1
 * (plain addition gives 0).
 */
export class CompensatedSum {
  private sum = 0
  private compensation = 0

  /** Adds one term (Neumaier's branch keeps the low-order bits of whichever operand is smaller). */
  add(term: number): this {
    const t = this.sum + term
    if (Math.abs(this.sum) >= Math.abs(term)) {
      this.compensation += this.sum - t + term
    } else {
      this.compensation += term - t + this.sum
    }
    this.sum = t
    return this
  }

  /** The compensated total so far (±Infinity or NaN as plain summation gives them). */
  get value(): number {
    return Number.isFinite(this.sum) ? this.sum + this.compensation : this.sum
  }
}

/**
 * Compensated sum of `values`.
 *
 * Definition: Σ xᵢ, accumulated with Neumaier's correction term.
 * Reference: Neumaier (1974), Z. angew. Math. Mech. 54; matches R `sum()` (long double) to ~1 ulp.
 * Preconditions: none; NaN and ±Infinity propagate as in R (`kahanSum([1, Infinity])` is Infinity,
 * Infinity − Infinity is NaN); an empty input gives 0.
 * Returns: the sum.
 * Example: `kahanSum([0.1, 0.2, 0.3])` → 0.6 exactly as R `sum(c(0.1, 0.2, 0.3))` prints at
 * 17 digits (0.59999999999999998), where left-to-right double addition gives 0.60000000000000009.
 */
export const kahanSum = (values: ArrayLike<number>): number => {
  const s = new CompensatedSum()
  for (let i = 0; i < values.length; i++) s.add(values[i] as number)
  return s.value
}
