/**
 * Figure: mean improvement by bin of early alliance.
 *
 * One point per bin of early alliance (x = mean early alliance in the bin, y = mean improvement),
 * with the bin's t-based confidence interval as an error bar and its client count printed above
 * it and in the tooltip. Only the aggregated bins of `results.binned` are used — bins below
 * `min_cell` were already merged upstream — so no individual client appears in the figure.
 *
 * The spec is self-contained: data inline, fixed width and height, no external resources.
 */
import type { TopLevelSpec } from "vega-lite"
import type { Results } from "../../../data-schemas/results.ts"
import { assertFinite, formatCount, formatLevel } from "../format.ts"
import { earlyWindowLabel, signConvention } from "../statements.ts"
import { CHART_CONFIG, VEGA_LITE_SCHEMA } from "./chart-config.ts"

/** Plot area size in pixels (the SVG adds axes and titles around it). */
export const ALLIANCE_IMPROVEMENT_SIZE = { width: 520, height: 320 } as const

/** The row of inline data behind one bin. */
interface BinDatum {
  readonly bin: string
  readonly low: number
  readonly high: number
  readonly n: number
  readonly n_label: string
  readonly mean_alliance: number
  readonly mean_improvement: number
  readonly ci_low: number
  readonly ci_high: number
}

const binData = (results: Results): ReadonlyArray<BinDatum> =>
  results.binned.map((b, i) => {
    for (const [what, x] of [
      ["low", b.low],
      ["high", b.high],
      ["mean_alliance", b.mean_alliance],
      ["mean_improvement", b.mean_improvement],
      ["ci[0]", b.ci[0]],
      ["ci[1]", b.ci[1]],
    ] as const) {
      assertFinite(x, `binned[${i}].${what}`)
    }
    return {
      bin: `${String(b.low)}–${String(b.high)}`,
      low: b.low,
      high: b.high,
      n: b.n,
      n_label: `n = ${formatCount(b.n)}`,
      mean_alliance: b.mean_alliance,
      mean_improvement: b.mean_improvement,
      ci_low: b.ci[0],
      ci_high: b.ci[1],
    }
  })

/** The figure's title, naming the outcome instrument. */
export const allianceImprovementTitle = (results: Results): string =>
  `Mean ${results.settings.outcome.instrument} improvement by early alliance (${results.settings.alliance.instrument})`

/**
 * Builds the Vega-Lite spec of mean improvement by bin of early alliance from `results.binned`.
 * The x scale spans the alliance instrument's range; the subtitle states the sign convention
 * ("improvement = baseline − outcome; higher = more improvement") and the CI level.
 */
export const allianceImprovementSpec = (results: Results): TopLevelSpec => {
  const { settings } = results
  const level = formatLevel(settings.ci_level)
  const xTitle = `Early alliance (${settings.alliance.instrument}, mean of ${earlyWindowLabel(settings)})`
  const yTitle = `Mean improvement in ${settings.outcome.instrument} (points)`
  const x = () => ({
    field: "mean_alliance",
    type: "quantitative" as const,
    title: xTitle,
    scale: { domain: [settings.alliance.range[0], settings.alliance.range[1]], nice: false, zero: false },
  })
  const tooltip = [
    { field: "bin", type: "nominal", title: "Alliance bin" },
    { field: "n", type: "quantitative", title: "Clients (n)", format: ",d" },
    { field: "mean_alliance", type: "quantitative", title: "Mean early alliance", format: ".2f" },
    { field: "mean_improvement", type: "quantitative", title: "Mean improvement", format: ".2f" },
    { field: "ci_low", type: "quantitative", title: `${level} CI lower`, format: ".2f" },
    { field: "ci_high", type: "quantitative", title: `${level} CI upper`, format: ".2f" },
  ] as const
  return {
    $schema: VEGA_LITE_SCHEMA,
    description: `Mean improvement (${settings.outcome.instrument}) with ${level} confidence intervals in bins of early alliance; aggregated bins only.`,
    title: {
      text: allianceImprovementTitle(results),
      subtitle: [signConvention(settings), `Points: bin means; bars: ${level} CI; labels: clients per bin`],
    },
    width: ALLIANCE_IMPROVEMENT_SIZE.width,
    height: ALLIANCE_IMPROVEMENT_SIZE.height,
    data: { values: binData(results).map((d) => ({ ...d })) },
    layer: [
      {
        data: { values: [{ zero: 0 }] },
        mark: { type: "rule", color: "#999999", strokeDash: [4, 4] },
        encoding: { y: { field: "zero", type: "quantitative" } },
      },
      {
        mark: { type: "errorbar", ticks: { size: 8 }, rule: { strokeWidth: 1.5 }, color: "#2b6cb0" },
        encoding: {
          x: x(),
          y: { field: "ci_low", type: "quantitative", title: yTitle, scale: { zero: true } },
          y2: { field: "ci_high" },
        },
      },
      {
        mark: { type: "point", filled: true, size: 70, color: "#2b6cb0", opacity: 1 },
        encoding: {
          x: x(),
          y: { field: "mean_improvement", type: "quantitative", title: yTitle },
          tooltip: [...tooltip],
        },
      },
      {
        mark: { type: "text", dy: -10, fontSize: 10, color: "#555555", baseline: "bottom" },
        encoding: {
          x: x(),
          y: { field: "ci_high", type: "quantitative", title: yTitle },
          text: { field: "n_label", type: "nominal" },
        },
      },
    ],
    config: CHART_CONFIG,
  }
}
