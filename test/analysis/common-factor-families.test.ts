/**
 * The families of the common-factor breakdown (src/analysis/common-factors/families.ts): the
 * defaults, a study file's own families with a lab's columns, what is absent and why, what is an
 * error, baseline as a control, complete cases and dummy coding — on a six-client study a reader
 * can check by eye.
 */
import { describe, expect, it } from "vitest"
import type { CommonFactorConfig } from "../../data-schemas/study-file.ts"
import { StudyFile } from "../../data-schemas/study-file.ts"
import { factorDesign, familyColumns, resolveFamilies } from "../../src/analysis/common-factors/families.ts"
import type { DerivedClients } from "../../src/analysis/derive-clients.ts"
import { FactorBuilder, type Factor, type StudyData } from "../../src/data/study-data.ts"

const NA = Number.NaN
const factor = (values: ReadonlyArray<string | null>): Factor => {
  const builder = new FactorBuilder()
  for (const v of values) builder.push(v)
  return builder.build()
}

//                 C0     C1     C2     C3     C4     C5
const baseline = [20, 18, 15, 22, NA, 17]
const outcome = [8, 12, 10, 11, 9, 7]
const early = [4.0, 3.0, 3.5, NA, 2.5, 4.5]
const empathy = [6, 5, 4, 6, 5, 3]

const study: StudyData = {
  clients: {
    n: 6,
    therapist: factor(["T1", "T2", "T1", "T2", "T3", "T1"]),
    site: null,
    numbers: new Map([
      ["baseline", Float64Array.from(baseline)],
      ["outcome", Float64Array.from(outcome)],
      ["empathy", Float64Array.from(empathy)],
    ]),
    categories: new Map([
      ["modality", factor(["CBT", "CBT", "CBT", "CBT", "CBT", "CBT"])],
      ["gender", factor(["male", "female", "female", "non-binary", "male", "Female-identified"])],
    ]),
    extras: new Map([
      ["adherence", factor(["0.5", "1.25", "2", null, "3", "-1e-1"])],
      ["clinic", factor(["3", "1", "2", "1", "3", "2"])],
      ["support", factor(["high", "low", "low", "high", "mid", "mid"])],
      ["rating", factor(["4", "high", "2", "1", "3", "2"])],
    ]),
  },
  sessions: { n: 0, client: new Int32Array(0), session: new Int32Array(0), numbers: new Map() },
}

const derived: DerivedClients = {
  early: new Map([["alliance", Float64Array.from(early)]]),
  baseline: Float64Array.from(baseline),
  outcome: Float64Array.from(outcome),
  improvement: Float64Array.from(baseline, (b, i) => b - outcome[i]!),
  analysed: Int32Array.from([0, 1, 2, 5]),
  funnel: [],
}

const therapists = { codes: study.clients.therapist.codes, count: study.clients.therapist.levels.length }

/** The study file's section with its defaults filled in. */
const config = (section: unknown): CommonFactorConfig => StudyFile.parse({ name: "t", common_factors: section }).common_factors

describe("the default families", () => {
  const resolved = resolveFamilies(study, derived, config({}))
  const design = factorDesign(resolved, derived, "improvement", therapists)

  it("use the canonical columns the study has and list the families it has no data for, with the reason", () => {
    expect(resolved.problems).toEqual([])
    expect(design.predictors.map((p) => [p.family, p.name])).toEqual([
      ["extratherapeutic", "baseline"],
      ["extratherapeutic", "gender"],
      ["common", "early_alliance"],
      ["common", "empathy"],
    ])
    expect(design.absent).toEqual([
      { family: "expectancy", reason: "clients.csv has no expectancy column" },
      { family: "techniques", reason: "modality takes a single value in the sample" },
    ])
  })

  it("keep the clients with improvement and every predictor, grouped by therapist, and count the others", () => {
    // C3 has no early alliance, C4 no baseline (so no improvement: not counted as excluded);
    // therapist T1 saw C0, C2 and C5, T2 C1
    expect([...design.rows]).toEqual([0, 2, 5, 1])
    expect(design.excluded).toBe(1)
    expect([...design.y]).toEqual([12, 5, 10, 6])
  })

  it("dummy-code a category against its first level in code-unit order", () => {
    // levels in the sample (rows C0, C2, C5, C1): male, female, Female-identified, female →
    // sorted: Female-identified (the reference), female, male
    expect(design.predictors[1]!.columns).toEqual(["gender: female", "gender: male"])
    expect(design.columns.slice(1, 3).map((c) => [...c])).toEqual([
      [0, 1, 0, 1],
      [1, 0, 0, 0],
    ])
    expect([...design.indicators[0]!]).toEqual([2, 1, -1, 1])
  })

  it("leave baseline out and partial it out instead when the outcome is baseline_adjusted", () => {
    const adjusted = factorDesign(resolveFamilies(study, derived, config({ outcome: "baseline_adjusted" })), derived, "baseline_adjusted", therapists)
    expect(adjusted.predictors.map((p) => p.name)).toEqual(["gender", "early_alliance", "empathy"])
    expect(adjusted.controls.map((c) => [...c])).toEqual([[20, 15, 17, 18]])
  })
})

