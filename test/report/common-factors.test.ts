/** The common-factor section, figures, table and summary line of the report (src/report/common-factors/). */
import { describe, expect, it } from "vitest"
import type { CommonFactorsRecord } from "../../data-schemas/common-factors-results.ts"
import type { Results } from "../../data-schemas/results.ts"
import {
  ADJUSTED_TOTAL_BAR,
  commonFactorSegments,
  commonFactorsSpec,
  EXPLAINED_BAR,
  hasLambertFamilies,
  LAMBERT_SERIES,
  lambertBars,
  lambertSpec,
  NO_DATA,
  STUDY_SERIES,
  TOTAL_BAR,
} from "../../src/report/common-factors/figures.ts"
import { commonFactorsMethods, commonFactorsSection, dominanceVerdicts } from "../../src/report/common-factors/html.ts"
import { COMMON_FACTORS_COLUMNS, commonFactorRows } from "../../src/report/common-factors/tables.ts"
import { formatCount, formatDf, formatNumber } from "../../src/report/format.ts"
import { renderSummaryMarkdown } from "../../src/report/markdown.ts"
import { reportFigures } from "../../src/report/render-report.ts"
import { compileSpec, renderSvg } from "../../src/report/svg.ts"
import { renderTables } from "../../src/report/tables.ts"
import { edgeResults, fullResults } from "./fixtures/load.ts"

const HEURISTIC = "narrative heuristic, not an estimate"

const estimated = (r: Results): CommonFactorsRecord => {
  if (r.common_factors.status !== "estimated") throw new Error("fixture")
  return r.common_factors
}

/** The full fixture with the breakdown not estimable, and one family without data. */
const notEstimableResults = (): Results => ({
  ...fullResults(),
  common_factors: {
    status: "not_estimable",
    n: 12,
    reason: "only 12 clients had every predictor <needs 20> & more",
    absent_families: [{ family: "expectancy", reason: "clients.csv has no expectancy column" }],
  },
})

/** The full fixture with its techniques family renamed to a lab's own name. */
const labFamilyResults = (): Results => {
  const r = fullResults()
  const c = estimated(r)
  const rename = (f: string) => (f === "techniques" ? "cbt_adherence" : f)
  return {
    ...r,
    common_factors: {
      ...c,
      families: c.families.map((f) => ({ ...f, family: rename(f.family) })),
      predictors: c.predictors.map((p) => ({ ...p, family: rename(p.family) })),
      hierarchical: c.hierarchical.map((h) => ({ ...h, family: rename(h.family) })),
    },
  }
}

/** A record with three hand-made families and dominance verdicts of every kind. */
const verdictRecord = (): CommonFactorsRecord => {
  const c = estimated(fullResults())
  const family = (name: string, rank: number) => ({ ...c.families[0]!, family: name, rank })
  return {
    ...c,
    families: [family("alpha", 1), family("beta", 2), family("gamma", 3)],
    dominance: {
      // alpha completely dominates beta; gamma conditionally dominates beta; alpha and gamma: no verdict
      complete: [[null, 1, 0.5], [0, null, 0.5], [0.5, 0.5, null]],
      conditional: [[null, 1, 0.5], [0, null, 0], [0.5, 1, null]],
      general: [[null, 1, 0.5], [0, null, 0], [0.5, 1, null]],
    },
  }
}

