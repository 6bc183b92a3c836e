/**
 * The figures of a synthesis report, as Vega-Lite specs with their data inline:
 *
 * - forest plot: every effect (sorted by size within its subgroup panel) with its CI, square
 *   area ∝ its weight in the two-level model, subgroup pooled estimates, the overall pooled
 *   estimate (diamond) and prediction interval (dashed), r = 0 and, for correlations, the
 *   Flückiger et al. (2018) estimate as a labelled reference band;
 * - contour-enhanced funnel plot (Peters et al. 2008): effects against their standard error
 *   (reversed axis), shaded where a study would be significant at 10%, 5% and 1% (two-sided,
 *   around 0), the pooled estimate with its pseudo-95% limits, and trim-and-fill (L0) studies as
 *   hollow points;
 * - one bubble plot per continuous moderator: effects against the moderator, bubble area ∝ weight
 *   in the meta-regression, with the fitted line and its confidence band.
 *
 * Correlations are drawn on the r scale (back-transformed) except in the funnel plot, which lives
 * on the model scale (Fisher z) where the standard errors are defined.
 */
import type { TopLevelSpec } from "vega-lite"
import type { ModeratorEstimateRecord, SynthesisResults } from "../../../data-schemas/synthesis-results.ts"
import { normalQuantile } from "../../stats/distributions/normal.ts"
import { CHART_CONFIG, VEGA_LITE_SCHEMA } from "../figures/chart-config.ts"
import { assertFinite, formatCount, formatLevel, formatPercent, formatR } from "../format.ts"
import type { FigureDefinition } from "../render-report.ts"
import { formatTau2, LITERATURE_REFERENCE } from "../statements.ts"
import { effectFormatter } from "./statements.ts"

const ROW_HEIGHT = 18
const WIDTH = 420

type Kind = "effect" | "subgroup" | "pooled" | "prediction"
interface Row {
  readonly row: string
  readonly kind: Kind
  readonly x: number
  readonly low: number
  readonly high: number
  readonly weight: number
  readonly text: string
}

const only = (...kinds: ReadonlyArray<Kind>) => [{ filter: { field: "kind", oneOf: [...kinds] } }]

/** The display scale: r for correlations (tanh of the model scale), the model scale otherwise. */
const display = (results: SynthesisResults) => (v: number, what: string) =>
  assertFinite(results.settings.effect === "correlation" ? Math.tanh(v) : v, what)

const forestRows = (results: SynthesisResults): Row[] => {
  const show = display(results)
  const f = effectFormatter(results)
  const several = results.data.several_effects_per_study
  const label = (study: string, effect: string) => (several ? `${study} / ${effect}` : study)
  const effectRow = (e: SynthesisResults["effects"][number]): Row => ({
    row: label(e.study, e.effect),
    kind: "effect",
    x: show(e.yi, "effect"),
    low: show(e.ci[0], "effect CI"),
    high: show(e.ci[1], "effect CI"),
    weight: e.weight ?? 0,
    text: `${f.value(e.yi)} ${f.interval(e.ci)}${e.weight === null ? "" : `  ${formatPercent(e.weight)}`}`,
  })
  const sorted = (effects: ReadonlyArray<SynthesisResults["effects"][number]>) => [...effects].sort((a, b) => a.yi - b.yi || (a.line - b.line)).map(effectRow)
  const rows: Row[] = []
  const subgroup = results.settings.subgroup
  const panels = subgroup === null ? null : results.moderators.find((m) => m.column === subgroup)
  if (panels?.status === "estimated" && panels.subgroups !== null) {
    for (const g of panels.subgroups.groups) {
      rows.push(...sorted(results.effects.filter((e) => e.moderators[subgroup!] === g.level)))
      if (g.model.status === "estimated") {
        rows.push({ row: `${subgroup}: ${g.level} (k = ${formatCount(g.k)})`, kind: "subgroup", x: show(g.model.estimate, "subgroup"), low: show(g.model.ci[0], "subgroup CI"), high: show(g.model.ci[1], "subgroup CI"), weight: 0, text: `${f.value(g.model.estimate)} ${f.interval(g.model.ci)}` })
      }
    }
    const missing = results.effects.filter((e) => e.moderators[subgroup!] === null)
    rows.push(...sorted(missing))
  } else rows.push(...sorted(results.effects))
  const m = results.model
  if (m.status === "estimated") {
    rows.push({ row: `Overall (k = ${formatCount(m.k)})`, kind: "pooled", x: show(m.estimate, "pooled"), low: show(m.ci[0], "pooled CI"), high: show(m.ci[1], "pooled CI"), weight: 0, text: `${f.value(m.estimate)} ${f.interval(m.ci)}` })
    if (m.method !== "EE") {
      rows.push({ row: `${formatLevel(results.settings.ci_level)} prediction interval`, kind: "prediction", x: show(m.estimate, "pooled"), low: show(m.pi[0], "PI"), high: show(m.pi[1], "PI"), weight: 0, text: `PI ${f.interval(m.pi)}` })
    }
  }
  return rows
}

