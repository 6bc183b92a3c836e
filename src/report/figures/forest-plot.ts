/**
 * Figure: forest plot of the per-site alliance–outcome correlations and their random-effects pool.
 *
 * Rows, top to bottom: every site in `results.sites.per_site` (pooled sites as filled squares with
 * area proportional to their random-effects weight; sites left out of the pool as hollow grey
 * squares, or a note when their r was not estimable), then the pooled estimate (diamond with its
 * CI as a thick bar) and the prediction interval (dashed bar) on its own row. A vertical rule marks
 * r = 0 and a dotted rule the literature reference (Flückiger et al. 2018, r = .278). The
 * subtitle carries k, τ², I² and the CI method; a text column repeats each row's r [CI] and weight.
 */
import type { TopLevelSpec } from "vega-lite"
import type { PooledSites } from "../../../data-schemas/pooled-sites.ts"
import type { Results } from "../../../data-schemas/results.ts"
import { assertFinite, formatCi, formatCount, formatLevel, formatNumber, formatPercent, formatR } from "../format.ts"
import { heterogeneityLabel, LITERATURE_REFERENCE } from "../statements.ts"
import { CHART_CONFIG, VEGA_LITE_SCHEMA } from "./chart-config.ts"

/** Width of the plot panel and of the text column, and the height of one row, in pixels. */
export const FOREST_PLOT_SIZE = { width: 420, textWidth: 210, rowHeight: 26 } as const

type RowKind = "site" | "not_pooled" | "not_estimable" | "pooled" | "prediction"

interface ForestRow {
  readonly label: string
  readonly kind: RowKind
  readonly text: string
  readonly n: number
  readonly r?: number
  readonly ci_low?: number
  readonly ci_high?: number
  readonly weight?: number
}

const finite = (x: number, what: string): number => assertFinite(x, what)

/** What a forest plot draws: sites and their pool, as results.json's `sites` holds them. */
type Sites = Results["sites"]

/** A site's row label; a site that shared no count (n = 0 and not pooled, from `pool`) is labelled "fewer than k" when that is why, else "not shared". */
const siteLabel = (s: Sites["per_site"][number], k: number | null): string => {
  if (s.merged_from !== null) return `Sites ${s.merged_from.join(", ")}, merged (n = ${formatCount(s.n)})`
  // a site that shared no count: by the reason it gave (the site's own summary), without a number
  if (k !== null && s.n === 0 && !s.pooled) {
    const tooFew = new RegExp(`^(the site has )?fewer than ${k}\\b`).test(s.note ?? "")
    return `Site ${s.site} (${tooFew ? `fewer than ${formatCount(k)}` : "not shared"})`
  }
  return `Site ${s.site} (n = ${formatCount(s.n)})`
}

/** Formats an estimate (r, or a coefficient) for the text column. */
type Format = (x: number) => string

/** A site's row: its estimate and interval (null: not estimable, `missing` its text), square sized by weight when pooled. */
const siteRow = (
  i: number,
  s: { readonly label: string; readonly n: number; readonly estimate: number | null; readonly ci: readonly [number, number] | null; readonly pooled: boolean; readonly weight: number | null },
  format: Format,
  missing: string,
): ForestRow => {
  if (s.estimate === null || s.ci === null) return { label: s.label, kind: "not_estimable", text: missing, n: s.n }
  const ci = `${format(s.estimate)} ${formatCi(s.ci, format)}`
  const base = {
    label: s.label,
    n: s.n,
    r: finite(s.estimate, `per_site[${i}].r`),
    ci_low: finite(s.ci[0], `per_site[${i}].ci[0]`),
    ci_high: finite(s.ci[1], `per_site[${i}].ci[1]`),
  }
  if (!s.pooled || s.weight === null) return { ...base, kind: "not_pooled", text: `${ci}  not pooled` }
  return { ...base, kind: "site", text: `${ci}  ${formatPercent(s.weight)}`, weight: finite(s.weight, `per_site[${i}].weight`) }
}

