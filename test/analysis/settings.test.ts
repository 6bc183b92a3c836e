/** The effective privacy settings: the study file's, the command line's mode, strict's k ≥ 10, min_cell ≥ k. */
import { describe, expect, it } from "vitest"
import { StudyFile } from "../../data-schemas/study-file.ts"
import { settingsFrom, STRICT_MIN_K } from "../../src/analysis/settings.ts"

const config = (privacy: object, analysis: object = {}) => StudyFile.parse({ name: "x", privacy, analysis })

describe("settingsFrom: privacy", () => {
  it("takes k and the mode from the study file, standard with k = 5 by default", () => {
    expect(settingsFrom(config({}), { poolingTest: null }).privacy).toEqual({ mode: "standard", k: 5 })
    expect(settingsFrom(config({ k: 7 }), { poolingTest: null }).privacy).toEqual({ mode: "standard", k: 7 })
  })

  it("raises k to 10 in strict mode, from the study file or --privacy strict, and keeps a larger k", () => {
    expect(STRICT_MIN_K).toBe(10)
    expect(settingsFrom(config({ mode: "strict" }), { poolingTest: null }).privacy).toEqual({ mode: "strict", k: 10 })
    expect(settingsFrom(config({ k: 6 }), { poolingTest: null, privacy: "strict" }).privacy).toEqual({ mode: "strict", k: 10 })
    expect(settingsFrom(config({ k: 12 }), { poolingTest: null, privacy: "strict" }).privacy).toEqual({ mode: "strict", k: 12 })
    // the command line's standard overrides a strict study file
    expect(settingsFrom(config({ mode: "strict" }), { poolingTest: null, privacy: "standard" }).privacy).toEqual({ mode: "standard", k: 5 })
  })

  it("shows estimates only for groups of at least k: min_cell is raised to k", () => {
    expect(settingsFrom(config({}, { min_cell: 5 }), { poolingTest: null }).minCell).toBe(5)
    expect(settingsFrom(config({ k: 8 }, { min_cell: 5 }), { poolingTest: null }).minCell).toBe(8)
    expect(settingsFrom(config({}, { min_cell: 5 }), { poolingTest: null, privacy: "strict" }).minCell).toBe(10)
    expect(settingsFrom(config({}), { poolingTest: null }).minCell).toBe(10)
  })
})
