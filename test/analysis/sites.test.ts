import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { DerivedClients } from "../../src/analysis/derive-clients.ts"
import { synthesiseSites } from "../../src/analysis/sites.ts"
import { FactorBuilder, type Factor } from "../../src/data/study-data.ts"
import { pearsonTest } from "../../src/stats/correlation/pearson.ts"
import { rmaUni } from "../../src/stats/meta-analysis/rma-uni.ts"
import { settings as defaults } from "./settings.ts"
import type { AnalysisSettings } from "../../src/analysis/settings.ts"

/** These sites are tiny, to test the pooling; k = 1 keeps them apart (disclosure control is tested below). */
const settings: AnalysisSettings = { ...defaults, privacy: { mode: "standard", k: 1 } }

interface SiteGroup {
  readonly site: string | null
  readonly alliance: ReadonlyArray<number>
  readonly improvement: ReadonlyArray<number>
  /** how many of the site's clients (the last ones) are not in the analysed sample */
  readonly notAnalysed?: number
}

// Listed in the order the sites first appear in clients.csv: S10 before S2 before S1.
const S10: SiteGroup = { site: "S10", alliance: [3.0, 3.5, 4.0], improvement: [1, 5, 3] }
const S2: SiteGroup = { site: "S2", alliance: [3.0, 3.3, 2.5, 4.1, 4.8], improvement: [4, 3, 5, 7, 10] }
const S1: SiteGroup = { site: "S1", alliance: [2.0, 2.8, 3.1, 3.9, 4.4, 1.0], improvement: [2, 6, 3, 9, 8, 20], notAnalysed: 1 }
// deviations ±1 and ±2: r is exactly 1
const S3: SiteGroup = { site: "S3", alliance: [1, 1, 3, 3], improvement: [2, 2, 6, 6] }
const NO_SITE: SiteGroup = { site: null, alliance: [4.0], improvement: [6] }

/** The site factor and the derived clients for groups of clients, one group per site. */
const studyOf = (...groups: ReadonlyArray<SiteGroup>): { site: Factor; derived: DerivedClients } => {
  const builder = new FactorBuilder()
  const alliance: number[] = []
  const change: number[] = []
  const analysed: number[] = []
  for (const group of groups) {
    group.alliance.forEach((a, j) => {
      if (j < group.alliance.length - (group.notAnalysed ?? 0)) analysed.push(alliance.length)
      builder.push(group.site)
      alliance.push(a)
      change.push(group.improvement[j]!)
    })
  }
  const missing = new Float64Array(alliance.length).fill(Number.NaN)
  return {
    site: builder.build(),
    derived: {
      early: new Map([["alliance", Float64Array.from(alliance)]]),
      baseline: missing,
      outcome: missing,
      improvement: Float64Array.from(change),
      analysed: Int32Array.from(analysed),
      funnel: [],
    },
  }
}

const analysedOf = (group: SiteGroup) => {
  const n = group.alliance.length - (group.notAnalysed ?? 0)
  return [group.alliance.slice(0, n), group.improvement.slice(0, n)] as const
}

