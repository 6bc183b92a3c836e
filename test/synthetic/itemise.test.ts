/**
 * The itemiser (src/synthetic/itemise.ts, scripts/itemise-study.ts) and the item-level example it
 * wrote (examples/item-level-study): byte-stable regeneration from the seed, responses in range,
 * item totals close to the source totals, missingness near its design rates, blank totals giving
 * blank items, model constants agreeing with the instrument registry, and the golden fixture
 * (test/reference/item-level-example.R) describing the committed files, its α and ω reproduced by
 * src/stats/reliability/.
 */
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { INSTRUMENTS } from "../../data-schemas/instruments/registry.ts"
import { createRng } from "../../src/stats/random/xoshiro.ts"
import { cronbachAlpha, itemMatrices } from "../../src/stats/reliability/alpha.ts"
import { omegaOneFactor } from "../../src/stats/reliability/omega.ts"
import {
  completeScore, dropItems, GAD7, type ItemModel, itemiseTotal, itemiseWaiSr, MISSINGNESS, PHQ9, type Response, WAI_SR,
  WAI_SR_SUBSCALES, WAI_SUBSCALE_NAMES,
} from "../../src/synthetic/itemise.ts"
import { ROOT } from "../e2e/run-cli.ts"
import { readFixture } from "../reference/read-fixture.ts"
import { relativeError, tolerance } from "../tolerances.ts"

const SOURCE = join(ROOT, "examples/example-study")
const EXAMPLE = join(ROOT, "examples/item-level-study")
const temp = mkdtempSync(join(tmpdir(), "item-level-study-"))
afterAll(() => rmSync(temp, { recursive: true, force: true }))

const itemise = (out: string, seed: string) =>
  spawnSync(join(ROOT, "node_modules/.bin/tsx"), ["scripts/itemise-study.ts", "--from", "examples/example-study", "--out", out, "--seed", seed], {
    cwd: ROOT,
    encoding: "utf8",
  })

/** A canonical CSV file as rows of named cells. */
const readRows = (path: string): Array<Record<string, string>> => {
  const [head = "", ...lines] = readFileSync(path, "utf8").trimEnd().split("\n")
  const header = head.split(",")
  return lines.map((line) => Object.fromEntries(line.split(",").map((cell, i) => [header[i] ?? "", cell])))
}
const cell = (x: string | undefined): Response => (x === undefined || x === "" ? null : Number(x))
const itemsOf = (row: Record<string, string>, prefix: string, numbers: ReadonlyArray<number>): Response[] => numbers.map((j) => cell(row[`${prefix}${j}`]))
const oneTo = (k: number) => Array.from({ length: k }, (_, j) => j + 1)

const source = { clients: readRows(join(SOURCE, "clients.csv")), sessions: readRows(join(SOURCE, "sessions.csv")) }
const example = { clients: readRows(join(EXAMPLE, "clients.csv")), sessions: readRows(join(EXAMPLE, "sessions.csv")) }

/** Every item set of the example: its rows' items, and the source total each row was drawn from. */
const SETS: ReadonlyArray<{ set: string; model: ItemModel; rows: Array<{ items: Response[]; total: number | null }> }> = [
  { set: "phq9_baseline", model: PHQ9, prefix: "phq9_pre_", total: "baseline", file: "clients" as const },
  { set: "phq9_outcome", model: PHQ9, prefix: "phq9_post_", total: "outcome", file: "clients" as const },
  { set: "gad7_baseline", model: GAD7, prefix: "gad7_pre_", total: "baseline", file: "clients" as const },
  { set: "gad7_outcome", model: GAD7, prefix: "gad7_post_", total: "outcome", file: "clients" as const },
  { set: "wai_sr", model: WAI_SR, prefix: "wai_", total: "alliance", file: "sessions" as const },
  { set: "phq9_session", model: PHQ9, prefix: "phq9_", total: "symptom", file: "sessions" as const },
].map((s) => ({
  set: s.set,
  model: s.model,
  rows: example[s.file].map((row, i) => ({ items: itemsOf(row, s.prefix, oneTo(s.model.items)), total: cell(source[s.file][i]?.[s.total]) })),
}))