const siteRows = (sites: Sites, k: number | null): ReadonlyArray<ForestRow> =>
  sites.per_site.map((s, i) => {
    const c = s.correlation
    const estimated = c.status === "estimated"
    return siteRow(i, { label: siteLabel(s, k), n: s.n, estimate: estimated ? c.estimate : null, ci: estimated ? c.ci : null, pooled: s.pooled, weight: s.weight }, formatR, "r not estimable")
  })

/** The pooled estimate (diamond, its CI) and its prediction interval, as two rows; none when not estimable. */
const pooledRows = (
  p: { readonly status: "not_estimable" } | { readonly status: "estimated"; readonly k: number; readonly n: number; readonly estimate: number; readonly ci: readonly [number, number]; readonly pi: readonly [number, number] },
  ciLevel: number,
  format: Format = formatR,
): ReadonlyArray<ForestRow> => {
  if (p.status === "not_estimable") return []
  const level = formatLevel(ciLevel)
  return [
    {
      label: `Pooled (k = ${formatCount(p.k)})`,
      kind: "pooled",
      text: `${format(p.estimate)} ${formatCi(p.ci, format)}  100%`,
      n: p.n,
      r: finite(p.estimate, "pooled.estimate"),
      ci_low: finite(p.ci[0], "pooled.ci[0]"),
      ci_high: finite(p.ci[1], "pooled.ci[1]"),
    },
    {
      label: `${level} prediction int.`,
      kind: "prediction",
      text: `PI ${formatCi(p.pi, format)}`,
      n: p.n,
      r: finite(p.estimate, "pooled.estimate"),
      ci_low: finite(p.pi[0], "pooled.pi[0]"),
      ci_high: finite(p.pi[1], "pooled.pi[1]"),
    },
  ]
}

/** The x-axis domain: every interval, 0 and the literature reference (if drawn), widened to fifths, within [−1, 1]. */
const xDomain = (rows: ReadonlyArray<ForestRow>, reference: number | null = LITERATURE_REFERENCE.estimate): [number, number] => {
  const lows = rows.flatMap((r) => (r.ci_low === undefined ? [] : [r.ci_low]))
  const highs = rows.flatMap((r) => (r.ci_high === undefined ? [] : [r.ci_high]))
  const lo = Math.min(0, ...lows)
  const hi = Math.max(reference ?? 0, ...highs)
  return [Math.max(-1, Math.floor(lo * 5 - 1e-9) / 5), Math.min(1, Math.ceil(hi * 5 + 1e-9) / 5)]
}

/** The forest plot's title. */
export const FOREST_PLOT_TITLE = "Alliance–outcome correlation by site"

const subtitle = (sites: Sites, ciLevel: number, predictor: string | null): ReadonlyArray<string> => {
  const p = sites.pooled
  const level = formatLevel(ciLevel)
  const first =
    p.status === "estimated"
      ? `Random effects (${p.method}): ${heterogeneityLabel(p)}; CI: ${p.test === "knha" ? "Knapp–Hartung" : "z test"}`
      : `Pooled estimate not estimable: ${p.reason}`
  return [
    first,
    predictor === null ? "r > 0: stronger early alliance, more improvement" : `r > 0: higher ${predictor}, more improvement`,
    p.status === "estimated"
      ? `■ site (area ∝ weight)  □ not pooled  ◆ pooled r, ${level} CI  - - ${level} prediction interval`
      : "■ site (area ∝ weight)  □ not pooled",
    ...(predictor === null ? [`Solid line: r = 0; dotted: ${LITERATURE_REFERENCE.label}, r = ${formatR(LITERATURE_REFERENCE.estimate, 3)}`] : []),
  ]
}

const only = (...kinds: ReadonlyArray<RowKind>) => ({
  filter: { field: "kind", oneOf: [...kinds] },
})

/**
 * Builds the Vega-Lite forest-plot spec from `results.sites` (per-site r with CI, weights, pooled
 * estimate, prediction interval, heterogeneity). Sites that were not pooled stay in the plot,
 * marked as such; a not-estimable pooled estimate shows its reason in the subtitle.
 */
export const forestPlotSpec = (results: Results): TopLevelSpec => forestPlotOf(results.sites, results.settings.ci_level, FOREST_PLOT_TITLE)

