import { describe, expect, it } from "vitest"
import { controlDisclosure } from "../../src/privacy/disclosure/control.ts"
import { Results } from "../../data-schemas/results.ts"
import { type AssembleInput, assembleResults, toCorrelation, warningsFor } from "../../src/analysis/assemble.ts"
import { definitions } from "../../src/analysis/definitions.ts"
import { partialDirection, type PrimaryEstimates } from "../../src/analysis/primary.ts"
import type { SiteEstimate, SiteSynthesis } from "../../src/analysis/sites.ts"
import { partialCorrelationTest } from "../../src/stats/correlation/partial-correlation.ts"
import { pearsonTest } from "../../src/stats/correlation/pearson.ts"
import { spearmanTest } from "../../src/stats/correlation/spearman.ts"
import { fiveNumberSummary } from "../../src/stats/descriptives/summary.ts"
import { rmaUni } from "../../src/stats/meta-analysis/rma-uni.ts"
import { type CorrelationTest, notEstimable } from "../../src/stats/types.ts"
import { settings } from "./settings.ts"


// Twelve analysed clients.
const ALLIANCE = [2.0, 2.4, 2.9, 3.1, 3.5, 3.8, 4.0, 4.4, 4.7, 3.3, 2.6, 4.1]
const BASELINE = [20, 15, 18, 22, 17, 19, 21, 16, 18, 14, 23, 19]
const OUTCOME = [16, 12, 12, 15, 10, 9, 10, 6, 5, 9, 17, 8]
const CHANGE = BASELINE.map((b, i) => b - OUTCOME[i]!)

const partial = partialCorrelationTest(ALLIANCE, OUTCOME, BASELINE)
const primary: PrimaryEstimates = {
  n: 12,
  pearson: pearsonTest(ALLIANCE, CHANGE),
  spearman: spearmanTest(ALLIANCE, CHANGE),
  partial,
  partialDirection: partialDirection(partial, settings),
  residualizedGain: pearsonTest(ALLIANCE, CHANGE),
}

/** A site's correlation record; assembling only copies it. */
const siteCorrelation = (estimate: number, n: number): CorrelationTest => ({
  status: "estimated",
  estimate,
  n,
  ci: [estimate - 0.3, Math.min(1, estimate + 0.3)],
  level: 0.95,
  statistic: 1.5,
  df: n - 2,
  p: 0.2,
  method: "Pearson's product-moment correlation",
})

/** Pooled sites from (r, n) pairs, plus any excluded sites, as synthesiseSites would give them. */
const sitesOf = (
  pooledSites: ReadonlyArray<readonly [string, number, number]>,
  excluded: ReadonlyArray<SiteEstimate> = [],
  test: "z" | "knha" = "z",
): SiteSynthesis => {
  const yi = pooledSites.map(([, r]) => Math.atanh(r))
  const vi = pooledSites.map(([, , n]) => 1 / (n - 3))
  const pooled = rmaUni(yi, vi, { method: "REML", test, level: 0.95 })
  const included = pooledSites.map(([site, r, n], j): SiteEstimate => ({
    site,
    mergedFrom: null,
    n,
    correlation: siteCorrelation(r, n),
    excludedBecause: null,
    yi: yi[j]!,
    vi: vi[j]!,
    weight: pooled.status === "estimated" ? pooled.weights[j]! : null,
  }))
  return { sites: [...included, ...excluded], pooled, pooledN: pooledSites.reduce((sum, [, , n]) => sum + n, 0) }
}

const smallSite: SiteEstimate = {
  site: "S3",
  mergedFrom: null,
  n: 2,
  correlation: notEstimable(2, "a correlation test with a confidence interval needs at least 4 complete cases; only 2 available"),
  excludedBecause: "fewer than 4 analysed clients (n = 2)",
  yi: null,
  vi: null,
  weight: null,
}

const THREE_SITES = sitesOf([
  ["S1", 0.45, 20],
  ["S2", 0.1, 25],
  ["S4", 0.6, 18],
])

