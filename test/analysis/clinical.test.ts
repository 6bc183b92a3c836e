/**
 * The clinical section's building blocks (src/analysis/clinical/), on hand-worked data: group
 * comparisons (against R's oneway.test and Welch's t), the paired t test (against R's t.test),
 * Jacobson–Truax categories by a points threshold and by the RCI, threshold overrides, binned
 * pre/post scores with suppression, and trajectories' quartiles.
 */
import { describe, expect, it } from "vitest"
import { INSTRUMENTS } from "../../data-schemas/instruments/registry.ts"
import { compareGroups } from "../../src/analysis/clinical/groups.ts"
import { pairedT } from "../../src/analysis/clinical/process.ts"
import { jacobsonTruax, prePostBins, talkingTherapiesThresholds, trajectories } from "../../src/analysis/clinical/significance.ts"
import type { ResolvedInstrument } from "../../src/ingest/instrument-plan.ts"

const phq9 = INSTRUMENTS.get("phq9")!
const gad7 = INSTRUMENTS.get("gad7")!
const resolved = (instrument = phq9, overrides: Partial<ResolvedInstrument> = {}): ResolvedInstrument => ({
  instrument,
  cutOff: instrument.cut_off && { ...instrument.cut_off, overridden: false },
  reliableChange: instrument.reliable_change && { ...instrument.reliable_change, overridden: false },
  chosen: "named",
  ...overrides,
})

describe("compareGroups", () => {
  const x = [3.1, 2.7, 3.9, 3.3, 2.8]
  const y = [4.0, 3.6, 4.4, 3.1, 4.8, 4.2]
  const values = Float64Array.from([...x, ...y, 9, Number.NaN])
  const group = Int8Array.from([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 1])

  it("gives Welch's F of R's oneway.test, the square of Welch's t with two groups, and hides groups below min_cell", () => {
    const result = compareGroups(["a", "b", "c"], group, values, 5)
    if (result.status !== "estimated") throw new Error(result.reason)
    // R: oneway.test(v ~ g) on a and b: F = 6.9313674047644014, df = (1, 8.9931047658626273), p = 0.027252638386740243
    expect(result.welch.statistic).toBeCloseTo(6.9313674047644014, 12)
    expect(result.welch.df2).toBeCloseTo(8.9931047658626273, 12)
    expect(result.welch.p).toBeCloseTo(0.027252638386740243, 12)
    expect(Math.sqrt(result.welch.statistic)).toBeCloseTo(2.6327490204659463, 12) // Welch's t, R
    expect(result.groups[2]).toEqual({ category: "c", n: 1, mean: null, sd: null })
    expect(result.groups[1]!.n).toBe(6) // the NaN is left out
  })

  it("is not estimable with fewer than two groups shown", () => {
    const result = compareGroups(["a", "b", "c"], group, values, 6)
    expect(result).toMatchObject({ status: "not_estimable", reason: expect.stringMatching(/fewer than two groups of at least 6/) })
  })
})

describe("pairedT", () => {
  it("agrees with R's t.test(after, before, paired = TRUE)", () => {
    const result = pairedT([[1, 2], [2, 4], [3, 3], [4, 6]], 2)
    if (result.status !== "estimated") throw new Error(result.reason)
    expect(result).toMatchObject({ n: 4, before: 2.5, after: 3.75, difference: 1.25, df: 3 })
    expect(result.t).toBeCloseTo(2.6111648393354674, 12)
    expect(result.p).toBeCloseTo(0.079604980817906248, 12)
    expect(pairedT([[1, 2]], 2).status).toBe("not_estimable")
  })
})

