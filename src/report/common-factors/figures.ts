/**
 * Figures of the common-factor breakdown (results.common_factors), drawn only when it was estimated:
 *
 * - common factors: two horizontal stacked bars. The first splits the outcome's total variance into
 *   the families' general dominance weights, the therapist share (when estimable) and the
 *   unexplained rest (together 100%); the second splits the explained variance (R²) among the
 *   families (100%). Each family keeps one colour in every figure; therapist and unexplained are
 *   neutral greys. Segments wide enough carry their percentage.
 * - Lambert comparison: for the four canonical families, this study's share of the explained
 *   variance beside Lambert's (1992) 40/30/15/15, which is a narrative heuristic and not an
 *   estimate: its bars are pale and dashed, and the chart says so in its legend and subtitle. A
 *   canonical family without data is marked "no data"; the lab's own families are not in it.
 *
 * Only aggregate shares are drawn: no client or therapist appears. Segment positions are computed
 * here (not by Vega's stack), so the specs are plain data and deterministic.
 */
import type { TopLevelSpec } from "vega-lite"
import type { CommonFactorsRecord } from "../../../data-schemas/common-factors-results.ts"
import type { Results } from "../../../data-schemas/results.ts"
import { assertFinite, formatNumber } from "../format.ts"
import { CHART_CONFIG, VEGA_LITE_SCHEMA } from "../figures/chart-config.ts"

export const COMMON_FACTORS_TITLE = "What explains the outcome: shares of variance by family of factors"
export const LAMBERT_TITLE = "Shares of explained variance beside Lambert's (1992) heuristic"

/** The four families of Lambert's heuristic, in his order, with his percentages. */
export const LAMBERT_SHARES: ReadonlyArray<{ readonly family: string; readonly percent: number }> = [
  { family: "extratherapeutic", percent: 40 },
  { family: "common", percent: 30 },
  { family: "expectancy", percent: 15 },
  { family: "techniques", percent: 15 },
]

export const STUDY_SERIES = "This study: % of explained variance"
export const LAMBERT_SERIES = "Lambert (1992): narrative heuristic, not an estimate"
export const NO_DATA = "no data"
export const TOTAL_BAR = "% of total variance"
export const ADJUSTED_TOTAL_BAR = "% of variance left after baseline"

/** What the shares divide: the outcome's total variance, or with the baseline-adjusted outcome the variance left after baseline. */
export const varianceWhole = (c: CommonFactorsRecord): string => (c.outcome === "baseline_adjusted" ? "variance left after baseline" : "total variance")
const totalBarOf = (c: CommonFactorsRecord): string => (c.outcome === "baseline_adjusted" ? ADJUSTED_TOTAL_BAR : TOTAL_BAR)
export const EXPLAINED_BAR = "% of explained variance"

const CANONICAL_LABELS: Readonly<Record<string, string>> = {
  extratherapeutic: "Extratherapeutic",
  common: "Common factors",
  expectancy: "Expectancy",
  techniques: "Techniques",
}

/** Fixed colours of the canonical families (Tableau 10), then colours for the lab's own, in order. */
const CANONICAL_COLORS: Readonly<Record<string, string>> = {
  extratherapeutic: "#4c78a8",
  common: "#f58518",
  expectancy: "#54a24b",
  techniques: "#b279a2",
}
const OTHER_COLORS = ["#e45756", "#72b7b2", "#9d755d", "#eeca3b", "#ff9da6", "#79706e", "#1f6f6f", "#8f6dbf"] as const
const THERAPIST_COLOR = "#7f7f7f"
const UNEXPLAINED_COLOR = "#d4d4d4"
/** Light fills need dark label text. */
const LIGHT_FILLS = new Set([UNEXPLAINED_COLOR, "#eeca3b", "#ff9da6", "#72b7b2"])

