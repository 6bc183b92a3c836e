/**
 * Site-level synthesis: the primary correlation within each site, and the sites pooled by a
 * random-effects meta-analysis on Fisher z (metafor escalc "ZCOR": yi = atanh(r), vi = 1/(n − 3);
 * REML τ²), back-transformed to r. This is the two-stage individual-participant approach of
 * Flückiger et al. (2020): stage 1 per site, stage 2 random effects.
 *
 * Disclosure control (issue 8): sites with fewer than k analysed clients (privacy.k) are merged
 * into one pseudo-site before stage 1, as multicentre trials combine small centres (ICH E9,
 * §3.2); while the merged group has fewer than k clients, the smallest other site joins it. So no
 * site's row, and no site's n, describes fewer than k clients, and k changes the pooled estimate
 * only when the study has such small sites.
 */
import { pearsonTest } from "../stats/correlation/pearson.ts"
import { escalcZcor } from "../stats/meta-analysis/escalc-zcor.ts"
import { rmaUni, type RmaUniResult } from "../stats/meta-analysis/rma-uni.ts"
import type { CorrelationTest, NotEstimable } from "../stats/types.ts"
import { notEstimable } from "../stats/types.ts"
import type { Factor } from "../data/study-data.ts"
import { take } from "../derive/select.ts"
import type { DerivedClients } from "./derive-clients.ts"
import type { AnalysisSettings } from "./settings.ts"

export interface SiteEstimate {
  readonly site: string
  /** the sites merged into this row (privacy.k); null for a site of its own */
  readonly mergedFrom: ReadonlyArray<string> | null
  readonly n: number
  readonly correlation: CorrelationTest | NotEstimable
  /** why the site was left out of pooling; null when pooled */
  readonly excludedBecause: string | null
  readonly yi: number | null
  readonly vi: number | null
  /** percent weight in the random-effects model */
  readonly weight: number | null
}

export interface SiteSynthesis {
  readonly sites: ReadonlyArray<SiteEstimate>
  readonly pooled: RmaUniResult | NotEstimable
  /** total analysed clients in the pooled sites */
  readonly pooledN: number
}

/** Site labels in natural order: S2 before S10 (the order of every per-site list). */
export const compareSiteLabels = (a: string, b: string): number => a.localeCompare(b, "en", { numeric: true })

/**
 * The rows of each site among `rows` (in their order), grouped by a counting sort:
 * `members(code)` is a view of one array, not a copy.
 */
const membersBySite = (site: Factor, rows: Int32Array): ((code: number) => Int32Array) => {
  const starts = new Int32Array(site.levels.length + 1)
  for (let j = 0; j < rows.length; j++) {
    const code = site.codes[rows[j]!]!
    if (code >= 0) starts[code + 1]!++
  }
  for (let code = 0; code < site.levels.length; code++) starts[code + 1]! += starts[code]!
  const next = starts.slice(0, site.levels.length)
  const grouped = new Int32Array(starts[site.levels.length]!)
  for (let j = 0; j < rows.length; j++) {
    const code = site.codes[rows[j]!]!
    if (code >= 0) grouped[next[code]!++] = rows[j]!
  }
  return (code) => grouped.subarray(starts[code]!, starts[code + 1]!)
}

interface SiteUnit {
  readonly label: string
  readonly rows: Int32Array
  readonly mergedFrom: ReadonlyArray<string> | null
}

/**
 * Sites with 1 to k − 1 analysed clients, merged into one unit (with the smallest other sites
 * while it has fewer than k); sites with none stay as they are (0 is not disclosive).
 */
export const mergeSmallSites = (sites: ReadonlyArray<{ readonly label: string; readonly rows: Int32Array }>, k: number): SiteUnit[] => {
  const small = sites.filter((s) => s.rows.length >= 1 && s.rows.length < k)
  if (small.length === 0) return sites.map((s) => ({ ...s, mergedFrom: null }))
  const merged = new Set(small)
  const bySize = sites.filter((s) => !merged.has(s) && s.rows.length > 0).sort((a, b) => a.rows.length - b.rows.length)
  const size = () => [...merged].reduce((n, s) => n + s.rows.length, 0)
  while (size() < k && bySize.length > 0) merged.add(bySize.shift()!)
  const labels = sites.filter((s) => merged.has(s)).map((s) => s.label)
  const rows = Int32Array.from(sites.filter((s) => merged.has(s)).flatMap((s) => [...s.rows]))
  return [
    ...sites.filter((s) => !merged.has(s)).map((s) => ({ ...s, mergedFrom: null })),
    { label: `merged: ${labels.join(", ")}`, rows, mergedFrom: labels },
  ]
}

export const synthesiseSites = (
  site: Factor | null,
  derived: DerivedClients,
  settings: Pick<AnalysisSettings, "level" | "minSiteN" | "poolingMethod" | "poolingTest" | "privacy">,
): SiteSynthesis | null => {
  if (site === null) return null
  const alliance = derived.early.get("alliance")
  if (alliance === undefined) return null

  // Stage 1: the analysed clients of each site; sites are listed in natural order of their codes,
  // with the small sites merged (listed last)
  const members = membersBySite(site, derived.analysed)
  const order = site.levels
    .map((label, code) => ({ label, code, rows: members(code) }))
    .sort((a, b) => compareSiteLabels(a.label, b.label))
  const units = mergeSmallSites(order, settings.privacy.k)
  const stage1 = units.map(({ label, rows, mergedFrom }) => {
    const correlation = pearsonTest(take(alliance, rows), take(derived.improvement, rows), { level: settings.level })
    const n = rows.length
    let excludedBecause: string | null = null
    if (n < settings.minSiteN) excludedBecause = `fewer than ${settings.minSiteN} analysed clients (n = ${n})`
    else if (correlation.status !== "estimated") excludedBecause = correlation.reason
    else if (Math.abs(correlation.estimate) >= 1) excludedBecause = "the site's correlation is ±1, so its Fisher z is infinite"
    return { site: label, mergedFrom, n, correlation, excludedBecause }
  })

  // Stage 2: random-effects pooling of the included sites.
  const included = stage1.filter((s) => s.excludedBecause === null)
  const effects = included.map((s) => escalcZcor((s.correlation as CorrelationTest).estimate, s.n))
  const pooled =
    included.length >= 2
      ? rmaUni(
          effects.map((e) => e.yi),
          effects.map((e) => e.vi),
          { method: settings.poolingMethod, test: settings.poolingTest, level: settings.level },
        )
      : notEstimable(included.length, `pooling needs at least 2 sites with ${settings.minSiteN} or more analysed clients; ${included.length} qualified`)

  let j = 0
  const sites = stage1.map((s): SiteEstimate => {
    if (s.excludedBecause !== null) return { ...s, yi: null, vi: null, weight: null }
    const effect = effects[j]!
    const weight = pooled.status === "estimated" ? (pooled.weights[j] ?? null) : null
    j++
    return { ...s, yi: effect.yi, vi: effect.vi, weight }
  })
  return { sites, pooled, pooledN: included.reduce((sum, s) => sum + s.n, 0) }
}
