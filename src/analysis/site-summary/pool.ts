/**
 * Stage 2 of two-stage pooling (issue 10): the sites' summaries checked against each other, then
 * pooled. The primary correlation and each modality's are pooled by random-effects meta-analysis
 * on Fisher z (REML τ², Knapp–Hartung by default, prediction interval, I²), exactly as the sites of
 * one study are pooled (src/analysis/sites.ts); the one-stage regression comes from the summed
 * cross-products (one-stage.ts). The multilevel and common-factor parts: pool-models.ts.
 */
import type { PooledSites as PooledSitesRecord } from "../../../data-schemas/pooled-sites.ts"
import type { SiteSummary } from "../../../data-schemas/site-summary.ts"
import { correlationInference } from "../../stats/correlation/pearson.ts"
import { toCorrelation, toPooled } from "../assemble.ts"
import { rmaUni, type RmaUniResult } from "../../stats/meta-analysis/rma-uni.ts"
import { type NotEstimable, notEstimable } from "../../stats/types.ts"
import { compareSiteLabels } from "../sites.ts"
import { PRIMARY_WITHHELD } from "./build.ts"
import { type OneStageRegression, oneStageRegression, sumCrossProducts } from "./one-stage.ts"

export interface NamedSummary {
  /** the file it came from, as the messages name it */
  readonly file: string
  readonly summary: SiteSummary
}

/**
 * Why these summaries cannot be pooled together: another format, pipeline version or settings
 * (named by file), a site given twice, fewer than two. Empty when they can.
 */
export const poolingProblems = (summaries: ReadonlyArray<NamedSummary>, formatVersion: string): string[] => {
  const problems: string[] = []
  if (summaries.length < 2) problems.push(`pooling needs at least 2 site summaries; got ${summaries.length}`)
  for (const { file, summary } of summaries) {
    if (summary.format_version !== formatVersion) problems.push(`${file}: summary format ${summary.format_version}, but this pipeline reads ${formatVersion}`)
  }
  const first = summaries[0]
  if (first !== undefined) {
    for (const { file, summary } of summaries.slice(1)) {
      if (summary.tool.name !== first.summary.tool.name || summary.tool.version !== first.summary.tool.version) {
        problems.push(`${file}: made by ${summary.tool.name} ${summary.tool.version}, but ${first.file} by ${first.summary.tool.name} ${first.summary.tool.version}: every site must use the same version`)
      }
      if (summary.settings_sha256 !== first.summary.settings_sha256) {
        const differing = (Object.keys(first.summary.settings) as Array<keyof SiteSummary["settings"]>).filter(
          (key) => JSON.stringify(summary.settings[key]) !== JSON.stringify(first.summary.settings[key]),
        )
        problems.push(`${file}: its settings differ from ${first.file}'s (${differing.join(", ") || "settings_sha256"}): every site must use the same settings`)
      }
    }
  }
  const seen = new Map<string, string>()
  for (const { file, summary } of summaries) {
    const earlier = seen.get(summary.site)
    if (earlier !== undefined) problems.push(`${file}: site ${summary.site} is also in ${earlier}`)
    else seen.set(summary.site, file)
  }
  return problems
}

export interface PooledCorrelation {
  /** the sites pooled, in label order, with their Fisher z, variance and weight (percent) */
  readonly sites: ReadonlyArray<{ readonly site: string; readonly n: number; readonly r: number; readonly yi: number; readonly vi: number; readonly weight: number | null }>
  /** sites that shared no such correlation, and why */
  readonly notPooled: ReadonlyArray<{ readonly site: string; readonly n: number; readonly reason: string }>
  readonly pooled: RmaUniResult | NotEstimable
}

export interface PooledSites {
  readonly primary: PooledCorrelation
  readonly byModality: ReadonlyArray<{ readonly modality: string } & PooledCorrelation>
  readonly oneStage: OneStageRegression | NotEstimable
}

/** Sites in label order, S2 before S10. */
export const bySiteLabel = <T extends { readonly summary: SiteSummary }>(a: T, b: T) => compareSiteLabels(a.summary.site, b.summary.site)

/** Why a site did not share a statistic: the first of `whats` its summary lists as withheld, else `otherwise`. */
export const withheldReason = (s: SiteSummary, whats: ReadonlyArray<string>, otherwise: string): string =>
  s.withheld.find((w) => whats.includes(w.what))?.reason ?? otherwise

/**
 * Random effects (REML) over the sites whose entry shares a statistic (`shared` not null), in the
 * entries' order: each with its percent weight, the others left out, and the pool — or why not,
 * with fewer than 2 (`what` names the statistic).
 */
