/**
 * Acceptance (issue 4): `run.ts synthesize` on a studies file writes the report, the figures and
 * results.json, and every number agrees with metafor / clubSandwich recomputed independently from
 * the same CSV by test/reference/synthesis.R (fixture: test/reference/fixtures/synthesis.json):
 * the bundled synthetic example (REML, z; three-level) and dat.mcdaniel1994 (DL, Knapp–Hartung,
 * chosen on the command line).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { SynthesisResults } from "../../data-schemas/synthesis-results.ts"
import { readFixture } from "../reference/read-fixture.ts"
import { relativeError, tolerance } from "../tolerances.ts"
import { ROOT, runCli, tempDir } from "./run-cli.ts"

interface ModelFixture {
  estimate: number
  se: number
  statistic: number
  p: number
  ci: number[]
  pi: number[]
  tau2: number
  i2: number
  h2: number
  q: number
  q_p: number
  tau2_ci?: number[]
  i2_ci?: number[]
}
interface ModeratorFixture {
  column: string
  k: number
  coefficients: number[]
  se: number[]
  p: number[]
  qm: number
  qm_p: number
  qe: number
  qe_p: number
  tau2: number
  r2: number
  subgroups?: Array<{ level: string; k: number; estimate: number; se: number; tau2: number }>
  q_between?: number
  q_between_p?: number
}
interface CaseFixture {
  model: ModelFixture
  weights: number[]
  estimators: Array<{ method: string; estimate: number; se: number; tau2: number; i2: number }>
  moderators: ModeratorFixture[]
  small_study: {
    egger: { statistic: number; p: number; limit_estimate: number; limit_ci: number[] }
    egger_classical: { statistic: number; p: number; limit_estimate: number }
    rank: { tau: number; p: number }
    trim_and_fill: Array<{ estimator: string; k0: number; side: string; estimate: number; ci: number[] }>
    fail_safe_n: Array<{ type: string; n: number }>
    leave_one_out: { estimate: number[]; tau2: number[] }
    influence: { rstudent: number[]; cook_d: number[]; hat: number[] }
  }
  three_level?: {
    estimate: number
    se: number
    statistic: number
    p: number
    ci: number[]
    pi: number[]
    sigma2: number[]
    i2: number[]
    q: number
    q_p: number
    log_likelihood: number
    robust: { se: number; statistic: number; df: number; p: number; ci: number[] }
    egger: { slope: number; se: number; statistic: number; p: number; robust_se: number; robust_statistic: number; robust_df: number; robust_p: number; limit_estimate: number }
    leave_one_study_out: Array<{ study: string; estimate: number; se: number; sigma2: number[] }>
  }
}
const fixture = readFixture<{ cases: { example: CaseFixture; mcdaniel_dl_knha: CaseFixture } }>("synthesis")

const TOL = tolerance.iterative
/** Asserts |actual − expected| ≤ TOL·max(|expected|, floor) element by element. */
const close = (actual: number | ReadonlyArray<number> | null | undefined, expected: number | ReadonlyArray<number>, what: string, floor = 1e-12) => {
  const a = typeof actual === "number" || actual === null || actual === undefined ? [actual] : actual
  const e = typeof expected === "number" ? [expected] : expected
  expect(a.length, what).toBe(e.length)
  e.forEach((x, i) => {
    const y = a[i]
    expect(typeof y, `${what}[${i}]`).toBe("number")
    expect(relativeError(y as number, x, floor), `${what}[${i}]: ${String(y)} vs R ${x}`).toBeLessThanOrEqual(TOL)
  })
}

const run = (args: ReadonlyArray<string>) => {
  const out = join(tempDir("synth"), "report")
  const cli = runCli(["synthesize", ...args, "--out", out])
  if (cli.code !== 0) throw new Error(`synthesize failed (${cli.code}): ${cli.stderr}`)
  return { out, results: SynthesisResults.parse(JSON.parse(readFileSync(join(out, "results.json"), "utf8"))) }
}