describe("scripts/itemise-study.ts", () => {
  const first = join(temp, "first")
  const run = itemise(first, "7")

  it("regenerates the committed example byte for byte with seed 7, twice alike", () => {
    expect(run.status, run.stderr).toBe(0)
    expect(run.stderr).toMatch(/^itemise-study: wrote 2000 clients, 16857 sessions \(seed 7\)/)
    const second = join(temp, "second")
    expect(itemise(second, "7").status).toBe(0)
    for (const file of ["clients.csv", "sessions.csv", "study.json"]) {
      const bytes = readFileSync(join(first, file))
      expect(bytes.equals(readFileSync(join(second, file))), `${file} differs between runs`).toBe(true)
      expect(bytes.equals(readFileSync(join(EXAMPLE, file))), `${file} differs from the committed example`).toBe(true)
    }
    const readme = readFileSync(join(first, "README.md"), "utf8").replaceAll(first, "examples/item-level-study")
    expect(readme).toBe(readFileSync(join(EXAMPLE, "README.md"), "utf8"))
    expect(readme).toContain("npx tsx scripts/itemise-study.ts --from examples/example-study --out examples/item-level-study --seed 7")
  })

  it("draws different items from another seed, and keeps the columns that are not totals", () => {
    const other = join(temp, "other")
    expect(itemise(other, "8").status).toBe(0)
    expect(readFileSync(join(other, "clients.csv")).equals(readFileSync(join(EXAMPLE, "clients.csv")))).toBe(false)
    const drop = new Set(["baseline", "outcome", "alliance", "alliance_goal", "alliance_task", "alliance_bond", "symptom"])
    for (const file of ["clients", "sessions"] as const) {
      expect(example[file].length).toBe(source[file].length)
      example[file].forEach((row, i) => {
        for (const [column, value] of Object.entries(source[file][i] ?? {})) if (!drop.has(column)) expect(row[column]).toBe(value)
      })
    }
  })

  it.each([
    [["--out", "x"], /--from DIR is required/],
    [["--from", "examples/example-study"], /--out DIR is required/],
    [["--from", "examples/example-study", "--out", "x", "--seed", "seven"], /--seed must be/],
    [["--from", "examples/example-study", "--out", "x", "--colour", "blue"], /Unknown option/],
  ])("exits 2 with a usage message for bad arguments %j", (args, message) => {
    const r = spawnSync(join(ROOT, "node_modules/.bin/tsx"), [join(ROOT, "scripts/itemise-study.ts"), ...args], { cwd: temp, encoding: "utf8" })
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(message)
  })

  it("exits 1 when the source files cannot be read", () => {
    const r = spawnSync(join(ROOT, "node_modules/.bin/tsx"), [join(ROOT, "scripts/itemise-study.ts"), "--from", join(temp, "none"), "--out", join(temp, "y")], { encoding: "utf8" })
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/^itemise-study: failed: /)
  })
})

describe("the item-level example study", () => {
  it.each(SETS)("$set: every response is an integer in the instrument's range", ({ model, rows }) => {
    const [low, high] = model.range
    const bad = rows.flatMap((r) => r.items).filter((x) => x !== null && !(Number.isInteger(x) && x >= low && x <= high))
    expect(bad).toEqual([])
  })

  it.each(SETS)("$set: all items are blank exactly where the source total is blank", ({ set, rows }) => {
    // GAD-7 is blank where PHQ-9 is (it is derived from it)
    const mismatched = rows.filter((r) => r.items.every((x) => x === null) !== (r.total === null))
    expect(mismatched.length, set).toBe(0)
  })

  it.each(SETS.filter((s) => s.model.id !== "gad7"))("$set: complete items reproduce the source totals closely on average", ({ model, rows }) => {
    const diffs = rows.flatMap((r) => {
      const score = completeScore(r.items, model)
      return score === null || r.total === null ? [] : [score - r.total]
    })
    const scale = model.scoring === "sum" ? 1 : 0.1 // PHQ-9 points; WAI-SR tenths of a point
    expect(diffs.length).toBeGreaterThan(1500)
    expect(diffs.reduce((s, d) => s + Math.abs(d), 0) / diffs.length).toBeLessThan(1.5 * scale)
    expect(Math.abs(diffs.reduce((s, d) => s + d, 0) / diffs.length)).toBeLessThan(0.3 * scale)
  })

  it.each(SETS)("$set: blank items in the ballpark of the design rates", ({ model, rows }) => {
    const scored = rows.filter((r) => r.total !== null)
    const blanks = scored.map((r) => r.items.filter((x) => x === null).length)
    const k = model.items
    const anyBlank = MISSINGNESS.block + (1 - MISSINGNESS.block) * (1 - (1 - MISSINGNESS.item) ** k)
    const rate = blanks.filter((b) => b > 0).length / scored.length
    expect(Math.abs(rate - anyBlank)).toBeLessThan(5 * Math.sqrt((anyBlank * (1 - anyBlank)) / scored.length))
    const excluded = blanks.filter((b) => b > model.maxMissing).length / scored.length
    expect(excluded).toBeGreaterThan(0.002)
    expect(excluded).toBeLessThan(0.025)
  })
})

