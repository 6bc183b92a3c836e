/**
 * Figures of the multilevel analyses:
 *
 * - therapist effects: a caterpillar plot of the therapists' conditional modes (BLUPs) in the
 *   baseline-adjusted model with their intervals, ascending, unnamed (x is the rank only), for
 *   therapists with at least min_cell clients;
 * - within/between: the standardized coefficients of the two decompositions (therapist mean vs
 *   client deviation of early alliance; client mean vs session deviation of alliance), signed so
 *   that positive always means a better outcome, with their intervals.
 */
import type { TopLevelSpec } from "vega-lite"
import type { Results } from "../../../data-schemas/results.ts"
import { assertFinite, formatCount, formatLevel } from "../format.ts"
import { CHART_CONFIG, VEGA_LITE_SCHEMA } from "../figures/chart-config.ts"

export const CATERPILLAR_TITLE = "Therapist effects on improvement, adjusted for baseline"
export const WITHIN_BETWEEN_TITLE = "Alliance between and within: standardized associations with a better outcome"

export const caterpillarSpec = (results: Results): TopLevelSpec => {
  const t = results.multilevel.therapist_effects
  const level = formatLevel(results.settings.ci_level)
  const values = t.caterpillar.map((c, i) => ({
    rank: i + 1,
    estimate: assertFinite(c.estimate, `caterpillar[${i}].estimate`),
    lower: assertFinite(c.ci[0], `caterpillar[${i}].ci[0]`),
    upper: assertFinite(c.ci[1], `caterpillar[${i}].ci[1]`),
  }))
  const x = { field: "rank", type: "quantitative" as const, title: `Therapists, ordered by estimate (${formatCount(values.length)} shown)`, axis: { labels: false, ticks: false, grid: false } }
  const yTitle = `Therapist effect on ${results.settings.outcome.instrument} improvement (points)`
  return {
    $schema: VEGA_LITE_SCHEMA,
    description: `Conditional modes of the therapist random intercepts with ${level} intervals; therapists are not named.`,
    title: { text: CATERPILLAR_TITLE, subtitle: [`Points: predicted therapist effects (BLUPs); bars: ${level} intervals from the conditional variance`, "0 = the average therapist"] },
    width: 520,
    height: 300,
    data: { values },
    layer: [
      { data: { values: [{ zero: 0 }] }, mark: { type: "rule", color: "#999999", strokeDash: [4, 4] }, encoding: { y: { field: "zero", type: "quantitative" } } },
      { mark: { type: "rule", color: "#90cdf4", strokeWidth: 1.5 }, encoding: { x, y: { field: "lower", type: "quantitative", title: yTitle }, y2: { field: "upper" } } },
      {
        mark: { type: "point", filled: true, size: 28, color: "#2b6cb0", opacity: 1 },
        encoding: {
          x,
          y: { field: "estimate", type: "quantitative", title: yTitle },
          tooltip: [
            { field: "estimate", type: "quantitative", title: "Effect", format: ".2f" },
            { field: "lower", type: "quantitative", title: `${level} lower`, format: ".2f" },
            { field: "upper", type: "quantitative", title: `${level} upper`, format: ".2f" },
          ],
        },
      },
    ],
    config: CHART_CONFIG,
  }
}

/** The rows of the within/between figure, in display order; empty when neither model was fitted. */
export const withinBetweenRows = (results: Results) => {
  const m = results.multilevel
  // the session model's response is a symptom score: flip its sign when lower is better, so that
  // positive means a better outcome in both panels
  const flip = results.settings.outcome.direction === "lower_is_better" ? -1 : 1
  const rows: Array<{ model: string; part: string; order: number; estimate: number; lower: number; upper: number }> = []
  const add = (model: string, part: string, c: { standardized: number; standardized_ci: readonly [number, number] }, sign: number) => {
    const [a, b] = [c.standardized_ci[0] * sign, c.standardized_ci[1] * sign]
    rows.push({ model, part, order: rows.length, estimate: c.standardized * sign, lower: Math.min(a, b), upper: Math.max(a, b) })
  }
  if (m.decomposition.status === "estimated") {
    add("Early alliance → improvement", "Therapist's mean (between therapists)", m.decomposition.between, 1)
    add("Early alliance → improvement", "Client's deviation (within therapist)", m.decomposition.within, 1)
  }
  if (m.within_between.status === "estimated") {
    add("Session alliance → next session", "Client's mean (between clients)", m.within_between.between, flip)
    add("Session alliance → next session", "Session's deviation (within client)", m.within_between.within, flip)
  }
  return rows
}

export const withinBetweenSpec = (results: Results): TopLevelSpec => {
  const level = formatLevel(results.settings.ci_level)
  const values = withinBetweenRows(results)
  const y = { field: "part", type: "nominal" as const, title: null, sort: { field: "order" }, axis: { labelLimit: 400 } }
  const x = { field: "estimate", type: "quantitative" as const, title: "Standardized coefficient (positive = better outcome)" }
  return {
    $schema: VEGA_LITE_SCHEMA,
    description: `Standardized between and within coefficients of alliance with ${level} confidence intervals.`,
    title: { text: WITHIN_BETWEEN_TITLE, subtitle: [`Points: β · SD(predictor) / SD(outcome); bars: ${level} CI (Satterthwaite df)`] },
    width: 360,
    height: 180,
    data: { values },
    layer: [
      { data: { values: [{ zero: 0 }] }, mark: { type: "rule", color: "#999999", strokeDash: [4, 4] }, encoding: { x: { field: "zero", type: "quantitative" } } },
      { mark: { type: "rule", strokeWidth: 2 }, encoding: { y, x: { field: "lower", type: "quantitative", title: x.title }, x2: { field: "upper" }, color: { field: "model", type: "nominal", title: "Model" } } },
      {
        mark: { type: "point", filled: true, size: 80, opacity: 1 },
        encoding: {
          y,
          x,
          color: { field: "model", type: "nominal", title: "Model", legend: { orient: "bottom", direction: "vertical", labelLimit: 400 } },
          tooltip: [
            { field: "part", type: "nominal", title: "Part" },
            { field: "estimate", type: "quantitative", title: "Standardized", format: ".3f" },
            { field: "lower", type: "quantitative", title: `${level} lower`, format: ".3f" },
            { field: "upper", type: "quantitative", title: `${level} upper`, format: ".3f" },
          ],
        },
      },
    ],
    config: CHART_CONFIG,
  }
}