describe("commonFactorsSpec", () => {
  it("stacks the families, the therapist share and the unexplained rest to 100% of the total variance", () => {
    const c = estimated(fullResults())
    if (c.therapist.status !== "estimated") throw new Error("fixture")
    const total = commonFactorSegments(c).filter((s) => s.bar === TOTAL_BAR)
    expect(total.map((s) => s.segment)).toEqual(["Extratherapeutic", "Expectancy", "Techniques", "Common factors", "Therapist", "Unexplained"])
    expect(total.map((s) => s.value)).toEqual([...c.families.map((f) => f.general_dominance * 100), c.therapist.share * 100, c.unexplained * 100])
    expect(Math.abs(total.reduce((sum, s) => sum + s.value, 0) - 100)).toBeLessThan(1e-9)
    expect(Math.abs(total.at(-1)!.x1 - 100)).toBeLessThan(1e-9)
  })

  it("splits the explained variance among the families, and leaves the therapist out when it is not estimable", () => {
    const c = estimated(edgeResults())
    const segments = commonFactorSegments(c)
    const explained = segments.filter((s) => s.bar === EXPLAINED_BAR)
    expect(explained.map((s) => s.value)).toEqual(c.families.map((f) => f.share_of_explained * 100))
    expect(Math.abs(explained.reduce((sum, s) => sum + s.value, 0) - 100)).toBeLessThan(1e-9)
    // the edge fixture's outcome is baseline-adjusted: its top bar is of the variance left after baseline
    expect(segments.filter((s) => s.bar === ADJUSTED_TOTAL_BAR).map((s) => s.segment)).toEqual(["Extratherapeutic", "Common factors", "Unexplained"])
    expect(Math.abs(segments.filter((s) => s.bar === ADJUSTED_TOTAL_BAR).reduce((sum, s) => sum + s.value, 0) - 100)).toBeLessThan(1e-9)
  })

  it("labels wide segments with their percentage and leaves narrow ones unlabelled", () => {
    const c = estimated(fullResults())
    const total = commonFactorSegments(c).filter((s) => s.bar === TOTAL_BAR)
    expect(total[0]!.label).toBe(`${formatNumber(c.families[0]!.general_dominance * 100, 1)}%`)
    expect(total.find((s) => s.segment === "Techniques")!.label).toBe("")
  })

  it("gives each family the same colour in both figures, and the lab's own families a colour of their own", () => {
    const colorOf = (spec: unknown, channel: "color" | "fill", label: string): string => {
      const enc = (spec as { layer: Array<{ encoding: Record<string, { scale?: { domain: string[]; range: string[] } }> }> }).layer[0]!.encoding[channel]!.scale!
      return enc.range[enc.domain.indexOf(label)]!
    }
    const c = estimated(fullResults())
    for (const label of ["Extratherapeutic", "Common factors", "Expectancy", "Techniques"]) {
      expect(colorOf(commonFactorsSpec(c), "color", label)).toBe(colorOf(lambertSpec(c), "fill", label))
    }
    const lab = commonFactorsSpec(estimated(labFamilyResults()))
    const colors = ["Extratherapeutic", "Expectancy", "Cbt adherence", "Common factors", "Therapist", "Unexplained"].map((l) => colorOf(lab, "color", l))
    expect(new Set(colors).size).toBe(colors.length)
  })

  it("compiles without Vega-Lite warnings, as does the Lambert comparison", () => {
    for (const r of [fullResults(), edgeResults(), labFamilyResults()]) {
      expect(compileSpec(commonFactorsSpec(estimated(r))).warnings).toEqual([])
      expect(compileSpec(lambertSpec(estimated(r))).warnings).toEqual([])
    }
  })

  it("is the same spec every time, with only aggregate data", () => {
    const c = estimated(fullResults())
    expect(JSON.stringify(commonFactorsSpec(c))).toBe(JSON.stringify(commonFactorsSpec(c)))
    const values = (commonFactorsSpec(c) as { data: { values: Array<Record<string, unknown>> } }).data.values
    expect(values).toHaveLength(c.families.length * 2 + 2)
  })
})

