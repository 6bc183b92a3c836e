/** The clinical section, figures, tables and summary lines of the report (src/report/clinical/). */
import { describe, expect, it } from "vitest"
import { ClinicalResults } from "../../data-schemas/clinical-results.ts"
import { Results } from "../../data-schemas/results.ts"
import {
  CATEGORY_COLORS,
  clinicalFigures,
  cutOffLine,
  jacobsonTruaxLines,
  jacobsonTruaxSpec,
  NO_CHANGE,
  reliableChangeLine,
  ruptureRates,
  trajectoriesSpec,
} from "../../src/report/clinical/figures.ts"
import { CLINICAL_HEADING, CLINICAL_REFERENCES, clinicalMethods, clinicalSection } from "../../src/report/clinical/html.ts"
import { exclusionText } from "../../src/report/clinical/html-measures.ts"
import { CATEGORY_COLUMNS, CLINICAL_ESTIMATE_COLUMNS, RELIABILITY_COLUMNS, RELIABILITY_ITEM_COLUMNS, RUPTURE_COLUMNS } from "../../src/report/clinical/tables.ts"
import { formatCount, formatPercent } from "../../src/report/format.ts"
import { escapeHtml } from "../../src/report/html-sections.ts"
import { renderSummaryMarkdown } from "../../src/report/markdown.ts"
import { renderReport, reportFigures } from "../../src/report/render-report.ts"
import { compileSpec, renderSvg } from "../../src/report/svg.ts"
import { renderTables } from "../../src/report/tables.ts"
import { clinicalEdge, clinicalFull, clinicalNone } from "./fixtures/clinical.ts"
import { edgeResults, fullResults } from "./fixtures/load.ts"

type Estimated<T> = Extract<T, { status: "estimated" }>
const estimated = <T extends { status: string }>(x: T): Estimated<T> => {
  if (x.status !== "estimated") throw new Error("fixture")
  return x as Estimated<T>
}

/** The full fixture with another clinical section, checked by the results schema. */
const withClinical = (clinical: ClinicalResults, base: Results = fullResults()): Results => Results.parse({ ...base, clinical })

const SCRIPT = "<script>alert(1)</script>"

/** The full section with labels from the data that are HTML, and the branches the fixtures leave out. */
const hostile = (): ClinicalResults => {
  const c = clinicalFull()
  const jt = estimated(c.jacobson_truax)
  const tt = estimated(c.talking_therapies)
  const r = estimated(c.ruptures)
  const alliance = c.instruments.alliance!
  const scale = c.reliability[2]!
  return {
    ...c,
    instruments: { ...c.instruments, alliance: { ...alliance, name: SCRIPT, licence: "<i>licence</i> & more" } },
    scoring: [{ ...c.scoring[0]!, key: SCRIPT, file: "<b>clients.csv</b>", excluded: 1, excluded_at: [{ line: 9, missing: [4] }] }],
    reliability: [{ ...scale, scale: SCRIPT, omega_total: null, item_statistics: scale.item_statistics.map((s, i) => (i === 0 ? { ...s, alpha_if_deleted: null } : s)) }],
    jacobson_truax: { ...jt, early_alliance: { ...estimated(jt.early_alliance), groups: estimated(jt.early_alliance).groups.map((g, i) => (i === 0 ? { ...g, category: SCRIPT } : g)) } },
    talking_therapies: { ...tt, thresholds: { ...tt.thresholds, verified: true }, recovery_rate: null },
    ruptures: { ...r, ruptures: 0, repaired: 0, repair_rate: null, rupture_rate: 0, by_session: r.by_session.map((b) => ({ ...b, ruptures: 0 })) },
    trajectories: c.trajectories.map((t) => (t.category === "unchanged" ? { ...t, category: SCRIPT } : t)),
  }
}

describe("the clinical fixtures", () => {
  it("are accepted by the results schema and embedded in the JSON fixtures", () => {
    expect(fullResults().clinical).toEqual(clinicalFull())
    expect(edgeResults().clinical).toEqual(clinicalEdge())
    for (const c of [clinicalNone(), hostile()]) expect(ClinicalResults.parse(c)).toEqual(c)
  })
})

