import { describe, expect, it } from "vitest"
import type { DerivedClients } from "../../src/analysis/derive-clients.ts"
import { contentsOf, crossProducts, PRIMARY_WITHHELD, summariseSite } from "../../src/analysis/site-summary/build.ts"
import type { Factor } from "../../src/data/study-data.ts"
import { pearsonTest } from "../../src/stats/correlation/pearson.ts"
import { createRng } from "../../src/stats/random/xoshiro.ts"

/** A site of `n` analysed clients with values from a seeded generator, and the modality of each. */
const site = (modalities: ReadonlyArray<string | null>, seed = 7) => {
  const rng = createRng(seed)
  const random = () => rng.nextFloat()
  const n = modalities.length
  const alliance = Float64Array.from({ length: n }, () => 1 + 4 * random())
  const baseline = Float64Array.from({ length: n }, () => Math.round(5 + 20 * random()))
  const improvement = Float64Array.from({ length: n }, (_, i) => 2 * alliance[i]! + 0.2 * baseline[i]! + 4 * random())
  const derived = {
    early: new Map([["alliance", alliance]]),
    baseline,
    outcome: new Float64Array(n),
    improvement,
    analysed: Int32Array.from({ length: n }, (_, i) => i),
    funnel: [],
  } as unknown as DerivedClients
  const levels = [...new Set(modalities.filter((m): m is string => m !== null))]
  const modality: Factor = { levels, codes: Int32Array.from(modalities, (m) => (m === null ? -1 : levels.indexOf(m))) }
  const therapist: Factor = { levels: ["T1", "T2", "T3"], codes: Int32Array.from({ length: n }, (_, i) => i % 3) }
  return { derived, modality, therapist, alliance, baseline, improvement }
}

const repeat = (label: string | null, times: number) => Array.from({ length: times }, () => label)

describe("a site's summary", () => {
  it("shares the primary correlation as the pooling of one study's sites computes it", () => {
    const s = site(repeat("CBT", 40))
    const parts = summariseSite(s.derived, s.therapist, s.modality, { k: 5, level: 0.95 })
    const r = pearsonTest(s.alliance, s.improvement)
    expect(r.status).toBe("estimated")
    const estimate = (r as { estimate: number }).estimate
    expect(parts.primary).toEqual({ n: 40, r: estimate, yi: Math.atanh(estimate), vi: 1 / 37 })
    expect(parts.counts).toEqual({ clients: 40, therapists: 3 })
    // a modality holding every client is the site itself: nothing to hide
    expect(parts.byModality.map((m) => m.modality)).toEqual(["CBT"])
  })

  it("withholds a modality of fewer than k clients, and the smallest beside it that would give its count away", () => {
    const s = site([...repeat("CBT", 30), ...repeat("systemic", 7), ...repeat("art", 3)])
    const parts = summariseSite(s.derived, s.therapist, s.modality, { k: 5, level: 0.95 })
    expect(parts.byModality.map((m) => [m.modality, m.n])).toEqual([["CBT", 30]])
    expect(parts.withheld).toEqual([
      { what: "the correlation in modality art", reason: "fewer than 5 clients" },
      { what: "the correlation in modality systemic", reason: "withheld with the modalities beside it, whose clients could otherwise be counted by subtraction" },
    ])
    // no count of a withheld modality appears anywhere
    expect(JSON.stringify(parts.withheld)).not.toMatch(/\b[37]\b/)
    const none = { withinBetween: null, decomposition: null, therapistEffects: [], withheld: [] }
    const contents = contentsOf("S01", parts, none, null, 5, "alliance-outcome 0.1.0", ["clients.csv", "sessions.csv"]).join("\n")
    expect(contents).toContain("CBT (n = 30)")
    expect(contents).toContain("Withheld: the correlation in modality art (fewer than 5 clients).")
    expect(contents).not.toMatch(/art \(n =|systemic \(n =/)
  })

  it("withholds a modality whose complement in the site is fewer than k clients", () => {
    const s = site([...repeat("CBT", 37), ...repeat("art", 3)])
    const parts = summariseSite(s.derived, s.therapist, s.modality, { k: 5, level: 0.95 })
    expect(parts.byModality).toEqual([])
    expect(parts.withheld.map((w) => w.reason)).toEqual([
      "fewer than 5 clients",
      "the site's other clients number fewer than 5, so the site's figures would reveal them by difference",
    ])
  })

  it("counts clients without a modality among those that subtraction would reveal", () => {
    const s = site([...repeat("CBT", 20), ...repeat("systemic", 10), ...repeat(null, 2)])
    const parts = summariseSite(s.derived, s.therapist, s.modality, { k: 5, level: 0.95 })
    // 2 clients without a modality could be counted as 32 − 20 − 10: the smaller modality goes too
    expect(parts.byModality.map((m) => m.modality)).toEqual(["CBT"])
  })

  it("shares nothing but why for a site of fewer than k analysed clients", () => {
    const s = site(repeat("CBT", 4))
    const parts = summariseSite(s.derived, s.therapist, s.modality, { k: 5, level: 0.95 })
    expect(parts).toEqual({
      counts: null,
      primary: null,
      byModality: [],
      crossProducts: null,
      withheld: [{ what: PRIMARY_WITHHELD, reason: "the site has fewer than 5 analysed clients (k = 5)" }],
    })
  })

  it("gives the cross-products whose sum over sites is the regression on all their clients", () => {
    const a = site(repeat("CBT", 25), 1)
    const b = site(repeat("CBT", 35), 2)
    const columns = (s: ReturnType<typeof site>) => [s.alliance, s.baseline, s.improvement]
    const rows = (n: number) => Int32Array.from({ length: n }, (_, i) => i)
    const summed = crossProducts(columns(a), rows(25)).map((row, i) => row.map((v, j) => v + crossProducts(columns(b), rows(35))[i]![j]!))
    // the concatenated clients, summed directly
    const all = [0, 1, 2].map((c) => Float64Array.from([...columns(a)[c]!, ...columns(b)[c]!]))
    const direct = crossProducts(all, rows(60))
    summed.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - direct[i]![j]!)).toBeLessThanOrEqual(1e-12 * Math.abs(direct[i]![j]!))))
    // and they are Σ x xᵀ: spot-check against plain sums
    expect(direct[0]![0]).toBe(60)
    expect(direct[0]![1]).toBeCloseTo(all[0]!.reduce((s, v) => s + v, 0), 10)
    expect(direct[1]![3]).toBeCloseTo(all[0]!.reduce((s, v, i) => s + v * all[2]![i]!, 0), 10)
  })
})
