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

/** Generates a synthetic study and runs the pipeline on it; returns the exit code, results and report. */
const runGenerated = (clients: number, therapists: number, seed: number) => {
  const study = tempDir("few-therapists")
  const generated = spawnSync(join(ROOT, "node_modules", ".bin", "tsx"), [join(ROOT, "scripts", "generate-study.ts"), "--out", study, "--clients", String(clients), "--therapists", String(therapists), "--sites", "1", "--seed", String(seed)], { encoding: "utf8" })
  expect(generated.status, generated.stderr).toBe(0)
  const out = join(tempDir("out"), "report")
  const run = runCli([study, "--out", out])
  expect(run.code, run.stderr).toBe(0)
  return { code: run.code, results: Results.parse(JSON.parse(readFileSync(join(out, "results.json"), "utf8"))), html: readFileSync(join(out, "report.html"), "utf8") }
}

describe("a study with 3 therapists", () => {
  let results: Results
  let html: string
  let code: number
  beforeAll(() => {
    ;({ code, results, html } = runGenerated(80, 3, 7))
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

describe("a study of 5 clients and 2 therapists", () => {
  it("still writes a report: the models the data cannot support are not estimable, with their reasons", () => {
    const { code, results } = runGenerated(5, 2, 3)
    expect(code).toBe(0)
    const d = results.multilevel.decomposition
    expect(d.status).toBe("not_estimable")
    if (d.status === "not_estimable") expect(d.reason).toBe("5 observations are too few for 4 fixed effects and the variances")
    expect(results.warnings.map((w) => w.code)).toContain("few_therapists")
  }, 120_000)
})