describe("lambertSpec", () => {
  it("sets this study's shares of explained variance beside Lambert's 40/30/15/15", () => {
    const c = estimated(fullResults())
    const bars = lambertBars(c)
    expect(bars.filter((b) => b.series === LAMBERT_SERIES).map((b) => [b.family, b.value])).toEqual([
      ["Extratherapeutic", 40],
      ["Common factors", 30],
      ["Expectancy", 15],
      ["Techniques", 15],
    ])
    const share = (name: string) => c.families.find((f) => f.family === name)!.share_of_explained * 100
    expect(bars.filter((b) => b.series === STUDY_SERIES).map((b) => b.value)).toEqual(["extratherapeutic", "common", "expectancy", "techniques"].map(share))
  })

  it("says in the chart itself that Lambert's split is a narrative heuristic, and draws it differently", async () => {
    const spec = lambertSpec(estimated(fullResults()))
    expect(LAMBERT_SERIES).toContain(HEURISTIC)
    const svg = await renderSvg(spec)
    expect(svg).toContain(LAMBERT_SERIES)
    const enc = (spec as { layer: Array<{ encoding: Record<string, { scale?: { domain: string[]; range: unknown[] } }> }> }).layer[0]!.encoding
    for (const channel of ["fillOpacity", "strokeDash"]) {
      const scale = enc[channel]!.scale!
      expect(scale.domain).toEqual([STUDY_SERIES, LAMBERT_SERIES])
      expect(scale.range[0]).not.toEqual(scale.range[1])
    }
  })

  it("marks a canonical family without data as 'no data' and leaves out the lab's own families", async () => {
    const edge = estimated(edgeResults())
    const missing = lambertBars(edge).filter((b) => b.series === STUDY_SERIES && b.value === null)
    expect(missing.map((b) => [b.family, b.label])).toEqual([["Expectancy", NO_DATA], ["Techniques", NO_DATA]])
    expect(await renderSvg(lambertSpec(edge))).toContain(NO_DATA)
    const lab = estimated(labFamilyResults())
    expect(lambertBars(lab).map((b) => b.family)).not.toContain("Cbt adherence")
    expect(lambertBars(lab).find((b) => b.family === "Techniques" && b.series === STUDY_SERIES)?.label).toBe(NO_DATA)
    const onlyLab = { ...lab, families: lab.families.filter((f) => f.family === "cbt_adherence") }
    expect(hasLambertFamilies(onlyLab)).toBe(false)
  })
})

describe("reportFigures (common factors)", () => {
  it("adds the two figures after the multilevel ones, with captions on the shares, the bootstrap and the heuristic", () => {
    const full = fullResults()
    const b = estimated(full).bootstrap
    // the clinical figures follow (test/report/clinical.test.ts)
    const figures = reportFigures(full).filter((f) => !["alliance-trajectories", "rupture-markers", "jacobson-truax"].includes(f.name))
    expect(figures.map((f) => f.name).slice(-3)).toEqual(["within-between", "common-factors", "lambert-comparison"])
    const [shares, lambert] = figures.slice(-2)
    expect(shares!.caption).toContain(`Outcome: ${estimated(full).outcome_description}.`)
    expect(shares!.caption).toContain(`${formatCount(b.replicates)} bootstrap replicates resampling the ${formatCount(b.units)} clients, seed ${b.seed}; 95% percentile intervals`)
    expect(lambert!.caption).toContain("a narrative heuristic from his reading of the literature, not an estimate from data")
  })

  it("describes the m-out-of-n bootstrap and names the families without data", () => {
    const edge = edgeResults()
    const b = estimated(edge).bootstrap
    const [shares, lambert] = reportFigures(edge).filter((f) => f.name === "common-factors" || f.name === "lambert-comparison")
    expect(shares!.caption).toContain(`m-out-of-n bootstrap: ${formatCount(b.replicates)} replicates, each drawing m = ${formatCount(b.size)} of the N = ${formatCount(b.units)} clients`)
    expect(shares!.caption).toContain("rescaled by √(m/N)")
    expect(lambert!.caption).toContain("No data in this study: expectancy, techniques.")
  })

  it("draws no common-factor figure when the breakdown is not estimable", () => {
    expect(reportFigures(notEstimableResults()).map((f) => f.name)).not.toContain("common-factors")
    expect(reportFigures(notEstimableResults()).map((f) => f.name)).not.toContain("lambert-comparison")
  })
})

