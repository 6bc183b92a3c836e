/**
 * Shared Vega-Lite settings for every report figure: one font, white background, readable axis
 * and title sizes. Kept in one place so that the figures look alike and the specs stay small.
 */
import type { Config } from "vega-lite"

/** The Vega-Lite JSON Schema the specs declare (an identifier only; it is never fetched). */
export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"

/** Vega-Lite `config` shared by the report figures. */
export const CHART_CONFIG: Config = {
  background: "#ffffff",
  font: "Helvetica, Arial, sans-serif",
  padding: 12,
  title: { fontSize: 14, subtitleFontSize: 11, subtitleColor: "#444444", anchor: "start", offset: 12 },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: "normal", gridColor: "#e6e6e6" },
  view: { stroke: null },
}
