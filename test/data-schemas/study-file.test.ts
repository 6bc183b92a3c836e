import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { jsonSchemas } from "../../data-schemas/json-schemas.ts"
import { StudyFile } from "../../data-schemas/study-file.ts"

describe("StudyFile", () => {
  it("fills every default from a name alone (PHQ-9 lower is better, alliance 1–5, sessions 1–3)", () => {
    const config = StudyFile.parse({ name: "lab" })
    expect(config.files).toEqual({ clients: "clients.csv", sessions: "sessions.csv" })
    expect(config.measures.outcome).toEqual({ instrument: "PHQ-9", range: [0, 27], direction: "lower_is_better" })
    expect(config.measures.alliance.range).toEqual([1, 5])
    expect(config.analysis).toEqual({ early_window: [1, 3], ci_level: 0.95, pooling_method: "REML", pooling_test: "z", min_site_n: 4, min_cell: 10, within_between_therapist_intercept: false })
    expect(config.missing_values).toEqual(["", "NA"])
  })

  it("rejects unknown keys, mappings of non-canonical columns, reversed windows and short override reasons", () => {
    expect(StudyFile.safeParse({ name: "x", analyis: {} }).success).toBe(false)
    expect(StudyFile.safeParse({ name: "x", columns: { clients: { nickname: "n" } } }).success).toBe(false)
    expect(StudyFile.safeParse({ name: "x", analysis: { early_window: [3, 1] } }).success).toBe(false)
    expect(StudyFile.safeParse({ name: "x", deidentification: { allow: [{ column: "zip", reason: "ok" }] } }).success).toBe(false)
    expect(StudyFile.safeParse({ name: "../evil" }).success).toBe(false)
  })

  it("reads the privacy section: k of at least 5 (default 5), standard or strict", () => {
    expect(StudyFile.parse({ name: "x" }).privacy).toEqual({ k: 5, mode: "standard" })
    expect(StudyFile.parse({ name: "x", privacy: { k: 11, mode: "strict" } }).privacy).toEqual({ k: 11, mode: "strict" })
    expect(StudyFile.safeParse({ name: "x", privacy: { k: 4 } }).success).toBe(false)
    expect(StudyFile.safeParse({ name: "x", privacy: { k: 5.5 } }).success).toBe(false)
    expect(StudyFile.safeParse({ name: "x", privacy: { mode: "loose" } }).success).toBe(false)
  })

  it("checks the instruments section: item prefixes in pairs, a second outcome's items or totals, sourced overrides", () => {
    const ok = (instruments: object) => StudyFile.safeParse({ name: "x", instruments }).success
    expect(ok({ outcome: { id: "phq9", baseline_items: "pre_", outcome_items: "post_" } })).toBe(true)
    expect(ok({ outcome: { id: "phq9", baseline_items: "pre_" } })).toBe(false)
    expect(ok({ outcome: { id: "phq9", baseline_items: "pre 1" , outcome_items: "post_" } })).toBe(false)
    expect(ok({ second_outcome: { id: "gad7", baseline_column: "gad_pre", outcome_column: "gad_post" } })).toBe(true)
    expect(ok({ second_outcome: { id: "gad7" } })).toBe(false)
    expect(ok({ second_outcome: { id: "gad7", baseline_items: "a_", outcome_items: "b_", baseline_column: "c", outcome_column: "d" } })).toBe(false)
    expect(ok({ thresholds: { phq9: { cut_off: 10, source: "our protocol" } } })).toBe(true)
    expect(ok({ thresholds: { phq9: { cut_off: 10 } } })).toBe(false)
    expect(StudyFile.parse({ name: "x" }).instruments.rupture).toEqual({ threshold_sd: 1, repair_window: 3 })
  })

  it("accepts the bundled examples' study files", () => {
    for (const example of ["example-study", "item-level-study"]) {
      const text = readFileSync(new URL(`../../examples/${example}/study.json`, import.meta.url), "utf8")
      expect(StudyFile.safeParse(JSON.parse(text)).success, example).toBe(true)
    }
  })
})

describe("jsonSchemas", () => {
  it("matches the committed JSON Schema files (run data-schemas/export-json-schemas.ts to update)", () => {
    for (const [file, schema] of Object.entries(jsonSchemas())) {
      const committed = readFileSync(new URL(`../../data-schemas/json/${file}`, import.meta.url), "utf8")
      expect(JSON.parse(committed), file).toEqual(JSON.parse(JSON.stringify(schema)))
    }
  })
})