describe("jacobsonTruax", () => {
  const scores = { baseline: Float64Array.from([20, 15, 12, 8, Number.NaN]), outcome: Float64Array.from([8, 12, 18, 5, 3]), direction: "lower_is_better" as const, range: [0, 27] as const }

  it("uses the published threshold in points when the study has no intake items: a change of at least 6 is reliable", () => {
    const result = jacobsonTruax(scores, resolved(), null)
    if (!("record" in result)) throw new Error(result.reason)
    // 20 → 8: 12 better, from ≥ 10 to < 10: recovered; 15 → 12: 3, unchanged; 12 → 18: 6 worse,
    // deteriorated; 8 → 5: unchanged; the fifth client has no intake score
    expect(result.record.counts).toEqual({ recovered: 1, improved: 0, unchanged: 2, deteriorated: 1 })
    expect([...result.category]).toEqual([0, 2, 3, 2, -1])
    expect(result.record.reliable_change).toMatchObject({ rule: "points", points: 6, verified: false })
    expect(result.record.n).toBe(4)
  })

  it("uses the RCI with the study's α when it has intake items, unless the study file states a threshold", () => {
    // SD of 20, 15, 12, 8 = √(76.75/3) = 5.05800; S_diff = √2 · 5.05800 · √(1 − .9) = 2.26201; 1.96 S_diff = 4.43353
    const result = jacobsonTruax(scores, resolved(), { alpha: 0.9, block: "phq9_baseline" })
    if (!("record" in result)) throw new Error(result.reason)
    expect(result.record.reliable_change.s_diff).toBeCloseTo(Math.SQRT2 * Math.sqrt(76.75 / 3) * Math.sqrt(0.1), 12)
    expect(result.record.reliable_change.rule).toBe("rci")
    expect(result.record.counts).toEqual({ recovered: 1, improved: 0, unchanged: 2, deteriorated: 1 })
    const stated = resolved(phq9, { reliableChange: { value: 2.5, source: "our protocol", verified: true, overridden: true } })
    const overridden = jacobsonTruax(scores, stated, { alpha: 0.9, block: "phq9_baseline" })
    if (!("record" in overridden)) throw new Error(overridden.reason)
    // with 2.5 points: 15 → 12 and 8 → 5 improve reliably, but 12 is still at or above the cut-off
    // and 8 was below it already: both improved, not recovered
    expect(overridden.record.counts).toEqual({ recovered: 1, improved: 2, unchanged: 0, deteriorated: 1 })
  })

  it("falls back to criterion a without a published cut-off, and is not estimable without a reliability or threshold", () => {
    const bare = resolved(phq9, { cutOff: null })
    const result = jacobsonTruax(scores, bare, null)
    if (!("record" in result)) throw new Error(result.reason)
    expect(result.record.cut_off.value).toBeCloseTo(13.75 - 2 * Math.sqrt(76.75 / 3), 12)
    expect(jacobsonTruax(scores, null, null)).toMatchObject({ reason: expect.stringMatching(/no reliability/) })
  })
})

describe("talkingTherapiesThresholds", () => {
  it("takes the study file's overrides and keeps the defaults otherwise, unverified", () => {
    const t = talkingTherapiesThresholds(resolved(phq9, { cutOff: { value: 12, source: "local", verified: true, overridden: true } }), resolved(gad7))
    expect(t).toMatchObject({ phq9Caseness: 12, gad7Caseness: 8, phq9ReliableChange: 6, gad7ReliableChange: 4, verified: false })
  })
})

describe("chart aggregates", () => {
  it("bins intake × end scores and suppresses cells below min_cell, counting the clients left out", () => {
    const baseline = Float64Array.from([18, 19, 20, 22, 5, 27])
    const outcome = Float64Array.from([6, 7, 8, 6, 5, 27])
    const bins = prePostBins({ baseline, outcome, direction: "lower_is_better", range: [0, 27] }, 3)
    // width 3: (18, 6) holds 18/6, 19/7, 20/8; (21, 6) 22/6; (3, 3) 5/5; 27 falls in the top bin (24, 24)
    expect(bins).toEqual({ width: 3, cells: [{ pre: 18, post: 6, n: 3 }], suppressed: 3 })
  })

  it("gives median and quartiles (R type 7) of alliance by category and session", () => {
    const category = Int8Array.from([0, 0, 0, 0, 2])
    const sessions = { client: Int32Array.from([0, 1, 2, 3, 4, 0]), session: Int32Array.from([1, 1, 1, 1, 1, 2]), alliance: Float64Array.from([1, 2, 3, 5, 4, 3]) }
    // R: quantile(c(1, 2, 3, 5), c(.25, .5, .75)) = 1.75, 2.5, 3.5
    expect(trajectories(category, sessions, 2)).toEqual([{ category: "recovered", session: 1, n: 4, median: 2.5, q1: 1.75, q3: 3.5 }])
  })
})
