/** Resolving the synthesis settings: study file, command-line overrides, moderator detection. */
import { describe, expect, it } from "vitest"
import { StudyFile } from "../../../data-schemas/study-file.ts"
import { synthesisSettingsFrom } from "../../../src/analysis/synthesis/settings.ts"
import { parseStudies } from "../../../src/ingest/read-studies.ts"

const FILE = parseStudies(
  ["study_id,r,n,year,rater,note", "A,0.3,50,2001,client,x", "B,0.2,80,1999,therapist,NA", "C,0.25,40,,client,y", "D,0.1,120,2010,observer,z"].join("\n"),
  "studies.csv",
)
const config = (synthesis?: unknown) => StudyFile.parse({ name: "s", ...(synthesis === undefined ? {} : { synthesis }) })

describe("synthesisSettingsFrom", () => {
  it("defaults to REML and z, and types every extra column from its values (missing cells ignored)", () => {
    const r = synthesisSettingsFrom(config(), FILE, { method: null, test: null })
    expect(r).toEqual({
      settings: {
        effect: "correlation",
        effectLabel: "correlation (r)",
        method: "REML",
        test: "z",
        level: 0.95,
        moderators: [
          { column: "year", type: "continuous" },
          { column: "rater", type: "categorical" },
          { column: "note", type: "categorical" },
        ],
        subgroup: null,
        literatureReference: true,
      },
    })
  })

  it("takes the study file's section, and the command line over it", () => {
    const c = config({ method: "PM", test: "knha", moderators: [{ column: "rater", type: "categorical" }], subgroup: "rater", literature_reference: false })
    const r = synthesisSettingsFrom(c, FILE, { method: "DL", test: null })
    expect(r).toMatchObject({ settings: { method: "DL", test: "knha", moderators: [{ column: "rater", type: "categorical" }], subgroup: "rater", literatureReference: false } })
  })

  it("adds the subgroup column as a categorical moderator when it is not declared", () => {
    const r = synthesisSettingsFrom(config({ moderators: [{ column: "year", type: "continuous" }], subgroup: "rater" }), FILE, { method: null, test: null })
    expect(r).toMatchObject({ settings: { moderators: [{ column: "year", type: "continuous" }, { column: "rater", type: "categorical" }] } })
  })

  it("names the setting when a moderator or subgroup is not a column, or not numeric when declared continuous", () => {
    const r = synthesisSettingsFrom(
      config({ moderators: [{ column: "yeer", type: "continuous" }, { column: "rater", type: "continuous" }], subgroup: "year" }),
      FILE,
      { method: null, test: null },
    )
    expect(r).toEqual({
      problems: [
        { setting: "synthesis.moderators[0].column", message: '"yeer" is not a moderator column of the studies file (columns: year, rater, note)' },
        { setting: "synthesis.moderators[1].type", message: '"rater" is declared continuous but has values that are not numbers' },
      ],
    })
    const sub = synthesisSettingsFrom(config({ subgroup: "year" }), FILE, { method: null, test: null })
    expect(sub).toEqual({ problems: [{ setting: "synthesis.subgroup", message: '"year" is a continuous moderator; subgroups need a categorical column' }] })
  })

  it("labels generic effects and never shows the correlation reference for them", () => {
    const generic = parseStudies("study_id,yi,vi\nA,0.3,0.01\nB,0.1,0.02\n", "studies.csv")
    expect(synthesisSettingsFrom(config(), generic, { method: null, test: null })).toMatchObject({
      settings: { effect: "generic", effectLabel: "effect size (yi)", literatureReference: false, moderators: [] },
    })
  })
})