const compareTwoLevel = (results: SynthesisResults, f: CaseFixture) => {
  const m = results.model
  if (m.status !== "estimated") throw new Error("model not estimated")
  close(m.estimate, f.model.estimate, "estimate")
  close(m.se, f.model.se, "se")
  close(m.statistic, f.model.statistic, "statistic")
  close(m.p, f.model.p, "p", 1e-300)
  close(m.ci, f.model.ci, "ci")
  close(m.pi, f.model.pi, "pi")
  close(m.tau2, f.model.tau2, "tau2")
  close(m.i2, f.model.i2, "I2")
  close(m.h2, f.model.h2, "H2")
  close(m.q, f.model.q, "Q")
  close(m.q_p, f.model.q_p, "Q p", 1e-300)
  if (f.model.tau2_ci !== undefined) close(m.tau2_ci, f.model.tau2_ci, "tau2 CI")
  if (f.model.i2_ci !== undefined) close(m.i2_ci, f.model.i2_ci, "I2 CI")
  close(results.effects.map((e) => e.weight ?? Number.NaN), f.weights, "weights")
  for (const ref of f.estimators) {
    const e = results.estimators.find((x) => x.method === ref.method)?.model
    if (e?.status !== "estimated") throw new Error(`estimator ${ref.method} not estimated`)
    close([e.estimate, e.se, e.tau2, e.i2], [ref.estimate, ref.se, ref.tau2, ref.i2], `estimator ${ref.method}`)
  }
}

const compareModerators = (results: SynthesisResults, f: CaseFixture) => {
  expect(results.moderators.map((m) => m.column)).toEqual(f.moderators.map((m) => m.column))
  for (const ref of f.moderators) {
    const m = results.moderators.find((x) => x.column === ref.column)
    if (m?.status !== "estimated") throw new Error(`moderator ${ref.column} not estimated`)
    expect(m.k, ref.column).toBe(ref.k)
    close(m.coefficients.map((c) => c.estimate), ref.coefficients, `${ref.column} coefficients`)
    close(m.coefficients.map((c) => c.se), ref.se, `${ref.column} se`)
    close(m.coefficients.map((c) => c.p), ref.p, `${ref.column} p`, 1e-300)
    close([m.qm, m.qm_p, m.qe, m.qe_p, m.tau2], [ref.qm, ref.qm_p, ref.qe, ref.qe_p, ref.tau2], `${ref.column} QM/QE/tau2`, 1e-300)
    if (!Number.isNaN(ref.r2)) close(m.r2, ref.r2, `${ref.column} R2`)
    if (ref.subgroups !== undefined) {
      const groups = m.subgroups?.groups ?? []
      expect(groups.map((g) => [g.level, g.k])).toEqual(ref.subgroups.map((g) => [g.level, g.k]))
      ref.subgroups.forEach((g, i) => {
        const model = groups[i]!.model
        if (model.status !== "estimated") throw new Error(`subgroup ${g.level} not estimated`)
        close([model.estimate, model.se, model.tau2], [g.estimate, g.se, g.tau2], `${ref.column} subgroup ${g.level}`)
      })
      close([m.subgroups?.q_between ?? Number.NaN, m.subgroups?.p ?? Number.NaN], [ref.q_between ?? Number.NaN, ref.q_between_p ?? Number.NaN], `${ref.column} Q between`, 1e-300)
    }
  }
}

