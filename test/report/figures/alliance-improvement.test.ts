import { describe, expect, it } from "vitest"
import { compileSpec } from "../../../src/report/svg.ts"
import {
  ALLIANCE_IMPROVEMENT_SIZE,
  allianceImprovementSpec,
  allianceImprovementTitle,
} from "../../../src/report/figures/alliance-improvement.ts"
import { edgeResults, fullResults } from "../fixtures/load.ts"

const full = fullResults()

describe("allianceImprovementTitle", () => {
  it("names the outcome and alliance instruments", () => {
    expect(allianceImprovementTitle(full)).toBe("Mean PHQ-9 improvement by early alliance (WAI-SR)")
  })
})

describe("allianceImprovementSpec", () => {
  it("matches the stored spec snapshot for the full fixture", () => {
    expect(allianceImprovementSpec(full)).toMatchSnapshot()
  })

  it("matches the stored spec snapshot for the edge fixture", () => {
    expect(allianceImprovementSpec(edgeResults())).toMatchSnapshot()
  })

  it("carries only aggregated bins inline, never client-level rows", () => {
    const spec = allianceImprovementSpec(full)
    const json = JSON.stringify(spec)
    expect(json).not.toContain('"url"')
    const data = "data" in spec ? spec.data : undefined
    expect(data !== undefined && data !== null && "values" in data ? data.values : []).toHaveLength(full.binned.length)
    expect(json).not.toMatch(/client_id/)
  })

  it("states the sign convention and the outcome instrument in its titles", () => {
    const json = JSON.stringify(allianceImprovementSpec(full))
    expect(json).toContain("improvement = baseline − outcome; higher = more improvement")
    expect(json).toContain("Mean improvement in PHQ-9 (points)")
    expect(JSON.stringify(allianceImprovementSpec(edgeResults()))).toContain("improvement = outcome − baseline")
  })

  it("puts bin counts in the tooltip and fixes the size", () => {
    const spec = allianceImprovementSpec(full)
    const json = JSON.stringify(spec)
    expect(json).toContain('"title":"Clients (n)"')
    expect(spec).toMatchObject(ALLIANCE_IMPROVEMENT_SIZE)
  })

  it("compiles without Vega-Lite warnings", () => {
    expect(compileSpec(allianceImprovementSpec(full)).warnings).toEqual([])
    expect(compileSpec(allianceImprovementSpec(edgeResults())).warnings).toEqual([])
  })

  it("throws instead of putting NaN into a spec", () => {
    const bad = { ...full, binned: [{ low: 1, high: 2, n: 12, mean_alliance: Number.NaN, mean_improvement: 1, ci: [0, 2] as [number, number] }] }
    expect(() => allianceImprovementSpec(bad)).toThrow(/mean_alliance/)
  })
})
