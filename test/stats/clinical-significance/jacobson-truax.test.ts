/**
 * Jacobson–Truax reliable change, cut-offs and categories (src/stats/clinical-significance/),
 * checked against a hand-worked example from the formulas of Jacobson & Truax (1991).
 *
 * PHQ-9-like measure, lower is better. s_pre = 5 and r_xx = .84, so SE = 5·√.16 = 2 and
 * S_diff = 2√2 ≈ 2.8284: a change is reliable beyond 1.96 · 2.8284 ≈ 5.5437 points.
 * Dysfunctional population M₁ = 15, s₁ = 5; functional M₀ = 3, s₀ = 3:
 *   a = 15 − 2·5 = 5,  b = 3 + 2·3 = 9,  c = (3·15 + 5·3) / (3 + 5) = 7.5.
 *
 *   client   pre → post   change   RCI      category (cut-off c = 7.5)
 *   1        20 → 6       −14      −4.950   recovered (dysfunctional → functional)
 *   2        18 → 10      −8       −2.828   improved (still ≥ 7.5)
 *   3        12 → 8       −4       −1.414   unchanged
 *   4        10 → 16      +6       +2.121   deteriorated
 *   5         7 → 1       −6       −2.121   improved (already functional at intake)
 *   6        15 → 9.5     −5.5     −1.945   unchanged (just short of 5.5437)
 *   7        15 → 9.4     −5.6     −1.980   improved
 *   8        14 → 7.5     −6.5     −2.298   improved (7.5 is at the cut-off: dysfunctional)
 *   9        16 → (missing)                 not counted
 */
import { describe, expect, it } from "vitest"
import {
  categoryCounts,
  classify,
  clinicalCutOffs,
  differenceStandardError,
  reliableChangeIndex,
} from "../../../src/stats/clinical-significance/jacobson-truax.ts"

const pre = [20, 18, 12, 10, 7, 15, 15, 14, 16]
const post = [6, 10, 8, 16, 1, 9.5, 9.4, 7.5, Number.NaN]
const sDiff = differenceStandardError(5, 0.84)

describe("Jacobson–Truax on the hand-worked example", () => {
  it("gives S_diff = 2√2 and the RCIs of the table", () => {
    expect(sDiff).toBeCloseTo(2 * Math.SQRT2, 14)
    const rci = pre.slice(0, 8).map((x, i) => reliableChangeIndex(x, post[i]!, sDiff))
    expect(rci.map((r) => Number(r.toFixed(3)))).toEqual([-4.95, -2.828, -1.414, 2.121, -2.121, -1.945, -1.98, -2.298])
  })

  it("gives the cut-offs a = 5, b = 9 and c = 7.5, mirrored for a higher-is-better measure", () => {
    expect(clinicalCutOffs({ mean: 15, sd: 5 }, { mean: 3, sd: 3 }, "lower_is_better")).toEqual({ a: 5, b: 9, c: 7.5 })
    expect(clinicalCutOffs({ mean: -15, sd: 5 }, { mean: -3, sd: 3 }, "higher_is_better")).toEqual({ a: -5, b: -9, c: -7.5 })
    expect(clinicalCutOffs({ mean: 15, sd: 5 }, null, "lower_is_better")).toEqual({ a: 5, b: null, c: null })
  })

  it("classifies each client as the table does, and counts the categories", () => {
    expect(pre.slice(0, 8).map((x, i) => classify(x, post[i]!, sDiff, 7.5, "lower_is_better"))).toEqual([
      "recovered", "improved", "unchanged", "deteriorated", "improved", "unchanged", "improved", "improved",
    ])
    expect(categoryCounts(pre, post, sDiff, 7.5, "lower_is_better")).toEqual({ recovered: 1, improved: 4, unchanged: 2, deteriorated: 1 })
  })

  it("gives the same categories on the mirrored, higher-is-better scale", () => {
    const flip = (xs: number[]) => xs.map((x) => -x)
    expect(categoryCounts(flip(pre), flip(post), sDiff, -7.5, "higher_is_better")).toEqual({ recovered: 1, improved: 4, unchanged: 2, deteriorated: 1 })
  })

  it("has no S_diff for a reliability of 1 or more, or an SD that is not positive", () => {
    expect(differenceStandardError(5, 1)).toBeNaN()
    expect(differenceStandardError(0, 0.8)).toBeNaN()
  })
})