describe("src/synthetic/itemise.ts", () => {
  it("agrees with the instrument registry on items, range, scoring, keys, subscales and proration", () => {
    for (const model of [PHQ9, GAD7, WAI_SR]) {
      const entry = INSTRUMENTS.get(model.id)
      expect(entry).toBeDefined()
      expect([model.items, [...model.range], model.scoring, model.maxMissing]).toEqual([entry?.items, entry?.range, entry?.scoring, entry?.proration.max_missing])
      expect(entry?.reversed.value).toEqual([])
      expect(model.offsets.length).toBe(model.items)
      expect(Math.abs(model.offsets.reduce((s, d) => s + d, 0))).toBeLessThan(1e-12)
      expect(model.offsets.every((d) => Math.abs(d) <= 0.4)).toBe(true)
    }
    expect(INSTRUMENTS.get("wai_sr")?.subscales?.value).toEqual({ task: [1, 2, 10, 12], bond: [3, 5, 7, 9], goal: [4, 6, 8, 11] })
    for (const name of WAI_SUBSCALE_NAMES) {
      expect(Math.abs(WAI_SR_SUBSCALES[name].reduce((s, j) => s + (WAI_SR.offsets[j - 1] ?? Number.NaN), 0))).toBeLessThan(1e-12)
    }
  })

  it("gives the same items from the same seed and blank items, with no draws, from a blank total", () => {
    const draw = (seed: number) => [itemiseTotal(createRng(seed), 14, PHQ9), itemiseTotal(createRng(seed), 3.4, WAI_SR)]
    expect(draw(11)).toEqual(draw(11))
    expect(draw(11)).not.toEqual(draw(12))
    const rng = createRng(5)
    expect(itemiseTotal(rng, null, GAD7)).toEqual(new Array(7).fill(null))
    expect(dropItems(rng, new Array(9).fill(null))).toEqual(new Array(9).fill(null))
    expect(rng.nextUint32()).toBe(createRng(5).nextUint32())
  })

  it("centres WAI-SR items on each subscale, and on alliance + the client's offset for a blank subscale", () => {
    const rng = createRng(3)
    const mean = (xs: ReadonlyArray<number>) => xs.reduce((s, x) => s + x, 0) / xs.length
    const goal: number[] = [], task: number[] = [], bond: number[] = []
    for (let i = 0; i < 4000; i++) {
      const items = itemiseWaiSr(rng, { alliance: 3, goal: 4, task: 2, bond: null }, { goal: 0, task: 0, bond: -0.5 })
      const sub = (name: keyof typeof WAI_SR_SUBSCALES) => mean(WAI_SR_SUBSCALES[name].map((j) => items[j - 1] ?? Number.NaN))
      goal.push(sub("goal")), task.push(sub("task")), bond.push(sub("bond"))
    }
    expect(mean(goal)).toBeCloseTo(4, 1)
    expect(mean(task)).toBeCloseTo(2, 1)
    expect(mean(bond)).toBeCloseTo(2.5, 1)
    expect(itemiseWaiSr(rng, { alliance: null, goal: null, task: null, bond: null }, { goal: 0, task: 0, bond: 0 })).toEqual(new Array(12).fill(null))
  })

  it("blanks items at the design rates: 3 items in 0.4% of rows, otherwise each item 1.5%", () => {
    const rng = createRng(99)
    const rows = 200_000
    let three = 0, blankItems = 0
    for (let i = 0; i < rows; i++) {
      const blank = dropItems(rng, new Array(12).fill(1)).filter((x) => x === null).length
      if (blank === 3) three += 1
      blankItems += blank
    }
    const threeExpected = MISSINGNESS.block + (1 - MISSINGNESS.block) * 220 * MISSINGNESS.item ** 3 * (1 - MISSINGNESS.item) ** 9
    expect(Math.abs(three / rows - threeExpected)).toBeLessThan(5 * Math.sqrt(threeExpected / rows))
    const itemsExpected = MISSINGNESS.block * 3 + (1 - MISSINGNESS.block) * 12 * MISSINGNESS.item
    expect(Math.abs(blankItems / rows - itemsExpected)).toBeLessThan(0.005)
  })
})