const forestSpec = (results: SynthesisResults): TopLevelSpec => {
  const rows = forestRows(results)
  const correlation = results.settings.effect === "correlation"
  const reference = results.settings.literature_reference
  const lows = rows.map((r) => r.low)
  const highs = rows.map((r) => r.high)
  const lo = Math.min(0, ...lows, ...(reference ? [LITERATURE_REFERENCE.ci[0]] : []))
  const hi = Math.max(0, ...highs, ...(reference ? [LITERATURE_REFERENCE.ci[1]] : []))
  const pad = (hi - lo) * 0.02
  const domain = correlation ? [Math.max(-1, lo - pad), Math.min(1, hi + pad)] : [lo - pad, hi + pad]
  const y = { field: "row", type: "nominal" as const, sort: rows.map((r) => r.row), title: null, axis: { labelLimit: 280 } }
  const x = (field = "x") => ({ field, type: "quantitative" as const, title: correlation ? "Correlation r" : "Effect size", scale: { domain, nice: false, zero: false } })
  const height = Math.max(1, rows.length) * ROW_HEIGHT
  const m = results.model
  const maxWeight = Math.max(1, ...rows.map((r) => r.weight))
  const subtitle = [
    m.status === "estimated"
      ? `${m.method === "EE" ? "Equal effects" : `Random effects (${m.method})`}: k = ${formatCount(m.k)}, τ² = ${formatTau2(m.tau2)}, I² = ${formatPercent(m.i2)}; ${m.test === "knha" ? "Knapp–Hartung" : "z"} CIs`
      : `Pooled estimate not estimable: ${m.reason}`,
    `■ effect (area ∝ weight)  ◆ pooled, ${formatLevel(results.settings.ci_level)} CI${m.status === "estimated" && m.method !== "EE" ? "  - - prediction interval" : ""}${results.settings.subgroup === null ? "" : "  ◇ subgroup"}`,
    ...(reference ? [`Shaded band: ${LITERATURE_REFERENCE.label}, r = ${formatR(LITERATURE_REFERENCE.estimate, 3)} [${formatR(LITERATURE_REFERENCE.ci[0], 3)}, ${formatR(LITERATURE_REFERENCE.ci[1], 3)}] (literature reference, not these data)`] : []),
  ]
  return {
    $schema: VEGA_LITE_SCHEMA,
    description: "Forest plot of the effect sizes with subgroup and overall pooled estimates.",
    title: { text: `Forest plot: ${results.settings.effect_label}`, subtitle },
    data: { values: rows.map((r) => ({ ...r })) },
    hconcat: [
      {
        width: WIDTH,
        height,
        layer: [
          ...(reference
            ? [{ data: { values: [{ low: LITERATURE_REFERENCE.ci[0], high: LITERATURE_REFERENCE.ci[1] }] }, mark: { type: "rect" as const, color: "#f6e05e", opacity: 0.35 }, encoding: { x: x("low"), x2: { field: "high" } } }]
            : []),
          { data: { values: [{ x: 0 }] }, mark: { type: "rule", color: "#333333" }, encoding: { x: x() } },
          { transform: only("effect"), mark: { type: "rule", color: "#4a5568" }, encoding: { y, x: x("low"), x2: { field: "high" } } },
          {
            transform: only("effect"),
            mark: { type: "square", filled: true, color: "#2b6cb0", opacity: 1 },
            encoding: { y, x: x(), size: { field: "weight", type: "quantitative", scale: { domain: [0, maxWeight], range: [4, 200] }, legend: null } },
          },
          { transform: only("subgroup", "pooled"), mark: { type: "rule", color: "#c05621", strokeWidth: 2.5 }, encoding: { y, x: x("low"), x2: { field: "high" } } },
          { transform: only("subgroup"), mark: { type: "point", shape: "diamond", filled: false, color: "#c05621", size: 160, strokeWidth: 2 }, encoding: { y, x: x() } },
          { transform: only("pooled"), mark: { type: "point", shape: "diamond", filled: true, color: "#c05621", size: 240, opacity: 1 }, encoding: { y, x: x() } },
          { transform: only("prediction"), mark: { type: "rule", color: "#c05621", strokeDash: [5, 3], strokeWidth: 1.5 }, encoding: { y, x: x("low"), x2: { field: "high" } } },
        ],
      },
      {
        width: 190,
        height,
        title: { text: `Estimate [${formatLevel(results.settings.ci_level)} CI], weight`, fontSize: 11, anchor: "start" },
        mark: { type: "text", align: "left", fontSize: 10, color: "#222222" },
        encoding: { y: { ...y, axis: null }, text: { field: "text", type: "nominal" }, x: { value: 0 } },
      },
    ],
    resolve: { scale: { y: "shared" } },
    config: CHART_CONFIG,
  }
}

