/**
 * Acceptance (issue 6): the command line's results.json holds the common-factor breakdown of the
 * example study, and it agrees with R recomputed from the raw CSVs
 * (test/reference/common-factors-example.R: every sub-model by lm, the therapist share by lmer) —
 * with the default families and outcome, and with a study file that asks for the baseline-adjusted
 * outcome and a therapist bootstrap. A study file naming a predictor the study lacks is refused
 * before anything is written.
 */
import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import type { CommonFactorsRecord } from "../../data-schemas/common-factors-results.ts"
import { Results } from "../../data-schemas/results.ts"
import { readFixture } from "../reference/read-fixture.ts"
import { relativeError } from "../tolerances.ts"
import { ROOT, runCli, tempDir } from "./run-cli.ts"

interface Case {
  families: { r2: number[]; general: number[]; hierarchical: { f: number; p: number; df1: number; df2: number }[]; commonality: number[] }
  predictors: { general: number[] }
  therapist: { icc: number; icc_ci: number[]; share: number; share_ci: number[] }
}
const fixture = readFixture<Case & { baseline_adjusted: Case }>("common-factors-example")
const EXAMPLE = join(ROOT, "examples", "example-study")

const close = (actual: number, expected: number, what: string, limit = 1e-8) =>
  expect(relativeError(actual, expected, 1e-12), `${what}: ${actual} vs R ${expected}`).toBeLessThanOrEqual(limit)

const run = (folder: string): { code: number; stderr: string; out: string } => {
  const out = join(tempDir("out"), "report")
  const result = runCli([folder, "--out", out])
  return { code: result.code, stderr: result.stderr, out }
}

const breakdownOf = (folder: string): CommonFactorsRecord => {
  const { code, stderr, out } = run(folder)
  expect(code, stderr).toBe(0)
  const c = Results.parse(JSON.parse(readFileSync(join(out, "results.json"), "utf8"))).common_factors
  if (c.status !== "estimated") throw new Error(`not estimated: ${c.reason}`)
  return c
}

/** A copy of the example with its study file changed by `edit`. */
const exampleWith = (edit: (study: Record<string, unknown>) => void): string => {
  const folder = tempDir("common-factors")
  for (const file of ["clients.csv", "sessions.csv"]) copyFileSync(join(EXAMPLE, file), join(folder, file))
  const study = JSON.parse(readFileSync(join(EXAMPLE, "study.json"), "utf8")) as Record<string, unknown>
  delete study["$schema"]
  edit(study)
  writeFileSync(join(folder, "study.json"), JSON.stringify(study))
  return folder
}

const sameAsR = (c: CommonFactorsRecord, e: Case) => {
  close(c.r_squared, e.families.r2[e.families.r2.length - 1]!, "R²")
  c.families.forEach((f, i) => close(f.general_dominance, e.families.general[i]!, `${f.family} weight`))
  c.predictors.forEach((p, i) => close(p.general_dominance, e.predictors.general[i]!, `${p.predictor} weight`))
  c.hierarchical.forEach((h, i) => {
    const r = e.families.hierarchical[i]!
    expect([h.df1, h.df2]).toEqual([r.df1, r.df2])
    close(h.f, r.f, `step ${i} F`)
    close(h.p, r.p, `step ${i} p`)
  })
  c.commonality!.forEach((part, i) => close(part.value, e.families.commonality[i]!, `commonality ${part.families.join("+")}`, 1e-6))
  if (c.therapist.status !== "estimated") throw new Error(c.therapist.reason)
  close(c.therapist.icc, e.therapist.icc, "ICC", 1e-5)
  close(c.therapist.share, e.therapist.share, "therapist share", 1e-5)
  c.therapist.share_ci.forEach((v, i) => close(v, e.therapist.share_ci[i]!, `therapist share interval[${i}]`, 1e-5))
  // the slices are the whole
  expect(Math.abs(c.families.reduce((s, f) => s + f.general_dominance, 0) + c.therapist.share + c.unexplained - 1)).toBeLessThan(1e-12)
  for (const f of c.families) {
    expect(f.ci[0]).toBeLessThanOrEqual(f.general_dominance)
    expect(f.ci[1]).toBeGreaterThanOrEqual(f.general_dominance)
  }
}

describe("the common-factor breakdown from the command line", () => {
  let example: CommonFactorsRecord
  let adjusted: CommonFactorsRecord
  beforeAll(() => {
    example = breakdownOf(EXAMPLE)
    adjusted = breakdownOf(
      exampleWith((s) => {
        s["common_factors"] = { outcome: "baseline_adjusted", bootstrap: { replicates: 200, seed: 7, resample: "therapists" } }
      }),
    )
  }, 120_000)

  it("agrees with lm and lmer on the example study, with every family present", () => {
    expect(example.outcome).toBe("improvement")
    expect(example.families.map((f) => f.family)).toEqual(["extratherapeutic", "expectancy", "techniques", "common"])
    expect(example.absent_families).toEqual([])
    sameAsR(example, fixture)
    expect(example.bootstrap).toEqual({ replicates: 1000, used: 1000, seed: 1, resample: "clients", units: example.n, size: example.n, method: "percentile" })
  })

  it("with outcome baseline_adjusted, gives R's partial-R² breakdown and resamples therapists as asked", () => {
    expect(adjusted.outcome).toBe("baseline_adjusted")
    expect(adjusted.outcome_description).toContain("adjusted for baseline")
    sameAsR(adjusted, fixture.baseline_adjusted)
    expect(adjusted.bootstrap).toMatchObject({ replicates: 200, seed: 7, resample: "therapists", method: "percentile" })
    expect(adjusted.bootstrap.units).toBe(adjusted.therapist.status === "estimated" ? adjusted.therapist.n_therapists : -1)
  })

  it("refuses a study file whose families name a column the study lacks, and writes nothing; so does validate", () => {
    const folder = exampleWith((s) => {
      s["common_factors"] = { families: [{ name: "techniques", predictors: ["modality", "adherence"] }] }
    })
    const { code, stderr, out } = run(folder)
    expect(code).toBe(2)
    expect(stderr).toContain("study.json")
    expect(stderr).toContain("common_factors.families[0] (techniques): adherence is not a column of clients.csv")
    expect(existsSync(out)).toBe(false)
    // `validate` checks the families too
    const validated = runCli(["validate", folder])
    expect(validated.code).toBe(2)
    expect(validated.stderr).toContain("common_factors.families[0] (techniques): adherence is not a column of clients.csv")
  }, 60_000)
})
