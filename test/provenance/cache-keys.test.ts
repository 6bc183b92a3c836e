import { mkdirSync, renameSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { StudyFile } from "../../data-schemas/study-file.ts"
import { settingsFrom } from "../../src/analysis/settings.ts"
import { settingsFor, STEP_SETTINGS } from "../../src/analysis/steps.ts"
import { computeCodeDigest, readConfigOf, settingComponents } from "../../src/provenance/cache-keys.ts"
import { tempDir } from "../e2e/run-cli.ts"

describe("the code's digest", () => {
  const project = () => {
    const root = tempDir("code")
    for (const folder of ["src/stats", "pipelines", "data-schemas", "test", "reports"]) mkdirSync(join(root, folder), { recursive: true })
    writeFileSync(join(root, "src/stats/mean.ts"), "export const mean = 1\n")
    writeFileSync(join(root, "pipelines/run.ts"), "run()\n")
    writeFileSync(join(root, "data-schemas/results.ts"), "schema\n")
    writeFileSync(join(root, "package.json"), "{}\n")
    writeFileSync(join(root, "package-lock.json"), '{"lockfileVersion": 3}\n')
    return root
  }

  it("changes with each file of the code, the lockfile, and a file's name", () => {
    const root = project()
    const before = computeCodeDigest(root)
    expect(computeCodeDigest(root)).toBe(before)
    const changes: Array<() => void> = [
      () => writeFileSync(join(root, "src/stats/mean.ts"), "export const mean = 2\n"),
      () => writeFileSync(join(root, "src/stats/new.ts"), ""),
      () => renameSync(join(root, "src/stats/new.ts"), join(root, "src/stats/renamed.ts")),
      () => writeFileSync(join(root, "package-lock.json"), '{"lockfileVersion": 3, "packages": {}}\n'),
      () => writeFileSync(join(root, "data-schemas/results.ts"), "schema 2\n"),
      () => writeFileSync(join(root, "tsconfig.json"), "{}\n"),
    ]
    const seen = new Set([before])
    for (const change of changes) {
      change()
      const digest = computeCodeDigest(root)
      expect(seen.has(digest)).toBe(false)
      seen.add(digest)
    }
  })

  it("does not change with the tests, the reports or other files", () => {
    const root = project()
    const before = computeCodeDigest(root)
    writeFileSync(join(root, "test/a.test.ts"), "test\n")
    writeFileSync(join(root, "reports/results.json"), "{}\n")
    writeFileSync(join(root, "README.md"), "# readme\n")
    expect(computeCodeDigest(root)).toBe(before)
  })
})

describe("the key components", () => {
  const config = StudyFile.parse({ name: "s", title: "T", privacy: { k: 7 } })

  it("give reading every section of the study file but those of the analysis, the report and --check", () => {
    expect(Object.keys(config).filter((section) => !(section in readConfigOf(config))).sort()).toEqual(
      ["analysis", "check", "common_factors", "name", "privacy", "title"].sort(),
    )
    // the rupture rule is the clinical step's setting, not reading's
    expect(Object.keys(config.instruments)).toContain("rupture")
    expect(Object.keys(readConfigOf(config).instruments).sort()).toEqual(Object.keys(config.instruments).filter((key) => key !== "rupture").sort())
  })

  it("name each setting of a step's slice as the study file names it", () => {
    const settings = settingsFrom(config, { poolingTest: "knha" })
    const names = Object.keys(settingComponents(settingsFor("sites", settings)))
    expect(names).toEqual([
      "setting analysis.ci_level",
      "setting analysis.min_site_n",
      "setting analysis.pooling_method",
      "setting the pooling test (analysis.pooling_test or --pooling-test)",
      "setting privacy (privacy.mode and privacy.k, or --privacy)",
    ])
    // a slice holds its settings and nothing else
    for (const [step, names] of Object.entries(STEP_SETTINGS)) {
      expect(Object.keys(settingsFor(step as keyof typeof STEP_SETTINGS, settings)).sort()).toEqual([...names].sort())
    }
  })
})