describe("commonFactorsSection", () => {
  const full = commonFactorsSection(fullResults())
  const edge = commonFactorsSection(edgeResults())

  it("leads with n, the clients left out, R², the largest family, the therapist share and the unexplained rest", () => {
    const c = estimated(fullResults())
    if (c.therapist.status !== "estimated") throw new Error("fixture")
    const p = (x: number) => formatNumber(x * 100, 1)
    const top = c.families.find((f) => f.rank === 1)!
    expect(full).toContain(`${formatCount(c.n)} clients had every predictor and were analysed; ${formatCount(c.n_excluded)} were left out for a missing predictor.`)
    expect(full).toContain(`explained ${p(c.r_squared)}% of the variance`)
    expect(full).toContain(`The largest share came from the ${top.family} family: ${p(top.general_dominance)}% of the total variance (95% CI [${p(top.ci[0])}, ${p(top.ci[1])}])`)
    expect(full).toContain(`a further ${p(c.therapist.share)}% (95% CI [${p(c.therapist.share_ci[0])}, ${p(c.therapist.share_ci[1])}]), and ${p(c.unexplained)}% remained unexplained.`)
    expect(full).toContain("<td><strong>Total</strong></td><td></td><td>100.0</td>")
  })

  it("names every family without data, with its reason, and the therapist share that could not be estimated", () => {
    const c = estimated(edgeResults())
    for (const a of c.absent_families) expect(edge).toContain(`No data for the ${a.family} family: ${a.reason}. Its share was not estimated.`)
    if (c.therapist.status !== "not_estimable") throw new Error("fixture")
    expect(edge).toContain(`Not estimable: ${c.therapist.reason}.`)
  })

  it("escapes predictor names from the lab's data", () => {
    expect(edge).toContain("<code>&lt;b&gt;x&lt;/b&gt;</code>")
    expect(edge).not.toContain("<b>x</b>")
  })

  it("gives the hierarchical steps with APA F tests and notes suppression under the commonality table", () => {
    const c = estimated(fullResults())
    for (const h of c.hierarchical) expect(full).toContain(`<i>F</i>(${formatDf(h.df1)}, ${formatDf(h.df2)}) = ${formatNumber(h.f)}`)
    expect(full).toContain("A negative shared part indicates suppression")
    const many = commonFactorsSection({ ...fullResults(), common_factors: { ...c, commonality: null } })
    expect(many).toContain("Commonality analysis is not shown with more than 6 families")
  })

  it("speaks of the variance left after baseline, not the total, when the outcome is baseline-adjusted", () => {
    expect(estimated(edgeResults()).outcome).toBe("baseline_adjusted")
    expect(edge).toContain("% of variance left after baseline")
    expect(edge).not.toContain("total variance")
    expect(full).toContain("% of total variance")
    const bars = new Set(commonFactorSegments(estimated(edgeResults())).map((s) => s.bar))
    expect([...bars]).toEqual([ADJUSTED_TOTAL_BAR, EXPLAINED_BAR])
  })

  it("says why the single predictors were not analysed when there are more than 15", () => {
    const c = estimated(fullResults())
    const reason = "the 16 single predictors would need 2^16 sub-models; at most 15 are analysed one by one (the families are analysed as sets)"
    const skipped = commonFactorsSection({ ...fullResults(), common_factors: { ...c, predictors: [], predictor_complete_dominance: [], predictors_skipped: reason } })
    expect(skipped).toContain(`<h3>Single predictors</h3>\n<p>Not analysed: ${reason}.</p>`)
    expect(full).not.toContain("Not analysed:")
  })

  it("says why the breakdown could not be estimated and still lists the families without data", () => {
    const html = commonFactorsSection(notEstimableResults())
    expect(html).toContain("The common-factor breakdown could not be estimated: only 12 clients had every predictor &lt;needs 20&gt; &amp; more.")
    expect(html).toContain("No data for the expectancy family: clients.csv has no expectancy column.")
    expect(html).not.toContain("<table>")
  })

  it("prints no NaN or undefined in the section or the methods", () => {
    for (const r of [fullResults(), edgeResults(), notEstimableResults(), labFamilyResults()]) {
      for (const html of [commonFactorsSection(r), commonFactorsMethods(r)]) expect(html).not.toMatch(/NaN|undefined/)
    }
  })
})

describe("dominanceVerdicts", () => {
  it("states the strongest verdict of each pair in words, and the pairs without one", () => {
    expect(dominanceVerdicts(verdictRecord())).toEqual([
      "Alpha completely dominates beta.",
      "Gamma conditionally dominates beta.",
      "Neither alpha nor gamma dominates the other.",
    ])
  })

  it("reads the example's matrices", () => {
    const verdicts = dominanceVerdicts(estimated(fullResults()))
    const c = estimated(fullResults())
    const allComplete = c.dominance.complete[0]!.every((v, j) => j === 0 || v === 1)
    expect(allComplete).toBe(true)
    expect(verdicts[0]).toBe("Extratherapeutic completely dominates expectancy, techniques and common factors.")
  })
})