interface FixtureScale {
  rule: string
  client_id: string[]
  session?: number[]
  names: string[]
  items: number[][]
  n: number
  total: { raw_alpha: number; std_alpha: number }
  omega: { refined: { omega_tot: number } }
}
const fixture = readFixture<{ study: string; scales: Record<string, FixtureScale> }>("item-level-example")

describe("test/reference/fixtures/item-level-example.json", () => {
  const completeRows = <T extends Record<string, string>>(rows: ReadonlyArray<T>, names: ReadonlyArray<string>) => rows.filter((r) => names.every((c) => (r[c] ?? "") !== ""))
  /** per client, the lowest-numbered session with every `select` item present; clients in clients.csv order */
  const firstComplete = (select: ReadonlyArray<string>) => {
    const best = new Map<string, Record<string, string>>()
    for (const r of completeRows(example.sessions, select)) {
      const id = r.client_id ?? ""
      const seen = best.get(id)
      if (seen === undefined || Number(r.session) < Number(seen.session)) best.set(id, r)
    }
    return example.clients.flatMap((c) => {
      const row = best.get(c.client_id ?? "")
      return row === undefined ? [] : [row]
    })
  }
  const wai = oneTo(12).map((j) => `wai_${j}`)

  it("covers the nine item sets, with the row rule written out", () => {
    expect(Object.keys(fixture.scales)).toEqual(["phq9_baseline", "phq9_outcome", "gad7_baseline", "gad7_outcome", "wai_sr", "wai_sr_goal", "wai_sr_task", "wai_sr_bond", "phq9_session"])
    expect(fixture.scales.phq9_baseline?.rule).toMatch(/^clients\.csv, every client row in file order .*complete cases/)
    expect(fixture.scales.wai_sr_goal?.rule).toMatch(/lowest-numbered session with all 12 WAI-SR items .*\(the rows of wai_sr\); goal items 4, 6, 8, 11$/)
    expect(fixture.scales.phq9_session?.rule).toMatch(/lowest-numbered session with all 9 PHQ-9 items/)
  })

  for (const [name, s] of Object.entries(fixture.scales)) {
    it(`${name}: selects the rows its rule describes from the committed files, and src/stats/reliability gives psych's α and ω`, () => {
      const rows = s.session === undefined
        ? completeRows(example.clients, s.names)
        : firstComplete(name.startsWith("wai_sr") ? wai : s.names)
      expect(rows.map((r) => r.client_id)).toEqual(s.client_id)
      if (s.session !== undefined) expect(rows.map((r) => Number(r.session))).toEqual(s.session)
      const items = s.names.map((c) => rows.map((r) => Number(r[c])))
      expect(items).toEqual(s.items)
      const a = cronbachAlpha(items, 0.95)
      expect([a.n, relativeError(a.raw, s.total.raw_alpha), relativeError(a.standardized, s.total.std_alpha)].map((x, i) => (i === 0 ? x : x < tolerance.closedForm))).toEqual([s.n, true, true])
      expect(relativeError(omegaOneFactor(itemMatrices(items).r, items.length).omegaTotal, s.omega.refined.omega_tot)).toBeLessThan(1e-9)
      expect(s.total.raw_alpha).toBeGreaterThan(0.75)
      expect(s.total.raw_alpha).toBeLessThan(0.95)
    })
  }
})
