/**
 * Acceptance (issue 5): with 3 therapists the run completes, and the report explains why the
 * therapist ICC is not trustworthy and what a variance of 0 means.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { spawnSync } from "node:child_process"
import { beforeAll, describe, expect, it } from "vitest"
import { Results } from "../../data-schemas/results.ts"
import { ROOT, runCli, tempDir } from "./run-cli.ts"

describe("a study with 3 therapists", () => {
  let results: Results
  let html: string
  let code: number
  beforeAll(() => {
    const study = tempDir("few-therapists")
    const generated = spawnSync(join(ROOT, "node_modules", ".bin", "tsx"), [join(ROOT, "scripts", "generate-study.ts"), "--out", study, "--clients", "80", "--therapists", "3", "--sites", "1", "--seed", "7"], { encoding: "utf8" })
    expect(generated.status, generated.stderr).toBe(0)
    const out = join(tempDir("out"), "report")
    const run = runCli([study, "--out", out])
    code = run.code
    expect(run.code, run.stderr).toBe(0)
    results = Results.parse(JSON.parse(readFileSync(join(out, "results.json"), "utf8")))
    html = readFileSync(join(out, "report.html"), "utf8")
  }, 120_000)

  it("completes, with the therapist models fitted on 3 therapists", () => {
    expect(code).toBe(0)
    expect(results.multilevel.therapist_effects.n_therapists).toBe(3)
    expect(results.multilevel.therapist_effects.adjusted.status).toBe("estimated")
  })

  it("explains in the report why a therapist ICC from 3 therapists is not trustworthy", () => {
    const warning = results.warnings.find((w) => w.code === "few_therapists")
    expect(warning?.message).toMatch(/^Only 3 therapists saw the analysed clients\. A therapist variance estimated from so few therapists is not trustworthy/)
    expect(html).toContain("Only 3 therapists saw the analysed clients. A therapist variance estimated from so few therapists is not trustworthy")
  })
})
