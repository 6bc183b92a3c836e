/**
 * Acceptance (issue 9): two runs of the bundled example, one pinned to a single core with
 * `taskset -c 0` and one free to use both, write byte-identical report folders — results, report,
 * summary, tables, Vega-Lite specs, SVGs and manifest alike. (taskset is part of util-linux, on
 * every Linux machine this project's CI uses; elsewhere the test is skipped, saying so.)
 */
import { spawnSync } from "node:child_process"
import { readdirSync, readFileSync, statSync } from "node:fs"
import { join, relative } from "node:path"
import { describe, expect, it } from "vitest"
import { ROOT, tempDir } from "./run-cli.ts"

const TSX = join(ROOT, "node_modules", ".bin", "tsx")
const hasTaskset = spawnSync("taskset", ["-c", "0", "true"]).status === 0

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? files(path) : [path]
  })

describe("reproducible output", () => {
  it.skipIf(!hasTaskset)("gives the same bytes on one core and on all of them", () => {
    const dir = tempDir("determinism")
    const [one, all] = [join(dir, "one-core"), join(dir, "all-cores")]
    const env = { ...process.env, CI: "true" }
    const pinned = spawnSync("taskset", ["-c", "0", TSX, join(ROOT, "pipelines", "run.ts"), "--out", one], { cwd: ROOT, encoding: "utf8", env, timeout: 120_000 })
    expect(pinned.status, pinned.stderr).toBe(0)
    const free = spawnSync(TSX, [join(ROOT, "pipelines", "run.ts"), "--out", all], { cwd: ROOT, encoding: "utf8", env, timeout: 120_000 })
    expect(free.status, free.stderr).toBe(0)
    const names = files(one).map((f) => relative(one, f)).sort()
    expect(files(all).map((f) => relative(all, f)).sort()).toEqual(names)
    expect(names).toEqual(expect.arrayContaining(["results.json", "report.html", "summary.md", "manifest.json", "figures/forest-plot.svg", "tables/estimates.csv"]))
    const differing = names.filter((name) => !readFileSync(join(one, name)).equals(readFileSync(join(all, name))))
    expect(differing).toEqual([])
    // the timings, which do differ, live beside each folder, and the manifest says so
    for (const folder of [one, all]) {
      const timings = JSON.parse(readFileSync(`${folder}.timings.json`, "utf8"))
      expect(timings.phases.length).toBeGreaterThan(5)
      expect(timings.phases.every((p: { seconds: number }) => p.seconds >= 0)).toBe(true)
    }
    const manifest = JSON.parse(readFileSync(join(one, "manifest.json"), "utf8"))
    expect(manifest.timings).toContain("<folder name>.timings.json")
    expect(manifest.warnings).toEqual(JSON.parse(readFileSync(join(one, "results.json"), "utf8")).warnings)
  }, 240_000)
})