describe("clinicalSection", () => {
  const full = clinicalSection(fullResults())
  const edge = clinicalSection(edgeResults())
  const none = clinicalSection(withClinical(clinicalNone()))

  it("lists the instruments with their thresholds, sources, unverified markers, study-file overrides and licences", () => {
    expect(full).toContain(`<section id="clinical">\n<h2>${CLINICAL_HEADING}</h2>`)
    expect(full).toContain("<td>PHQ-9 (Patient Health Questionnaire, depression)</td><td>Outcome</td><td>named in the study file</td>")
    expect(full).toContain('10 <span class="unverified">(unverified)</span><sup>a</sup><br><span class="source">Kroenke et al. (2001); NHS Talking Therapies caseness (REFERENCES.md)</span>')
    expect(full).toContain('<td class="wrap" colspan="1">8 (study file)<br><span class="source">lab protocol v2 (study file)</span></td>')
    expect(full).toContain("<td>Alliance</td><td>named in the study file</td><td>— (none published)</td>")
    expect(full).toContain("<sup>a</sup> Unverified: taken from the source named")
    expect(full).toContain("<strong>GAD-7 (Generalized Anxiety Disorder scale)</strong>: Free to use without permission (Pfizer)")
    expect(edge).toContain("The alliance measure (SRS) is not in the instrument registry.")
    expect(none).toContain("The outcome measure (PHQ-9) is not in the instrument registry")
    expect(none).not.toContain("<table>")
  })

  it("gives the scoring of item columns with the first exclusions, only when there are item columns", () => {
    expect(full).toContain("<td><code>wai_sr_session</code> (session)</td><td><code>sessions.csv</code></td><td>12</td><td>up to 2 missing</td><td>14,875</td><td>14,410</td><td>388</td><td>25</td>")
    expect(full).toContain("<code>phq9_baseline</code> in <code>clients.csv</code> (all 6): line 15 (items 3, 7); line 212 (items 1, 2);")
    expect(full).toContain("<code>wai_sr_session</code> in <code>sessions.csv</code> (the first 20 of 25): line 40 (items 1, 5, 9);")
    expect(exclusionText({ line: 20, missing: [2] })).toBe("line 20 (item 2)")
    for (const html of [edge, none]) expect(html).not.toContain("<h3>Scoring of item columns</h3>")
  })

  it("gives α with its Feldt interval, standardized α, λ6 and ω, and the item statistics in a collapsible block per scale", () => {
    expect(full).toContain("<td>Total (<code>phq9_baseline</code>)</td><td class=\"wrap\" colspan=\"1\">rows with every item answered</td><td>1,350</td><td>9</td><td>.86 [.85, .87]</td><td>.86</td><td>.87</td><td>.87</td>")
    expect(full.match(/<details>/g)).toHaveLength(fullResults().clinical.reliability.length)
    expect(full).toContain("<summary>Item statistics: PHQ-9 (Patient Health Questionnaire, depression), total (<code>phq9_baseline</code>)</summary>")
    expect(full).toContain("<tr><td>1</td><td>1.42</td><td>0.82</td><td>.52</td><td>.87</td></tr>")
    const odd = clinicalSection(withClinical(hostile()))
    expect(odd).toMatch(/<td>\.84 \[\.83, \.85\]<\/td><td>\.84<\/td><td>\.85<\/td><td>—<\/td><\/tr>/)
    expect(odd).toMatch(/<tr><td>1<\/td><td>[\d.]+<\/td><td>[\d.]+<\/td><td>\.\d\d<\/td><td>—<\/td><\/tr>/)
    for (const html of [edge, none]) expect(html).not.toContain("<h3>Reliability</h3>")
  })

  it("states the Jacobson–Truax rule, SE variant, cut-off and counts, and early alliance by category with Welch's F", () => {
    expect(full).toContain("Of the 1,102 clients with an intake and an end PHQ-9 score, 401 recovered (36.4%), 196 improved (17.8%), 452 were unchanged (41.0%) and 53 deteriorated (4.8%).")
    expect(full).toContain("A change was reliable when |RCI| &gt; 1.96, with <i>S</i><sub>diff</sub> = 2.96, from <i>SD</i><sub>pre</sub> = 5.60 and <i>r</i><sub>xx</sub> = .86")
    expect(full).toContain("a change of at least 5.81 points")
    expect(full).toContain("Jacobson &amp; Truax (1991): <i>S</i><sub>diff</sub> = √2 · <i>SD</i><sub>pre</sub> · √(1 − <i>r</i><sub>xx</sub>)")
    expect(full).toContain('Clinical cut-off: 10 (Kroenke et al. (2001); NHS Talking Therapies caseness (REFERENCES.md) <span class="unverified">(unverified)</span><sup>a</sup>)')
    expect(full).toContain("<tr><td>Deteriorated</td><td>53</td><td>4.8%</td></tr>")
    expect(full).toContain("<tr><td>Recovered</td><td>395</td><td>4.02</td><td>0.55</td></tr>")
    expect(full).toContain("Welch's <i>F</i>(3, 196.42) = 14.83, <i>p</i> &lt; .001; equal-variance <i>F</i>(3, 1073) = 17.02, <i>p</i> &lt; .001.")
  })

  it("states a points rule, a study-file cut-off, small groups by their n only and why there is no test", () => {
    expect(edge).toContain('A change was reliable when it was at least 5 points (Miller et al. (2003) <span class="unverified">(unverified)</span><sup>a</sup>), a threshold in points, so no <i>S</i><sub>diff</sub> was computed')
    expect(edge).toContain("Clinical cut-off: 25.5 (study file: &quot;&lt;b&gt;lab&lt;/b&gt;&quot; cut-off &amp; norms); the functional side is above it")
    expect(edge).toContain('<tr><td>Improved</td><td>8</td><td class="wrap" colspan="2"><span class="na">fewer than 10 clients (min_cell): not shown</span></td></tr>')
    expect(edge).toContain('<p class="na">No test: fewer than two groups of at least 10 clients (min_cell).</p>')
    expect(edge).not.toContain("<b>lab</b>")
  })

  it("gives the Talking Therapies counts and rates, with the thresholds and whether they were verified", () => {
    expect(full).toContain("Caseness: PHQ-9 ≥ 10 or GAD-7 ≥ 8.")
    expect(full).toContain("<strong>Thresholds not verified against the current manual.</strong>")
    expect(full).toContain("<tr><td>Recovered</td><td>470</td><td>1,044 finished cases</td><td>45.0%</td></tr>")
    expect(full).toContain("<tr><td>Reliably deteriorated</td><td>61</td><td>1,180 finished courses</td><td>5.2%</td></tr>")
    const stated = clinicalSection(withClinical(hostile()))
    expect(stated).not.toContain("Thresholds not verified")
    expect(stated).toContain("The thresholds were stated in the study file.")
    expect(stated).toContain("<tr><td>Recovered</td><td>470</td><td>1,044 finished cases</td><td>—</td></tr>")
  })

  it("defines ruptures operationally, with the project's defaults, counts, rates and improvement by group", () => {
    const r = estimated(fullResults().clinical.ruptures)
    expect(full).toContain("a rupture is a drop in WAI-SR of at least 0.42 points from one rated session to the next")
    expect(full).toContain("that is 1 × the pooled within-client SD of 0.42 points; it counts as repaired when the alliance comes back to at least its level before the drop within the next 2 sessions")
    expect(full).toContain("Stiles et al. (2004) and the self-report rupture markers reviewed by Eubanks, Muran and Safran (2018)")
    expect(full).toContain("their defaults are this project's choice, not a published standard")
    expect(full).toContain(`There were ${formatCount(r.ruptures!)} ruptures (${formatPercent(r.rupture_rate! * 100)} of transitions) in 640 clients (55.7%); 790 were repaired (${formatPercent(r.repair_rate! * 100)} of ruptures).`)
    expect(full).toContain("Welch's <i>F</i>(2, 471.31) = 27.40, <i>p</i> &lt; .001")
    expect(edge).toContain('<p class="na">Ruptures and repairs could not be estimated: alliance does not vary within clients (or too few repeated ratings).</p>')
  })

  it("gives sudden gains, when the first gain happens, alliance around it and improvement with and without one", () => {
    expect(full).toContain("at least 5.81 points (the reliable-change threshold) that also meets the relative and stability criteria of Tang and DeRubeis (1999)")
    expect(full).toContain("Of 1,180 clients with session scores, 188 (15.9%) had at least one sudden gain; there were 212 gains in all. The first gain came after session 4 (median; IQR 3–6.25).")
    expect(full).toContain("paired <i>t</i>(170) = 4.12, <i>p</i> &lt; .001, <i>n</i> = 171 first gains")
    expect(full).toContain("<tr><td>Sudden gain</td><td>185</td><td>11.23</td><td>4.91</td></tr>")
    expect(edge).toContain("The session of the first gain is not shown: fewer than 10 clients (min_cell) had a gain.")
    expect(edge).toContain("Alliance around the first gain could not be compared: fewer than 10 first gains with alliance rated at both sessions (min_cell).")
  })

  it("shows the reason of everything that could not be estimated", () => {
    const c = clinicalNone()
    for (const reason of [c.jacobson_truax, c.talking_therapies, c.ruptures, c.sudden_gains].map((x) => (x.status === "not_estimable" ? x.reason : ""))) {
      expect(none).toContain(`could not be estimated: ${escapeHtml(reason)}.`)
    }
    expect(edge).toContain("The NHS Talking Therapies metrics could not be estimated: needs PHQ-9 as the outcome and GAD-7 as the second outcome.")
  })

  it("escapes every label from the data", () => {
    const odd = withClinical(hostile())
    expect(clinicalSection(odd)).not.toContain("<script")
    expect(clinicalSection(odd)).not.toContain("<b>clients.csv</b>")
    expect(renderSummaryMarkdown(odd)).not.toMatch(/(?<!\\)<script/)
    expect(renderSummaryMarkdown(odd)).toContain("wai\\_sr\\_session \\<script\\>alert(1)\\</script\\> .84")
    const html = clinicalSection(odd)
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;")
    expect(html).toContain("<tr><td>&lt;script&gt;alert(1)&lt;/script&gt;</td><td>395</td>")
    expect(html).toContain("&lt;i&gt;licence&lt;/i&gt; &amp; more")
    expect(html).toContain("<code>&lt;script&gt;alert(1)&lt;/script&gt;</code> in <code>&lt;b&gt;clients.csv&lt;/b&gt;</code> (all 1): line 9 (item 4).")
  })

  it("prints no NaN or undefined, and adds its methods and references to the report", async () => {
    for (const r of [fullResults(), edgeResults(), withClinical(clinicalNone()), withClinical(hostile())]) {
      for (const text of [clinicalSection(r), clinicalMethods(r)]) expect(text).not.toMatch(/NaN|undefined/)
    }
    // the edge fixture's own reasons say "undefined": only the full fixture's summary is checked
    for (const r of [fullResults(), withClinical(clinicalNone()), withClinical(hostile())]) expect(renderSummaryMarkdown(r)).not.toMatch(/NaN|undefined/)
    const html = (await renderReport(fullResults())).find((f) => f.path === "report.html")!.contents
    expect(html.indexOf('id="clinical"')).toBeGreaterThan(html.indexOf('id="common-factors"'))
    expect(html.indexOf('id="clinical"')).toBeLessThan(html.indexOf('id="figures"'))
    expect(html).toContain("Welch's (1951) heteroscedastic one-way <i>F</i> test")
    for (const ref of CLINICAL_REFERENCES) expect(html).toContain(`<li>${escapeHtml(ref)}</li>`)
    expect(CLINICAL_REFERENCES.some((r) => r.startsWith("Jacobson, N. S., & Truax, P. (1991).") && r.includes("59(1), 12–19"))).toBe(true)
    expect(CLINICAL_REFERENCES.some((r) => r.startsWith("NHS England") && r.includes("not been verified"))).toBe(true)
  })
})