const input: AssembleInput = {
  tool: { name: "alliance-outcome", version: "0.1.0" },
  study: { name: "lab", title: null },
  settings,
  definitions: definitions(settings),
  descriptives: {
    nSites: 4,
    nTherapists: 3,
    nClients: 14,
    nSessions: 40,
    sessionsPerClient: fiveNumberSummary([2, 3, 3, 3, 4, 2, 3, 3, 3, 3, 4, 2, 3, 2]),
    clientsWithoutSessions: 0,
    missingness: [{ file: "clients.csv", column: "outcome", n: 14, nMissing: 2, percent: (100 * 2) / 14 }],
  },
  multilevel: {
    therapist_effects: {
      n_clients: 12,
      n_therapists: 3,
      clients_per_therapist: { mean: 4, median: 4, min: 3, max: 5 },
      patient_therapist_ratio: 4,
      unadjusted: notEstimable(12, "too few"),
      adjusted: notEstimable(12, "too few"),
      site_adjusted: notEstimable(12, "a site variance needs at least 2 sites; the sample has 1"),
      caterpillar: [],
      caterpillar_eligible: 0,
      caterpillar_left_out: 3,
    },
    decomposition: notEstimable(12, "too few"),
    within_between: notEstimable(0, "sessions.csv has no symptom column, so there are no session-level scores to relate"),
  },
  funnel: [
    { step: "no client-rated alliance in sessions 1–3", excluded: 0, remaining: 14 },
    { step: "baseline score missing", excluded: 0, remaining: 14 },
    { step: "outcome score missing", excluded: 2, remaining: 12 },
  ],
  primary,
  byRater: [{ label: "client", column: "alliance", correlation: primary.pearson }],
  bySubscale: [{ label: "goal", column: "alliance_goal", correlation: notEstimable(3, "too few") }],
  sites: { ...THREE_SITES, sites: [...THREE_SITES.sites, smallSite] },
  clinical: {
    instruments: { outcome: null, second_outcome: null, alliance: null },
    scoring: [],
    reliability: [],
    jacobson_truax: { status: "not_estimable", reason: "no reliability" },
    talking_therapies: { status: "not_estimable", reason: "no GAD-7" },
    ruptures: { status: "not_estimable", reason: "no session alliance ratings" },
    sudden_gains: { status: "not_estimable", reason: "no session symptom scores" },
    trajectories: [],
    pre_post_bins: null,
  },
  commonFactors: {
    status: "not_estimable",
    n: 12,
    reason: "the predictors are collinear: one of them (or a category's level) is a combination of the others in this sample",
    absent_families: [{ family: "expectancy", reason: "clients.csv has no expectancy column" }],
  },
  bins: [{ low: 1, high: 5, n: 12, meanAlliance: 3.4, meanImprovement: 6.5, ci: [4.9, 8.1] }],
  extraColumns: [],
}

const codes = (warnings: ReadonlyArray<{ code: string }>) => warnings.map((w) => w.code)
const messageOf = (warnings: ReadonlyArray<{ code: string; message: string }>, code: string) =>
  warnings.filter((w) => w.code === code).map((w) => w.message)

describe("toCorrelation", () => {
  it("copies an estimated correlation into the schema's fields, without the level", () => {
    const r = pearsonTest([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])
    if (r.status !== "estimated") throw new Error("expected an estimate")
    expect(toCorrelation(r)).toEqual({
      status: "estimated",
      estimate: r.estimate,
      n: 5,
      ci: [r.ci[0], r.ci[1]],
      statistic: r.statistic,
      df: 3,
      p: r.p,
      method: r.method,
    })
  })

  it("reports a perfect correlation as not estimable, since JSON cannot hold its infinite t", () => {
    const perfect = pearsonTest([1, 1, 3, 3], [2, 2, 6, 6])
    expect(perfect).toMatchObject({ status: "estimated", estimate: 1, statistic: Number.POSITIVE_INFINITY })
    expect(toCorrelation(perfect)).toEqual({
      status: "not_estimable",
      n: 4,
      reason: "the correlation is perfect (r = 1), so its t statistic and Fisher-z interval are infinite",
    })
  })

  it("keeps only the n and the reason of a correlation that could not be estimated", () => {
    expect(toCorrelation(notEstimable(2, "too few clients"))).toEqual({ status: "not_estimable", n: 2, reason: "too few clients" })
  })
})

