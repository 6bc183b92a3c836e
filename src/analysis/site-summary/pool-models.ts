/**
 * Stage 2 for the multilevel and common-factor parts of the sites' summaries (issue 10):
 *
 * - each multilevel coefficient (within- and between-client of the session-level model, within-
 *   and between-therapist of the alliance decomposition) pooled by random-effects meta-analysis of
 *   the sites' estimates with vi = SE² (metafor `rma(yi, sei = se)`: REML τ², Knapp–Hartung or z,
 *   prediction interval, I²) — the two-stage IPD approach (Riley, Lambert & Abo-Zaid 2010) with the
 *   same model at every site;
 * - the ICC components, listed by site: a REML variance component has no sampling variance that a
 *   random-effects model could weight by (its interval is a profile, asymmetric, often reaching 0);
 * - each numeric common factor's r with improvement, pooled on Fisher z as the primary r;
 * - the regression of improvement on baseline and every numeric common factor from the summed
 *   cross-products (one stage), over the sites that shared a table, when all of those tables have
 *   the same terms (a site that withheld its table is left out, and the sites summed are named).
 */
import type { PooledSites as PooledSitesRecord } from "../../../data-schemas/pooled-sites.ts"
import type { SiteSummary } from "../../../data-schemas/site-summary.ts"
import { studentTQuantile } from "../../stats/distributions/students-t.ts"
import { pooledFields } from "../assemble.ts"
import type { RmaUniResult } from "../../stats/meta-analysis/rma-uni.ts"
import { type NotEstimable, notEstimable } from "../../stats/types.ts"
import { compareSiteLabels } from "../sites.ts"
import { COMMON_FACTORS_WITHHELD } from "./common-factors.ts"
import { WITHHELD } from "./multilevel.ts"
import { type OneStageRegression, oneStageRegression, sumCrossProducts } from "./one-stage.ts"
import { type PooledCorrelation, poolCorrelations, poolOverSites, withheldReason } from "./pool.ts"

export interface PooledCoefficient {
  /** the sites pooled, in label order, with their estimate, SE, df and weight (percent) */
  readonly sites: ReadonlyArray<{ readonly site: string; readonly n: number; readonly estimate: number; readonly se: number; readonly df: number; readonly weight: number | null }>
  readonly notPooled: ReadonlyArray<{ readonly site: string; readonly reason: string }>
  readonly pooled: RmaUniResult | NotEstimable
}

/** The multilevel coefficients, as `pool` names them. */
export const COEFFICIENTS = ["within_client", "between_client", "within_therapist", "between_therapist"] as const
export type CoefficientName = (typeof COEFFICIENTS)[number]

export const COEFFICIENT_LABELS: Record<CoefficientName, string> = {
  within_client: "Within-client alliance → next-session symptoms",
  between_client: "Between-client (client-mean) alliance → next-session symptoms",
  within_therapist: "Within-therapist alliance (client deviation) → improvement",
  between_therapist: "Between-therapist alliance (therapist mean) → improvement",
}

type Coefficient = { readonly estimate: number; readonly se: number; readonly df: number }

/** A site's coefficient `name`, with the clients it rests on, or null when not shared. */
const coefficientOf = (s: SiteSummary, name: CoefficientName): { readonly n: number; readonly c: Coefficient } | null => {
  const wb = s.multilevel.within_between
  const dec = s.multilevel.decomposition
  switch (name) {
    case "within_client":
      return wb === null ? null : { n: wb.clients, c: wb.within }
    case "between_client":
      return wb === null ? null : { n: wb.clients, c: wb.between }
    case "within_therapist":
      return dec === null ? null : { n: dec.n, c: dec.within }
    case "between_therapist":
      return dec === null || dec.between === null ? null : { n: dec.n, c: dec.between }
  }
}

const WITHHELD_WHAT: Record<CoefficientName, ReadonlyArray<string>> = {
  within_client: [WITHHELD.withinBetween],
  between_client: [WITHHELD.withinBetween],
  within_therapist: [WITHHELD.decomposition],
  between_therapist: [WITHHELD.decomposition, WITHHELD.betweenTherapist],
}

/** Random effects over the sites' estimates of one coefficient (sites sorted by label), vi = SE². */
export const poolCoefficient = (sorted: ReadonlyArray<SiteSummary>, name: CoefficientName, options: { readonly test: "z" | "knha"; readonly level: number }): PooledCoefficient => {
  const entries = sorted.map((s) => ({ site: s.site, shared: coefficientOf(s, name), reason: withheldReason(s, WITHHELD_WHAT[name], "the site shared no such coefficient") }))
  const { included, left, pooled } = poolOverSites(entries, ({ c }: { readonly n: number; readonly c: Coefficient }) => ({ yi: c.estimate, vi: c.se ** 2 }), "coefficient", options)
  return {
    sites: included.map((e) => ({ site: e.entry.site, n: e.shared.n, ...e.shared.c, weight: e.weight })),
    notPooled: left.map((e) => ({ site: e.site, reason: e.reason })),
    pooled,
  }
}

