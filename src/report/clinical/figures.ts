/**
 * Figures of the clinical section (results.clinical), each drawn only when it has data:
 *
 * - alliance trajectories: the median alliance at each session (line) and its interquartile range
 *   (band) for each Jacobson–Truax outcome category, one colour per category, on the alliance
 *   measure's full range;
 * - rupture markers: the share of session-to-session transitions with a rupture at each session,
 *   as lollipops from zero, with the overall rate as a dashed line — when ruptures happen;
 * - Jacobson–Truax: intake × end scores as a binned heat map (colour = clients per square), with
 *   the no-change diagonal, the reliable-change band around it and the clinical cut-off on both
 *   axes, on the outcome measure's full range.
 *
 * Only aggregates are drawn — medians and quartiles, rates, counts per square — and cells with
 * fewer than min_cell clients have already been left out of results.json. Line segments are
 * computed here, clipped to the axes, so the specs are plain data and deterministic.
 */
import type { TopLevelSpec } from "vega-lite"
import type { ClinicalResults } from "../../../data-schemas/clinical-results.ts"
import type { Results } from "../../../data-schemas/results.ts"
import { assertFinite, formatCount, formatNumber, formatPercent } from "../format.ts"
import { CHART_CONFIG, VEGA_LITE_SCHEMA } from "../figures/chart-config.ts"
import type { FigureDefinition } from "../render-report.ts"
import { points } from "./html-process.ts"

type Ruptures = Extract<ClinicalResults["ruptures"], { status: "estimated" }>

export const TRAJECTORIES_TITLE = "Alliance across sessions by clinical outcome"
export const RUPTURE_MARKERS_TITLE = "When ruptures happen: rupture rate by session"
export const JACOBSON_TRUAX_TITLE = "Intake and end scores: reliable and clinically significant change"

/** Fixed colours of the outcome categories (Tableau 10), then colours for other labels, in order. */
export const CATEGORY_COLORS: Readonly<Record<string, string>> = {
  recovered: "#54a24b",
  improved: "#4c78a8",
  unchanged: "#9d755d",
  deteriorated: "#e45756",
}
const OTHER_COLORS = ["#b279a2", "#f58518", "#72b7b2", "#79706e"] as const

export const NO_CHANGE = "No change"
export const reliableChangeLine = (p: number) => `Reliable change: ± ${points(p)} points`
export const cutOffLine = (c: number) => `Clinical cut-off: ${points(c)}`

/** The categories of the trajectories in display order: the four known ones first, others as they come. */
export const trajectoryCategories = (c: ClinicalResults): ReadonlyArray<string> => {
  const present = [...new Set(c.trajectories.map((t) => t.category))]
  const known = Object.keys(CATEGORY_COLORS).filter((k) => present.includes(k))
  return [...known, ...present.filter((p) => !(p in CATEGORY_COLORS))]
}