const compareSmallStudy = (results: SynthesisResults, f: CaseFixture) => {
  const ss = results.small_study
  const ref = f.small_study
  if (ss.egger.status !== "estimated" || ss.egger_classical.status !== "estimated" || ss.rank.status !== "estimated") throw new Error("small-study tests not estimated")
  close([ss.egger.statistic, ss.egger.p, ss.egger.limit_estimate, ...ss.egger.limit_ci], [ref.egger.statistic, ref.egger.p, ref.egger.limit_estimate, ...ref.egger.limit_ci], "regtest (rma)")
  close([ss.egger_classical.statistic, ss.egger_classical.p, ss.egger_classical.limit_estimate], [ref.egger_classical.statistic, ref.egger_classical.p, ref.egger_classical.limit_estimate], "regtest (lm)")
  close([ss.rank.tau, ss.rank.p], [ref.rank.tau, ref.rank.p], "ranktest")
  for (const t of ref.trim_and_fill) {
    const ours = ss.trim_and_fill.find((x) => x.estimator === t.estimator)
    if (ours?.status !== "estimated") throw new Error(`trimfill ${t.estimator} not estimated`)
    expect([ours.k0, ours.side]).toEqual([t.k0, t.side])
    close([ours.model.estimate, ...ours.model.ci], [t.estimate, ...t.ci], `trimfill ${t.estimator}`)
  }
  for (const x of ref.fail_safe_n) {
    const ours = ss.fail_safe_n.find((y) => y.type === x.type)
    expect(ours?.status === "estimated" ? ours.n : null, `fsn ${x.type}`).toBe(x.n)
  }
  close(ss.leave_one_out.map((l) => (l.model.status === "estimated" ? l.model.estimate : Number.NaN)), ref.leave_one_out.estimate, "leave1out estimate")
  close(ss.leave_one_out.map((l) => (l.model.status === "estimated" ? l.model.tau2 : Number.NaN)), ref.leave_one_out.tau2, "leave1out tau2", 1e-10)
  if (ss.influence.status !== "estimated") throw new Error("influence not estimated")
  close(ss.influence.rows.map((r) => r.rstudent ?? Number.NaN), ref.influence.rstudent, "rstudent")
  close(ss.influence.rows.map((r) => r.cook_d ?? Number.NaN), ref.influence.cook_d, "cook.d")
  close(ss.influence.rows.map((r) => r.hat), ref.influence.hat, "hat")
}

describe("synthesize on the bundled synthetic example (REML, z, three-level)", () => {
  let out = ""
  let results: SynthesisResults
  const f = fixture.cases.example
  beforeAll(() => {
    ;({ out, results } = run([join(ROOT, "examples", "example-synthesis")]))
  }, 120_000)

  it("writes results.json, report.html, summary.md, the figures, tables and manifest", () => {
    const files = readdirSync(out, { recursive: true }).map(String).sort()
    expect(files).toEqual(
      expect.arrayContaining([
        "results.json", "report.html", "summary.md", "manifest.json",
        "figures/forest-plot.svg", "figures/forest-plot.vl.json", "figures/funnel-plot.svg", "figures/funnel-plot.vl.json",
        "figures/bubble-year.svg", "figures/bubble-year.vl.json",
        "tables/estimates.csv", "tables/effects.csv", "tables/leave-one-out.csv", "tables/influence.csv",
      ]),
    )
    const html = readFileSync(join(out, "report.html"), "utf8")
    expect(html).toContain("A random-effects meta-analysis")
    expect(html).toContain("A three-level model")
    expect(html).not.toMatch(/NaN|undefined/)
  })

  it("matches metafor's rma.uni, every τ² estimator, and the weights", () => compareTwoLevel(results, f))
  it("matches the moderator models, subgroups and between-groups tests", () => compareModerators(results, f))
  it("matches regtest, ranktest, trimfill, fsn, leave1out and influence", () => compareSmallStudy(results, f))

  it("matches rma.mv (three-level REML), per-level I², the PI and clubSandwich CR2", () => {
    const t = results.three_level
    const ref = f.three_level!
    if (t?.model.status !== "estimated") throw new Error("three-level model not estimated")
    const m = t.model
    close([m.estimate, m.se, m.statistic], [ref.estimate, ref.se, ref.statistic], "three-level estimate")
    // p ≈ 1e-47: a relative error ε in z moves p by about z²·ε, so p is compared on the log scale
    close(Math.log(m.p), Math.log(ref.p), "three-level log p")
    close(m.ci, ref.ci, "three-level CI")
    close(m.pi, ref.pi, "three-level PI")
    close([m.sigma2_between, m.sigma2_within], ref.sigma2, "sigma2")
    close([m.i2_between, m.i2_within], ref.i2, "I2 by level")
    close([m.q, m.q_p, m.log_likelihood], [ref.q, ref.q_p, ref.log_likelihood], "Q, logLik", 1e-300)
    close([m.robust.se, m.robust.statistic, m.robust.df, m.robust.p, ...m.robust.ci], [ref.robust.se, ref.robust.statistic, ref.robust.df, ref.robust.p, ...ref.robust.ci], "CR2", 1e-300)
  })

  it("matches the multilevel Egger test and leave-one-study-out refits", () => {
    const t = results.three_level!
    const ref = f.three_level!
    if (t.egger.status !== "estimated") throw new Error("multilevel Egger not estimated")
    const e = t.egger
    const r = ref.egger
    close([e.slope, e.se, e.statistic, e.p, e.robust_se, e.robust_statistic, e.robust_df, e.robust_p, e.limit_estimate], [r.slope, r.se, r.statistic, r.p, r.robust_se, r.robust_statistic, r.robust_df, r.robust_p, r.limit_estimate], "multilevel Egger")
    expect(t.leave_one_study_out.map((l) => l.study)).toEqual(ref.leave_one_study_out.map((l) => l.study))
    close(t.leave_one_study_out.map((l) => l.estimate ?? Number.NaN), ref.leave_one_study_out.map((l) => l.estimate), "LOSO estimate")
    close(t.leave_one_study_out.map((l) => l.se ?? Number.NaN), ref.leave_one_study_out.map((l) => l.se), "LOSO se")
  })

  it("is byte-for-byte reproducible", () => {
    const again = run([join(ROOT, "examples", "example-synthesis")])
    for (const file of ["results.json", "report.html", "summary.md", "figures/forest-plot.svg", "tables/estimates.csv"]) {
      expect(readFileSync(join(again.out, file), "utf8"), file).toBe(readFileSync(join(out, file), "utf8"))
    }
  }, 120_000)
})

