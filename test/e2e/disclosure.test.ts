/**
 * Disclosure control (issue 8, item 5) end to end, on a small generated study (150 clients in 9
 * sites, items scored) where small counts occur: run in standard mode (k = 5) and in strict mode
 * (k = 10), then attack the published results.json.
 *
 * The attacker is written here, from what the report says the counts mean, not from
 * src/privacy/disclosure: every published count and every sum or subset relation between them
 * (including two the suppression model leaves out on purpose: the F tests' degrees of freedom,
 * and "fewer than min_cell" for a group without a mean), non-negativity, and that a suppressed
 * count is at least 1. For every suppressed count, and every complement (e.g. cases not
 * recovered), the linear program finds the range it can lie in; the attacker may learn no more
 * than "somewhere from 1 to k − 1", which a [c] itself says.
 */
import { spawnSync } from "node:child_process"
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import type { Results } from "../../data-schemas/results.ts"
import { variableRange } from "../../src/privacy/disclosure/linear-program.ts"
import { ROOT, runCli, tempDir } from "./run-cli.ts"

const TSX = join(ROOT, "node_modules", ".bin", "tsx")
const script = (name: string, args: ReadonlyArray<string>) => {
  const run = spawnSync(TSX, [join(ROOT, "scripts", name), ...args], { encoding: "utf8" })
  expect(run.status, run.stderr).toBe(0)
}

/** What the attacker knows: shown counts as constants, suppressed ones and complements as unknowns. */
class Attacker {
  private readonly known = new Map<string, number>()
  private readonly unknowns: string[] = []
  private readonly lower = new Map<string, number>()
  private readonly equations: Array<{ readonly terms: ReadonlyArray<readonly [string, number]> }> = []
  readonly suppressed: string[] = []
  readonly complements: string[] = []
  private fresh = 0

  /** A published count: null when suppressed ([c], so at least 1). */
  count(id: string, value: number | null): string {
    if (value === null) {
      this.unknowns.push(id)
      this.lower.set(id, 1)
      this.suppressed.push(id)
    } else this.known.set(id, value)
    return id
  }

  /** An unshown count: ≥ 0; `complement`: must not be pinned between 1 and k − 1. */
  hidden(complement = false): string {
    const id = `hidden.${this.fresh++}`
    this.unknowns.push(id)
    this.lower.set(id, 0)
    if (complement) this.complements.push(id)
    return id
  }

  /** total = Σ parts */
  sum(total: string, parts: ReadonlyArray<string>): void {
    this.equations.push({ terms: [[total, -1], ...parts.map((p) => [p, 1] as const)] })
  }

  /** total = part + an unshown rest; returns the rest */
  contains(total: string, parts: ReadonlyArray<string>, complement = false): string {
    const rest = this.hidden(complement)
    this.sum(total, [...parts, rest])
    return rest
  }

  range(id: string): readonly [number, number] {
    const index = new Map(this.unknowns.map((u, j) => [u, j]))
    const A: number[][] = []
    const b: number[] = []
    for (const eq of this.equations) {
      const row = new Array<number>(this.unknowns.length).fill(0)
      let constant = 0
      for (const [cell, coefficient] of eq.terms) {
        const j = index.get(cell)
        if (j === undefined) constant += coefficient * this.known.get(cell)!
        else {
          row[j]! += coefficient
          constant += coefficient * this.lower.get(cell)!
        }
      }
      A.push(row)
      b.push(-constant)
    }
    const j = index.get(id)!
    const found = variableRange(A, b, j, this.unknowns.length)
    expect(found, `the published counts contradict each other around ${id}`).not.toBeNull()
    return [found![0] + this.lower.get(id)!, found![1] + this.lower.get(id)!]
  }
}

type Comparison = Extract<Results["clinical"]["jacobson_truax"], { status: "estimated" }>["early_alliance"]

/**
 * A comparison's groups: a group without a mean has fewer than min_cell clients, one with a mean at
 * least min_cell; the F tests, when shown, give the tested groups' total.
 */
