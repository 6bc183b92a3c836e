import { describe, expect, it } from "vitest"
import type { AllianceColumn, DerivedClients } from "../../src/analysis/derive-clients.ts"
import { estimatePrimary } from "../../src/analysis/primary.ts"
import { estimateByRater, estimateBySubscale } from "../../src/analysis/secondary.ts"
import { pearsonTest } from "../../src/stats/correlation/pearson.ts"
import { settings } from "./settings.ts"

const NA = Number.NaN


// Six clients. Client 5 has no improvement score; client 0 has no client-rated alliance.
const IMPROVEMENT = [3, 5, 1, 8, 6, NA]
const EARLY: ReadonlyArray<readonly [AllianceColumn, ReadonlyArray<number>]> = [
  ["alliance", [NA, 3.4, 2.1, 4.5, 3.9, 4.0]],
  ["alliance_goal", [3.0, 3.5, 2.0, 4.8, 4.1, 3.3]],
  ["alliance_bond", [2.9, NA, 2.5, NA, 4.2, 3.1]], // only 3 pairs with improvement
  ["alliance_observer", [3.1, 3.6, 2.2, 4.4, NA, 3.0]],
]

const derivedWith = (early: ReadonlyArray<readonly [AllianceColumn, ReadonlyArray<number>]>): DerivedClients => ({
  early: new Map(early.map(([column, values]) => [column, Float64Array.from(values)])),
  baseline: Float64Array.from(IMPROVEMENT, () => 20),
  outcome: Float64Array.from(IMPROVEMENT, (y) => 20 - y),
  improvement: Float64Array.from(IMPROVEMENT),
  analysed: Int32Array.from([1, 2, 3, 4]),
  funnel: [],
})
const derived = derivedWith(EARLY)

/** The columns' complete pairs with improvement, as a reader would pick them out by hand. */
const pairs = (column: AllianceColumn) => {
  const early = EARLY.find(([c]) => c === column)![1]
  const keep = early.flatMap((x, i) => (Number.isNaN(x) || Number.isNaN(IMPROVEMENT[i]!) ? [] : [i]))
  return [keep.map((i) => early[i]!), keep.map((i) => IMPROVEMENT[i]!)] as const
}

describe("estimateByRater", () => {
  it("reports one correlation per rater column present, in the order client, therapist, observer", () => {
    const byRater = estimateByRater(derived, settings)
    expect(byRater.map((r) => [r.label, r.column])).toEqual([
      ["client", "alliance"],
      ["observer", "alliance_observer"],
    ])
  })

  it("correlates each column with improvement on the clients who have both, not only the analysed sample", () => {
    const byRater = estimateByRater(derived, settings)
    const observer = byRater.find((r) => r.label === "observer")!
    // clients 0, 1, 2, 3: client 0 has no client-rated alliance but does have an observer rating
    expect(observer.correlation.n).toBe(4)
    expect(observer.correlation).toEqual(pearsonTest(...pairs("alliance_observer")))
    expect(byRater[0]!.correlation).toEqual(pearsonTest(...pairs("alliance")))
  })

  it("uses the confidence level of the settings", () => {
    const client = estimateByRater(derived, { ...settings, level: 0.9 })[0]!
    expect(client.correlation).toEqual(pearsonTest(...pairs("alliance"), { level: 0.9 }))
  })

  it("returns nothing when no alliance column is present", () => {
    expect(estimateByRater(derivedWith([]), settings)).toEqual([])
  })

  it("takes the primary Pearson r as the client rater's, which is the same estimate", () => {
    const primary = estimatePrimary(derived, settings)
    expect(primary.pearson).toEqual(estimateByRater(derived, settings)[0]!.correlation)
    expect(estimateByRater(derived, settings, primary.pearson)).toEqual(estimateByRater(derived, settings))
    // only the client rater's is taken, and only when its column is present
    expect(estimateByRater(derivedWith([]), settings, primary.pearson)).toEqual([])
  })
})

describe("estimateBySubscale", () => {
  it("reports one correlation per subscale column present, in the order goal, task, bond", () => {
    const bySubscale = estimateBySubscale(derived, settings)
    expect(bySubscale.map((r) => [r.label, r.column])).toEqual([
      ["goal", "alliance_goal"],
      ["bond", "alliance_bond"],
    ])
    expect(bySubscale[0]!.correlation).toEqual(pearsonTest(...pairs("alliance_goal")))
  })

  it("keeps a subscale with too few pairs in the list, as not estimable with the reason", () => {
    const bond = estimateBySubscale(derived, settings).find((r) => r.label === "bond")!
    expect(bond.correlation).toEqual({
      status: "not_estimable",
      n: 3,
      reason: "a correlation test with a confidence interval needs at least 4 complete cases; only 3 available",
    })
  })

  it("returns nothing when the study has only the total alliance score", () => {
    expect(estimateBySubscale(derivedWith([EARLY[0]!]), settings)).toEqual([])
  })
})