describe("warningsFor", () => {
  it("warns that sites were not pooled when the study has no sites", () => {
    expect(messageOf(warningsFor({ ...input, sites: null }), "no_sites")).toEqual([
      "clients.csv has no site_id column (or sessions.csv no alliance column), so sites were not pooled.",
    ])
  })

  it("names each site left out of pooling, with the reason", () => {
    expect(messageOf(warningsFor(input), "site_not_pooled")).toEqual([
      "Site S3 was left out of pooling: fewer than 4 analysed clients (n = 2).",
    ])
  })

  it("warns about fewer than 10 pooled sites and suggests Knapp–Hartung when the z test was used", () => {
    expect(messageOf(warningsFor(input), "few_sites")).toEqual([
      "Only 3 sites were pooled: τ², I² and the prediction interval are imprecise with fewer than 10. " +
        "The Knapp–Hartung adjustment (--pooling-test knha) gives more cautious intervals.",
    ])
  })

  it("does not suggest Knapp–Hartung when it was already used", () => {
    const knha = { ...input, settings: { ...settings, poolingTest: "knha" as const }, sites: sitesOf([["S1", 0.45, 20], ["S2", 0.1, 25]], [], "knha") }
    expect(messageOf(warningsFor(knha), "few_sites")).toEqual([
      "Only 2 sites were pooled: τ², I² and the prediction interval are imprecise with fewer than 10.",
    ])
  })

  it("does not warn about few sites with 10 pooled sites, or when the sites could not be pooled", () => {
    const ten = sitesOf(Array.from({ length: 10 }, (_, j) => [`S${j + 1}`, 0.1 + 0.05 * j, 20 + j] as const))
    expect(codes(warningsFor({ ...input, sites: ten }))).not.toContain("few_sites")
    const unpooled: SiteSynthesis = { sites: [smallSite], pooled: notEstimable(0, "no sites qualified"), pooledN: 0 }
    expect(codes(warningsFor({ ...input, sites: unpooled }))).toEqual(["site_not_pooled", "small_sample"])
  })

  it("warns that fewer than 30 analysed clients give imprecise estimates", () => {
    expect(messageOf(warningsFor(input), "small_sample")).toEqual(["Only 12 clients could be analysed; estimates are imprecise."])
    expect(codes(warningsFor({ ...input, primary: { ...primary, n: 30 } }))).not.toContain("small_sample")
  })

  it("warns about clients without sessions, an empty binned chart and unanalysed extra columns", () => {
    const warnings = warningsFor({
      ...input,
      descriptives: { ...input.descriptives, clientsWithoutSessions: 2 },
      bins: [],
      extraColumns: ["modality_note", "wave"],
    })
    expect(warnings.slice(-3)).toEqual([
      { code: "clients_without_sessions", message: "2 clients have no rows in sessions.csv." },
      { code: "no_bins", message: "Fewer than 10 analysed clients: the binned chart is empty." },
      {
        code: "extra_columns",
        message: "Columns not in the data contract were kept as candidate moderators but not analysed: modality_note, wave.",
      },
    ])
  })

  it("lists the warnings in a fixed order: sites first, then sample size", () => {
    expect(codes(warningsFor(input))).toEqual(["site_not_pooled", "few_sites", "small_sample"])
  })
})