const groups = (a: Attacker, key: string, c: Comparison, minCell: number): Map<string, string> => {
  const ids = new Map(c.groups.map((g) => [g.category, a.count(`${key}.${g.category}`, g.n)]))
  for (const g of c.groups) {
    const id = ids.get(g.category)!
    if (g.mean === null) a.contains(a.count(`${key}.${g.category}.cap`, minCell - 1), [id])
    else a.contains(id, [a.count(`${key}.${g.category}.floor`, minCell)])
  }
  if (c.status === "estimated") {
    const tested = c.groups.filter((g) => g.mean !== null).map((g) => ids.get(g.category)!)
    a.sum(a.count(`${key}.tested`, c.classic.df2 + c.classic.df1 + 1), tested)
  }
  return ids
}

const attack = (r: Results): Attacker => {
  const a = new Attacker()
  const c = r.clinical
  const minCell = r.settings.min_cell
  const jt = c.jacobson_truax
  if (jt.status === "estimated") {
    const cats = Object.entries(jt.counts).map(([cat, n]) => [cat, a.count(`jt.${cat}`, n)] as const)
    a.sum(a.count("jt.n", jt.n), cats.map(([, id]) => id))
    const ea = groups(a, "ea", jt.early_alliance, minCell)
    for (const [cat, id] of cats) {
      if (ea.has(cat)) a.contains(id, [ea.get(cat)!])
      // a trajectory point is shown only for at least min_cell ratings
      for (const t of c.trajectories.filter((p) => p.category === cat)) {
        const point = a.count(`traj.${cat}.${t.session}`, t.n)
        a.contains(id, [point])
        a.contains(point, [a.count(`traj.${cat}.${t.session}.floor`, minCell)])
      }
    }
  }
  const t = c.talking_therapies
  if (t.status === "estimated") {
    const [courses, finished, cases, recovered, improved, deteriorated, rr] = [
      a.count("tt.courses", t.courses), a.count("tt.finished", t.finished), a.count("tt.cases", t.finished_cases), a.count("tt.recovered", t.recovered),
      a.count("tt.improved", t.reliably_improved), a.count("tt.deteriorated", t.reliably_deteriorated), a.count("tt.rr", t.reliably_recovered),
    ] as const
    a.contains(courses, [finished], true)
    a.contains(finished, [cases], true)
    a.contains(cases, [recovered], true)
    a.contains(finished, [improved, deteriorated], true)
    a.contains(cases, [rr], true)
    a.contains(recovered, [rr], true)
    a.contains(improved, [rr])
  }
  const ru = c.ruptures
  if (ru.status === "estimated") {
    const rated = a.count("ru.rated", ru.clients_rated)
    const withRupture = a.count("ru.with", ru.clients_with_rupture)
    const without = a.contains(rated, [withRupture], true)
    const transitions = a.count("ru.transitions", ru.transitions)
    const ruptures = a.count("ru.ruptures", ru.ruptures)
    a.contains(ruptures, [a.count("ru.repaired", ru.repaired)], true)
    const sessions = ru.by_session.map((b) => {
      const n = a.count(`ru.s${b.session}`, b.ruptures)
      const tr = a.count(`ru.s${b.session}.transitions`, b.transitions)
      a.contains(tr, [n], true)
      a.contains(withRupture, [n])
      return [n, tr] as const
    })
    const rest = a.contains(ruptures, sessions.map(([n]) => n), true)
    a.contains(a.contains(transitions, sessions.map(([, tr]) => tr)), [rest])
    a.contains(transitions, [ruptures])
    const g = [...groups(a, "ru.improvement", ru.improvement, minCell).values()]
    a.contains(without, [g[0]!])
    a.contains(withRupture, [g[1]!, g[2]!])
  }
  const sg = c.sudden_gains
  if (sg.status === "estimated") {
    const series = a.count("sg.series", sg.clients_with_series)
    const withGain = a.count("sg.with", sg.clients_with_gain)
    const without = a.contains(series, [withGain], true)
    a.contains(a.count("sg.gains", sg.gains), [withGain])
    if (sg.alliance_around_gain.status === "estimated") a.contains(withGain, [a.count("sg.pairs", sg.alliance_around_gain.n)])
    const g = [...groups(a, "sg.improvement", sg.improvement, minCell).values()]
    a.contains(without, [g[0]!])
    a.contains(withGain, [g[1]!])
  }
  if (r.settings.privacy.mode === "strict") {
    let before = a.count("funnel.start", r.descriptives.n_clients)
    r.descriptives.funnel.forEach((f, i) => {
      const remaining = a.count(`funnel.${i}.remaining`, f.remaining)
      a.sum(before, [a.count(`funnel.${i}.excluded`, f.excluded), remaining])
      before = remaining
    })
    r.descriptives.missingness.forEach((m, i) => a.contains(a.count(`missing.${i}.n`, m.n), [a.count(`missing.${i}`, m.n_missing)], true))
    for (const s of c.scoring) a.contains(a.count(`scoring.${s.key}.answered`, s.answered), [a.count(`scoring.${s.key}.excluded`, s.excluded), a.count(`scoring.${s.key}.prorated`, s.prorated)])
  }
  return a
}