export const poolOverSites = <S, E extends { readonly shared: S | null }>(
  entries: ReadonlyArray<E>,
  effect: (shared: S) => { readonly yi: number; readonly vi: number },
  what: string,
  options: { readonly test: "z" | "knha"; readonly level: number },
): { readonly included: ReadonlyArray<{ readonly entry: E; readonly shared: S; readonly weight: number | null }>; readonly left: ReadonlyArray<E>; readonly pooled: RmaUniResult | NotEstimable } => {
  const included = entries.flatMap((entry) => (entry.shared === null ? [] : [{ entry, shared: entry.shared, effect: effect(entry.shared) }]))
  const pooled =
    included.length >= 2
      ? rmaUni(included.map((e) => e.effect.yi), included.map((e) => e.effect.vi), { method: "REML", test: options.test, level: options.level })
      : notEstimable(included.length, `pooling needs at least 2 sites that share the ${what}; ${included.length} did`)
  return {
    included: included.map((e, j) => ({ entry: e.entry, shared: e.shared, weight: pooled.status === "estimated" ? (pooled.weights[j] ?? null) : null })),
    left: entries.filter((e) => e.shared === null),
    pooled,
  }
}

type Correlation = { readonly n: number; readonly r: number; readonly yi: number; readonly vi: number }

/** Random effects on Fisher z over the sites that share the correlation. */
export const poolCorrelations = (
  entries: ReadonlyArray<{ readonly site: string; readonly n: number; readonly shared: Correlation | null; readonly reason: string }>,
  options: { readonly test: "z" | "knha"; readonly level: number },
): PooledCorrelation => {
  const { included, left, pooled } = poolOverSites(entries, (c: Correlation) => c, "correlation", options)
  return {
    sites: included.map((e) => ({ site: e.entry.site, ...e.shared, weight: e.weight })),
    notPooled: left.map((e) => ({ site: e.site, n: e.n, reason: e.reason })),
    pooled,
  }
}

/** Pools summaries that `poolingProblems` passed. */
export const poolSites = (summaries: ReadonlyArray<NamedSummary>, options: { readonly test: "z" | "knha" }): PooledSites => {
  const sorted = [...summaries].sort(bySiteLabel)
  const level = sorted[0]?.summary.settings.ci_level ?? 0.95
  const primary = poolCorrelations(
    sorted.map(({ summary: s }) => ({
      site: s.site,
      n: s.counts?.clients ?? 0,
      shared: s.primary,
      reason: withheldReason(s, ["the primary correlation", PRIMARY_WITHHELD], "the site shared no such correlation"),
    })),
    { test: options.test, level },
  )
  const modalities = [...new Set(sorted.flatMap(({ summary }) => summary.by_modality.map((m) => m.modality)))].sort()
  const byModality = modalities.map((modality) => ({
    modality,
    ...poolCorrelations(
      // the sites that shared this modality (one that withheld it or lacks it has no row: its count is not known here)
      sorted.flatMap(({ summary: s }) => {
        const m = s.by_modality.find((x) => x.modality === modality)
        return m === undefined ? [] : [{ site: s.site, n: m.n, shared: { n: m.n, r: m.r, yi: m.yi, vi: m.vi }, reason: "" }]
      }),
      { test: options.test, level },
    ),
  }))
  const tables = sorted.flatMap(({ summary }) => (summary.cross_products === null ? [] : [summary.cross_products.matrix]))
  return {
    primary,
    byModality,
    oneStage: tables.length === 0 ? notEstimable(0, "no site shared its cross-products") : oneStageRegression(sumCrossProducts(tables), level),
  }
}

type AnalysisRecord = PooledSitesRecord["primary"]

/** A pooled correlation as results.json's `sites` section records it: per-site rows (r, CI, weight) and the pool. */
export const analysisRecord = (pooled: PooledCorrelation, level: number): AnalysisRecord => {
  const estimated = pooled.pooled.status === "estimated"
  const rows: AnalysisRecord["per_site"] = [
    ...pooled.sites.map((s) => ({
      site: s.site,
      merged_from: null,
      n: s.n,
      pooled: estimated,
      note: pooled.pooled.status === "estimated" ? null : `not pooled: ${pooled.pooled.reason}`,
      correlation: toCorrelation(correlationInference(s.r, s.n, level)),
      yi: s.yi,
      vi: s.vi,
      weight: s.weight,
    })),
    ...pooled.notPooled.map((s) => ({
      site: s.site,
      merged_from: null,
      n: s.n,
      pooled: false,
      note: s.reason,
      correlation: { status: "not_estimable" as const, n: s.n, reason: s.reason },
      yi: null,
      vi: null,
      weight: null,
    })),
  ]
  rows.sort((a, b) => compareSiteLabels(a.site, b.site))
  return { per_site: rows, pooled: toPooled(pooled.pooled, pooled.sites.reduce((sum, s) => sum + s.n, 0)) }
}
