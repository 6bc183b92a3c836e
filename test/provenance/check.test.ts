/** The comparison of --check (src/provenance/check.ts): tolerances, paths, and the drift table. */
import { describe, expect, it } from "vitest"
import { StudyFile } from "../../data-schemas/study-file.ts"
import { tolerancesFrom } from "../../src/io/expected-results.ts"
import { compareResults, driftTable, toleranceFor, type Tolerances } from "../../src/provenance/check.ts"

const exact: Tolerances = { default: { absolute: 0, relative: 0 }, quantities: {} }
/** The study file's defaults (its `check` section left out). */
const loose: Tolerances = tolerancesFrom(StudyFile.parse({ name: "x" }).check)

describe("compareResults", () => {
  it("finds nothing between a document and itself, and counts its leaves", () => {
    const doc = { a: 1, b: { c: [1, 2, 3], d: "x", e: null, f: true } }
    expect(compareResults(doc, structuredClone(doc), exact)).toEqual({ quantities: 7, drifts: [] })
  })

  it("accepts |actual − expected| ≤ absolute + relative · |expected|, and no more", () => {
    const t: Tolerances = { default: { absolute: 1e-6, relative: 1e-3 }, quantities: {} }
    // bound at expected = 100: 1e-6 + 0.1
    expect(compareResults({ x: 100 }, { x: 100.1 }, t).drifts).toEqual([])
    expect(compareResults({ x: 100 }, { x: 100.1001 }, t).drifts).toHaveLength(1)
    expect(compareResults({ x: 0 }, { x: 1e-6 }, t).drifts).toEqual([])
    expect(compareResults({ x: 0 }, { x: 2e-6 }, t).drifts).toEqual([{ quantity: "x", expected: "0", actual: "0.000002", difference: 2e-6 }])
  })

  it("by default tolerates only the last digits of a double", () => {
    expect(compareResults({ r: 0.28152711488056975 }, { r: 0.28152711488056975 + 1e-15 }, loose).drifts).toEqual([])
    expect(compareResults({ r: 0.28152711488056975 }, { r: 0.28152711488056975 + 1e-9 }, loose).drifts).toHaveLength(1)
  })

  it("names array elements by their identifying field, and pairs of fields when one is not unique", () => {
    const expected = { sites: [{ site: "S1", r: 0.1 }, { site: "S2", r: 0.2 }], cells: [{ category: "a", session: 1, n: 5 }, { category: "a", session: 2, n: 6 }], bins: [3, 4] }
    const actual = { sites: [{ site: "S2", r: 0.25 }, { site: "S1", r: 0.1 }], cells: [{ category: "a", session: 1, n: 5 }, { category: "a", session: 2, n: 7 }], bins: [3, 5] }
    expect(compareResults(expected, actual, exact).drifts.map((d) => d.quantity)).toEqual(["sites[S2].r", "cells[a/2].n", "bins[1]"])
  })

  it("reports text, booleans, nulls, missing and extra fields and elements as drift", () => {
    const drifts = compareResults({ a: "x", b: true, c: 1, d: 2, list: [{ site: "S1", n: 1 }] }, { a: "y", b: false, c: null, e: 3, list: [{ site: "S1", n: 1 }, { site: "S9", n: 2 }] }, exact).drifts
    expect(drifts).toEqual([
      { quantity: "a", expected: '"x"', actual: '"y"', difference: null },
      { quantity: "b", expected: "true", actual: "false", difference: null },
      { quantity: "c", expected: "1", actual: "null", difference: null },
      { quantity: "d", expected: "2", actual: "(absent)", difference: null },
      // an element or field only one side has is one drift, with its whole value
      { quantity: "list[S9]", expected: "(absent)", actual: '{"site":"S9","n":2}', difference: null },
      { quantity: "e", expected: "(absent)", actual: "3", difference: null },
    ])
  })
})

describe("toleranceFor", () => {
  const t: Tolerances = {
    default: { absolute: 0, relative: 1e-10 },
    quantities: { "*.p": { absolute: 1e-8, relative: 0 }, "primary.pearson.p": { absolute: 0, relative: 1e-3 }, "clinical.*": { absolute: 1, relative: 0 } },
  }
  it("uses the longest matching pattern, with * for any run of characters, and the default otherwise", () => {
    expect(toleranceFor("primary.pearson.p", t)).toEqual({ absolute: 0, relative: 1e-3 })
    expect(toleranceFor("primary.spearman.p", t)).toEqual({ absolute: 1e-8, relative: 0 })
    expect(toleranceFor("clinical.ruptures.p", t)).toEqual({ absolute: 1, relative: 0 }) // "clinical.*" is longer than "*.p"
    expect(toleranceFor("primary.pearson.estimate", t)).toEqual(t.default)
    // dots and brackets in a pattern are literal
    expect(toleranceFor("primaryXpearsonXp", { ...t, quantities: { "primary.pearson.p": { absolute: 1, relative: 0 } } })).toEqual(t.default)
  })
})

describe("driftTable", () => {
  it("lines up quantity, expected, actual and difference, cutting long text but never the quantity", () => {
    const table = driftTable([
      { quantity: "primary.pearson.estimate", expected: "0.2815", actual: "0.2805", difference: -0.001 },
      { quantity: "warnings[few_sites].message", expected: '"a"', actual: `"${"b".repeat(80)}"`, difference: null },
    ])
    expect(table.split("\n")).toEqual([
      "quantity                     expected  actual                                    difference",
      "primary.pearson.estimate     0.2815    0.2805                                    -1.000e-3",
      `warnings[few_sites].message  "a"       "${"b".repeat(38)}…  —`,
    ])
  })
})