export interface PooledCommonFactors {
  readonly factors: ReadonlyArray<{ readonly predictor: string; readonly family: string } & PooledCorrelation>
  readonly oneStage: OneStageRegression | NotEstimable
  /** the sites whose tables the one-stage regression sums (none when it is not estimable) */
  readonly oneStageSites: ReadonlyArray<string>
  readonly categorical: ReadonlyArray<string>
}

/** The common factors' correlations pooled by predictor, and the one-stage regression (file comment). */
export const poolCommonFactors = (sorted: ReadonlyArray<SiteSummary>, options: { readonly test: "z" | "knha"; readonly level: number }): PooledCommonFactors => {
  const shared = sorted.filter((s) => s.common_factors !== null)
  const predictors = [...new Map(shared.flatMap((s) => s.common_factors!.factors.map((f) => [f.predictor, f.family] as const))).entries()]
  const factors = predictors.map(([predictor, family]) => ({
    predictor,
    family,
    ...poolCorrelations(
      sorted.map((s) => {
        const f = s.common_factors?.factors.find((x) => x.predictor === predictor)
        const reason = withheldReason(s, [`the correlation of ${predictor} with improvement`, COMMON_FACTORS_WITHHELD], "the site shared no such correlation")
        return { site: s.site, n: f?.n ?? s.common_factors?.n ?? 0, shared: f === undefined ? null : { n: f.n, r: f.r, yi: f.yi, vi: f.vi }, reason }
      }),
      options,
    ),
  }))
  // one stage: the sites whose tables have the first table's terms; others are named
  const terms = shared[0]?.common_factors!.cross_products.terms ?? []
  const same = shared.filter((s) => JSON.stringify(s.common_factors!.cross_products.terms) === JSON.stringify(terms))
  const differing = shared.filter((s) => !same.includes(s)).map((s) => s.site)
  const oneStage =
    same.length === 0
      ? notEstimable(0, "no site shared its common-factor cross-products")
      : differing.length > 0
        ? notEstimable(0, `the sites summarised different numeric predictors (${differing.join(", ")} ${differing.length === 1 ? "differs" : "differ"} from ${same[0]!.site}), so their tables do not add up`)
        : oneStageRegression(sumCrossProducts(same.map((s) => s.common_factors!.cross_products.matrix)), options.level, terms.slice(0, -1))
  return {
    factors,
    oneStage,
    oneStageSites: differing.length > 0 ? [] : same.map((s) => s.site),
    categorical: [...new Set(shared.flatMap((s) => s.common_factors!.categorical))],
  }
}

type CoefficientRecord = PooledSitesRecord["multilevel"]["coefficients"][number]

/** A pooled coefficient as results.json records it: every site (its own t interval, weight, or why not pooled) and the pool. */
export const coefficientRecord = (name: CoefficientName, pooled: PooledCoefficient, level: number): CoefficientRecord => {
  const r = pooled.pooled
  const rows: CoefficientRecord["per_site"] = [
    ...pooled.sites.map((s) => {
      const half = studentTQuantile((1 + level) / 2, s.df) * s.se
      return {
        site: s.site,
        n: s.n,
        pooled: r.status === "estimated",
        note: r.status === "estimated" ? null : `not pooled: ${r.reason}`,
        estimate: s.estimate,
        se: s.se,
        df: s.df,
        ci: [s.estimate - half, s.estimate + half] as [number, number],
        weight: s.weight,
      }
    }),
    ...pooled.notPooled.map((s) => ({ site: s.site, n: null, pooled: false, note: s.reason, estimate: null, se: null, df: null, ci: null, weight: null })),
  ]
  rows.sort((a, b) => compareSiteLabels(a.site, b.site))
  const n = pooled.sites.reduce((sum, s) => sum + s.n, 0)
  return {
    coefficient: name,
    label: COEFFICIENT_LABELS[name],
    per_site: rows,
    pooled:
      r.status === "estimated"
        ? { ...pooledFields(r, n), estimate: r.estimate, se: r.se, ci: [r.ci[0], r.ci[1]], pi: [r.pi[0], r.pi[1]] }
        : { status: "not_estimable", n: r.n, reason: r.reason },
  }
}
