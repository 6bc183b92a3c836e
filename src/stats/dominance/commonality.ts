/**
 * Commonality analysis (Mood 1969; Seibold & McPhee 1979; Nimon, Lewis, Kane & Haynes 2008): the
 * full model's R² split into 2^k − 1 parts, one per non-empty group T of the k sets — the part
 * unique to a single set (T = {i}: R²(all) − R²(all but i)) and the parts the sets of T hold in
 * common. With U the full set and R²(∅) = 0,
 *
 *   C(T) = (−1)^(|T| + 1) · Σ_{S ⊆ T} (−1)^|S| · R²(U ∖ S),
 *
 * and Σ_T C(T) = R²(U). Common parts can be negative (suppression). Up to k = 6 sets (63 parts)
 * the table stays readable; the caller decides.
 */

import { popcount } from "./dominance.ts"

export interface CommonalityPart {
  /** bit mask of the sets that share this part */
  readonly sets: number
  readonly value: number
}

/** All 2^k − 1 commonality parts from `rSquared` indexed by bit mask (length 2^k), in order of mask. */
export const commonality = (rSquared: ArrayLike<number>, k: number): CommonalityPart[] => {
  const all = 2 ** k - 1
  const parts: CommonalityPart[] = []
  for (let t = 1; t <= all; t++) {
    let sum = 0
    // every S ⊆ T, by the standard submask walk (S = 0 included)
    for (let s = t; ; s = (s - 1) & t) {
      sum += (popcount(s) % 2 === 0 ? 1 : -1) * rSquared[all & ~s]!
      if (s === 0) break
    }
    parts.push({ sets: t, value: (popcount(t) % 2 === 1 ? 1 : -1) * sum })
  }
  return parts
}
