/**
 * Site-level synthesis: the primary correlation within each site, and the sites pooled by a
 * random-effects meta-analysis on Fisher z (metafor escalc "ZCOR": yi = atanh(r), vi = 1/(n − 3);
 * REML τ²), back-transformed to r. This is the two-stage individual-participant approach of
 * Flückiger et al. (2020): stage 1 per site, stage 2 random effects.
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

export const synthesiseSites = (
  site: Factor | null,
  derived: DerivedClients,
  settings: AnalysisSettings,
): SiteSynthesis | null => {
  if (site === null) return null
  const alliance = derived.early.get("alliance")
  if (alliance === undefined) return null

  // Stage 1: the analysed clients of each site; sites are listed in natural order of their codes.
  const members = membersBySite(site, derived.analysed)
  const order = site.levels
    .map((label, code) => ({ label, code }))
    .sort((a, b) => a.label.localeCompare(b.label, "en", { numeric: true }))
  const stage1 = order.map(({ label, code }) => {
    const rows = members(code)
    const correlation = pearsonTest(take(alliance, rows), take(derived.improvement, rows), { level: settings.level })
    const n = rows.length
    let excludedBecause: string | null = null
    if (n < settings.minSiteN) excludedBecause = `fewer than ${settings.minSiteN} analysed clients (n = ${n})`
    else if (correlation.status !== "estimated") excludedBecause = correlation.reason
    else if (Math.abs(correlation.estimate) >= 1) excludedBecause = "the site's correlation is ±1, so its Fisher z is infinite"
    return { site: label, n, correlation, excludedBecause }
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