describe("synthesize on dat.mcdaniel1994 with --method DL --pooling-test knha", () => {
  let results: SynthesisResults
  const f = fixture.cases.mcdaniel_dl_knha
  beforeAll(() => {
    ;({ results } = run([join(ROOT, "test", "reference", "fixtures", "synthesis-mcdaniel1994.csv"), "--method", "DL", "--pooling-test", "knha"]))
  }, 120_000)

  it("uses the command line's method and test, and has no three-level model (one effect per study)", () => {
    expect([results.settings.method, results.settings.test]).toEqual(["DL", "knha"])
    expect(results.three_level).toBeNull()
    expect(results.warnings.map((w) => w.code)).not.toContain("dependent_effects")
  })
  it("matches metafor's rma.uni and every τ² estimator", () => compareTwoLevel(results, f))
  it("matches the moderator models and subgroups", () => compareModerators(results, f))
  it("matches the small-study and sensitivity analyses", () => compareSmallStudy(results, f))
})

describe("synthesize on bad studies files", () => {
  const studies = (text: string): string => {
    const dir = tempDir("studies")
    const path = join(dir, "studies.csv")
    writeFileSync(path, text)
    return path
  }
  it.each([
    ["r = 1", "study_id,r,n\nA,0.3,50\nB,1,40\nC,0.2,60\n", 'line 3, column "r": value "1" — must be a correlation strictly between -1 and 1'],
    ["n = 3", "study_id,r,n\nA,0.3,50\nB,0.1,3\nC,0.2,60\n", 'line 3, column "n": value "3" — must be a whole number ≥ 4'],
    ["a negative vi", "study_id,yi,vi\nA,0.3,0.01\nB,0.1,0.02\nC,0.2,-0.01\n", 'line 4, column "vi": value "-0.01" — must be a positive sampling variance'],
  ])("exits 3 naming the row for %s, and writes nothing", (_, text, message) => {
    const file = studies(text)
    const outParent = tempDir("out")
    const r = runCli(["synthesize", file, "--out", join(outParent, "report")])
    expect(r.code).toBe(3)
    expect(r.stderr).toContain(`studies.csv, ${message}`)
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/)
    expect(existsSync(join(outParent, "report"))).toBe(false)
  })

  it("exits 2 when a folder has no studies file, or the study file names a moderator that is not a column", () => {
    const empty = tempDir("empty")
    const r = runCli(["synthesize", empty])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("no studies file")

    const dir = tempDir("declared")
    writeFileSync(join(dir, "studies.csv"), "study_id,r,n,year\nA,0.3,50,2001\nB,0.2,40,2005\nC,0.1,60,2010\n")
    writeFileSync(join(dir, "study.json"), JSON.stringify({ name: "declared", synthesis: { moderators: [{ column: "yr", type: "continuous" }] } }))
    const bad = runCli(["synthesize", dir])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('synthesis.moderators[0].column: "yr" is not a moderator column of the studies file (columns: year)')
  })
})