const funnelSpec = (results: SynthesisResults): TopLevelSpec => {
  const correlation = results.settings.effect === "correlation"
  const tf = results.small_study.trim_and_fill.find((t) => t.estimator === "L0")
  const filled = tf?.status === "estimated" ? tf.filled : []
  const points = [
    ...results.effects.map((e) => ({ yi: assertFinite(e.yi, "yi"), se: assertFinite(Math.sqrt(e.vi), "se"), kind: "observed" })),
    ...filled.map((e) => ({ yi: assertFinite(e.yi, "filled yi"), se: assertFinite(Math.sqrt(e.vi), "filled se"), kind: "imputed (trim-and-fill, L0)" })),
  ]
  const maxSe = Math.max(...points.map((p) => p.se)) * 1.05
  const m = results.model
  const center = m.status === "estimated" ? m.estimate : 0
  const z = (p: number) => normalQuantile(p / 2, false)
  const extent = Math.max(...points.map((p) => Math.abs(p.yi)), z(0.01) * maxSe, Math.abs(center) + z(0.05) * maxSe) * 1.02
  const band = (q: number) => [{ se: 0, low: 0, high: 0 }, { se: maxSe, low: -q * maxSe, high: q * maxSe }]
  const region = (values: ReadonlyArray<{ se: number; low: number; high: number }>, color: string) => ({
    data: { values: values.map((v) => ({ ...v })) },
    mark: { type: "area" as const, orient: "horizontal" as const, color, opacity: 1 },
    encoding: { y: { field: "se", type: "quantitative" as const }, x: { field: "low", type: "quantitative" as const }, x2: { field: "high" } },
  })
  const xEnc = { field: "yi", type: "quantitative" as const, title: correlation ? "Fisher z" : "Effect size", scale: { domain: [-extent, extent], nice: false } }
  const yEnc = { field: "se", type: "quantitative" as const, title: "Standard error", scale: { domain: [0, maxSe], reverse: true, nice: false } }
  const pseudo = z(0.05)
  return {
    $schema: VEGA_LITE_SCHEMA,
    description: "Contour-enhanced funnel plot of the effect sizes with trim-and-fill imputed studies.",
    title: {
      text: "Contour-enhanced funnel plot",
      subtitle: [
        "Shading: two-sided p around 0 — white > .10, light .05–.10, medium .01–.05, dark < .01",
        `Vertical line: pooled estimate with pseudo-95% limits; hollow points: ${filled.length} imputed by trim-and-fill (L0)`,
      ],
    },
    width: WIDTH,
    height: 320,
    layer: [
      region([{ se: 0, low: -extent, high: extent }, { se: maxSe, low: -extent, high: extent }], "#a0aec0"),
      region(band(z(0.01)), "#cbd5e0"),
      region(band(z(0.05)), "#e2e8f0"),
      region(band(z(0.1)), "#ffffff"),
      { data: { values: [{ yi: center }] }, mark: { type: "rule", color: "#c05621", strokeWidth: 1.5 }, encoding: { x: xEnc } },
      {
        data: { values: [-1, 1].map((s) => ({ yi: center, se: 0, yi2: center + s * pseudo * maxSe, se2: maxSe })) },
        mark: { type: "rule", color: "#c05621", strokeDash: [4, 3] },
        encoding: { x: xEnc, y: yEnc, x2: { field: "yi2" }, y2: { field: "se2" } },
      },
      {
        data: { values: points },
        mark: { type: "point", size: 40, strokeWidth: 1.5, opacity: 1 },
        encoding: {
          x: xEnc,
          y: yEnc,
          shape: { field: "kind", type: "nominal", title: null, legend: { labelLimit: 260, orient: "bottom" }, scale: { domain: ["observed", "imputed (trim-and-fill, L0)"], range: ["circle", "circle"] } },
          fill: { field: "kind", type: "nominal", title: null, legend: { labelLimit: 260, orient: "bottom" }, scale: { domain: ["observed", "imputed (trim-and-fill, L0)"], range: ["#2b6cb0", "#ffffff"] } },
          color: { value: "#2b6cb0" },
        },
      },
    ],
    config: CHART_CONFIG,
  }
}