/** Median and IQR of alliance by session, one colour per outcome category (see the module comment). */
export const trajectoriesSpec = (results: Results): TopLevelSpec => {
  const s = results.settings
  const values = results.clinical.trajectories.map((t, i) => ({
    category: t.category,
    session: t.session,
    n: t.n,
    median: assertFinite(t.median, `trajectories[${i}].median`),
    q1: assertFinite(t.q1, `trajectories[${i}].q1`),
    q3: assertFinite(t.q3, `trajectories[${i}].q3`),
  }))
  const domain = trajectoryCategories(results.clinical)
  let other = 0
  const color = {
    field: "category",
    type: "nominal" as const,
    title: "Outcome category",
    scale: { domain: [...domain], range: domain.map((d) => CATEGORY_COLORS[d] ?? OTHER_COLORS[other++ % OTHER_COLORS.length] ?? "#79706e") },
    legend: { orient: "bottom" as const, direction: "horizontal" as const, labelLimit: 220, symbolType: "square", symbolOpacity: 1 },
  }
  const sessions = values.map((v) => v.session)
  const x = {
    field: "session",
    type: "quantitative" as const,
    title: "Session",
    scale: { domain: [Math.min(...sessions), Math.max(...sessions)], nice: false, zero: false },
    axis: { format: "d", tickMinStep: 1 },
  }
  const yScale = { domain: [s.alliance.range[0], s.alliance.range[1]], nice: false, zero: false }
  const yTitle = `${s.alliance.instrument} alliance`
  return {
    $schema: VEGA_LITE_SCHEMA,
    description: "Median alliance and interquartile range at each session, by Jacobson–Truax outcome category; aggregates only.",
    title: { text: TRAJECTORIES_TITLE, subtitle: [`Lines: median ${s.alliance.instrument} at each session; bands: interquartile range`, `Sessions with fewer than ${formatCount(s.min_cell)} ratings in a category are left out`] },
    width: 520,
    height: 280,
    data: { values },
    layer: [
      { mark: { type: "area", opacity: 0.14 }, encoding: { x, y: { field: "q1", type: "quantitative", title: yTitle, scale: yScale }, y2: { field: "q3" }, color } },
      {
        mark: { type: "line", strokeWidth: 2, point: { filled: true, size: 24 } },
        encoding: {
          x,
          y: { field: "median", type: "quantitative", title: yTitle, scale: yScale },
          color,
          tooltip: [
            { field: "category", type: "nominal", title: "Category" },
            { field: "session", type: "quantitative", title: "Session" },
            { field: "n", type: "quantitative", title: "Ratings" },
            { field: "median", type: "quantitative", title: "Median", format: ".2f" },
            { field: "q1", type: "quantitative", title: "Q1", format: ".2f" },
            { field: "q3", type: "quantitative", title: "Q3", format: ".2f" },
          ],
        },
      },
    ],
    config: CHART_CONFIG,
  }
}

/** The points of the rupture chart: sessions with at least one transition and a count not suppressed, with their rate. */
export const ruptureRates = (r: Ruptures) =>
  r.by_session.flatMap((b) => (b.transitions > 0 && b.ruptures !== null ? [{ session: b.session, transitions: b.transitions, ruptures: b.ruptures, rate: b.ruptures / b.transitions }] : []))

/** Rupture rate by session as lollipops, with the overall rate (see the module comment). */
export const ruptureMarkersSpec = (results: Results, r: Ruptures): TopLevelSpec => {
  const values = ruptureRates(r)
  const overall = r.rupture_rate === null ? [] : [assertFinite(r.rupture_rate, "ruptures.rupture_rate")]
  const top = Math.max(...overall, ...values.map((v) => v.rate))
  const sessions = values.map((v) => v.session)
  const x = {
    field: "session",
    type: "quantitative" as const,
    title: "Session (drop from the session before)",
    scale: { domain: [Math.min(...sessions) - 0.5, Math.max(...sessions) + 0.5], nice: false, zero: false },
    axis: { format: "d", tickMinStep: 1 },
  }
  const y = { field: "rate", type: "quantitative" as const, title: "Ruptures per transition", axis: { format: ".0%" }, scale: { domain: [0, Math.min(1, Math.max(0.05, Math.ceil(top * 1.15 * 20) / 20))], nice: false } }
  return {
    $schema: VEGA_LITE_SCHEMA,
    description: "Share of session-to-session transitions with an alliance rupture, by session; aggregates only.",
    title: {
      text: RUPTURE_MARKERS_TITLE,
      subtitle: [
        `A rupture: a drop of at least ${points(r.threshold)} ${results.settings.alliance.instrument} points from the session before`,
        r.rupture_rate === null ? `The overall rate is suppressed (disclosure control)` : `Dashed line: the overall rate, ${formatPercent(r.rupture_rate * 100)} of ${formatCount(r.transitions)} transitions`,
      ],
    },
    width: 520,
    height: 200,
    data: { values },
    layer: [
      { mark: { type: "rule", color: "#e45756", strokeWidth: 2 }, encoding: { x, y, y2: { datum: 0 } } },
      {
        mark: { type: "point", filled: true, size: 60, color: "#e45756", opacity: 1 },
        encoding: {
          x,
          y,
          tooltip: [
            { field: "session", type: "quantitative", title: "Session" },
            { field: "ruptures", type: "quantitative", title: "Ruptures" },
            { field: "transitions", type: "quantitative", title: "Transitions" },
            { field: "rate", type: "quantitative", title: "Rate", format: ".1%" },
          ],
        },
      },
      ...(r.rupture_rate === null
        ? []
        : [{ data: { values: [{ overall: r.rupture_rate }] }, mark: { type: "rule" as const, color: "#4a5568", strokeDash: [5, 4] }, encoding: { y: { field: "overall", type: "quantitative" as const } } }]),
    ],
    config: CHART_CONFIG,
  }
}

