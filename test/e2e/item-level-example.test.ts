/**
 * Acceptance (issue 7): the generated item-level example runs end to end from the command line;
 * its reliability agrees with psych::alpha and psych::omega(nfactors = 1) recomputed in R from the
 * raw item columns (test/reference/item-level-example.R); and bad items stop the run with a
 * message naming the file, line and item, writing nothing.
 */
import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import type { ReliabilityRow } from "../../data-schemas/clinical-results.ts"
import { Results } from "../../data-schemas/results.ts"
import { readFixture } from "../reference/read-fixture.ts"
import { relativeError } from "../tolerances.ts"
import { ROOT, runCli, tempDir } from "./run-cli.ts"

interface PsychScale {
  n: number
  total: { raw_alpha: number; std_alpha: number; G6: number; average_r: number; ase: number }
  feldt: number[]
  item_stats: { r_drop: number[]; r_cor: number[]; mean: number[]; sd: number[] }
  alpha_drop: { raw_alpha: number[] }
  omega: { refined: { omega_tot: number } }
}
const fixture = readFixture<{ scales: Record<string, PsychScale> }>("item-level-example")
const EXAMPLE = join(ROOT, "examples", "item-level-study")

/** The fixture's name of a reliability row: wai_sr_session's total is wai_sr, its goal wai_sr_goal. */
const fixtureKey = (row: ReliabilityRow) => {
  const base = row.key === "wai_sr_session" ? "wai_sr" : row.key
  return row.scale === "total" ? base : `${base}_${row.scale}`
}

const close = (actual: number, expected: number, what: string, limit: number) =>
  expect(relativeError(actual, expected, 1e-12), `${what}: ${actual} vs R ${expected}`).toBeLessThanOrEqual(limit)

describe("the item-level example", () => {
  let results: Results
  let out: string
  beforeAll(() => {
    out = join(tempDir("item-level"), "report")
    const run = runCli([EXAMPLE, "--out", out])
    expect(run.code, run.stderr).toBe(0)
    results = Results.parse(JSON.parse(readFileSync(join(out, "results.json"), "utf8")))
  })

  it("reports the reliability of every scale as psych does (α, Feldt interval, item statistics, ω)", () => {
    const rows = results.clinical.reliability
    expect(rows.map(fixtureKey).sort()).toEqual(Object.keys(fixture.scales).sort())
    for (const row of rows) {
      const r = fixture.scales[fixtureKey(row)]!
      const what = fixtureKey(row)
      expect(row.n, what).toBe(r.n)
      close(row.alpha.raw, r.total.raw_alpha, `${what} α`, 1e-10)
      close(row.alpha.standardized, r.total.std_alpha, `${what} standardized α`, 1e-10)
      close(row.alpha.guttman_lambda6, r.total.G6, `${what} λ6`, 1e-10)
      close(row.alpha.average_r, r.total.average_r, `${what} average r`, 1e-10)
      close(row.alpha.se, r.total.ase, `${what} SE of α`, 1e-10)
      close(row.alpha.feldt[0], r.feldt[0]!, `${what} Feldt lower`, 1e-10)
      close(row.alpha.feldt[1], r.feldt[1]!, `${what} Feldt upper`, 1e-10)
      row.item_statistics.forEach((s, i) => {
        close(s.r_drop, r.item_stats.r_drop[i]!, `${what} item ${s.item} r.drop`, 1e-10)
        close(s.r_cor, r.item_stats.r_cor[i]!, `${what} item ${s.item} r.cor`, 1e-9)
        close(s.mean, r.item_stats.mean[i]!, `${what} item ${s.item} mean`, 1e-12)
        close(s.sd, r.item_stats.sd[i]!, `${what} item ${s.item} sd`, 1e-10)
        close(s.alpha_if_deleted!, r.alpha_drop.raw_alpha[i]!, `${what} α without item ${s.item}`, 1e-10)
      })
      close(row.omega_total!, r.omega.refined.omega_tot, `${what} ω`, 1e-9)
    }
  })

  it("shows scores, reliability, clinical categories, ruptures and sudden gains in the report", () => {
    const c = results.clinical
    expect(c.scoring.map((s) => s.key)).toEqual(["phq9_baseline", "phq9_outcome", "gad7_baseline", "gad7_outcome", "phq9_session", "wai_sr_session"])
    expect(c.jacobson_truax.status).toBe("estimated")
    expect(c.talking_therapies.status).toBe("estimated")
    expect(c.ruptures.status).toBe("estimated")
    expect(c.sudden_gains.status).toBe("estimated")
    const html = readFileSync(join(out, "report.html"), "utf8")
    for (const heading of ["Reliability", "Jacobson", "Talking Therapies", "Ruptures", "Sudden gains"]) expect(html).toContain(heading)
    for (const figure of ["alliance-trajectories", "rupture-markers", "jacobson-truax"]) expect(existsSync(join(out, "figures", `${figure}.svg`)), figure).toBe(true)
  })
})

describe("bad items", () => {
  const broken = (edit: (clients: string[]) => void) => {
    const dir = tempDir("bad-items")
    for (const file of ["study.json", "sessions.csv"]) copyFileSync(join(EXAMPLE, file), join(dir, file))
    const clients = readFileSync(join(EXAMPLE, "clients.csv"), "utf8").split("\n")
    edit(clients)
    writeFileSync(join(dir, "clients.csv"), clients.join("\n"))
    const out = join(dir, "report")
    return { ...runCli([dir, "--out", out]), out }
  }
  const column = (clients: string[], name: string) => clients[0]!.split(",").indexOf(name)
  const setCell = (clients: string[], line: number, name: string, value: string) => {
    const cells = clients[line - 1]!.split(",")
    cells[column(clients, name)] = value
    clients[line - 1] = cells.join(",")
  }

  it("refuses a response outside the item range, naming file, line, item column and value, and writes nothing", () => {
    const run = broken((clients) => setCell(clients, 7, "phq9_post_4", "5"))
    expect(run.code).not.toBe(0)
    expect(run.stderr).toMatch(/clients\.csv.*line 7.*phq9_post_4/s)
    expect(run.stderr).toMatch(/item 4 is out of range: responses lie in 0–3/)
    expect(existsSync(run.out)).toBe(false)
  })

  it("counts a row with too many missing items as an exclusion, with its line, in results and warnings", () => {
    const run = broken((clients) => {
      for (const item of ["phq9_pre_1", "phq9_pre_2", "phq9_pre_3"]) setCell(clients, 9, item, "")
    })
    expect(run.code, run.stderr).toBe(0)
    const results = Results.parse(JSON.parse(readFileSync(join(run.out, "results.json"), "utf8")))
    const baseline = results.clinical.scoring.find((s) => s.key === "phq9_baseline")!
    expect(baseline.excluded_at).toContainEqual({ line: 9, missing: expect.arrayContaining([1, 2, 3]) })
    expect(results.warnings.find((w) => w.code === "items_excluded")!.message).toMatch(/clients\.csv had more than 1 of the 9 PHQ-9/)
  })
})
