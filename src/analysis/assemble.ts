/**
 * Assembling results.json from the estimates: one place that maps the estimators' records onto
 * the documented schema (data-schemas/results.ts), back-transforms pooled Fisher z to r, and
 * writes the warnings a researcher needs to read.
 */
import type { ClinicalResults } from "../../data-schemas/clinical-results.ts"
import { clinicalWarnings } from "./clinical/warnings.ts"
import type { CommonFactors } from "../../data-schemas/common-factors-results.ts"
import type { MultilevelResults } from "../../data-schemas/multilevel-results.ts"
import { RESULTS_SCHEMA_VERSION, type Results } from "../../data-schemas/results.ts"
import type { RmaUniResult } from "../stats/meta-analysis/rma-uni.ts"
import type { CorrelationTest, NotEstimable } from "../stats/types.ts"
import type { AllianceBin } from "../derive/bins.ts"
import type { Descriptives } from "./descriptives.ts"
import type { FunnelStep } from "./derive-clients.ts"
import type { PrimaryEstimates } from "./primary.ts"
import type { ColumnCorrelation } from "./secondary.ts"
import type { AnalysisSettings } from "./settings.ts"
import { familiesInForce } from "./common-factors/families.ts"
import { commonFactorWarnings } from "./common-factors/warnings.ts"
import { multilevelWarnings } from "./multilevel/warnings.ts"
import type { SiteSynthesis } from "./sites.ts"

type Interval = [number, number]
const interval = (ci: readonly [number, number]): Interval => [ci[0], ci[1]]
const nullable = (ci: readonly [number, number] | null | undefined): Interval | null => (ci ? interval(ci) : null)

const notEstimable = (x: NotEstimable) => ({ status: "not_estimable" as const, n: x.n, reason: x.reason })

const estimated = (c: CorrelationTest) => ({
  status: "estimated" as const,
  estimate: c.estimate,
  n: c.n,
  ci: interval(c.ci),
  statistic: c.statistic,
  df: c.df,
  p: c.p,
  method: c.method,
})

/** |r| = 1 gives an infinite t and Fisher z, which JSON cannot hold: reported as not estimable. */
const degenerate = (c: CorrelationTest): NotEstimable | undefined =>
  Number.isFinite(c.statistic) && Number.isFinite(c.p)
    ? undefined
    : { status: "not_estimable", n: c.n, reason: `the correlation is perfect (r = ${c.estimate}), so its t statistic and Fisher-z interval are infinite` }

export const toCorrelation = (c: CorrelationTest | NotEstimable): Results["primary"]["pearson"] => {
  if (c.status !== "estimated") return notEstimable(c)
  const bad = degenerate(c)
  return bad ? notEstimable(bad) : estimated(c)
}

const toPartial = (primary: PrimaryEstimates): Results["primary"]["partial"] => {
  const c = primary.partial
  if (c.status !== "estimated") return notEstimable(c)
  const bad = degenerate(c)
  return bad ? notEstimable(bad) : { ...estimated(c), controlling_for: ["baseline"], direction: primary.partialDirection }
}

const toSpearman = (s: PrimaryEstimates["spearman"]): Results["primary"]["spearman"] =>
  s.status === "estimated"
    ? { status: "estimated", estimate: s.estimate, n: s.n, statistic: s.statistic, p: s.p, method: s.method }
    : notEstimable(s)

/** A random-effects pool of Fisher z as results.json records it, back-transformed to r (also for `pool`). */
/** The settings that define what is measured, as results.json and a site summary record them. */
export const measureSettings = (settings: Pick<AnalysisSettings, "earlyWindow" | "level" | "outcome" | "alliance">) => ({
  early_window: [settings.earlyWindow[0], settings.earlyWindow[1]] as [number, number],
  ci_level: settings.level,
  outcome: { ...settings.outcome, range: interval(settings.outcome.range) },
  alliance: { ...settings.alliance, range: interval(settings.alliance.range) },
})

/** What a random-effects pool records whatever its scale: all but the estimate and its intervals. */
export const pooledFields = (r: RmaUniResult, n: number) => ({
  status: "estimated" as const,
  k: r.k,
  n,
  statistic: r.statistic,
  df: r.df,
  p: r.p,
  tau2: r.tau2,
  tau2_se: r.tau2Se ?? null,
  tau: r.tau,
  tau2_ci: nullable(r.tau2Ci),
  i2: r.i2,
  i2_ci: nullable(r.i2Ci),
  h2: r.h2,
  q: r.q,
  q_df: r.qDf,
  q_p: r.qP,
  method: r.method,
  test: r.test,
  iterations: r.iterations,
  reference: r.reference,
})

export const toPooled = (r: RmaUniResult | NotEstimable, n: number): Results["sites"]["pooled"] => {
  if (r.status !== "estimated") return notEstimable(r)
  return {
    ...pooledFields(r, n),
    estimate: Math.tanh(r.estimate),
    ci: [Math.tanh(r.ci[0]), Math.tanh(r.ci[1])],
    pi: [Math.tanh(r.pi[0]), Math.tanh(r.pi[1])],
    z: { estimate: r.estimate, se: r.se, ci: interval(r.ci), pi: interval(r.pi) },
  }
}

export interface AssembleInput {
  readonly tool: { readonly name: string; readonly version: string }
  readonly study: { readonly name: string; readonly title: string | null }
  readonly settings: AnalysisSettings
  readonly definitions: Record<string, string>
  readonly descriptives: Descriptives
  readonly funnel: ReadonlyArray<FunnelStep>
  readonly primary: PrimaryEstimates
  readonly byRater: ReadonlyArray<ColumnCorrelation<"client" | "therapist" | "observer">>
  readonly bySubscale: ReadonlyArray<ColumnCorrelation<"goal" | "task" | "bond">>
  readonly sites: SiteSynthesis | null
  readonly multilevel: MultilevelResults
  readonly commonFactors: CommonFactors
  readonly clinical: ClinicalResults
  readonly bins: ReadonlyArray<AllianceBin>
  readonly extraColumns: ReadonlyArray<string>
}

