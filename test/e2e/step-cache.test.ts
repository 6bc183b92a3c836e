/**
 * The step cache end to end (issue 9, item 5): a re-run with nothing changed reuses every step
 * and writes the same bytes; a change re-runs exactly the steps it reaches and says why; whatever
 * was reused, the report is byte for byte the report of a run without a cache.
 */
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { EXAMPLE_STUDY } from "../../pipelines/run.ts"
import { filesBelow, runCli, runInProcess, tempDir } from "./run-cli.ts"

/** Every file of a report folder, the manifest's runtime line aside (it records the machine). */
const folder = (dir: string) =>
  Object.fromEntries(filesBelow(dir).map((file) => [file, readFileSync(join(dir, file), "utf8")]))

const run = async (args: ReadonlyArray<string>) => {
  const { code, output } = await runInProcess([...args, "--quiet"])
  expect(code, output).toBe(0)
  return output
}

/** A run that prints its messages (not --quiet), returning the cache's lines. */
const cacheLinesOf = async (args: ReadonlyArray<string>): Promise<string[]> => {
  const { code, output } = await runInProcess(args)
  expect(code, output).toBe(0)
  return output.split("\n").filter((line) => line.startsWith("cache: "))
}

describe("the step cache", () => {
  let work: string
  let cache: string
  let uncached: Record<string, string>

  beforeAll(async () => {
    work = tempDir("step-cache")
    cache = join(work, "cache")
    await run([EXAMPLE_STUDY, "--out", join(work, "uncached"), "--no-cache"])
    uncached = folder(join(work, "uncached"))
  })

  it("computes every step on the first run and reuses every step on the second, writing the same bytes", async () => {
    expect(await cacheLinesOf([EXAMPLE_STUDY, "--out", join(work, "cold"), "--cache", cache])).toEqual([
      `cache: a first run with this cache: all 7 steps computed, and kept in ${cache} for re-runs`,
    ])
    expect(await cacheLinesOf([EXAMPLE_STUDY, "--out", join(work, "warm"), "--cache", cache])).toEqual([
      `cache: nothing changed, so all 7 steps were reused from ${cache}`,
    ])
    expect(folder(join(work, "cold"))).toEqual(uncached)
    expect(folder(join(work, "warm"))).toEqual(uncached)
    // the timings file beside the report records what each step did
    const timings = JSON.parse(readFileSync(join(work, "warm.timings.json"), "utf8")) as { cache: { steps: Array<{ step: string; reused: boolean }> } }
    expect(timings.cache.steps.map((s) => [s.step, s.reused])).toEqual(
      ["read", "correlations", "sites", "multilevel", "commonFactors", "clinical", "render"].map((step) => [step, true]),
    )
  })

  it("re-runs only the steps a setting reaches, and gives the report a run without a cache gives", async () => {
    await run([EXAMPLE_STUDY, "--out", join(work, "z"), "--cache", cache])
    const lines = await cacheLinesOf([EXAMPLE_STUDY, "--out", join(work, "knha"), "--cache", cache, "--pooling-test", "knha"])
    expect(lines).toEqual([
      `cache: reused correlations, multilevel models, common factors, clinical from ${cache}`,
      "cache: ran read and validate (its data were needed by: sites)",
      "cache: ran sites (changed since the last run: setting the pooling test (analysis.pooling_test or --pooling-test))",
      "cache: ran charts and report (changed since the last run: results.json)",
    ])
    await run([EXAMPLE_STUDY, "--out", join(work, "knha-uncached"), "--no-cache", "--pooling-test", "knha"])
    expect(folder(join(work, "knha"))).toEqual(folder(join(work, "knha-uncached")))
    expect(folder(join(work, "knha"))).not.toEqual(uncached)
  })

  it("re-runs every step when a data file changes, naming the file", async () => {
    const study = join(work, "edited-study")
    cpSync(EXAMPLE_STUDY, study, { recursive: true })
    await run([study, "--out", join(work, "before-edit"), "--cache", cache])
    const sessions = join(study, "sessions.csv")
    const text = readFileSync(sessions, "utf8")
    // one client's first-session alliance, 3.03 → 3.53 (within the 1–5 range)
    writeFileSync(sessions, text.replace("C000001,1,3.03,", "C000001,1,3.53,"))
    expect(await cacheLinesOf([study, "--out", join(work, "after-edit"), "--cache", cache])).toEqual([
      "cache: ran read and validate, correlations, sites, multilevel models, common factors, clinical (changed since the last run: data file sessions.csv)",
      "cache: ran charts and report (changed since the last run: results.json)",
    ])
    await run([study, "--out", join(work, "after-edit-uncached"), "--no-cache"])
    expect(folder(join(work, "after-edit"))).toEqual(folder(join(work, "after-edit-uncached")))
    expect(JSON.parse(folder(join(work, "after-edit"))["results.json"]!).primary).not.toEqual(JSON.parse(uncached["results.json"]!).primary)
  })

  it("re-draws the report alone when only the title changes", async () => {
    const study = join(work, "retitled-study")
    cpSync(EXAMPLE_STUDY, study, { recursive: true })
    await run([study, "--out", join(work, "titled"), "--cache", cache])
    const file = join(study, "study.json")
    writeFileSync(file, readFileSync(file, "utf8").replace('"title": "Synthetic', '"title": "Retitled synthetic'))
    expect(await cacheLinesOf([study, "--out", join(work, "retitled"), "--cache", cache])).toEqual([
      `cache: reused read and validate, correlations, sites, multilevel models, common factors, clinical from ${cache}`,
      "cache: ran charts and report (changed since the last run: results.json)",
    ])
    expect(folder(join(work, "retitled"))["report.html"]).toContain("Retitled synthetic")
  })

  it("re-runs the clinical step alone when only the rupture rule changes", async () => {
    const study = join(work, "rupture-study")
    cpSync(EXAMPLE_STUDY, study, { recursive: true })
    await run([study, "--out", join(work, "rupture-before"), "--cache", cache])
    const file = join(study, "study.json")
    const config = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>
    writeFileSync(file, JSON.stringify({ ...config, instruments: { rupture: { threshold_sd: 1.5 } } }, null, 2))
    expect(await cacheLinesOf([study, "--out", join(work, "rupture-after"), "--cache", cache])).toEqual([
      `cache: reused correlations, sites, multilevel models, common factors from ${cache}`,
      "cache: ran read and validate (its data were needed by: clinical)",
      "cache: ran clinical (changed since the last run: setting instruments.rupture)",
      "cache: ran charts and report (changed since the last run: results.json)",
    ])
    await run([study, "--out", join(work, "rupture-uncached"), "--no-cache"])
    expect(folder(join(work, "rupture-after"))).toEqual(folder(join(work, "rupture-uncached")))
    expect(folder(join(work, "rupture-after"))["results.json"]).not.toEqual(folder(join(work, "rupture-before"))["results.json"])
  })

  it("recomputes a step whose entry was damaged, and says so", async () => {
    const damaged = join(work, "damaged-cache")
    await run([EXAMPLE_STUDY, "--out", join(work, "d1"), "--cache", damaged])
    const entries = join(damaged, "clinical")
    const entry = join(entries, readdirSync(entries).find((name) => name.endsWith(".entry"))!)
    const text = readFileSync(entry, "utf8")
    writeFileSync(entry, text.slice(0, -10) + "0".repeat(10))
    const lines = await cacheLinesOf([EXAMPLE_STUDY, "--out", join(work, "d2"), "--cache", damaged])
    expect(lines).toContain("cache: ran clinical (its cache entry was unreadable (damaged))")
    expect(folder(join(work, "d2"))).toEqual(uncached)
  })

  it("runs without it, and says why, when the cache folder cannot be used", async () => {
    const file = join(work, "a-file")
    writeFileSync(file, "")
    const lines = await cacheLinesOf([EXAMPLE_STUDY, "--out", join(work, "no-cache-folder"), "--cache", file])
    expect(lines).toEqual([expect.stringMatching(/^cache: not used: could not use .*a-file: EEXIST/)])
    expect(folder(join(work, "no-cache-folder"))).toEqual(uncached)
  })

  it("is kept in .alliance-cache/ under the working directory unless ALLIANCE_NO_CACHE is set", () => {
    const here = tempDir("cache-default")
    const off = runCli(["--out", "r", "--quiet"], here) // the tests run with ALLIANCE_NO_CACHE=1 (vitest.config.ts)
    expect(off.code, off.stderr).toBe(0)
    expect(existsSync(join(here, ".alliance-cache"))).toBe(false)
    const on = runCli(["--out", "r2"], here, { env: { ALLIANCE_NO_CACHE: "" } })
    expect(on.code, on.stderr).toBe(0)
    expect(on.stderr).toContain("cache: a first run with this cache: all 7 steps computed, and kept in .alliance-cache for re-runs")
    expect(readFileSync(join(here, ".alliance-cache", ".gitignore"), "utf8")).toContain("*")
  })
})
