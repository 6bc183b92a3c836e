import { describe, expect, it } from "vitest"
import type { DerivedClients } from "../../src/analysis/derive-clients.ts"
import { estimatePrimary, partialDirection } from "../../src/analysis/primary.ts"
import type { AnalysisSettings } from "../../src/analysis/settings.ts"
import { improvement } from "../../src/derive/improvement.ts"
import { completeCases } from "../../src/derive/select.ts"
import { partialCorrelationTest } from "../../src/stats/correlation/partial-correlation.ts"
import { pearsonTest } from "../../src/stats/correlation/pearson.ts"
import { spearmanTest } from "../../src/stats/correlation/spearman.ts"
import { type CorrelationTest, notEstimable } from "../../src/stats/types.ts"
import { settings } from "./settings.ts"

const NA = Number.NaN

const higherIsBetter: AnalysisSettings = {
  ...settings,
  outcome: { instrument: "ORS", range: [0, 40], direction: "higher_is_better" },
}

/** A correlation record with only the estimate mattering. */
const correlation = (estimate: number): CorrelationTest => ({
  status: "estimated",
  estimate,
  n: 20,
  ci: [estimate - 0.1, estimate + 0.1],
  level: 0.95,
  statistic: 1,
  df: 17,
  p: 0.5,
  method: "test",
})

/** Derived clients as deriveClients would give them, from three aligned columns. */
const derivedOf = (
  alliance: ReadonlyArray<number>,
  baseline: ReadonlyArray<number>,
  outcome: ReadonlyArray<number>,
  direction: AnalysisSettings["outcome"]["direction"],
): DerivedClients => {
  const [a, b, o] = [Float64Array.from(alliance), Float64Array.from(baseline), Float64Array.from(outcome)]
  return {
    early: new Map([["alliance", a]]),
    baseline: b,
    outcome: o,
    improvement: improvement(b, o, direction),
    analysed: completeCases(a, b, o),
    funnel: [],
  }
}

// Nine analysed clients on PHQ-9: stronger early alliance goes with lower end scores. The tenth has
// no baseline (so is not analysed) and extreme values that would move every estimate if used.
const ALLIANCE = [2.0, 2.4, 2.9, 3.1, 3.5, 3.8, 4.0, 4.4, 4.7, 1.0]
const BASELINE = [20, 15, 18, 22, 17, 19, 21, 16, 18, NA]
const OUTCOME = [16, 12, 12, 15, 10, 9, 10, 6, 5, 27]

describe("partialDirection", () => {
  it("reads a negative partial r on a lower-is-better measure as better", () => {
    expect(partialDirection(correlation(-0.3), settings)).toBe(
      "negative: among clients with the same baseline, those with stronger early alliance ended treatment with " +
        "lower PHQ-9 scores, which is better because lower scores are better on this measure.",
    )
  })

  it("reads a positive partial r on a lower-is-better measure as worse", () => {
    expect(partialDirection(correlation(0.2), settings)).toBe(
      "positive: among clients with the same baseline, those with stronger early alliance ended treatment with " +
        "higher PHQ-9 scores, which is worse because lower scores are better on this measure.",
    )
  })

  it("reads a positive partial r on a higher-is-better measure as better, and a negative one as worse", () => {
    expect(partialDirection(correlation(0.2), higherIsBetter)).toBe(
      "positive: among clients with the same baseline, those with stronger early alliance ended treatment with " +
        "higher ORS scores, which is better because higher scores are better on this measure.",
    )
    expect(partialDirection(correlation(-0.2), higherIsBetter)).toBe(
      "negative: among clients with the same baseline, those with stronger early alliance ended treatment with " +
        "lower ORS scores, which is worse because higher scores are better on this measure.",
    )
  })

  it("says the alliance is unrelated when the partial r is exactly zero", () => {
    expect(partialDirection(correlation(0), settings)).toBe(
      "zero: early alliance is unrelated to end-of-treatment PHQ-9 scores once baseline is held constant.",
    )
  })

  it("says 'not estimated' when there is no partial r", () => {
    expect(partialDirection(notEstimable(3, "too few"), settings)).toBe("not estimated")
  })
})

describe("estimatePrimary", () => {
  const derived = derivedOf(ALLIANCE, BASELINE, OUTCOME, "lower_is_better")
  const primary = estimatePrimary(derived, settings)
  const analysed = (xs: ReadonlyArray<number>) => xs.slice(0, 9)
  const change = analysed(BASELINE).map((b, i) => b - OUTCOME[i]!)

  it("estimates on the analysed clients only, and reports their number", () => {
    expect(primary.n).toBe(9)
    expect(primary.pearson).toEqual(pearsonTest(analysed(ALLIANCE), change))
    expect(primary.spearman).toEqual(spearmanTest(analysed(ALLIANCE), change))
    expect(primary.partial).toEqual(partialCorrelationTest(analysed(ALLIANCE), analysed(OUTCOME), analysed(BASELINE)))
  })

  it("orients the Pearson r so that positive means stronger alliance goes with more improvement", () => {
    expect(primary.pearson.status === "estimated" && primary.pearson.estimate).toBeGreaterThan(0.5)
  })

  it("keeps the raw sign of the partial r and explains it in words", () => {
    expect(primary.partial.status === "estimated" && primary.partial.estimate).toBeLessThan(-0.5)
    expect(primary.partialDirection).toBe(partialDirection(primary.partial, settings))
    expect(primary.partialDirection).toMatch(/^negative: .* which is better because lower scores are better/)
  })

  it("signs the residualized gain so that positive means better than baseline predicted", () => {
    const residualGain = primary.residualizedGain
    expect(residualGain.status).toBe("estimated")
    expect(residualGain.status === "estimated" && residualGain.estimate).toBeGreaterThan(0.5)
    expect(residualGain.n).toBe(9)

    // the same scores read as a higher-is-better measure: lower end scores are now worse
    const flipped = estimatePrimary(derivedOf(ALLIANCE, BASELINE, OUTCOME, "higher_is_better"), higherIsBetter)
    expect(flipped.residualizedGain.status === "estimated" && flipped.residualizedGain.estimate).toBeCloseTo(
      residualGain.status === "estimated" ? -residualGain.estimate : NA,
      12,
    )
    expect(flipped.pearson.status === "estimated" && flipped.pearson.estimate).toBeLessThan(-0.5)
    // the partial r is the raw correlation with the end score: its sign does not depend on the direction
    expect(flipped.partial).toEqual(primary.partial)
  })

  it("uses the confidence level of the settings", () => {
    const narrow = estimatePrimary(derived, { ...settings, level: 0.8 })
    expect(narrow.pearson).toEqual(pearsonTest(analysed(ALLIANCE), change, { level: 0.8 }))
  })

  it("returns not-estimable results, not NaN, when no client has early alliance", () => {
    const empty: DerivedClients = { ...derived, early: new Map(), analysed: new Int32Array(0) }
    const none = estimatePrimary(empty, settings)
    expect(none.n).toBe(0)
    for (const result of [none.pearson, none.spearman, none.partial, none.residualizedGain]) {
      expect(result).toMatchObject({ status: "not_estimable", n: 0 })
    }
    expect(none.partialDirection).toBe("not estimated")
  })
})