describe("clinical figures", () => {
  const names = (r: Results) => reportFigures(r).map((f) => f.name)

  it("come after the common-factor figures, and compile and render without warnings", async () => {
    expect(names(fullResults()).slice(-5)).toEqual(["common-factors", "lambert-comparison", "alliance-trajectories", "rupture-markers", "jacobson-truax"])
    for (const r of [fullResults(), edgeResults(), withClinical(hostile())]) {
      for (const f of clinicalFigures(r)) {
        expect(compileSpec(f.spec).warnings).toEqual([])
        const svg = await renderSvg(f.spec)
        expect(svg).toContain("<svg")
        expect(svg).toContain(f.title)
        expect(svg).not.toContain("<script")
        expect(svg).not.toMatch(/NaN|undefined/)
      }
    }
  })

  it("are absent when there is nothing to draw", () => {
    expect(clinicalFigures(withClinical(clinicalNone()))).toEqual([])
    expect(names(edgeResults())).not.toContain("rupture-markers")
    expect(names(edgeResults()).slice(-2)).toEqual(["alliance-trajectories", "jacobson-truax"])
    const c = clinicalFull()
    const noSessions = withClinical({ ...c, ruptures: { ...estimated(c.ruptures), by_session: [] }, trajectories: [], pre_post_bins: { width: 3, cells: [], suppressed: 40 } })
    expect(clinicalFigures(noSessions)).toEqual([])
  })

  it("draws alliance trajectories on the alliance range, one fixed colour per outcome category", () => {
    const spec = trajectoriesSpec(fullResults()) as unknown as { data: { values: unknown[] }; layer: Array<{ encoding: { y: { scale: { domain: number[] } }; color: { scale: { domain: string[]; range: string[] } } } }> }
    expect(spec.data.values).toHaveLength(fullResults().clinical.trajectories.length)
    for (const layer of spec.layer) {
      expect(layer.encoding.y.scale.domain).toEqual([1, 5])
      expect(layer.encoding.color.scale.domain).toEqual(["recovered", "improved", "unchanged", "deteriorated"])
      expect(layer.encoding.color.scale.range).toEqual(Object.values(CATEGORY_COLORS))
    }
    const edge = trajectoriesSpec(edgeResults()) as unknown as typeof spec
    expect(edge.layer[0]!.encoding.y.scale.domain).toEqual([0, 40])
    expect(edge.layer[0]!.encoding.color.scale.domain).toEqual(["recovered", "unchanged"])
  })

  it("marks the rupture rate at each session", () => {
    const r = estimated(fullResults().clinical.ruptures)
    expect(ruptureRates(r).map((p) => [p.session, p.rate])).toEqual(r.by_session.map((b) => [b.session, b.ruptures! / b.transitions]))
    const caption = clinicalFigures(fullResults()).find((f) => f.name === "rupture-markers")!.caption
    expect(caption).toContain("a drop in WAI-SR of at least 0.42 points (1 × the within-client SD) from the session before. Sessions with fewer than 10 transitions are left out.")
  })

  it("draws the binned intake × end scores with the no-change diagonal, the reliable-change band and the cut-off", () => {
    const full = fullResults()
    const jt = estimated(full.clinical.jacobson_truax)
    const p = jt.reliable_change.points
    const lines = jacobsonTruaxLines(full)
    expect(lines).toEqual([
      { line: NO_CHANGE, x: 0, y: 0, x2: 27, y2: 27 },
      { line: reliableChangeLine(p), x: 0, y: p, x2: 27 - p, y2: 27 },
      { line: reliableChangeLine(p), x: p, y: 0, x2: 27, y2: 27 - p },
      { line: cutOffLine(10), x: 10, y: 0, x2: 10, y2: 27 },
      { line: cutOffLine(10), x: 0, y: 10, x2: 27, y2: 10 },
    ])
    const bins = full.clinical.pre_post_bins!
    const spec = jacobsonTruaxSpec(full, bins) as unknown as { layer: Array<{ data: { values: Array<Record<string, number>> }; encoding: { x: { scale: { domain: number[] } }; y: { scale: { domain: number[] } } } }> }
    expect(spec.layer[0]!.data.values).toHaveLength(bins.cells.length)
    expect(spec.layer[0]!.data.values[0]).toEqual({ pre: bins.cells[0]!.pre, pre_end: bins.cells[0]!.pre + 3, post: bins.cells[0]!.post, post_end: bins.cells[0]!.post + 3, n: bins.cells[0]!.n })
    for (const layer of spec.layer) {
      expect(layer.encoding.x.scale.domain).toEqual([0, 27])
      expect(layer.encoding.y.scale.domain).toEqual([0, 27])
    }
    const caption = clinicalFigures(full).find((f) => f.name === "jacobson-truax")!.caption
    expect(caption).toContain(`No individual points are shown; cells with fewer than 10 clients are suppressed (${formatCount(bins.suppressed)} clients not shown).`)
    expect(caption).toContain("dashed lines: a change of ± 5.81 points (reliable change); dotted lines: the clinical cut-off of 10 on both axes.")
  })

  it("draws only the diagonal when the categories could not be estimated", () => {
    const none = clinicalNone()
    const r = withClinical({ ...clinicalFull(), jacobson_truax: none.jacobson_truax })
    expect(jacobsonTruaxLines(r).map((l) => l.line)).toEqual([NO_CHANGE])
    expect(clinicalFigures(r).find((f) => f.name === "jacobson-truax")!.caption).toContain("The reliable-change band and the cut-off are not drawn")
  })
})