describe("a study file's own families", () => {
  const families = [
    { name: "extratherapeutic", predictors: ["baseline", "support"] },
    { name: "techniques", predictors: ["adherence", { column: "clinic", type: "categorical" }] },
    { name: "common", predictors: ["early_alliance"] },
  ]
  const resolved = resolveFamilies(study, derived, config({ families }))
  const design = factorDesign(resolved, derived, "improvement", therapists)

  it("read a lab's columns: numbers when every value is one, categories otherwise or when declared", () => {
    expect(resolved.problems).toEqual([])
    expect(design.predictors.map((p) => [p.family, p.name, p.columns])).toEqual([
      ["extratherapeutic", "baseline", ["baseline"]],
      ["extratherapeutic", "support", ["support: low", "support: mid"]],
      ["techniques", "adherence", ["adherence"]],
      ["techniques", "clinic", ["clinic: 2", "clinic: 3"]],
      ["common", "early_alliance", ["early_alliance"]],
    ])
    // C3 lacks adherence and early alliance; C4 baseline
    expect([...design.rows]).toEqual([0, 2, 5, 1])
    expect([...design.columns[3]!]).toEqual([0.5, 2, -0.1, 1.25])
  })

  it("say that the canonical families they leave out have no data here", () => {
    expect(design.absent).toEqual([{ family: "expectancy", reason: "not among the study file's families" }])
  })

  it("are kept in memory by ingest", () => {
    expect(familyColumns(config({ families }))).toEqual(["baseline", "support", "adherence", "clinic", "early_alliance"])
  })

  it("name every predictor the study lacks or cannot use, with its family", () => {
    const bad = resolveFamilies(
      study,
      derived,
      config({
        outcome: "baseline_adjusted",
        families: [
          { name: "extratherapeutic", predictors: ["baseline", "outcome", "site_id"] },
          { name: "social", predictors: ["social_support", { column: "rating", type: "numeric" }] },
          { name: "common", predictors: ["early_alliance_bond", { column: "empathy", type: "categorical" }] },
        ],
      }),
    )
    expect(bad.problems).toEqual([
      "common_factors.families[0] (extratherapeutic): baseline is partialled out of everything when the outcome is baseline_adjusted, so it cannot also be a predictor",
      "common_factors.families[0] (extratherapeutic): outcome cannot be a predictor (it is the outcome)",
      "common_factors.families[0] (extratherapeutic): site_id cannot be a predictor (identifiers are not predictors; the therapist share is its own slice)",
      'common_factors.families[1] (social): clients.csv column rating has the value "high", which is not a number',
      "common_factors.families[1] (social): social_support is not a column of clients.csv nor an early-alliance measure (early_alliance, early_alliance_goal, early_alliance_task, early_alliance_bond, early_alliance_therapist, early_alliance_observer)",
      "common_factors.families[2] (common): empathy is a numeric column and cannot be entered as categorical",
      "common_factors.families[2] (common): sessions.csv has no alliance_bond column (for early_alliance_bond)",
    ])
  })
})

describe("the common_factors section of the study file", () => {
  const problems = (section: unknown) => {
    const parsed = StudyFile.safeParse({ name: "t", common_factors: section })
    return parsed.success ? [] : parsed.error.issues.map((i) => i.message)
  }
  it("refuses a family named twice, a predictor in two families, the reserved slice names and unknown keys", () => {
    expect(problems({ families: [{ name: "a", predictors: ["x"] }, { name: "a", predictors: ["y"] }] })).toEqual(["each family may appear only once"])
    expect(problems({ families: [{ name: "a", predictors: ["x"] }, { name: "b", predictors: ["x"] }] })).toEqual(["a predictor may belong to one family only"])
    expect(problems({ families: [{ name: "therapist", predictors: ["x"] }] })).toEqual(["'therapist' and 'unexplained' name the breakdown's other slices"])
    expect(problems({ famillies: [] })).toHaveLength(1)
  })
  it("refuses more than 15 families", () => {
    const many = Array.from({ length: 16 }, (_, i) => ({ name: `f${i}`, predictors: [`x${i}`] }))
    expect(problems({ families: many })).toEqual(["at most 15 families: dominance analysis fits a model for every subset of them (2^15 = 32,768)"])
  })
})