/** A family's name for people: the canonical ones by their usual names, others with spaces for "_". */
export const familyLabel = (family: string): string => {
  const canonical = CANONICAL_LABELS[family]
  if (canonical !== undefined) return canonical
  const words = family.replace(/_+/g, " ").trim()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** The colour of every family of the study: canonical families fixed, the others in order of entry. */
export const familyColors = (families: ReadonlyArray<string>): ReadonlyMap<string, string> => {
  let other = 0
  return new Map(families.map((f) => [f, CANONICAL_COLORS[f] ?? OTHER_COLORS[other++ % OTHER_COLORS.length] ?? THERAPIST_COLOR]))
}

/** A percentage label for a segment or bar: one decimal. */
const percentLabel = (percent: number): string => `${formatNumber(percent, 1)}%`

/** Segments narrower than this (in percentage points of the axis) carry no label. */
const MIN_LABELLED = 6

interface Segment {
  readonly bar: string
  readonly segment: string
  readonly order: number
  readonly value: number
  readonly x0: number
  readonly x1: number
  readonly mid: number
  readonly label: string
  readonly label_color: string
}

/** Lays `parts` end to end from 0 along one bar. */
const stack = (bar: string, parts: ReadonlyArray<{ readonly segment: string; readonly value: number; readonly color: string }>): Segment[] => {
  let start = 0
  return parts.map((p, order) => {
    const x0 = start
    start += p.value
    return {
      bar,
      segment: p.segment,
      order,
      value: p.value,
      x0,
      x1: start,
      mid: (x0 + start) / 2,
      label: p.value >= MIN_LABELLED ? percentLabel(p.value) : "",
      label_color: LIGHT_FILLS.has(p.color) ? "#1a202c" : "#ffffff",
    }
  })
}

/** The slices of both bars, in percent, with their colours; the first bar sums to 100 by construction. */
export const commonFactorSegments = (c: CommonFactorsRecord): ReadonlyArray<Segment> => {
  const colors = familyColors(c.families.map((f) => f.family))
  const family = (f: CommonFactorsRecord["families"][number], value: number) => ({
    segment: familyLabel(f.family),
    value: assertFinite(value, `common_factors.${f.family}`) * 100,
    color: colors.get(f.family) ?? THERAPIST_COLOR,
  })
  const therapist = c.therapist.status === "estimated" ? [{ segment: "Therapist", value: assertFinite(c.therapist.share, "therapist.share") * 100, color: THERAPIST_COLOR }] : []
  return [
    ...stack(totalBarOf(c), [
      ...c.families.map((f) => family(f, f.general_dominance)),
      ...therapist,
      { segment: "Unexplained", value: assertFinite(c.unexplained, "unexplained") * 100, color: UNEXPLAINED_COLOR },
    ]),
    ...stack(EXPLAINED_BAR, c.families.map((f) => family(f, f.share_of_explained))),
  ]
}

/** The colour scale shared by the stacked bars' legend: families in order, then therapist and unexplained. */
const segmentScale = (c: CommonFactorsRecord) => {
  const colors = familyColors(c.families.map((f) => f.family))
  const therapist = c.therapist.status === "estimated"
  return {
    domain: [...c.families.map((f) => familyLabel(f.family)), ...(therapist ? ["Therapist"] : []), "Unexplained"],
    range: [...c.families.map((f) => colors.get(f.family) ?? THERAPIST_COLOR), ...(therapist ? [THERAPIST_COLOR] : []), UNEXPLAINED_COLOR],
  }
}

/** The stacked bars of the breakdown (see the module comment). */
export const commonFactorsSpec = (c: CommonFactorsRecord): TopLevelSpec => {
  const values = commonFactorSegments(c)
  const y = { field: "bar", type: "nominal" as const, title: null, sort: [totalBarOf(c), EXPLAINED_BAR], axis: { labelFontSize: 12, labelLimit: 320, ticks: false, domain: false } }
  const x = { type: "quantitative" as const, scale: { domain: [0, 100], nice: false }, axis: { values: [0, 20, 40, 60, 80, 100] } }
  return {
    $schema: VEGA_LITE_SCHEMA,
    description: "Stacked shares of the outcome's variance: families, therapist and unexplained (top); the families' shares of the explained variance (bottom).",
    title: {
      text: COMMON_FACTORS_TITLE,
      subtitle: [
        `Top: ${c.outcome === "baseline_adjusted" ? "the variance left after baseline" : "all outcome variance"} = families (${c.outcome === "baseline_adjusted" ? "partial " : ""}R² = ${percentLabel(c.r_squared * 100)}) + ${c.therapist.status === "estimated" ? "therapists + " : ""}unexplained`,
        c.therapist.status === "estimated" ? "Bottom: the explained variance (R²) divided among the families" : "Bottom: R² divided among the families (therapist share not estimable)",
      ],
    },
    width: 560,
    height: { step: 46 },
    data: { values },
    layer: [
      {
        mark: { type: "bar", stroke: "#ffffff", strokeWidth: 0.5 },
        encoding: {
          y,
          x: { ...x, field: "x0", title: "Percent" },
          x2: { field: "x1" },
          color: { field: "segment", type: "nominal", title: null, scale: segmentScale(c), legend: { orient: "bottom", direction: "horizontal", columns: 4, labelLimit: 220, labelFontSize: 11, symbolType: "square" } },
          tooltip: [
            { field: "bar", type: "nominal", title: "Bar" },
            { field: "segment", type: "nominal", title: "Part" },
            { field: "value", type: "quantitative", title: "Percent", format: ".1f" },
          ],
        },
      },
      {
        mark: { type: "text", fontSize: 11, fontWeight: "bold", baseline: "middle", align: "center" },
        encoding: { y, x: { ...x, field: "mid", title: "Percent" }, text: { field: "label" }, color: { field: "label_color", type: "nominal", scale: null } },
      },
    ],
    config: CHART_CONFIG,
  }
}

interface LambertBar {
  readonly family: string
  readonly series: string
  readonly value: number | null
  readonly label: string
  readonly label_y: number
}

/** The bars of the Lambert comparison: per canonical family, this study's share (or none) and Lambert's. */
export const lambertBars = (c: CommonFactorsRecord): ReadonlyArray<LambertBar> =>
  LAMBERT_SHARES.flatMap(({ family, percent }) => {
    const study = c.families.find((f) => f.family === family)
    const value = study === undefined ? null : assertFinite(study.share_of_explained, `common_factors.${family}.share_of_explained`) * 100
    return [
      { family: familyLabel(family), series: STUDY_SERIES, value, label: value === null ? NO_DATA : percentLabel(value), label_y: value ?? 0 },
      { family: familyLabel(family), series: LAMBERT_SERIES, value: percent, label: `${percent}%`, label_y: percent },
    ]
  })

/** Whether the study has a canonical family to set beside Lambert's. */
export const hasLambertFamilies = (c: CommonFactorsRecord): boolean => c.families.some((f) => LAMBERT_SHARES.some((l) => l.family === f.family))

/** Grouped bars: this study's shares of explained variance beside Lambert's heuristic (see the module comment). */
export const lambertSpec = (c: CommonFactorsRecord): TopLevelSpec => {
  const values = lambertBars(c)
  const top = Math.max(...values.map((v) => v.value ?? 0))
  const families = LAMBERT_SHARES.map((l) => familyLabel(l.family))
  const colors = familyColors(LAMBERT_SHARES.map((l) => l.family))
  const x = { field: "family", type: "nominal" as const, title: null, sort: families, axis: { labelAngle: 0, labelFontSize: 12, ticks: false } }
  const xOffset = { field: "series", type: "nominal" as const, sort: [STUDY_SERIES, LAMBERT_SERIES], scale: { paddingInner: 0.1 } }
  const series = { domain: [STUDY_SERIES, LAMBERT_SERIES] }
  // the legend symbols take the bars' look: solid for this study, pale and dashed for Lambert
  const seriesLegend = {
    orient: "bottom" as const,
    direction: "vertical" as const,
    labelLimit: 520,
    labelFontSize: 11,
    symbolStrokeColor: "#4a5568",
    symbolFillColor: "#4a5568",
    symbolStrokeWidth: 1.5,
    symbolSize: 180,
    encode: { symbols: { update: { fillOpacity: { signal: `datum.value === ${JSON.stringify(LAMBERT_SERIES)} ? 0.2 : 1` } } } },
  }
  return {
    $schema: VEGA_LITE_SCHEMA,
    description: "This study's shares of the explained variance by canonical family, beside Lambert's (1992) 40/30/15/15, a narrative heuristic and not an estimate.",
    title: {
      text: LAMBERT_TITLE,
      subtitle: [
        "Solid bars: this study's estimates (general dominance weights as % of R²)",
        "Pale dashed bars: Lambert (1992), a narrative heuristic, not an estimate from data",
      ],
    },
    width: 520,
    height: 260,
    data: { values },
    layer: [
      {
        transform: [{ filter: "datum.value !== null" }],
        mark: { type: "bar", strokeWidth: 1.5 },
        encoding: {
          x,
          xOffset,
          y: { field: "value", type: "quantitative", title: "Percent", scale: { domain: [0, Math.ceil((top + 8) / 10) * 10], nice: false } },
          fill: { field: "family", type: "nominal", scale: { domain: families, range: LAMBERT_SHARES.map((l) => colors.get(l.family) ?? THERAPIST_COLOR) }, legend: null },
          stroke: { field: "family", type: "nominal", scale: { domain: families, range: LAMBERT_SHARES.map((l) => colors.get(l.family) ?? THERAPIST_COLOR) }, legend: null },
          fillOpacity: { field: "series", type: "nominal", title: null, sort: series.domain, scale: { ...series, range: [1, 0.2] }, legend: seriesLegend },
          strokeDash: { field: "series", type: "nominal", title: null, sort: series.domain, scale: { ...series, range: [[1, 0], [4, 3]] }, legend: seriesLegend },
          tooltip: [
            { field: "family", type: "nominal", title: "Family" },
            { field: "series", type: "nominal", title: "Source" },
            { field: "value", type: "quantitative", title: "Percent", format: ".1f" },
          ],
        },
      },
      {
        mark: { type: "text", fontSize: 11, baseline: "bottom", dy: -3, color: "#1a202c" },
        encoding: { x, xOffset, y: { field: "label_y", type: "quantitative" }, text: { field: "label" } },
      },
    ],
    config: CHART_CONFIG,
  }
}