describe("commonFactorsMethods", () => {
  it("explains the method, the bootstrap and Lambert's heuristic", () => {
    const full = commonFactorsMethods(fullResults())
    expect(full).toContain("extratherapeutic → expectancy → techniques → common factors (the default order)")
    expect(full).toContain("(Budescu, 1993; Azen &amp; Budescu, 2003)")
    expect(full).toContain("Nimon, Lewis, Kane &amp; Haynes, 2008")
    expect(full).toContain("is a narrative heuristic")
    expect(full).not.toContain("m-out-of-n")
    const b = estimated(edgeResults()).bootstrap
    expect(commonFactorsMethods(edgeResults())).toContain(`each replicate drew <i>m</i> = ${formatCount(b.size)} of them (the m-out-of-n bootstrap; Bickel, Götze &amp; van Zwet, 1997)`)
  })
})

describe("commonFactorRows", () => {
  it("gives one row per estimate, each with every column", () => {
    const c = estimated(fullResults())
    const rows = commonFactorRows(fullResults())
    for (const row of rows) expect(row).toHaveLength(COMMON_FACTORS_COLUMNS.length)
    const count = (kind: string) => rows.filter((r) => r[0] === kind).length
    expect([count("model"), count("family"), count("therapist"), count("unexplained"), count("predictor"), count("hierarchical"), count("commonality")]).toEqual([
      1, c.families.length, 1, 1, c.predictors.length, c.hierarchical.length, c.commonality!.length,
    ])
    const first = c.families[0]!
    expect(rows.find((r) => r[0] === "family" && r[1] === first.family)).toEqual([
      "family", first.family, first.family, first.general_dominance, first.ci[0], first.ci[1], first.share_of_explained, null, null, null, null, null, c.n, "estimated", null,
    ])
    const h = c.hierarchical[0]!
    expect(rows.find((r) => r[0] === "hierarchical")!.slice(3, 12)).toEqual([h.delta_r_squared, null, null, null, h.r_squared, h.f, h.df1, h.df2, h.p])
  })

  it("keeps a row with its reason for each family without data and for the therapist share", () => {
    const c = estimated(edgeResults())
    const rows = commonFactorRows(edgeResults())
    const reasons = rows.filter((r) => r[13] === "not_estimable").map((r) => [r[0], r[1], r[14]])
    if (c.therapist.status !== "not_estimable") throw new Error("fixture")
    expect(reasons).toEqual([...c.absent_families.map((a) => ["family", a.family, a.reason]), ["therapist", "therapist", c.therapist.reason]])
    expect(rows.some((r) => r[0] === "predictor" && r[1] === "<b>x</b>")).toBe(true)
  })

  it("keeps one model row with the reason when the breakdown is not estimable, and is written as common-factors.csv", () => {
    const rows = commonFactorRows(notEstimableResults())
    expect(rows.map((r) => [r[0], r[1], r[13]])).toEqual([["model", "r_squared", "not_estimable"], ["family", "expectancy", "not_estimable"]])
    const csv = renderTables(fullResults()).find((t) => t.name === "common-factors.csv")!.csv
    expect(csv.split("\n")[0]).toBe(COMMON_FACTORS_COLUMNS.join(","))
    expect(csv).not.toMatch(/NaN|undefined/)
  })
})

describe("renderSummaryMarkdown (common factors)", () => {
  it("adds one line of the shares, or the reason they are missing", () => {
    const c = estimated(fullResults())
    expect(renderSummaryMarkdown(fullResults())).toContain(`**Common factors** (share of the outcome variance, *n* = ${formatCount(c.n)}, *R*² = ${formatNumber(c.r_squared * 100, 1)}%): extratherapeutic ${formatNumber(c.families[0]!.general_dominance * 100, 1)}%`)
    expect(renderSummaryMarkdown(edgeResults())).toContain("No data: expectancy, techniques.")
    expect(renderSummaryMarkdown(notEstimableResults())).toContain("**Common factors:** not estimable: only 12 clients had every predictor \\<needs 20\\> \\& more.")
  })
})