const bubbleSpec = (results: SynthesisResults, m: ModeratorEstimateRecord): TopLevelSpec => {
  const show = display(results)
  const correlation = results.settings.effect === "correlation"
  const points = results.effects.flatMap((e) => {
    const raw = e.moderators[m.column]
    if (raw === null || raw === undefined) return []
    return [{ x: assertFinite(Number(raw), "moderator"), y: show(e.yi, "effect"), weight: 1 / (e.vi + m.tau2) }]
  })
  const fitted = (m.fitted ?? []).map((p) => ({ x: p.x, y: show(p.estimate, "fitted"), low: show(p.ci[0], "fitted CI"), high: show(p.ci[1], "fitted CI") }))
  const slope = m.coefficients[1]
  const x = { field: "x", type: "quantitative" as const, title: m.column, scale: { zero: false }, axis: { format: ".6~g" } }
  const yTitle = correlation ? "Correlation r" : "Effect size"
  return {
    $schema: VEGA_LITE_SCHEMA,
    description: `Bubble plot of the effect sizes against the moderator ${m.column}, with the meta-regression line.`,
    title: {
      text: `Effect size by ${m.column}`,
      subtitle: [
        `Meta-regression: slope ${slope === undefined ? "—" : slope.estimate.toPrecision(3)} per unit (model scale), p = ${m.qm_p < 0.001 ? "< .001" : m.qm_p.toFixed(3)}; R² = ${m.r2 === null ? "—" : formatPercent(m.r2)}`,
        `Bubble area ∝ weight; band: ${formatLevel(results.settings.ci_level)} CI of the fitted line`,
      ],
    },
    width: WIDTH,
    height: 300,
    layer: [
      { data: { values: fitted }, mark: { type: "area", color: "#c05621", opacity: 0.15 }, encoding: { x, y: { field: "low", type: "quantitative", title: yTitle }, y2: { field: "high" } } },
      { data: { values: fitted }, mark: { type: "line", color: "#c05621", strokeWidth: 2 }, encoding: { x, y: { field: "y", type: "quantitative", title: yTitle } } },
      {
        data: { values: points },
        mark: { type: "circle", color: "#2b6cb0", opacity: 0.55, stroke: "#1a365d", strokeWidth: 0.5 },
        encoding: { x, y: { field: "y", type: "quantitative", title: yTitle }, size: { field: "weight", type: "quantitative", legend: null, scale: { range: [10, 400] } } },
      },
    ],
    config: CHART_CONFIG,
  }
}

/** A moderator name as a file-name stem. */
const stem = (column: string): string => column.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "moderator"

/** The report's figures, in order. */
export const synthesisFigures = (results: SynthesisResults): ReadonlyArray<FigureDefinition> => {
  const level = formatLevel(results.settings.ci_level)
  const figures: FigureDefinition[] = [
    {
      name: "forest-plot",
      title: `Forest plot (${results.settings.effect_label})`,
      caption: `Each effect with its ${level} confidence interval, sorted by size${results.settings.subgroup === null ? "" : ` within each level of ${results.settings.subgroup}`}; square area is proportional to the effect's weight in the two-level random-effects model. Diamonds: pooled estimates with ${level} CI; dashed bar: ${level} prediction interval.`,
      spec: forestSpec(results),
    },
    {
      name: "funnel-plot",
      title: "Contour-enhanced funnel plot",
      caption: "Effects against their standard error (0 at the top). Shaded regions show where a study would reach two-sided significance at the 10%, 5% and 1% levels; asymmetry concentrated in the significant regions suggests publication bias rather than other small-study effects (Peters et al., 2008). Hollow points are studies imputed by trim-and-fill.",
      spec: funnelSpec(results),
    },
  ]
  const used = new Set<string>()
  for (const m of results.moderators) {
    if (m.status !== "estimated" || m.type !== "continuous") continue
    let name = `bubble-${stem(m.column)}`
    while (used.has(name)) name += "-x"
    used.add(name)
    figures.push({
      name,
      title: `Bubble plot: ${m.column}`,
      caption: `Effects against ${m.column} (${formatCount(m.k)} effects with a value); bubble area is proportional to the weight in the meta-regression; the line and band are the fitted effect and its ${level} confidence interval.`,
      spec: bubbleSpec(results, m),
    })
  }
  return figures
}