describe("synthesiseSites", () => {
  const { site, derived } = studyOf(S10, S2, S1, S3, NO_SITE)
  const synthesis = synthesiseSites(site, derived, settings)!

  it("lists the sites in natural order of their codes (S2 before S10)", () => {
    expect(synthesis.sites.map((s) => s.site)).toEqual(["S1", "S2", "S3", "S10"])
  })

  it("counts only analysed clients with a site, and estimates each site's r on them", () => {
    expect(synthesis.sites.map((s) => s.n)).toEqual([5, 5, 4, 3])
    expect(synthesis.sites[0]!.correlation).toEqual(pearsonTest(...analysedOf(S1)))
    expect(synthesis.sites[1]!.correlation).toEqual(pearsonTest(...analysedOf(S2)))
  })

  it("leaves out a site below the minimum n, and a site whose r is ±1, each with a reason", () => {
    expect(synthesis.sites.map((s) => [s.site, s.excludedBecause])).toEqual([
      ["S1", null],
      ["S2", null],
      ["S3", "the site's correlation is ±1, so its Fisher z is infinite"],
      ["S10", "fewer than 4 analysed clients (n = 3)"],
    ])
  })

  it("gives excluded sites no effect size and no weight", () => {
    for (const s of synthesis.sites.slice(2)) expect([s.yi, s.vi, s.weight]).toEqual([null, null, null])
  })

  it("pools the included sites' Fisher z (yi = atanh r, vi = 1/(n − 3)) by REML with the settings' test", () => {
    const [s1, s2] = synthesis.sites as [(typeof synthesis.sites)[number], (typeof synthesis.sites)[number]]
    const r1 = s1.correlation.status === "estimated" ? s1.correlation.estimate : Number.NaN
    const r2 = s2.correlation.status === "estimated" ? s2.correlation.estimate : Number.NaN
    expect([s1.yi, s1.vi]).toEqual([Math.atanh(r1), 1 / 2])
    expect([s2.yi, s2.vi]).toEqual([Math.atanh(r2), 1 / 2])
    expect(synthesis.pooled).toEqual(rmaUni([Math.atanh(r1), Math.atanh(r2)], [1 / 2, 1 / 2], { method: "REML", test: "z", level: 0.95 }))
    expect(synthesis.pooledN).toBe(10)
  })

  it("gives each pooled site its percent weight in the random-effects model", () => {
    const pooled = synthesis.pooled
    expect(pooled.status).toBe("estimated")
    if (pooled.status !== "estimated") return
    expect(synthesis.sites.slice(0, 2).map((s) => s.weight)).toEqual(pooled.weights)
    expect(pooled.weights[0]! + pooled.weights[1]!).toBeCloseTo(100, 10)
  })

  it("passes the Knapp–Hartung choice on to the meta-analysis", () => {
    const knha = synthesiseSites(site, derived, { ...settings, poolingTest: "knha" })!
    expect(knha.pooled).toMatchObject({ status: "estimated", test: "knha", df: 1 })
  })

  it("pools with the study file's τ² estimator (analysis.pooling_method)", () => {
    for (const method of ["DL", "PM", "EE"] as const) {
      const pooled = synthesiseSites(site, derived, { ...settings, poolingMethod: method })!.pooled
      const yi = synthesis.sites.slice(0, 2).map((s) => s.yi!)
      const vi = synthesis.sites.slice(0, 2).map((s) => s.vi!)
      expect(pooled).toEqual(rmaUni(yi, vi, { method, test: "z", level: 0.95 }))
    }
  })

  it("leaves out a site whose r is −1 too", () => {
    const minusOne: SiteGroup = { site: "S4", alliance: [1, 1, 3, 3], improvement: [6, 6, 2, 2] }
    const { site: f, derived: d } = studyOf(S1, S2, minusOne)
    const s4 = synthesiseSites(f, d, settings)!.sites.find((s) => s.site === "S4")!
    expect(s4.correlation).toMatchObject({ status: "estimated", estimate: -1 })
    expect(s4.excludedBecause).toBe("the site's correlation is ±1, so its Fisher z is infinite")
  })

  it("leaves out a site whose r cannot be estimated, giving the estimator's reason", () => {
    const flat: SiteGroup = { site: "S5", alliance: [2, 3, 4, 5], improvement: [4, 4, 4, 4] }
    const { site: f, derived: d } = studyOf(S1, S2, flat)
    const s5 = synthesiseSites(f, d, settings)!.sites.find((s) => s.site === "S5")!
    expect(s5.excludedBecause).toBe("y has no variance: all 4 complete cases have the same value")
    expect(s5.weight).toBeNull()
  })

  it("applies the study's minimum site n", () => {
    const strict = synthesiseSites(site, derived, { ...settings, minSiteN: 6 })!
    expect(strict.sites[0]!.excludedBecause).toBe("fewer than 6 analysed clients (n = 5)")
    expect(strict.pooled).toEqual({
      status: "not_estimable",
      n: 0,
      reason: "pooling needs at least 2 sites with 6 or more analysed clients; 0 qualified",
    })
    expect(strict.pooledN).toBe(0)
  })

  it("does not pool fewer than 2 eligible sites, and then gives no site a weight", () => {
    const { site: f, derived: d } = studyOf(S10, S1, S3)
    const one = synthesiseSites(f, d, settings)!
    expect(one.pooled).toEqual({
      status: "not_estimable",
      n: 1,
      reason: "pooling needs at least 2 sites with 4 or more analysed clients; 1 qualified",
    })
    const s1 = one.sites.find((s) => s.site === "S1")!
    expect(s1.excludedBecause).toBeNull()
    expect(s1.yi).not.toBeNull()
    expect(one.sites.map((s) => s.weight)).toEqual([null, null, null])
    expect(one.pooledN).toBe(5)
  })

  it("lists a site none of whose clients was analysed, with n = 0, as not pooled", () => {
    const dropped: SiteGroup = { site: "S9", alliance: [3, 4], improvement: [1, 2], notAnalysed: 2 }
    const { site: f, derived: d } = studyOf(S1, S2, dropped)
    const s9 = synthesiseSites(f, d, settings)!.sites.find((s) => s.site === "S9")!
    expect([s9.n, s9.excludedBecause]).toEqual([0, "fewer than 4 analysed clients (n = 0)"])
  })

  it("returns null when the study has no site column or no client-rated alliance", () => {
    expect(synthesiseSites(null, derived, settings)).toBeNull()
    expect(synthesiseSites(site, { ...derived, early: new Map() }, settings)).toBeNull()
  })
})