/**
 * The forest plot of per-site correlations and their pool (`pool` draws one per analysis).
 * Options: `k` (pool's disclosure threshold) labels a site that shared no count "fewer than k";
 * `predictor` names another variable than early alliance (a common factor), for which the
 * literature's alliance reference is not drawn.
 */
export const forestPlotOf = (
  sites: Sites,
  ciLevel: number,
  titleText: string,
  options: { readonly k?: number; readonly predictor?: string } = {},
): TopLevelSpec => {
  const predictor = options.predictor ?? null
  const reference = predictor === null ? LITERATURE_REFERENCE.estimate : null
  const rows = [...siteRows(sites, options.k ?? null), ...pooledRows(sites.pooled, ciLevel)]
  return forestSpec(rows, {
    title: titleText,
    subtitle: subtitle(sites, ciLevel, predictor),
    description:
      predictor === null
        ? "Forest plot of per-site alliance–outcome correlations with the random-effects pooled estimate."
        : `Forest plot of per-site correlations of ${predictor} with improvement, with the random-effects pooled estimate.`,
    axisTitle: `Correlation r (${predictor ?? "early alliance"}, improvement)`,
    axisFormat: ".1f",
    domain: xDomain(rows, reference),
    dottedRule: reference,
    textTitle: `r [${formatLevel(ciLevel)} CI], weight`,
    tooltipTitle: `r [${formatLevel(ciLevel)} CI] / weight`,
  })
}

/** What differs between forest plots of one scale and another. */
interface ForestOptions {
  readonly title: string
  readonly subtitle: ReadonlyArray<string>
  readonly description: string
  readonly axisTitle: string
  readonly axisFormat: string
  readonly domain: readonly [number, number]
  /** a dotted reference line (the literature's r), or null */
  readonly dottedRule: number | null
  readonly textTitle: string
  readonly tooltipTitle: string
}

/** The Vega-Lite spec of forest rows (the estimate in field `r`, whatever its scale). */
const forestSpec = (rows: ReadonlyArray<ForestRow>, o: ForestOptions): TopLevelSpec => {
  const labels = rows.map((r) => r.label)
  const height = Math.max(1, rows.length) * FOREST_PLOT_SIZE.rowHeight
  const maxWeight = Math.max(1, ...rows.flatMap((r) => (r.weight === undefined ? [] : [r.weight])))
  const y = { field: "label", type: "nominal" as const, sort: labels, title: null, axis: { labelLimit: 180 } }
  const x = (field = "r") => ({
    field,
    type: "quantitative" as const,
    title: o.axisTitle,
    scale: { domain: [...o.domain], nice: false, zero: false },
    axis: { format: o.axisFormat },
  })
  const tooltip = [
    { field: "label", type: "nominal", title: "Row" },
    { field: "text", type: "nominal", title: o.tooltipTitle },
  ] as const
  return {
    $schema: VEGA_LITE_SCHEMA,
    description: o.description,
    title: { text: o.title, subtitle: [...o.subtitle] },
    data: { values: rows.map((r) => ({ ...r })) },
    hconcat: [
      {
        width: FOREST_PLOT_SIZE.width,
        height,
        layer: [
          {
            data: { values: [{ r: 0 }] },
            mark: { type: "rule", color: "#333333", strokeWidth: 1 },
            encoding: { x: x() },
          },
          ...(o.dottedRule === null
            ? []
            : [
                {
                  data: { values: [{ r: o.dottedRule }] },
                  mark: { type: "rule" as const, color: "#8a8a8a", strokeDash: [1, 3], strokeWidth: 1.5 },
                  encoding: { x: x() },
                },
              ]),
          {
            transform: [only("site")],
            mark: { type: "rule", color: "#4a5568", strokeWidth: 1.5 },
            encoding: { y, x: x("ci_low"), x2: { field: "ci_high" } },
          },
          {
            transform: [only("not_pooled")],
            mark: { type: "rule", color: "#a0a0a0", strokeWidth: 1 },
            encoding: { y, x: x("ci_low"), x2: { field: "ci_high" } },
          },
          {
            transform: [only("site")],
            mark: { type: "square", filled: true, color: "#2b6cb0", opacity: 1 },
            encoding: {
              y,
              x: x(),
              size: { field: "weight", type: "quantitative", scale: { domain: [0, maxWeight], range: [0, 320] }, legend: null },
              tooltip: [...tooltip],
            },
          },
          {
            transform: [only("not_pooled")],
            mark: { type: "square", filled: false, color: "#8a8a8a", size: 60, strokeWidth: 1.5 },
            encoding: { y, x: x(), tooltip: [...tooltip] },
          },
          {
            transform: [only("pooled")],
            mark: { type: "rule", color: "#c05621", strokeWidth: 3 },
            encoding: { y, x: x("ci_low"), x2: { field: "ci_high" } },
          },
          {
            transform: [only("pooled")],
            mark: { type: "point", shape: "diamond", filled: true, color: "#c05621", size: 260, opacity: 1 },
            encoding: { y, x: x(), tooltip: [...tooltip] },
          },
          {
            transform: [only("prediction")],
            mark: { type: "errorbar", ticks: { size: 10 }, rule: { strokeDash: [5, 3], strokeWidth: 1.5 }, color: "#c05621" },
            encoding: { y, x: x("ci_low"), x2: { field: "ci_high" } },
          },
        ],
      },
      {
        width: FOREST_PLOT_SIZE.textWidth,
        height,
        title: { text: o.textTitle, fontSize: 11, fontWeight: "bold", anchor: "start" },
        mark: { type: "text", align: "left", fontSize: 11, color: "#222222" },
        encoding: {
          y: { ...y, axis: null },
          text: { field: "text", type: "nominal" },
          x: { value: 0 },
        },
      },
    ],
    resolve: { scale: { y: "shared" } },
    config: CHART_CONFIG,
  }
}

