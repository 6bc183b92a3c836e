/** The multilevel section, figures and table of the report (src/report/multilevel/). */
import { describe, expect, it } from "vitest"
import { caterpillarSpec, withinBetweenRows } from "../../src/report/multilevel/figures.ts"
import { multilevelMethods, multilevelSection } from "../../src/report/multilevel/html.ts"
import { MULTILEVEL_COLUMNS, multilevelRows } from "../../src/report/multilevel/tables.ts"
import { edgeResults, fullResults } from "./fixtures/load.ts"

describe("multilevelSection", () => {
  const full = multilevelSection(fullResults())
  const edge = multilevelSection(edgeResults())

  it("states the therapist share adjusted for baseline with its interval, and the site split", () => {
    const adjusted = fullResults().multilevel.therapist_effects.adjusted
    if (adjusted.status !== "estimated") throw new Error("fixture")
    expect(full).toMatch(/Adjusted for baseline severity, \d+\.\d% of the variance in outcome lay between therapists \(ICC = \.\d{3}, 95% CI \[\.\d{3}, \.\d{3}\]\)/)
    expect(full).toMatch(/With therapists nested in 8 sites, the variance of improvement adjusted for baseline divides into site [\d.]+%, therapist [\d.]+%, residual [\d.]+%/)
  })

  it("escapes p values below .001 and not-estimable reasons", () => {
    expect(full).toContain("<td>&lt; .001</td>")
    expect(full).not.toMatch(/<td>< /)
    expect(edge).toContain("Not estimable: sessions.csv has no client-rated alliance column &lt;b&gt;&quot;alliance&quot;&lt;/b&gt; &amp; no subscales.")
  })

  it("describes the random part that was fitted, and reads the within-client effect in the outcome's direction", () => {
    expect(full).toContain("with a random intercept per client and per therapist (clients nested in therapists)")
    expect(edge).toContain("with a random intercept per client.")
    // full: lower is better, within b < 0 → lower symptoms = better; edge: higher is better, so the same sign is worse
    expect(full).toMatch(/their symptom score at the next session was [\d.]+ points lower \(better\)/)
    expect(edge).toMatch(/their symptom score at the next session was [\d.]+ points lower \(worse\)/)
  })

  it("has a methods paragraph that names lme4, lmerTest and the profile intervals", () => {
    const text = multilevelMethods(fullResults())
    expect(text).toContain("<code>lme4::lmer</code>")
    expect(text).toContain("Satterthwaite degrees of freedom as in <code>lmerTest</code>")
    expect(text).toContain("95% profile-likelihood intervals")
  })
})

describe("multilevel figures", () => {
  it("draws the caterpillar from ranks only: no therapist labels in the data", () => {
    const spec = caterpillarSpec(edgeResults()) as { data: { values: Array<Record<string, unknown>> } }
    expect(spec.data.values.map((v) => Object.keys(v).sort())).toEqual(Array(3).fill(["estimate", "lower", "rank", "upper"]))
  })

  it("signs the session-level coefficients so that positive means a better outcome", () => {
    const full = fullResults()
    const w = full.multilevel.within_between
    if (w.status !== "estimated") throw new Error("fixture")
    const rows = withinBetweenRows(full)
    expect(rows.map((r) => r.part)).toHaveLength(4)
    // lower is better in the full fixture: the session rows are the negated standardized coefficients
    expect(rows[3]!.estimate).toBe(-w.within.standardized)
    expect(rows[3]!.lower).toBe(-w.within.standardized_ci[1])
    // higher is better in the edge fixture, which has no decomposition: two rows, signs kept
    const edge = edgeResults()
    const ew = edge.multilevel.within_between
    if (ew.status !== "estimated") throw new Error("fixture")
    expect(withinBetweenRows(edge).map((r) => r.estimate)).toEqual([ew.between.standardized, ew.within.standardized])
  })
})

describe("multilevelRows", () => {
  it("gives fixed effects, ICCs, contrasts and variance components, and one row per model that could not be fitted", () => {
    const rows = multilevelRows(edgeResults())
    for (const row of rows) expect(row).toHaveLength(MULTILEVEL_COLUMNS.length)
    const kinds = (model: string) => rows.filter((r) => r[0] === model).map((r) => r[2])
    expect(kinds("therapist_icc")).toEqual(["fixed", "icc", "variance", "variance"])
    expect(kinds("site_adjusted")).toEqual([null])
    expect(rows.find((r) => r[0] === "alliance_decomposition")).toEqual([
      "alliance_decomposition", null, null, null, null, null, null, null, null, null, null, null, "not_estimable",
      'sessions.csv has no client-rated alliance column <b>"alliance"</b> & no subscales',
    ])
    expect(kinds("within_between")).toEqual(["fixed", "fixed", "fixed", "fixed", "standardized", "standardized", "contrast", "variance", "variance"])
  })
})
