/**
 * The synthetic literature behind examples/example-synthesis: seeded and reproducible, the
 * bundled file is exactly the generator's output, and the structure the model promises holds.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { parseStudies } from "../../src/ingest/read-studies.ts"
import { generateStudies, studiesCsv } from "../../src/synthetic/studies.ts"
import { ROOT } from "../e2e/run-cli.ts"

describe("generateStudies", () => {
  it("is reproducible from its seed, and other seeds give other literatures", () => {
    expect(studiesCsv(generateStudies({ studies: 25, seed: 7 }))).toBe(studiesCsv(generateStudies({ studies: 25, seed: 7 })))
    expect(studiesCsv(generateStudies({ studies: 25, seed: 8 }))).not.toBe(studiesCsv(generateStudies({ studies: 25, seed: 7 })))
  })

  it("bundles exactly the generator's output for the documented seed (examples/example-synthesis/README.md)", () => {
    const bundled = readFileSync(join(ROOT, "examples", "example-synthesis", "studies.csv"), "utf8")
    expect(bundled).toBe(studiesCsv(generateStudies({ studies: 40, seed: 20261122 })))
  })

  it("writes valid studies files: one to four effects per study, shared n and study moderators, some missing timing", () => {
    const rows = generateStudies({ studies: 300, seed: 11 })
    const file = parseStudies(studiesCsv(rows), "studies.csv")
    expect(file.totalProblems).toBe(0)
    const byStudy = new Map<string, typeof rows>()
    for (const r of rows) byStudy.set(r.study_id, [...(byStudy.get(r.study_id) ?? []), r])
    expect(byStudy.size).toBe(300)
    const sizes = [...byStudy.values()].map((g) => g.length)
    expect(Math.min(...sizes)).toBe(1)
    expect(Math.max(...sizes)).toBe(4)
    for (const g of byStudy.values()) {
      expect(new Set(g.map((r) => `${r.n}|${r.year}|${r.measure}`)).size).toBe(1)
      expect(g.map((r) => r.es_id)).toEqual(g.map((_, i) => String(i + 1)))
    }
    const missing = rows.filter((r) => r.timing === null).length / rows.length
    expect(missing).toBeGreaterThan(0.01)
    expect(missing).toBeLessThan(0.1)
    expect(rows.every((r) => r.n >= 12 && r.n <= 600 && Math.abs(r.r) < 1)).toBe(true)
  })

  it("hides small null studies: with selection, about half as many small first effects are non-significant", () => {
    const nullShare = (selection: boolean): number => {
      const small = generateStudies({ studies: 3000, seed: 3, selection }).filter((r) => r.es_id === "1" && r.n < 60)
      return small.filter((r) => Math.abs(Math.atanh(r.r)) * Math.sqrt(r.n - 3) < 1.959963984540054).length / small.length
    }
    const unselected = nullShare(false)
    const selected = nullShare(true)
    // Keeping a null study with probability 1/2 turns a share s into s/2 / (1 − s/2).
    expect(unselected).toBeGreaterThan(0.3)
    expect(selected).toBeCloseTo(unselected / 2 / (1 - unselected / 2), 1)
  })

  it("refuses a study count that is not a positive whole number", () => {
    expect(() => generateStudies({ studies: 0, seed: 1 })).toThrow(RangeError)
  })
})
