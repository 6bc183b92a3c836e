/**
 * Disclosure control of a results record (src/privacy/disclosure/control.ts) on the report
 * fixtures: what it leaves alone, what it suppresses, what it withholds, and strict mode's extras.
 */
import { describe, expect, it } from "vitest"
import { Results } from "../../../data-schemas/results.ts"
import { controlDisclosure, type Uncontrolled } from "../../../src/privacy/disclosure/control.ts"
import { fullResults } from "../../report/fixtures/load.ts"

const uncontrolled = (): Uncontrolled => {
  const { disclosure: _, ...rest } = fullResults()
  return structuredClone(rest)
}
const standard = { mode: "standard", k: 5 } as const
const strict = { mode: "strict", k: 10 } as const

type Estimated<T> = Extract<T, { status: "estimated" }>
const estimated = <T extends { status: string }>(x: T): Estimated<T> => {
  if (x.status !== "estimated") throw new Error("fixture")
  return x as Estimated<T>
}

describe("controlDisclosure", () => {
  it("leaves a record without small counts as it was, adding its own record, and passes the schema", () => {
    const input = uncontrolled()
    // the fixture has one rupture at a session not listed (next test); here none
    estimated(input.clinical.ruptures).ruptures = 1185
    const out = controlDisclosure(input, standard)
    expect(() => Results.parse(out)).not.toThrow()
    const { disclosure, ...rest } = out
    expect(rest).toEqual(input)
    expect(disclosure).toMatchObject({ mode: "standard", k: 5, suppressed: [], withheld: [] })
    expect(disclosure.rule).toContain("Counts of 1 to 4 clients in subgroup tables are suppressed ([c])")
  })

  it("protects a count the report does not show: the one rupture at sessions not listed, by hiding the smallest listed session", () => {
    const input = uncontrolled()
    const r = estimated(input.clinical.ruptures)
    expect(r.ruptures! - r.by_session.reduce((n, b) => n + b.ruptures!, 0)).toBe(1)
    const out = controlDisclosure(input, standard)
    const hidden = estimated(out.clinical.ruptures).by_session.filter((b) => b.ruptures === null).map((b) => b.session)
    expect(hidden).toEqual([10]) // 61 ruptures, the fewest of the sessions listed
    expect(out.disclosure.suppressed).toEqual([{ table: "clinical.ruptures.by_session", cells: 1 }])
  })

  it("does not change the record it is given", () => {
    const input = uncontrolled()
    estimated(input.clinical.ruptures).by_session[0]!.ruptures = 2
    const before = structuredClone(input)
    controlDisclosure(input, standard)
    expect(input).toEqual(before)
  })

  it("suppresses a count whose complement in its denominator is small, with its rate", () => {
    const input = uncontrolled()
    const t = estimated(input.clinical.talking_therapies)
    t.reliably_improved = t.finished! - 2
    t.reliably_deteriorated = 0
    t.reliably_recovered = 0
    const out = estimated(controlDisclosure(input, standard).clinical.talking_therapies)
    expect([out.reliably_improved, out.reliable_improvement_rate]).toEqual([null, null])
    expect(out.finished).toBe(t.finished)
  })

  it("withholds a table no pattern protects, and the intake × end chart that would bound it", () => {
    const input = uncontrolled()
    const jt = estimated(input.clinical.jacobson_truax)
    // two clients, both recovered: the headline n gives every pattern away
    jt.n = 2
    jt.counts = { recovered: 2, improved: 0, unchanged: 0, deteriorated: 0 }
    jt.early_alliance = { status: "not_estimable", reason: "fewer than two groups of at least 10 clients (min_cell)", groups: [{ category: "recovered", n: 2, mean: null, sd: null }] }
    input.clinical.trajectories = []
    const out = controlDisclosure(input, standard)
    const j = estimated(out.clinical.jacobson_truax)
    expect(j.counts).toEqual({ recovered: null, improved: null, unchanged: null, deteriorated: null })
    expect(out.disclosure.withheld.map((w) => w.table)).toEqual(["clinical.jacobson_truax", "clinical.jacobson_truax.early_alliance", "clinical.pre_post_bins"])
    expect(out.clinical.pre_post_bins).toBeNull()
  })

  it("suppresses a category's trajectory n with its count, and the early-alliance group beside it", () => {
    const input = uncontrolled()
    const jt = estimated(input.clinical.jacobson_truax)
    jt.counts = { recovered: 401, improved: 246, unchanged: 452, deteriorated: 3 }
    jt.early_alliance = {
      status: "not_estimable",
      reason: "fixture",
      groups: jt.early_alliance.groups.map((g) => (g.category === "deteriorated" ? { ...g, n: 3, mean: null, sd: null } : g)),
    }
    input.clinical.trajectories = input.clinical.trajectories.filter((p) => p.category !== "deteriorated")
    const out = controlDisclosure(input, standard)
    const counts = estimated(out.clinical.jacobson_truax).counts
    const hidden = Object.entries(counts).filter(([, n]) => n === null).map(([c]) => c)
    expect(hidden).toContain("deteriorated")
    expect(hidden.length).toBeGreaterThanOrEqual(2)
    for (const p of out.clinical.trajectories) expect(p.n === null, `${p.category} ${p.session}`).toBe(hidden.includes(p.category))
    const ea = estimated(out.clinical.jacobson_truax).early_alliance.groups.find((g) => g.category === "deteriorated")!
    expect(ea.n).toBeNull()
    expect(out.clinical.pre_post_bins).toBeNull()
  })

  it("strict: suppresses small missing-data counts and drops line numbers, minima and maxima, rebuilding the warnings", () => {
    const input = uncontrolled()
    input.descriptives.missingness[0]!.n_missing = 3
    input.descriptives.missingness[0]!.percent = (100 * 3) / input.descriptives.missingness[0]!.n
    input.warnings.push({ code: "items_excluded", message: "6 rows of clients.csv had … the first at line 15 (items 3, 7 missing)." })
    const out = controlDisclosure(input, strict)
    expect(out.disclosure).toMatchObject({ mode: "strict", k: 10 })
    expect(out.descriptives.missingness[0]).toMatchObject({ n_missing: null, percent: null })
    // 6 excluded rows of phq9_baseline are below 10 too
    expect(out.clinical.scoring[0]).toMatchObject({ excluded: null, excluded_at: [] })
    expect(out.clinical.scoring.every((s) => s.excluded_at.length === 0)).toBe(true)
    expect(out.descriptives.sessions_per_client).toMatchObject({ min: null, max: null })
    const warning = out.warnings.find((w) => w.code === "items_excluded")!
    expect(warning.message).toContain("were left unscored (their number is suppressed: strict privacy).")
    expect(warning.message).not.toMatch(/line \d/)
    expect(() => Results.parse(out)).not.toThrow()
  })
})