/** Every count of a controlled table, by where it is in results.json. */
const controlledCounts = (r: Results): Array<readonly [string, number | null]> => {
  const c = r.clinical
  const out: Array<readonly [string, number | null]> = []
  const groupsOf = (key: string, cmp: Comparison) => cmp.groups.forEach((g) => out.push([`${key}.${g.category}`, g.n]))
  if (c.jacobson_truax.status === "estimated") {
    for (const [cat, n] of Object.entries(c.jacobson_truax.counts)) out.push([`jacobson_truax.${cat}`, n])
    groupsOf("early_alliance", c.jacobson_truax.early_alliance)
  }
  const t = c.talking_therapies
  if (t.status === "estimated") out.push(...(["finished", "finished_cases", "recovered", "reliably_improved", "reliably_deteriorated", "reliably_recovered"] as const).map((k) => [`talking_therapies.${k}`, t[k]] as const))
  const ru = c.ruptures
  if (ru.status === "estimated") {
    out.push(["ruptures.clients_with_rupture", ru.clients_with_rupture], ["ruptures.ruptures", ru.ruptures], ["ruptures.repaired", ru.repaired])
    for (const b of ru.by_session) out.push([`ruptures.session.${b.session}`, b.ruptures])
    groupsOf("ruptures.improvement", ru.improvement)
  }
  const sg = c.sudden_gains
  if (sg.status === "estimated") {
    out.push(["sudden_gains.clients_with_gain", sg.clients_with_gain], ["sudden_gains.gains", sg.gains])
    groupsOf("sudden_gains.improvement", sg.improvement)
  }
  for (const s of r.sites.per_site) out.push([`sites.${s.site}`, s.n])
  if (r.settings.privacy.mode === "strict") {
    r.descriptives.funnel.forEach((f) => out.push([`funnel.${f.step}`, f.excluded]))
    r.descriptives.missingness.forEach((m) => out.push([`missingness.${m.file}.${m.column}`, m.n_missing]))
    for (const s of c.scoring) out.push([`scoring.${s.key}.excluded`, s.excluded], [`scoring.${s.key}.prorated`, s.prorated])
  }
  return out
}