describe("clinical tables", () => {
  const table = (r: Results, name: string) => renderTables(r).find((t) => t.name === name)?.csv.trimEnd().split("\n") ?? null

  it("are written only when they have rows", () => {
    const clinicalNames = (r: Results) => renderTables(r).map((t) => t.name).filter((n) => /^(clinical|reliability|ruptures)/.test(n))
    expect(clinicalNames(fullResults())).toEqual(["clinical-categories.csv", "clinical-estimates.csv", "reliability-items.csv", "reliability.csv", "ruptures.csv"])
    expect(clinicalNames(edgeResults())).toEqual(["clinical-categories.csv", "clinical-estimates.csv"])
    expect(clinicalNames(withClinical(clinicalNone()))).toEqual(["clinical-estimates.csv"])
  })

  it("write reliability by scale and by item at full precision", () => {
    const rows = table(fullResults(), "reliability.csv")!
    expect(rows[0]).toBe(RELIABILITY_COLUMNS.join(","))
    expect(rows[1]).toBe('phq9_baseline,total,"PHQ-9 (Patient Health Questionnaire, depression)",rows with every item answered,1350,1 2 3 4 5 6 7 8 9,9,0.86,0.848,0.871,0.863,0.871,0.4057,0.0061,0.868')
    const items = table(fullResults(), "reliability-items.csv")!
    expect(items[0]).toBe(RELIABILITY_ITEM_COLUMNS.join(","))
    expect(items).toHaveLength(1 + fullResults().clinical.reliability.reduce((s, r) => s + r.item_statistics.length, 0))
  })

  it("write the groups and F tests of each comparison, small groups without their mean", () => {
    const full = table(fullResults(), "clinical-categories.csv")!
    expect(full[0]).toBe(CATEGORY_COLUMNS.join(","))
    expect(full[1]).toBe(`jacobson_truax,group,recovered,401,${401 / 1102},early_alliance,395,4.021,0.551,,,,,estimated,`)
    expect(full).toContain("jacobson_truax,welch_f,,,,early_alliance,,,,14.8312,3,196.4172,1.3e-8,estimated,")
    expect(full).toContain("ruptures,group,a rupture unrepaired,,,improvement,210,5.14,5.93,,,,,estimated,")
    const edge = table(edgeResults(), "clinical-categories.csv")!
    expect(edge).toContain("jacobson_truax,group,improved,40,0.15384615384615385,early_alliance,8,,,,,,,estimated,")
    expect(edge).toContain("sudden_gains,classic_f,,,,improvement,,,,,,,,not_estimable,fewer than two groups of at least 10 clients (min_cell)")
  })

  it("write every other number with its denominator and source, and one row per section that could not be estimated", () => {
    const rows = table(fullResults(), "clinical-estimates.csv")!
    expect(rows[0]).toBe(CLINICAL_ESTIMATE_COLUMNS.join(","))
    expect(rows).toContain(`talking_therapies,recovered,${470 / 1044},470,1044,,,,,,estimated,`)
    expect(rows).toContain("talking_therapies,phq9_caseness,10,,,,,,NHS Talking Therapies manual,false,estimated,")
    expect(rows).toContain(`jacobson_truax,cut_off,10,,,,,,${"Kroenke et al. (2001); NHS Talking Therapies caseness (REFERENCES.md)"},false,estimated,`)
    expect(rows).toContain("sudden_gains,alliance_difference,0.147,171,,4.118,170,0.000059,,,estimated,")
    const none = table(withClinical(clinicalNone()), "clinical-estimates.csv")!
    expect(none.slice(1).map((r) => r.split(",").slice(0, 2).concat(r.split(",")[10]!))).toEqual([
      ["jacobson_truax", "categories", "not_estimable"],
      ["talking_therapies", "metrics", "not_estimable"],
      ["ruptures", "ruptures", "not_estimable"],
      ["sudden_gains", "sudden_gains", "not_estimable"],
    ])
  })

  it("write ruptures by session", () => {
    const rows = table(fullResults(), "ruptures.csv")!
    const first = estimated(fullResults().clinical.ruptures).by_session[0]!
    expect(rows[0]).toBe(RUPTURE_COLUMNS.join(","))
    expect(rows[1]).toBe(`${first.session},${first.transitions},${first.ruptures},${first.ruptures! / first.transitions}`)
  })
})

