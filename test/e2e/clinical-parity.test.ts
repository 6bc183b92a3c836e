/**
 * Acceptance (issue 7): the `clinical` section of results.json on the item-level example study
 * agrees with base R and psych recomputed from the raw CSVs by test/reference/clinical-example.R —
 * item scoring and proration (with the WAI-SR subscales' own limits, seen through the missingness
 * table), Jacobson–Truax, early alliance by category (oneway.test), the NHS Talking Therapies
 * metrics, ruptures and repairs, sudden gains (with t.test(paired = TRUE)), the alliance
 * trajectories (quantile type 7) and the binned intake × end scores.
 *
 * Tolerances: counts and classifications exactly; closed-form values 1e-10 relative; p values 1e-8
 * relative (or both below 1e-300); values derived from Cronbach's α (S_diff, the reliable-change
 * points, the sudden-gain minimum) 1e-9, as α comes from psych::alpha's own arithmetic. The R script
 * also records how far the nearest case lies from each classification threshold (`margins`), so
 * that exact agreement of the counts does not hang on the last bit of a double.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import type { ClinicalResults } from "../../data-schemas/clinical-results.ts"
import { Results } from "../../data-schemas/results.ts"
import { readFixture } from "../reference/read-fixture.ts"
import { relativeError } from "../tolerances.ts"
import { ROOT, runCli, tempDir } from "./run-cli.ts"

interface Subscale {
  items: number
  limit: number
  prorated: number
  excluded: number
  missing: number
}
interface Block {
  rows: number
  answered: number
  prorated: number
  excluded: number
  missing: number
  excluded_at: { line: number; missing: number[] }[]
  subscales: Record<string, Subscale> | []
}
interface FTest {
  statistic: number
  df1: number
  df2: number
  p: number
}
interface Comparison {
  status: "estimated" | "not_estimable"
  groups: { category: string; n: number; mean: number; sd: number }[]
  welch: FTest
  classic: FTest
}
interface Fixture {
  min_cell: number
  scoring: Record<string, Block>
  missing: Record<string, number>
  jacobson_truax: {
    n: number
    sd_pre: number
    alpha: number
    alpha_rows: number
    s_diff: number
    points: number
    cut_off: number
    counts: Record<"recovered" | "improved" | "unchanged" | "deteriorated", number>
    early_alliance: Comparison
  }
  talking_therapies: Record<string, number>
  ruptures: {
    within_client_sd: number
    threshold: number
    threshold_sd: number
    repair_window: number
    clients_rated: number
    transitions: number
    ruptures: number
    repaired: number
    clients_with_rupture: number
    rupture_rate: number
    repair_rate: number
    by_session: { session: number[]; transitions: number[]; ruptures: number[] }
    improvement: Comparison
  }
  sudden_gains: {
    minimum: number
    clients_with_series: number
    gains: number
    clients_with_gain: number
    first_gain_session: { median: number; q1: number; q3: number }
    alliance_around_gain: { n: number; before: number; after: number; difference: number; t: number; df: number; p: number }
    improvement: Comparison
  }
  trajectories: { category: string[]; session: number[]; n: number[]; median: number[]; q1: number[]; q3: number[] }
  pre_post_bins: { width: number; pre: number[]; post: number[]; n: number[]; suppressed: number }
}
const fixture = readFixture<Fixture>("clinical-example")
const EXAMPLE = join(ROOT, "examples", "item-level-study")

const CLOSED_FORM = 1e-10
const RELIABILITY = 1e-9
const P_VALUE = 1e-8

const close = (actual: number | null | undefined, expected: number, what: string, limit = CLOSED_FORM) => {
  expect(actual, what).toBeTypeOf("number")
  expect(relativeError(actual!, expected, 1e-300), `${what}: ${actual} vs R ${expected}`).toBeLessThanOrEqual(limit)
}

const closeP = (actual: number, expected: number, what: string) => {
  if (expected < 1e-300) expect(actual, what).toBeLessThan(1e-300)
  else close(actual, expected, `${what} p`, P_VALUE)
}

type Estimated<T> = Extract<T, { status: "estimated" }>
const estimated = <T extends { status: string }>(x: T, what: string): Estimated<T> => {
  if (x.status !== "estimated") throw new Error(`${what}: ${"reason" in x ? String(x.reason) : "not estimated"}`)
  return x as Estimated<T>
}

type GroupComparison = Estimated<ClinicalResults["ruptures"]>["improvement"]
const sameComparison = (actual: GroupComparison, expected: Comparison, what: string) => {
  expect(actual.status, what).toBe(expected.status)
  expect(actual.groups.map((g) => [g.category, g.n]), `${what} groups`).toEqual(expected.groups.map((g) => [g.category, g.n]))
  actual.groups.forEach((g, i) => {
    const e = expected.groups[i]!
    if (Number.isNaN(e.mean)) {
      expect([g.mean, g.sd], `${what} ${g.category}: below min_cell`).toEqual([null, null])
      return
    }
    close(g.mean, e.mean, `${what} ${g.category} mean`)
    close(g.sd, e.sd, `${what} ${g.category} sd`)
  })
  const a = estimated(actual, what)
  for (const test of ["welch", "classic"] as const) {
    close(a[test].statistic, expected[test].statistic, `${what} ${test} F`)
    close(a[test].df1, expected[test].df1, `${what} ${test} df1`)
    close(a[test].df2, expected[test].df2, `${what} ${test} df2`)
    closeP(a[test].p, expected[test].p, `${what} ${test}`)
  }
}

describe("the clinical section against base R and psych on the item-level example", () => {
  let results: Results
  let clinical: ClinicalResults
  beforeAll(() => {
    const out = join(tempDir("clinical"), "report")
    const run = runCli([EXAMPLE, "--out", out])
    expect(run.code, run.stderr).toBe(0)
    results = Results.parse(JSON.parse(readFileSync(join(out, "results.json"), "utf8")))
    clinical = results.clinical
  }, 120_000)

  it("scores every item block with the same proration and exclusions, listing the same lines", () => {
    expect(clinical.scoring.map((s) => s.key)).toEqual(expect.arrayContaining(Object.keys(fixture.scoring)))
    expect(clinical.scoring.length).toBe(Object.keys(fixture.scoring).length)
    for (const row of clinical.scoring) {
      const e = fixture.scoring[row.key]!
      expect({ rows: row.rows, answered: row.answered, prorated: row.prorated, excluded: row.excluded }, row.key).toEqual({
        rows: e.rows,
        answered: e.answered,
        prorated: e.prorated,
        excluded: e.excluded,
      })
      expect(row.excluded_at, `${row.key} excluded_at`).toEqual(e.excluded_at)
    }
  })

  it("leaves the same totals and WAI-SR subscales missing (missingness of the scored columns)", () => {
    const missing = new Map(results.descriptives.missingness.map((m) => [m.column, m.n_missing]))
    for (const [column, n] of Object.entries(fixture.missing)) expect(missing.get(column), column).toBe(n)
    // the subscales allow ⌊2 · 4 / 12⌋ = 0 missing items: never prorated
    const wai = fixture.scoring["wai_sr_session"]!.subscales as Record<string, Subscale>
    for (const name of ["task", "bond", "goal"]) expect([wai[name]!.limit, wai[name]!.prorated], name).toEqual([0, 0])
  })

  it("matches Jacobson–Truax: SD at intake, α, S_diff, the cut-off and the category counts", () => {
    const jt = estimated(clinical.jacobson_truax, "jacobson_truax")
    const f = fixture.jacobson_truax
    expect(jt.n).toBe(f.n)
    expect(jt.reliable_change.rule).toBe("rci")
    close(jt.reliable_change.sd_pre, f.sd_pre, "sd_pre")
    close(jt.reliable_change.reliability, f.alpha, "α", RELIABILITY)
    close(jt.reliable_change.s_diff, f.s_diff, "S_diff", RELIABILITY)
    close(jt.reliable_change.points, f.points, "points", RELIABILITY)
    expect(jt.cut_off.value).toBe(f.cut_off)
    expect(jt.counts).toEqual(f.counts)
    const intake = clinical.reliability.find((r) => r.key === "phq9_baseline" && r.scale === "total")
    expect(intake?.n, "rows of the intake α").toBe(f.alpha_rows)
  })

  it("matches early alliance by category: n, mean, SD and oneway.test (Welch and equal variances)", () => {
    sameComparison(estimated(clinical.jacobson_truax, "jacobson_truax").early_alliance, fixture.jacobson_truax.early_alliance, "early alliance")
  })

  it("matches every NHS Talking Therapies count and rate", () => {
    const t = estimated(clinical.talking_therapies, "talking_therapies")
    const f = fixture.talking_therapies
    expect(t.sessions_from).toBe("sessions_attended")
    for (const key of ["courses", "finished", "finished_cases", "recovered", "reliably_improved", "reliably_deteriorated", "reliably_recovered"] as const) {
      expect(t[key], key).toBe(f[key])
    }
    for (const key of ["recovery_rate", "reliable_improvement_rate", "reliable_deterioration_rate", "reliable_recovery_rate"] as const) {
      close(t[key], f[key]!, key)
    }
  })

  it("matches ruptures and repairs: pooled SD, counts, rates, the by-session table and improvement by group", () => {
    const r = estimated(clinical.ruptures, "ruptures")
    const f = fixture.ruptures
    close(r.within_client_sd, f.within_client_sd, "within-client SD")
    close(r.threshold, f.threshold, "threshold")
    expect([r.threshold_sd, r.repair_window]).toEqual([f.threshold_sd, f.repair_window])
    expect({ rated: r.clients_rated, transitions: r.transitions, ruptures: r.ruptures, repaired: r.repaired, clients: r.clients_with_rupture }).toEqual({
      rated: f.clients_rated,
      transitions: f.transitions,
      ruptures: f.ruptures,
      repaired: f.repaired,
      clients: f.clients_with_rupture,
    })
    close(r.rupture_rate, f.rupture_rate, "rupture rate")
    close(r.repair_rate, f.repair_rate, "repair rate")
    // disclosure control (k = 5) shows R's count at each session unless it is 1 to 4, or hidden
    // beside such a count so that it cannot be worked out from the total (src/privacy/disclosure/)
    const k = results.settings.privacy.k
    const expected = f.by_session.session.map((session, i) => ({ session, transitions: f.by_session.transitions[i]!, ruptures: f.by_session.ruptures[i]! }))
    expect(r.by_session.map((b, i) => (b.ruptures === null ? { ...b, ruptures: expected[i]?.ruptures } : b))).toEqual(expected)
    const small = (n: number) => n >= 1 && n < k
    const suppressed = expected.filter((_, i) => r.by_session[i]!.ruptures === null).map((e) => e.ruptures)
    expect(expected.filter((e) => small(e.ruptures)).length).toBeGreaterThan(0) // so this checks something
    for (const [i, e] of expected.entries()) if (small(e.ruptures)) expect(r.by_session[i]!.ruptures, `session ${e.session}`).toBeNull()
    expect(suppressed.some(small)).toBe(true)
    sameComparison(r.improvement, f.improvement, "improvement by rupture")
  })

  it("matches sudden gains: counts, first-gain quartiles, the paired t test of alliance and improvement", () => {
    const g = estimated(clinical.sudden_gains, "sudden_gains")
    const f = fixture.sudden_gains
    close(g.minimum, f.minimum, "minimum", RELIABILITY)
    expect({ series: g.clients_with_series, gains: g.gains, clients: g.clients_with_gain }).toEqual({
      series: f.clients_with_series,
      gains: f.gains,
      clients: f.clients_with_gain,
    })
    expect(g.first_gain_session).not.toBeNull()
    for (const key of ["median", "q1", "q3"] as const) close(g.first_gain_session![key], f.first_gain_session[key], `first gain ${key}`)
    const t = estimated(g.alliance_around_gain, "alliance_around_gain")
    const e = f.alliance_around_gain
    expect([t.n, t.df]).toEqual([e.n, e.df])
    close(t.before, e.before, "alliance before")
    close(t.after, e.after, "alliance after")
    close(t.difference, e.difference, "difference")
    close(t.t, e.t, "t")
    closeP(t.p, e.p, "paired t")
    sameComparison(g.improvement, f.improvement, "improvement by sudden gain")
  })

  it("matches the trajectories (type 7 quartiles by category and session) and the pre/post bins", () => {
    const f = fixture.trajectories
    expect(clinical.trajectories.map((p) => [p.category, p.session, p.n])).toEqual(f.category.map((c, i) => [c, f.session[i], f.n[i]]))
    clinical.trajectories.forEach((p, i) => {
      const what = `${p.category} session ${p.session}`
      close(p.median, f.median[i]!, `${what} median`)
      close(p.q1, f.q1[i]!, `${what} q1`)
      close(p.q3, f.q3[i]!, `${what} q3`)
    })
    const b = clinical.pre_post_bins
    const e = fixture.pre_post_bins
    expect(b).not.toBeNull()
    expect(b!.width).toBe(e.width)
    expect(b!.suppressed).toBe(e.suppressed)
    expect(b!.cells).toEqual(e.pre.map((pre, i) => ({ pre, post: e.post[i], n: e.n[i] })))
  })
})