describe("disclosure control on a small study", () => {
  const runs: Record<"standard" | "strict", { out: string; results: Results }> = {} as never
  beforeAll(() => {
    const dir = tempDir("disclosure")
    script("generate-study.ts", ["--out", join(dir, "totals"), "--clients", "150", "--sites", "9", "--seed", "11"])
    script("itemise-study.ts", ["--from", join(dir, "totals"), "--out", join(dir, "study"), "--seed", "3"])
    for (const mode of ["standard", "strict"] as const) {
      const out = join(dir, `report-${mode}`)
      const run = runCli([join(dir, "study"), "--out", out, ...(mode === "strict" ? ["--privacy", "strict"] : [])])
      expect(run.code, run.stderr).toBe(0)
      runs[mode] = { out, results: JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as Results }
    }
  }, 120_000)

  for (const mode of ["standard", "strict"] as const) {
    it(`${mode}: shows no count of 1 to k − 1 in a controlled table, and records k`, () => {
      const r = runs[mode].results
      const k = mode === "strict" ? 10 : 5
      expect(r.settings.privacy).toEqual({ mode, k })
      expect(r.disclosure).toMatchObject({ mode, k })
      // no table had to be withheld whole; the intake × end chart goes when a category count is suppressed
      expect(r.disclosure.withheld.filter((t) => t.table !== "clinical.pre_post_bins")).toEqual([])
      const jt = r.clinical.jacobson_truax
      const categorySuppressed = jt.status === "estimated" && Object.values(jt.counts).includes(null)
      expect(r.clinical.pre_post_bins === null).toBe(categorySuppressed)
      if (categorySuppressed) expect(readdirSync(join(runs[mode].out, "figures"))).not.toContain("jacobson-truax.svg")
      const small = controlledCounts(r).filter(([, n]) => n !== null && n >= 1 && n < k)
      expect(small).toEqual([])
      const manifest = JSON.parse(readFileSync(join(runs[mode].out, "manifest.json"), "utf8"))
      expect(manifest.settings.privacy).toEqual({ mode, k })
    })

    it(`${mode}: suppresses something here, and the attacker's linear program pins no suppressed count or complement`, () => {
      const r = runs[mode].results
      const k = r.disclosure.k
      const a = attack(r)
      expect(a.suppressed.length).toBeGreaterThan(0)
      expect(a.suppressed.length).toBe(r.disclosure.suppressed.reduce((n, t) => n + t.cells, 0))
      // the attacker may learn no more than "somewhere from 1 to k − 1", which [c] itself says
      for (const id of [...a.suppressed, ...a.complements]) {
        const [low, high] = a.range(id)
        const pinned = low >= 1 - 1e-7 && low <= k - 1 + 1e-7 && high - low < k - 2 - 1e-7
        expect(pinned, `${id} is pinned to ${low}–${high}`).toBe(false)
      }
    })
  }

  it("shows each suppressed count as [c] in report.html, summary.md and the CSVs", () => {
    for (const mode of ["standard", "strict"] as const) {
      const { out, results } = runs[mode]
      const html = readFileSync(join(out, "report.html"), "utf8")
      expect(html).toContain("<strong>[c]</strong> (suppressed)")
      expect(readFileSync(join(out, "summary.md"), "utf8")).toMatch(/\*\*Privacy:\*\* \w+ disclosure control, \*k\* = \d+: \d+ counts? suppressed \(\\\[c\\\]\)/)
      const ru = results.clinical.ruptures
      if (ru.status !== "estimated") throw new Error("ruptures not estimated")
      const csv = readFileSync(join(out, "tables", "ruptures.csv"), "utf8").trimEnd().split("\n").slice(1)
      expect(csv.map((line) => line.split(",")[2] === "[c]")).toEqual(ru.by_session.map((b) => b.ruptures === null))
      const tables = readdirSync(join(out, "tables")).map((f) => readFileSync(join(out, "tables", f), "utf8")).join("\n")
      expect((tables.match(/\[c\]/g) ?? []).length).toBeGreaterThan(0)
    }
  })

  it("strict: merges the sites with fewer than 10 clients, and shows no line numbers, minima or maxima", () => {
    const { out, results: r } = runs.strict
    const merged = r.sites.per_site.filter((s) => s.merged_from !== null)
    expect(merged).toHaveLength(1)
    expect(merged[0]!.n).toBeGreaterThanOrEqual(10)
    expect(merged[0]!.site).toBe(`merged: ${merged[0]!.merged_from!.join(", ")}`)
    expect(r.sites.per_site.every((s) => s.n >= 10)).toBe(true)
    // in standard mode the same sites (of at least 5) stand alone
    expect(runs.standard.results.sites.per_site.some((s) => s.n < 10)).toBe(true)
    expect(r.clinical.scoring.every((s) => s.excluded_at.length === 0)).toBe(true)
    const html = readFileSync(join(out, "report.html"), "utf8")
    expect(html).not.toMatch(/line \d+ \(item/)
    expect(html).toContain("Line numbers of excluded rows are not shown (strict privacy).")
    expect(r.warnings.map((w) => w.message).join(" ")).not.toMatch(/at line \d/)
    expect(r.descriptives.sessions_per_client).toMatchObject({ min: null, max: null })
    expect(r.multilevel.therapist_effects.clients_per_therapist).toMatchObject({ min: null, max: null })
    // standard mode keeps them for the lab
    expect(runs.standard.results.clinical.scoring.some((s) => s.excluded_at.length > 0)).toBe(true)
    expect(readFileSync(join(runs.standard.out, "report.html"), "utf8")).toMatch(/line \d+ \(item/)
  })
})
