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

  it("accepts the bundled example's study file", () => {
    const text = readFileSync(new URL("../../examples/example-study/study.json", import.meta.url), "utf8")
    expect(StudyFile.safeParse(JSON.parse(text)).success).toBe(true)
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
