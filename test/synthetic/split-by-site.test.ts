/**
 * scripts/split-by-site.ts: the bundled example as one study folder per site (to try `summarize`
 * and `pool`, issue 10). Every client lands in exactly one site's folder with all its sessions,
 * and a file it cannot split safely is refused.
 */
import { spawnSync } from "node:child_process"
import { cpSync, readFileSync, readdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { EXAMPLE_STUDY } from "../../pipelines/run.ts"
import { ROOT, tempDir } from "../e2e/run-cli.ts"

const split = (from: string, out: string) =>
  spawnSync(join(ROOT, "node_modules/.bin/tsx"), [join(ROOT, "scripts/split-by-site.ts"), "--from", from, "--out", out], { encoding: "utf8" })

const records = (file: string) => readFileSync(file, "utf8").trimEnd().split("\n").slice(1)

describe("split-by-site", () => {
  it("puts every client, with all its sessions, in its site's folder", () => {
    const out = tempDir("split")
    const run = split(EXAMPLE_STUDY, out)
    expect(run.status, run.stderr).toBe(0)
    const sites = readdirSync(out).sort()
    expect(sites).toEqual(["S01", "S02", "S03", "S04", "S05", "S06", "S07", "S08"])
    expect(run.stderr).toContain("wrote 8 site studies (S01, S02, S03, S04, S05, S06, S07, S08)")
    const clients = sites.flatMap((site) => records(join(out, site, "clients.csv")).map((row) => [site, row] as const))
    expect(clients.every(([site, row]) => row.split(",")[2] === site)).toBe(true)
    expect(clients.map(([, row]) => row).sort()).toEqual(records(join(EXAMPLE_STUDY, "clients.csv")).sort())
    const sessions = sites.flatMap((site) => records(join(out, site, "sessions.csv")))
    expect(sessions.sort()).toEqual(records(join(EXAMPLE_STUDY, "sessions.csv")).sort())
    expect(readFileSync(join(out, "S01", "study.json"), "utf8")).toBe(readFileSync(join(EXAMPLE_STUDY, "study.json"), "utf8"))
  })

  it("refuses a file with quoted fields rather than split it wrongly, and needs --from and --out", () => {
    const study = join(tempDir("split-quoted"), "study")
    cpSync(EXAMPLE_STUDY, study, { recursive: true })
    const file = join(study, "clients.csv")
    writeFileSync(file, readFileSync(file, "utf8").replace("\nC000001,", '\n"C000001",'))
    const run = split(study, tempDir("split-out"))
    expect(run.status).toBe(1)
    expect(run.stderr).toContain("has quoted fields")
    const usage = spawnSync(join(ROOT, "node_modules/.bin/tsx"), [join(ROOT, "scripts/split-by-site.ts")], { encoding: "utf8" })
    expect(usage.status).toBe(2)
    expect(usage.stderr).toContain("--from DIR is required")
  })
})