interface Segment {
  readonly line: string
  readonly x: number
  readonly y: number
  readonly x2: number
  readonly y2: number
}

/** The part of the line end = intake + `offset` inside the square [lo, hi]², or none. */
const diagonal = (line: string, offset: number, lo: number, hi: number): Segment[] => {
  const x0 = Math.max(lo, lo - offset)
  const x1 = Math.min(hi, hi - offset)
  return x0 < x1 ? [{ line, x: x0, y: x0 + offset, x2: x1, y2: x1 + offset }] : []
}

/** The reference lines of the Jacobson–Truax chart, clipped to the outcome's range. */
export const jacobsonTruaxLines = (results: Results): ReadonlyArray<Segment> => {
  const [lo, hi] = results.settings.outcome.range
  const j = results.clinical.jacobson_truax
  const lines = diagonal(NO_CHANGE, 0, lo, hi)
  if (j.status !== "estimated") return lines
  const p = assertFinite(j.reliable_change.points, "jacobson_truax.reliable_change.points")
  const c = assertFinite(j.cut_off.value, "jacobson_truax.cut_off.value")
  const band = reliableChangeLine(p)
  const cut = c >= lo && c <= hi ? [{ line: cutOffLine(c), x: c, y: lo, x2: c, y2: hi }, { line: cutOffLine(c), x: lo, y: c, x2: hi, y2: c }] : []
  return [...lines, ...diagonal(band, p, lo, hi), ...diagonal(band, -p, lo, hi), ...cut]
}

/** Binned intake × end heat map with the reference lines (see the module comment). */
export const jacobsonTruaxSpec = (results: Results, bins: NonNullable<ClinicalResults["pre_post_bins"]>): TopLevelSpec => {
  const s = results.settings
  const [lo, hi] = s.outcome.range
  const w = assertFinite(bins.width, "pre_post_bins.width")
  const cells = bins.cells.map((c) => ({ pre: c.pre, pre_end: Math.min(c.pre + w, hi), post: c.post, post_end: Math.min(c.post + w, hi), n: c.n }))
  const lines = jacobsonTruaxLines(results)
  const names = [...new Set(lines.map((l) => l.line))]
  const look = (name: string) => (name === NO_CHANGE ? { stroke: "#1a202c", dash: [1, 0] } : name.startsWith("Reliable") ? { stroke: "#dd6b20", dash: [6, 4] } : { stroke: "#805ad5", dash: [2, 3] })
  const scale = { domain: [lo, hi], nice: false, zero: false }
  const x = { type: "quantitative" as const, title: `${s.outcome.instrument} at intake`, scale }
  const y = { type: "quantitative" as const, title: `${s.outcome.instrument} at the end`, scale }
  const lineLegend = { orient: "bottom" as const, direction: "vertical" as const, title: null, labelLimit: 320, symbolType: "stroke" }
  return {
    $schema: VEGA_LITE_SCHEMA,
    description: "Clients binned by intake and end score (counts per square; small cells suppressed), with the no-change diagonal, the reliable-change band and the clinical cut-off.",
    title: {
      text: JACOBSON_TRUAX_TITLE,
      subtitle: [
        `Squares of ${points(w)} points, coloured by the number of clients; no individual points`,
        s.outcome.direction === "lower_is_better" ? "Below the diagonal: a lower score at the end (better)" : "Above the diagonal: a higher score at the end (better)",
      ],
    },
    width: 360,
    height: 360,
    layer: [
      {
        data: { values: cells },
        mark: { type: "rect", stroke: "#ffffff", strokeWidth: 0.5 },
        encoding: {
          x: { ...x, field: "pre" },
          x2: { field: "pre_end" },
          y: { ...y, field: "post" },
          y2: { field: "post_end" },
          fill: { field: "n", type: "quantitative", title: "Clients", scale: { scheme: "blues", zero: true } },
          tooltip: [
            { field: "pre", type: "quantitative", title: "Intake from" },
            { field: "post", type: "quantitative", title: "End from" },
            { field: "n", type: "quantitative", title: "Clients" },
          ],
        },
      },
      {
        data: { values: [...lines] },
        mark: { type: "rule", strokeWidth: 1.5 },
        encoding: {
          x: { ...x, field: "x" },
          y: { ...y, field: "y" },
          x2: { field: "x2" },
          y2: { field: "y2" },
          stroke: { field: "line", type: "nominal", scale: { domain: names, range: names.map((n) => look(n).stroke) }, legend: lineLegend },
          strokeDash: { field: "line", type: "nominal", scale: { domain: names, range: names.map((n) => look(n).dash) }, legend: lineLegend },
        },
      },
    ],
    config: CHART_CONFIG,
  }
}

