/**
 * End-to-end: the README's command on the bundled example, run from a clean working directory.
 * Checks every promised output file, that report.html shows the numbers in results.json and is
 * self-contained, and that a second run gives byte-identical files.
 */
import { createHash } from "node:crypto"
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { Results } from "../../data-schemas/results.ts"
import { formatCi, formatR } from "../../src/report/format.ts"
import { filesBelow, HAS_TASKSET, ROOT, runCli, tempDir } from "./run-cli.ts"

describe("npx tsx pipelines/run.ts (the bundled example)", () => {
  let cwd: string
  let report: string
  let results: Results
  beforeAll(() => {
    cwd = tempDir("example")
    const run = runCli([], cwd)
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toMatch(/^example: r\(early alliance, improvement\) = 0\.28\d, n = 1,789; report written to reports\/example\n$/)
    report = join(cwd, "reports", "example")
    results = Results.parse(JSON.parse(readFileSync(join(report, "results.json"), "utf8")))
  })

  it("writes every promised file under reports/example/", () => {
    const files = filesBelow(report)
    for (const expected of [
      "results.json",
      "report.html",
      "summary.md",
      "manifest.json",
      "figures/alliance-improvement.vl.json",
      "figures/alliance-improvement.svg",
      "figures/forest-plot.vl.json",
      "figures/forest-plot.svg",
      "tables/estimates.csv",
      "tables/sites.csv",
    ]) {
      expect(files).toContain(expected)
    }
    // no temporary folders left behind; the timings sit beside the report, outside it
    expect(readdirSync(join(cwd, "reports")).sort()).toEqual(["example", "example.timings.json"])
  })

  it("describes the example study: 8 sites, 170 therapists, 2,000 clients", () => {
    expect(results.descriptives).toMatchObject({ n_sites: 8, n_therapists: 170, n_clients: 2000 })
    expect(results.sites.per_site).toHaveLength(8)
    expect(results.by_subscale.map((s) => s.subscale)).toEqual(["goal", "task", "bond"])
  })

  it("shows the numbers of results.json in report.html, with nothing fetched from the network", () => {
    const html = readFileSync(join(report, "report.html"), "utf8")
    const r = results.primary.pearson
    const pooled = results.sites.pooled
    if (r.status !== "estimated" || pooled.status !== "estimated") throw new Error("expected estimates")
    expect(html).toContain(formatR(r.estimate))
    expect(html).toContain(formatCi(r.ci))
    expect(html).toContain(formatCi(pooled.ci))
    expect(html).toContain(formatCi(pooled.pi))
    expect(html.match(/<svg/g)?.length).toBeGreaterThanOrEqual(2)
    expect(html).not.toMatch(/<script[^>]*\ssrc=|<link[^>]*href=["']?https?:|@import|<img[^>]*src=["']?https?:/i)
  })

  it("records inputs, settings and output hashes in manifest.json", () => {
    const manifest = JSON.parse(readFileSync(join(report, "manifest.json"), "utf8"))
    expect(manifest.inputs.map((i: { file: string }) => i.file)).toEqual(["clients.csv", "sessions.csv"])
    for (const input of manifest.inputs as Array<{ file: string; sha256: string; bytes: number }>) {
      const bytes = readFileSync(join(ROOT, "examples", "example-study", input.file))
      expect(input.sha256).toBe(createHash("sha256").update(bytes).digest("hex"))
      expect(input.bytes).toBe(bytes.length)
    }
    expect(manifest.study).toMatchObject({ name: "example", study_file: "study.json" })
    expect(manifest.runtime.node).toBe(process.version)
    expect(manifest.outputs.map((o: { path: string }) => o.path)).toContain("results.json")
    // the common-factor bootstrap's seed, as the example's study file sets it, and its settings
    expect(manifest.seed).toBe(1)
    expect(manifest.settings.common_factors).toEqual({ outcome: "improvement", bootstrap: { replicates: 1000, seed: 1, resample: "clients", max_resample_size: 2000 } })
  })

  // Acceptance (issue 9): a run pinned to one core with `taskset -c 0` (part of util-linux, on
  // every Linux machine this project's CI uses) writes the same bytes as one free to use both
  it(`gives byte-identical files on a second run${HAS_TASKSET ? ", pinned to one core" : ""}`, () => {
    const second = join(tempDir("again"), "example")
    const run = runCli(["--out", second], cwd, { oneCore: HAS_TASKSET })
    expect(run.code, run.stderr).toBe(0)
    const files = filesBelow(report)
    expect(filesBelow(second)).toEqual(files)
    expect(files).toEqual(expect.arrayContaining(["results.json", "report.html", "summary.md", "manifest.json", "figures/forest-plot.svg", "tables/estimates.csv"]))
    // the timings, which do differ, live beside each folder, and the manifest says so
    for (const folder of [report, second]) {
      const timings = JSON.parse(readFileSync(`${folder}.timings.json`, "utf8"))
      expect(timings.phases.length).toBeGreaterThan(5)
      expect(timings.phases.every((p: { seconds: number }) => p.seconds >= 0)).toBe(true)
    }
    const manifest = JSON.parse(readFileSync(join(report, "manifest.json"), "utf8"))
    expect(manifest.timings).toContain("<folder name>.timings.json")
    expect(manifest.warnings).toEqual(JSON.parse(readFileSync(join(report, "results.json"), "utf8")).warnings)
    for (const file of files) {
      const first = readFileSync(join(report, file))
      const again = readFileSync(join(second, file))
      if (first.equals(again)) continue
      // name the first line that differs, so that a rare difference can be told from the log
      const a = first.toString("utf8").split("\n")
      const b = again.toString("utf8").split("\n")
      const line = a.findIndex((text, i) => text !== b[i])
      expect.fail(`${file} differs from the first run at line ${line + 1}:\n  first:  ${a[line]?.slice(0, 300)}\n  second: ${b[line]?.slice(0, 300)}`)
    }
  })
})