describe("renderSummaryMarkdown (clinical)", () => {
  it("adds the categories, α per scale, the Talking Therapies rates, the rupture rate and the sudden gains", () => {
    const md = renderSummaryMarkdown(fullResults())
    expect(md).toContain("**Clinical significance** (Jacobson–Truax, *n* = 1,102): recovered 401 (36.4%), improved 196 (17.8%), unchanged 452 (41.0%), deteriorated 53 (4.8%); a threshold is unverified.")
    expect(md).toContain("**Reliability** (Cronbach's *α*): phq9\\_baseline total .86 (*n* = 1,350), wai\\_sr\\_session total .91 (*n* = 1,180)")
    expect(md).toContain("recovery 45.0%, reliable improvement 66.9%, reliable deterioration 5.2%, reliable recovery 43.3% (thresholds not verified against the current manual).")
    const r = estimated(fullResults().clinical.ruptures)
    expect(md).toContain(`**Ruptures:** ${formatCount(r.ruptures!)} in ${formatCount(r.transitions)} session-to-session transitions (${formatPercent(r.rupture_rate! * 100)}), in 640 of 1,150 clients rated;`)
    expect(md).toContain("**Sudden gains:** 212 gains; 188 of 1,180 clients with session scores (15.9%) had at least one.")
  })

  it("gives the reasons when nothing could be estimated, and no rates without a denominator", () => {
    const md = renderSummaryMarkdown(withClinical(clinicalNone()))
    expect(md).toContain("**Clinical significance:** not estimable: no reliability: the study gives no intake items")
    expect(md).toContain("**Ruptures:** not estimable: no client has two consecutive rated sessions.")
    expect(md).toContain("**Sudden gains:** not estimable: no session symptom scores.")
    expect(md).not.toContain("**Reliability**")
    expect(md).not.toContain("**NHS Talking Therapies**")
    expect(renderSummaryMarkdown(withClinical(hostile()))).toContain("none to repair")
  })
})

