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
import type { Results } from "../../../data-schemas/results.ts"
import { assertFinite, formatCi, formatCount, formatLevel, formatPercent, formatR } from "../format.ts"
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

const siteRows = (sites: Sites): ReadonlyArray<ForestRow> =>
  sites.per_site.map((s, i): ForestRow => {
    const label = s.merged_from === null ? `Site ${s.site} (n = ${formatCount(s.n)})` : `Sites ${s.merged_from.join(", ")}, merged (n = ${formatCount(s.n)})`
    const c = s.correlation
    if (c.status === "not_estimable") return { label, kind: "not_estimable", text: "r not estimable", n: s.n }
    const ci = `${formatR(c.estimate)} ${formatCi(c.ci)}`
    const base = {
      label,
      n: s.n,
      r: finite(c.estimate, `per_site[${i}].r`),
      ci_low: finite(c.ci[0], `per_site[${i}].ci[0]`),
      ci_high: finite(c.ci[1], `per_site[${i}].ci[1]`),
    }
    if (!s.pooled || s.weight === null) return { ...base, kind: "not_pooled", text: `${ci}  not pooled` }
    return { ...base, kind: "site", text: `${ci}  ${formatPercent(s.weight)}`, weight: finite(s.weight, `per_site[${i}].weight`) }
  })

const pooledRows = (sites: Sites, ciLevel: number): ReadonlyArray<ForestRow> => {
  const p = sites.pooled
  if (p.status === "not_estimable") return []
  const level = formatLevel(ciLevel)
  return [
    {
      label: `Pooled (k = ${formatCount(p.k)})`,
      kind: "pooled",
      text: `${formatR(p.estimate)} ${formatCi(p.ci)}  100%`,
      n: p.n,
      r: finite(p.estimate, "pooled.estimate"),
      ci_low: finite(p.ci[0], "pooled.ci[0]"),
      ci_high: finite(p.ci[1], "pooled.ci[1]"),
    },
    {
      label: `${level} prediction int.`,
      kind: "prediction",
      text: `PI ${formatCi(p.pi)}`,
      n: p.n,
      r: finite(p.estimate, "pooled.estimate"),
      ci_low: finite(p.pi[0], "pooled.pi[0]"),
      ci_high: finite(p.pi[1], "pooled.pi[1]"),
    },
  ]
}

/** The x-axis domain: every interval, 0 and the literature reference, widened to fifths, within [−1, 1]. */
const xDomain = (rows: ReadonlyArray<ForestRow>): [number, number] => {
  const lows = rows.flatMap((r) => (r.ci_low === undefined ? [] : [r.ci_low]))
  const highs = rows.flatMap((r) => (r.ci_high === undefined ? [] : [r.ci_high]))
  const lo = Math.min(0, ...lows)
  const hi = Math.max(LITERATURE_REFERENCE.estimate, ...highs)
  return [Math.max(-1, Math.floor(lo * 5 - 1e-9) / 5), Math.min(1, Math.ceil(hi * 5 + 1e-9) / 5)]
}

/** The forest plot's title. */
export const FOREST_PLOT_TITLE = "Alliance–outcome correlation by site"

const subtitle = (sites: Sites, ciLevel: number): ReadonlyArray<string> => {
  const p = sites.pooled
  const level = formatLevel(ciLevel)
  const first =
    p.status === "estimated"
      ? `Random effects (${p.method}): ${heterogeneityLabel(p)}; CI: ${p.test === "knha" ? "Knapp–Hartung" : "z test"}`
      : `Pooled estimate not estimable: ${p.reason}`
  return [
    first,
    "r > 0: stronger early alliance, more improvement",
    p.status === "estimated"
      ? `■ site (area ∝ weight)  □ not pooled  ◆ pooled r, ${level} CI  - - ${level} prediction interval`
      : "■ site (area ∝ weight)  □ not pooled",
    `Solid line: r = 0; dotted: ${LITERATURE_REFERENCE.label}, r = ${formatR(LITERATURE_REFERENCE.estimate, 3)}`,
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

/** The forest plot of any per-site correlations and their pool (`pool` draws one per analysis). */
export const forestPlotOf = (sites: Sites, ciLevel: number, titleText: string): TopLevelSpec => {
  const rows = [...siteRows(sites), ...pooledRows(sites, ciLevel)]
  const labels = rows.map((r) => r.label)
  const height = Math.max(1, rows.length) * FOREST_PLOT_SIZE.rowHeight
  const maxWeight = Math.max(1, ...rows.flatMap((r) => (r.weight === undefined ? [] : [r.weight])))
  const level = formatLevel(ciLevel)
  const y = { field: "label", type: "nominal" as const, sort: labels, title: null, axis: { labelLimit: 180 } }
  const domain = xDomain(rows)
  const x = (field = "r") => ({
    field,
    type: "quantitative" as const,
    title: "Correlation r (early alliance, improvement)",
    scale: { domain: [...domain], nice: false, zero: false },
    axis: { format: ".1f" },
  })
  const tooltip = [
    { field: "label", type: "nominal", title: "Row" },
    { field: "text", type: "nominal", title: `r [${level} CI] / weight` },
  ] as const
  return {
    $schema: VEGA_LITE_SCHEMA,
    description: "Forest plot of per-site alliance–outcome correlations with the random-effects pooled estimate.",
    title: { text: titleText, subtitle: [...subtitle(sites, ciLevel)] },
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
          {
            data: { values: [{ r: LITERATURE_REFERENCE.estimate }] },
            mark: { type: "rule", color: "#8a8a8a", strokeDash: [1, 3], strokeWidth: 1.5 },
            encoding: { x: x() },
          },
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
        title: { text: `r [${level} CI], weight`, fontSize: 11, fontWeight: "bold", anchor: "start" },
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