describe("synthesiseSites with sites interleaved in clients.csv", () => {
  it("estimates each site's r on its analysed clients in row order, whatever the order of the rows", () => {
    const client = fc.record({
      site: fc.constantFrom("S1", "S2", "S3", null),
      alliance: fc.integer({ min: 100, max: 500 }).map((r) => r / 100),
      improvement: fc.integer({ min: -10, max: 20 }),
      analysed: fc.boolean(),
    })
    fc.assert(
      fc.property(fc.array(client, { maxLength: 60 }), (clients) => {
        const builder = new FactorBuilder()
        for (const c of clients) builder.push(c.site)
        const site = builder.build()
        const derived: DerivedClients = {
          early: new Map([["alliance", Float64Array.from(clients, (c) => c.alliance)]]),
          baseline: new Float64Array(clients.length),
          outcome: new Float64Array(clients.length),
          improvement: Float64Array.from(clients, (c) => c.improvement),
          analysed: Int32Array.from(clients.flatMap((c, i) => (c.analysed ? [i] : []))),
          funnel: [],
        }
        const synthesis = synthesiseSites(site, derived, settings)!
        for (const s of synthesis.sites) {
          const members = clients.filter((c) => c.analysed && c.site === s.site)
          expect(s.n).toBe(members.length)
          expect(s.correlation).toEqual(pearsonTest(members.map((c) => c.alliance), members.map((c) => c.improvement)))
        }
      }),
      { numRuns: 200, seed: 20240612 },
    )
  })
})

describe("synthesiseSites: disclosure control (privacy.k)", () => {
  const k5: AnalysisSettings = { ...defaults, privacy: { mode: "standard", k: 5 } }

  it("merges the sites with fewer than k analysed clients into one row, listed last", () => {
    // S10 has 3 analysed clients and S3 4; together 7 ≥ 5
    const { site, derived } = studyOf(S10, S2, S1, S3, NO_SITE)
    const out = synthesiseSites(site, derived, k5)!
    expect(out.sites.map((s) => [s.site, s.n, s.mergedFrom])).toEqual([
      ["S1", 5, null],
      ["S2", 5, null],
      ["merged: S3, S10", 7, ["S3", "S10"]],
    ])
    const merged = out.sites[2]!
    const [a3, i3] = analysedOf(S3)
    const [a10, i10] = analysedOf(S10)
    expect(merged.correlation).toEqual(pearsonTest([...a3, ...a10], [...i3, ...i10]))
    // the merged row is pooled like a site: three units
    expect(out.pooled).toMatchObject({ status: "estimated", k: 3 })
    expect(out.pooledN).toBe(17)
  })

  it("adds the smallest other site while the merged row has fewer than k clients", () => {
    const { site, derived } = studyOf(S10, S2, S1)
    const out = synthesiseSites(site, derived, k5)!
    // S10 (3) alone is below 5, so S1 or S2 (5 each; S1 comes first in code order) joins it
    expect(out.sites.map((s) => [s.site, s.n])).toEqual([
      ["S2", 5],
      ["merged: S1, S10", 8],
    ])
    expect(out.sites.every((s) => s.n >= 5)).toBe(true)
  })

  it("leaves the sites alone when none is below k", () => {
    const { site, derived } = studyOf(S2, S1)
    expect(synthesiseSites(site, derived, k5)!.sites.map((s) => s.mergedFrom)).toEqual([null, null])
  })
})