type CoefficientAnalysis = PooledSites["multilevel"]["coefficients"][number]

const coefficient: Format = (x) => formatNumber(x, 2)

/** A domain around every interval and 0, widened by a twentieth on each side (coefficients have no natural bounds). */
const paddedDomain = (rows: ReadonlyArray<ForestRow>): [number, number] => {
  const values = rows.flatMap((r) => (r.ci_low === undefined || r.ci_high === undefined ? [] : [r.ci_low, r.ci_high]))
  const lo = Math.min(0, ...values)
  const hi = Math.max(0, ...values)
  const pad = (hi - lo) / 20 || 1
  return [lo - pad, hi + pad]
}

/**
 * The forest plot of a multilevel coefficient pooled over sites (`pool`): each site's estimate
 * with its own t interval (Satterthwaite df), the random-effects pool and its prediction interval.
 */
export const coefficientForestPlot = (analysis: CoefficientAnalysis, ciLevel: number): TopLevelSpec => {
  const level = formatLevel(ciLevel)
  const p = analysis.pooled
  const sites = analysis.per_site.map((s, i) =>
    siteRow(i, { ...s, label: s.estimate === null ? `Site ${s.site} (not shared)` : `Site ${s.site} (n = ${formatCount(s.n ?? 0)})`, n: s.n ?? 0 }, coefficient, "not shared"),
  )
  const pooled = pooledRows(p, ciLevel, coefficient)
  const rows = [...sites, ...pooled]
  return forestSpec(rows, {
    title: analysis.label,
    subtitle: [
      p.status === "estimated"
        ? `Random effects (${p.method}) on the sites' coefficients: ${heterogeneityLabel(p)}; CI: ${p.test === "knha" ? "Knapp–Hartung" : "z test"}`
        : `Pooled estimate not estimable: ${p.reason}`,
      "Unstandardized coefficient; each site's interval from its own t test (Satterthwaite df)",
      p.status === "estimated" ? `■ site (area ∝ weight)  □ not pooled  ◆ pooled, ${level} CI  - - ${level} prediction interval` : "■ site (area ∝ weight)  □ not pooled",
    ],
    description: `Forest plot of the per-site coefficient (${analysis.coefficient}) with the random-effects pooled estimate.`,
    axisTitle: "Coefficient (unstandardized)",
    axisFormat: ".2f",
    domain: paddedDomain(rows),
    dottedRule: null,
    textTitle: `b [${level} CI], weight`,
    tooltipTitle: `b [${level} CI] / weight`,
  })
}