export const warningsFor = (input: AssembleInput): Results["warnings"] => {
  const warnings: Results["warnings"] = []
  const add = (code: string, message: string) => warnings.push({ code, message })
  const { sites, settings, descriptives, primary } = input
  if (sites === null) {
    add("no_sites", "clients.csv has no site_id column (or sessions.csv no alliance column), so sites were not pooled.")
  } else {
    const left = sites.sites.filter((s) => s.excludedBecause !== null)
    for (const s of left) add("site_not_pooled", `Site ${s.site} was left out of pooling: ${s.excludedBecause}.`)
    if (sites.pooled.status === "estimated" && sites.pooled.k < 10) {
      add(
        "few_sites",
        `Only ${sites.pooled.k} sites were pooled: τ², I² and the prediction interval are imprecise with fewer than 10.` +
          (settings.poolingTest === "z" ? " The Knapp–Hartung adjustment (--pooling-test knha) gives more cautious intervals." : ""),
      )
    }
  }
  if (primary.n < 30) add("small_sample", `Only ${primary.n} clients could be analysed; estimates are imprecise.`)
  if (descriptives.clientsWithoutSessions > 0) {
    const { mode, k } = settings.privacy
    const count = mode === "strict" && descriptives.clientsWithoutSessions < k ? "Some" : `${descriptives.clientsWithoutSessions}`
    add("clients_without_sessions", `${count} clients have no rows in sessions.csv.` + (count === "Some" ? " (The number is suppressed: strict privacy.)" : ""))
  }
  if (input.bins.length === 0) add("no_bins", `Fewer than ${settings.minCell} analysed clients: the binned chart is empty.`)
  if (input.extraColumns.length > 0) {
    add("extra_columns", `Columns not in the data contract were kept as candidate moderators but not analysed: ${input.extraColumns.join(", ")}.`)
  }
  return warnings
}

/** results.json before disclosure control (src/privacy/disclosure/control.ts) adds its record. */
export const assembleResults = (input: AssembleInput): Omit<Results, "disclosure"> => {
  const { settings, descriptives: d, primary, sites } = input
  return {
    schema_version: RESULTS_SCHEMA_VERSION,
    tool: { ...input.tool },
    study: { ...input.study },
    definitions: input.definitions,
    settings: {
      ...measureSettings(settings),
      pooling: { method: settings.poolingMethod, test: settings.poolingTest, min_site_n: settings.minSiteN },
      min_cell: settings.minCell,
      privacy: { mode: settings.privacy.mode, k: settings.privacy.k },
      within_between_therapist_intercept: settings.withinBetweenTherapistIntercept,
      common_factors: {
        outcome: settings.commonFactors.outcome,
        families: familiesInForce(settings.commonFactors),
        families_from: settings.commonFactors.families === undefined ? "defaults" : "study_file",
        bootstrap: { ...settings.commonFactors.bootstrap },
      },
    },
    descriptives: {
      n_sites: d.nSites,
      n_therapists: d.nTherapists,
      n_clients: d.nClients,
      n_sessions: d.nSessions,
      sessions_per_client:
        d.sessionsPerClient.n === 0
          ? null
          : {
              mean: d.sessionsPerClient.mean,
              sd: d.sessionsPerClient.n < 2 ? null : d.sessionsPerClient.sd,
              min: d.sessionsPerClient.min,
              q1: d.sessionsPerClient.q1,
              median: d.sessionsPerClient.median,
              q3: d.sessionsPerClient.q3,
              max: d.sessionsPerClient.max,
            },
      missingness: d.missingness.map((m) => ({ file: m.file, column: m.column, n: m.n, n_missing: m.nMissing, percent: m.percent })),
      funnel: input.funnel.map((f) => ({ ...f })),
    },
    primary: {
      n_analysed: primary.n,
      pearson: toCorrelation(primary.pearson),
      spearman: toSpearman(primary.spearman),
      partial: toPartial(primary),
      residualized_gain: toCorrelation(primary.residualizedGain),
    },
    by_rater: input.byRater.map((r) => ({ rater: r.label, column: r.column, correlation: toCorrelation(r.correlation) })),
    by_subscale: input.bySubscale.map((r) => ({ subscale: r.label, column: r.column, correlation: toCorrelation(r.correlation) })),
    sites: {
      per_site:
        sites?.sites.map((s) => ({
          site: s.site,
          merged_from: s.mergedFrom === null ? null : [...s.mergedFrom],
          n: s.n,
          pooled: s.excludedBecause === null,
          note: s.excludedBecause,
          correlation: toCorrelation(s.correlation),
          yi: s.yi,
          vi: s.vi,
          weight: s.weight,
        })) ?? [],
      pooled: sites ? toPooled(sites.pooled, sites.pooledN) : { status: "not_estimable", n: 0, reason: "the study has no site_id column" },
    },
    multilevel: input.multilevel,
    common_factors: input.commonFactors,
    clinical: input.clinical,
    binned: input.bins.map((b) => ({
      low: b.low,
      high: b.high,
      n: b.n,
      mean_alliance: b.meanAlliance,
      mean_improvement: b.meanImprovement,
      ci: interval(b.ci),
    })),
    warnings: [...warningsFor(input), ...multilevelWarnings(input.multilevel), ...commonFactorWarnings(input.commonFactors), ...clinicalWarnings(input.clinical)],
  }
}