describe("assembleResults", () => {
  const results = assembleResults(input)

  it("produces a record that passes the results schema", () => {
    // results.json is the assembled record after disclosure control, which adds its own record
    const privacy = settings.privacy
    expect(() => Results.parse(controlDisclosure(results, privacy))).not.toThrow()
    expect(() => Results.parse(controlDisclosure(assembleResults({ ...input, sites: null, bins: [] }), privacy))).not.toThrow()
  })

  it("back-transforms the pooled Fisher z estimate, CI and PI to r with tanh, keeping the z scale alongside", () => {
    const z = THREE_SITES.pooled
    const pooled = results.sites.pooled
    if (z.status !== "estimated" || pooled.status !== "estimated") throw new Error("expected a pooled estimate")
    expect(pooled.estimate).toBe(Math.tanh(z.estimate))
    expect(pooled.ci).toEqual([Math.tanh(z.ci[0]), Math.tanh(z.ci[1])])
    expect(pooled.pi).toEqual([Math.tanh(z.pi[0]), Math.tanh(z.pi[1])])
    expect(pooled.z).toEqual({ estimate: z.estimate, se: z.se, ci: [z.ci[0], z.ci[1]], pi: [z.pi[0], z.pi[1]] })
    expect(pooled).toMatchObject({ k: 3, n: 63, tau2: z.tau2, i2: z.i2, q: z.q, q_df: 2, method: "REML", test: "z" })
  })

  it("writes one row per site, marking which were pooled and why not", () => {
    expect(results.sites.per_site.map((s) => [s.site, s.pooled, s.note, s.weight === null])).toEqual([
      ["S1", true, null, false],
      ["S2", true, null, false],
      ["S4", true, null, false],
      ["S3", false, "fewer than 4 analysed clients (n = 2)", true],
    ])
  })

  it("records a study without sites as an empty site table and a not-estimable pooled estimate", () => {
    const noSites = assembleResults({ ...input, sites: null })
    expect(noSites.sites).toEqual({
      per_site: [],
      pooled: { status: "not_estimable", n: 0, reason: "the study has no site_id column" },
    })
    // then the multilevel warnings: 3 therapists, and four models that could not be fitted (the
    // site-adjusted one is not a warning: the study has no two sites); then the common factors'
    expect(codes(noSites.warnings)).toEqual([
      "no_sites",
      "small_sample",
      "few_therapists",
      ...Array<string>(4).fill("multilevel_not_estimable"),
      "common_factors_not_estimable",
      "family_without_data",
    ])
  })

  it("adds the controlled variable and the plain-language direction to the partial correlation", () => {
    expect(results.primary.partial).toMatchObject({
      status: "estimated",
      controlling_for: ["baseline"],
      direction: primary.partialDirection,
    })
    expect(results.primary.n_analysed).toBe(12)
  })

  it("reports a perfect partial correlation as not estimable, and the record still passes the schema", () => {
    const perfect: CorrelationTest = { ...siteCorrelation(-1, 12), ci: [-1, -1], statistic: Number.NEGATIVE_INFINITY, p: 0 }
    const degenerate = assembleResults({ ...input, primary: { ...primary, partial: perfect, pearson: perfect } })
    expect(degenerate.primary.partial).toEqual({
      status: "not_estimable",
      n: 12,
      reason: "the correlation is perfect (r = -1), so its t statistic and Fisher-z interval are infinite",
    })
    expect(degenerate.primary.pearson.status).toBe("not_estimable")
    expect(() => Results.parse(controlDisclosure(degenerate, settings.privacy))).not.toThrow()
  })

  it("maps settings, descriptives and bins onto the schema's snake_case fields", () => {
    expect(results.settings).toEqual({
      early_window: [1, 3],
      ci_level: 0.95,
      outcome: { instrument: "PHQ-9", range: [0, 27], direction: "lower_is_better" },
      alliance: { instrument: "WAI-SR", range: [1, 5] },
      pooling: { method: "REML", test: "z", min_site_n: 4 },
      min_cell: 10,
      privacy: { mode: "standard", k: 5 },
      within_between_therapist_intercept: false,
      common_factors: {
        outcome: "improvement",
        families: [
          { name: "extratherapeutic", predictors: ["baseline", "age_band", "gender"] },
          { name: "expectancy", predictors: ["expectancy"] },
          { name: "techniques", predictors: ["modality"] },
          { name: "common", predictors: ["early_alliance", "empathy", "positive_regard", "congruence"] },
        ],
        families_from: "defaults",
        bootstrap: { replicates: 1000, seed: 1, resample: "clients", max_resample_size: 2000 },
      },
    })
    expect(results.descriptives.missingness).toEqual([
      { file: "clients.csv", column: "outcome", n: 14, n_missing: 2, percent: (100 * 2) / 14 },
    ])
    expect(results.descriptives.funnel).toEqual(input.funnel)
    expect(results.binned).toEqual([{ low: 1, high: 5, n: 12, mean_alliance: 3.4, mean_improvement: 6.5, ci: [4.9, 8.1] }])
    expect(results.by_subscale).toEqual([
      { subscale: "goal", column: "alliance_goal", correlation: { status: "not_estimable", n: 3, reason: "too few" } },
    ])
  })
})