describe("suppressed counts (disclosure control)", () => {
  /** The full fixture as disclosure control could leave it: some counts null, the F tests withheld. */
  const suppressed = (): Results => {
    const c = structuredClone(clinicalFull())
    const j = estimated(c.jacobson_truax)
    j.counts.deteriorated = null
    j.counts.improved = null
    j.early_alliance = { status: "not_estimable", reason: "withheld by disclosure control", groups: j.early_alliance.groups.map((g) => (g.category === "deteriorated" ? { ...g, n: null } : g)) }
    const t = estimated(c.talking_therapies)
    t.reliably_deteriorated = null
    t.reliable_deterioration_rate = null
    const r = estimated(c.ruptures)
    r.by_session[r.by_session.length - 1]!.ruptures = null
    r.clients_with_rupture = null
    const g = estimated(c.sudden_gains)
    g.clients_with_gain = null
    g.gains = null
    return Results.parse({
      ...fullResults(),
      clinical: c,
      disclosure: { ...fullResults().disclosure, suppressed: [{ table: "clinical.jacobson_truax", cells: 2 }, { table: "clinical.ruptures", cells: 2 }] },
    })
  }

  it("shows them as [c] in the clinical section, with their shares and rates, and says how many there are", async () => {
    const html = clinicalSection(suppressed())
    expect(html).toContain("<tr><td>Improved</td><td>[c]</td><td>[c]</td></tr>")
    expect(html).toContain("<tr><td>Deteriorated</td><td>[c]</td><td>[c]</td></tr>")
    expect(html).toMatch(/<tr><td>Reliably deteriorated<\/td><td>\[c\]<\/td><td>[\d,]+ finished courses<\/td><td>\[c\]<\/td><\/tr>/)
    expect(html).toMatch(/in \[c\] clients \(\[c\]\)/)
    expect(html).toContain("[c] ([c]) had at least one sudden gain; there were [c] gains in all.")
    expect(html).toContain("No test: withheld by disclosure control.")
    expect(html).not.toMatch(/NaN|undefined|null/)
    const page = (await renderReport(suppressed())).find((f) => f.path === "report.html")!.contents
    expect(page).toContain("4 counts are shown as <strong>[c]</strong> (suppressed): <code>clinical.jacobson_truax</code> (2), <code>clinical.ruptures</code> (2).")
  })

  it("writes [c] in the CSVs and the summary, and leaves the suppressed session out of the rupture chart", () => {
    const r = suppressed()
    const csv = (name: string) => renderTables(r).find((t) => t.name === name)!.csv
    expect(csv("clinical-categories.csv")).toContain("jacobson_truax,group,deteriorated,[c],[c],early_alliance,[c],")
    expect(csv("clinical-estimates.csv")).toMatch(/\ntalking_therapies,reliably_deteriorated,\[c\],\[c\],\d+,/)
    expect(csv("ruptures.csv").trimEnd().split("\n").at(-1)).toMatch(/^\d+,\d+,\[c\],\[c\]$/)
    const md = renderSummaryMarkdown(r)
    expect(md).toMatch(/improved \\\[c\\\], unchanged [\d,]+ \([\d.]+%\), deteriorated \\\[c\\\]/)
    expect(md).toContain("**Sudden gains:** \\[c\\] gains; \\[c\\] of")
    expect(md).toContain("**Privacy:** standard disclosure control, *k* = 5: 4 counts suppressed (\\[c\\]); 2 small sites merged.")
    const ru = estimated(r.clinical.ruptures)
    expect(ruptureRates(ru).map((p) => p.session)).toEqual(ru.by_session.slice(0, -1).map((b) => b.session))
    const caption = clinicalFigures(r).find((f) => f.name === "rupture-markers")!.caption
    expect(caption).toContain("Sessions whose count is suppressed ([c] in ruptures.csv) are left out.")
  })
})
