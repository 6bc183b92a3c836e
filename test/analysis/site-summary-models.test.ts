/**
 * The common-factor part of a site's summary and the pooling of the model parts (issue 10), on
 * small constructed sites: which predictors are summarised, over which clients, what is withheld
 * and why, and when the pool refuses to add tables up. The numbers themselves are checked against
 * R on the bundled example in test/e2e/site-pool-models.test.ts.
 */
import { describe, expect, it } from "vitest"
import type { SiteSummary } from "../../data-schemas/site-summary.ts"
import type { ResolvedFamilies } from "../../src/analysis/common-factors/families.ts"
import type { DerivedClients } from "../../src/analysis/derive-clients.ts"
import { crossProducts } from "../../src/analysis/site-summary/build.ts"
import { summariseCommonFactors } from "../../src/analysis/site-summary/common-factors.ts"
import { modelReason } from "../../src/analysis/site-summary/multilevel.ts"
import { poolCoefficient, poolCommonFactors } from "../../src/analysis/site-summary/pool-models.ts"
import { createRng } from "../../src/stats/random/xoshiro.ts"

/** `n` clients with baseline, improvement, a numeric predictor x and a category c; `missing` rows lack x. */
const site = (n: number, missing: ReadonlyArray<number> = [], seed = 3) => {
  const rng = createRng(seed)
  const baseline = Float64Array.from({ length: n }, () => 10 + Math.round(10 * rng.nextFloat()))
  const x = Float64Array.from({ length: n }, (_, i) => (missing.includes(i) ? Number.NaN : rng.nextFloat()))
  const improvement = Float64Array.from({ length: n }, (_, i) => 0.3 * baseline[i]! + (Number.isNaN(x[i]!) ? 0 : 2 * x[i]!) + rng.nextFloat())
  const derived = { early: new Map(), baseline, outcome: new Float64Array(n), improvement, analysed: Int32Array.from({ length: n }, (_, i) => i), funnel: [] } as unknown as DerivedClients
  const families: ResolvedFamilies = {
    families: [
      { name: "A", predictors: [{ name: "x", kind: "number", values: x }] },
      { name: "B", predictors: [{ name: "c", kind: "category", factor: { levels: ["u", "v"], codes: Int32Array.from({ length: n }, (_, i) => i % 2) } }] },
    ],
    absent: [],
    problems: [],
  }
  return { derived, families, baseline, x, improvement }
}

describe("a site's common-factor summary", () => {
  it("summarises the numeric predictors over the clients who have them all, baseline first, and names the categories", () => {
    const s = site(40, [3, 17, 21, 30, 33, 38])
    const { summary, withheld } = summariseCommonFactors(s.families, s.derived, "baseline_adjusted", { k: 5, level: 0.95 })
    expect(withheld).toEqual([])
    expect(summary!.n).toBe(34)
    expect(summary!.categorical).toEqual(["c"])
    expect(summary!.factors.map((f) => [f.predictor, f.family, f.n])).toEqual([["x", "A", 34]])
    expect(summary!.crossProducts.terms).toEqual(["intercept", "baseline", "x", "improvement"])
    const rows = Int32Array.from({ length: 40 }, (_, i) => i).filter((i) => !Number.isNaN(s.x[i]!))
    expect(summary!.crossProducts.matrix).toEqual(crossProducts([s.baseline, s.x, s.improvement], rows))
  })

  it("withholds the table when its clients differ from the primary analysis's by fewer than k", () => {
    const s = site(40, [3, 17])
    const { summary, withheld } = summariseCommonFactors(s.families, s.derived, "improvement", { k: 5, level: 0.95 })
    expect(summary).toBeNull()
    expect(withheld).toEqual([
      {
        what: "the common-factor correlations and cross-products",
        reason: "their clients differ from the primary analysis's by fewer than 5, so the two tables' difference would describe those few clients",
      },
    ])
  })

  it("shares nothing of fewer than k clients", () => {
    const s = site(4)
    const { summary, withheld } = summariseCommonFactors(s.families, s.derived, "improvement", { k: 5, level: 0.95 })
    expect(summary).toBeNull()
    expect(withheld[0]!.reason).toBe("fewer than 5 clients have improvement, baseline and every numeric predictor")
  })
})

/** A summary with only the parts the model pooling reads. */
const summary = (site: string, parts: { readonly within?: number; readonly terms?: string[] } = {}): SiteSummary =>
  ({
    site,
    withheld: parts.within === undefined ? [{ what: "the within/between session model's coefficients", reason: "fewer than 5 session pairs" }] : [],
    multilevel: {
      within_between: parts.within === undefined ? null : { n: 100, clients: 20, therapists: 5, within: { estimate: parts.within, se: 0.2, df: 50 }, between: { estimate: 0, se: 0.3, df: 10 } },
      decomposition: null,
      therapist_effects: [],
    },
    common_factors:
      parts.terms === undefined
        ? null
        : {
            outcome: "improvement",
            n: 30,
            factors: [],
            cross_products: { terms: parts.terms, matrix: parts.terms.map((_, i) => parts.terms!.map((__, j) => (i === j ? 30 : 1))) },
            categorical: [],
          },
  }) as unknown as SiteSummary

describe("pooling the model parts", () => {
  it("pools a coefficient over the sites that share it and says why the others did not", () => {
    const pooled = poolCoefficient([summary("A", { within: -1 }), summary("B"), summary("C", { within: -1.4 })], "within_client", { test: "knha", level: 0.95 })
    expect(pooled.sites.map((s) => s.site)).toEqual(["A", "C"])
    expect(pooled.notPooled).toEqual([{ site: "B", reason: "fewer than 5 session pairs" }])
    expect(pooled.pooled.status).toBe("estimated")
    const alone = poolCoefficient([summary("A", { within: -1 }), summary("B")], "within_client", { test: "knha", level: 0.95 })
    expect(alone.pooled).toEqual({ status: "not_estimable", n: 1, reason: "pooling needs at least 2 sites that share the coefficient; 1 did" })
  })

  it("adds up common-factor tables only when every site summarised the same predictors", () => {
    const same = ["intercept", "baseline", "x", "improvement"]
    const ok = poolCommonFactors([summary("A", { terms: same }), summary("B", { terms: same })], { test: "z", level: 0.95 })
    expect(ok.oneStageSites).toEqual(["A", "B"])
    const mixed = poolCommonFactors([summary("A", { terms: same }), summary("B", { terms: ["intercept", "baseline", "improvement"] })], { test: "z", level: 0.95 })
    expect(mixed.oneStage).toEqual({
      status: "not_estimable",
      n: 0,
      reason: "the sites summarised different numeric predictors (B differs from A), so their tables do not add up",
    })
    expect(mixed.oneStageSites).toEqual([])
  })
})

describe("why a site's model was not fitted, as the summary says it", () => {
  it("never passes on a fit's message that may count fewer than k clients or groups", () => {
    const plain = "the model could not be fitted to the site's data (too few clients or groups for it)"
    expect(modelReason(4, "4 observations are too few for 4 fixed effects and the variances", 5, "fewer than 5 clients")).toBe("fewer than 5 clients")
    expect(modelReason(40, "the client variance needs at least 2 client groups; there is 1", 5, "fewer than 5 clients")).toBe(plain)
    expect(modelReason(40, "the fixed-effects design is not of full rank", 5, "fewer than 5 clients")).toBe("the fixed-effects design is not of full rank")
    expect(modelReason(40, "the therapist variance needs 12 groups", 5, "fewer than 5 clients")).toBe("the therapist variance needs 12 groups")
  })
})