/** The clinical figures that have something to show, with their captions. */
export const clinicalFigures = (results: Results): ReadonlyArray<FigureDefinition> => {
  const s = results.settings
  const c = results.clinical
  const minCell = formatCount(s.min_cell)
  const figures: FigureDefinition[] = []
  if (c.trajectories.length > 0) {
    figures.push({
      name: "alliance-trajectories",
      title: TRAJECTORIES_TITLE,
      caption:
        `Median ${s.alliance.instrument} alliance (lines) and interquartile range (bands) at each session, by the client's Jacobson–Truax outcome category on ${s.outcome.instrument} ` +
        `(recovered, improved, unchanged, deteriorated). Sessions with fewer than ${minCell} ratings in a category are left out. No individual clients are shown.`,
      spec: trajectoriesSpec(results),
    })
  }
  const r = c.ruptures
  if (r.status === "estimated" && ruptureRates(r).length > 0) {
    figures.push({
      name: "rupture-markers",
      title: RUPTURE_MARKERS_TITLE,
      caption:
        `Share of session-to-session transitions (pairs of consecutive rated sessions) with a rupture at each session: a drop in ${s.alliance.instrument} of at least ${points(r.threshold)} points ` +
        `(${points(r.threshold_sd)} × the within-client SD) from the session before. Sessions with fewer than ${minCell} transitions are left out. ` +
        (r.ruptures === null || r.rupture_rate === null
          ? "The overall rate is not drawn: its count is suppressed (disclosure control)."
          : `Dashed line: the overall rate, ${formatCount(r.ruptures)} ruptures in ${formatCount(r.transitions)} transitions (${formatPercent(r.rupture_rate * 100)}).`) +
        (r.by_session.some((b) => b.ruptures === null) ? ` Sessions whose count is suppressed ([c] in ruptures.csv) are left out.` : ""),
      spec: ruptureMarkersSpec(results, r),
    })
  }
  const bins = c.pre_post_bins
  if (bins !== null && bins.cells.length > 0) {
    const j = c.jacobson_truax
    const lines =
      j.status === "estimated"
        ? `Solid diagonal: no change; dashed lines: a change of ± ${points(j.reliable_change.points)} points (reliable change); dotted lines: the clinical cut-off of ${points(j.cut_off.value)} on both axes.`
        : `Solid diagonal: no change. The reliable-change band and the cut-off are not drawn: the Jacobson–Truax categories could not be estimated (${j.reason}).`
    figures.push({
      name: "jacobson-truax",
      title: JACOBSON_TRUAX_TITLE,
      caption:
        `Clients binned by their intake and end ${s.outcome.instrument} scores in squares of ${points(bins.width)} points; the colour is the number of clients in the square. ` +
        `No individual points are shown; cells with fewer than ${minCell} clients are suppressed (${formatCount(bins.suppressed)} clients not shown). ${lines}`,
      spec: jacobsonTruaxSpec(results, bins),
    })
  }
  return figures
}
