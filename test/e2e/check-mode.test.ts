/**
 * Acceptance (issue 9): `--check` against a copy of results.json with one estimate nudged by
 * 1e-3 exits 5 and names that estimate; against the untouched copy it exits 0. `--update-expected`
 * writes the expected file deliberately, and the study file's `check` section sets tolerances.
 */
import { cpSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest"
import { ROOT, runInProcess, tempDir } from "./run-cli.ts"

const run = runInProcess

afterEach(() => vi.restoreAllMocks())

describe("--check and --update-expected on the bundled example", () => {
  let dir: string
  let expected: string
  beforeAll(async () => {
    dir = tempDir("check")
    expected = join(dir, "expected.json")
    const first = await run(["--out", join(dir, "report"), "--check", expected, "--update-expected"])
    expect(first.code, first.output).toBe(0)
    expect(first.output).toContain(`wrote the expected results ${expected}`)
    expect(readFileSync(expected, "utf8")).toBe(readFileSync(join(dir, "report", "results.json"), "utf8"))
  }, 120_000)

  it("exits 0 against the untouched copy", async () => {
    const { code, output } = await run(["--out", join(dir, "report"), "--check", expected])
    expect(code, output).toBe(0)
    expect(output).toMatch(/check: all [\d,]+ quantities agree with /)
  })

  it("exits 5 and names the estimate nudged by 1e-3, with expected, actual and difference", async () => {
    const nudged = JSON.parse(readFileSync(expected, "utf8"))
    const r = nudged.primary.pearson.estimate as number
    nudged.primary.pearson.estimate = r + 1e-3
    const file = join(dir, "nudged.json")
    writeFileSync(file, JSON.stringify(nudged, null, 2))
    const { code, output } = await run(["--out", join(dir, "report"), "--check", file])
    expect(code, output).toBe(5)
    expect(output).toMatch(/error: results drifted from .*nudged\.json: 1 of [\d,]+ quantities differ beyond the tolerances\./)
    expect(output).toMatch(new RegExp(`primary\\.pearson\\.estimate\\s+${String(r + 1e-3).replace(".", "\\.")}\\s+${String(r).replace(".", "\\.")}\\s+-1\\.000e-3`))
    expect(output).toContain("If the change is intended, accept it with --update-expected.")
  })

  it("uses the study file's tolerances per quantity", async () => {
    const study = join(dir, "study")
    cpSync(join(ROOT, "examples", "example-study"), study, { recursive: true })
    const config = JSON.parse(readFileSync(join(study, "study.json"), "utf8"))
    config.check = { quantities: { "primary.pearson.estimate": { absolute: 0.01 } } }
    writeFileSync(join(study, "study.json"), JSON.stringify(config, null, 2))
    const out = join(dir, "report-study")
    const own = join(dir, "own.json")
    expect((await run([study, "--out", out, "--check", own, "--update-expected"])).code).toBe(0)
    const nudged = JSON.parse(readFileSync(own, "utf8"))
    nudged.primary.pearson.estimate += 1e-3
    nudged.primary.spearman.estimate += 1e-3
    writeFileSync(own, JSON.stringify(nudged))
    const { code, output } = await run([study, "--out", out, "--check", own])
    expect(code, output).toBe(5)
    expect(output).toContain("1 of")
    expect(output).toContain("primary.spearman.estimate")
    expect(output).not.toContain("primary.pearson.estimate")
  })

  it("appends to GITHUB_STEP_SUMMARY and writes --junit FILE, for a check that passes and one that fails", async () => {
    const summary = join(dir, "step-summary.md")
    const junit = join(dir, "junit.xml")
    const before = process.env["GITHUB_STEP_SUMMARY"]
    process.env["GITHUB_STEP_SUMMARY"] = summary
    try {
      expect((await run(["--out", join(dir, "report"), "--check", expected, "--junit", junit])).code).toBe(0)
      expect(readFileSync(junit, "utf8")).toMatch(/<testsuite name="check" tests="1" failures="0">\n\s+<testcase classname="alliance-outcome.check" name="[\d,]+ quantities agree with /)
      const nudged = JSON.parse(readFileSync(expected, "utf8"))
      nudged.primary.pearson.estimate += 1e-3
      const file = join(dir, "nudged-ci.json")
      writeFileSync(file, JSON.stringify(nudged))
      expect((await run(["--out", join(dir, "report"), "--check", file, "--junit", junit])).code).toBe(5)
    } finally {
      if (before === undefined) delete process.env["GITHUB_STEP_SUMMARY"]
      else process.env["GITHUB_STEP_SUMMARY"] = before
    }
    const md = readFileSync(summary, "utf8")
    // both runs appended: the passing one with summary.md's results, the failing one with its table
    expect(md).toMatch(/^## alliance-outcome: the bundled example\n\n✅ \*\*Check:\*\* all [\d,]+ quantities agree with /)
    expect(md).toContain("## Alliance–outcome results")
    expect(md).toMatch(/❌ \*\*Check failed:\*\* 1 of [\d,]+ quantities drifted from `.*nudged-ci\.json`\./)
    expect(md).toMatch(/\| `primary\.pearson\.estimate` \| [\d.]+ \| [\d.]+ \| -1\.000e-3 \|/)
    const xml = readFileSync(junit, "utf8")
    expect(xml).toContain('<testsuite name="check" tests="1" failures="1">')
    expect(xml).toContain('<testcase classname="alliance-outcome.check" name="primary.pearson.estimate">')
  })

  it("says plainly when the JUnit file cannot be written, and exits 1", async () => {
    const { code, output } = await run(["--out", join(dir, "report"), "--junit", join(dir, "no-such-folder", "junit.xml")])
    expect(code).toBe(1)
    expect(output).toMatch(/error: could not write .*no-such-folder.junit\.xml: ENOENT/)
    expect(output).not.toMatch(/\n\s+at /) // no stack trace
  })

  it("refuses a missing or unreadable expected file (exit 2), and --update-expected alone", async () => {
    const missing = await run(["--out", join(dir, "report"), "--check", join(dir, "nope.json")])
    expect(missing.code).toBe(2)
    expect(missing.output).toContain("write them once with --update-expected")
    const bad = join(dir, "bad.json")
    writeFileSync(bad, "{ not json")
    const broken = await run(["--out", join(dir, "report"), "--check", bad])
    expect(broken.code).toBe(2)
    expect(broken.output).toMatch(/bad\.json is not JSON/)
    expect((await run(["--update-expected"])).code).toBe(2)
  })
})
