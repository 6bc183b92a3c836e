/** "Did you mean …" for missing and mis-mapped columns (src/ingest/close-matches.ts, header.ts). */
import { describe, expect, it } from "vitest"
import { closeMatches, didYouMean, editDistance } from "../../src/ingest/close-matches.ts"
import { resolveHeader } from "../../src/ingest/header.ts"
import { ProblemLog } from "../../src/ingest/problem-log.ts"
import { CLIENT_COLUMNS } from "../../data-schemas/clients.ts"

describe("closeMatches", () => {
  it("computes the Levenshtein distance", () => {
    expect(editDistance("kitten", "sitting")).toBe(3)
    expect(editDistance("", "abc")).toBe(3)
    expect(editDistance("flaw", "lawn")).toBe(2)
  })

  it("finds names equal but for case and punctuation, containing the wanted one, or a few edits away", () => {
    const header = ["Client ID", "TherapistID", "PHQ9_baseline", "PHQ9_end", "outcom", "age"]
    expect(closeMatches("client_id", header)).toEqual(["Client ID"])
    expect(closeMatches("therapist_id", header)).toEqual(["TherapistID"])
    expect(closeMatches("baseline", header)).toEqual(["PHQ9_baseline"])
    expect(closeMatches("outcome", header)).toEqual(["outcom"])
    expect(closeMatches("modality", header)).toEqual([])
  })

  it("phrases the suggestion for a message", () => {
    expect(didYouMean("outcome", ["outcom", "Outcome2"])).toBe(' — did you mean "outcom" or "Outcome2"? (map it in the study file\'s columns section)')
    expect(didYouMean("site_id", ["x"])).toBe("")
  })
})

describe("resolveHeader", () => {
  it("suggests close header names for a required column that is missing and for a mapping that names no column", () => {
    const log = new ProblemLog()
    resolveHeader("clients.csv", ["ClientID", "therapist_id", "Baseline PHQ", "PHQ_post"], CLIENT_COLUMNS, { outcome: "PHQ-post" }, log)
    expect(log.problems.map((p) => p.rule)).toEqual([
      expect.stringMatching(/required column "client_id" is missing .* did you mean "ClientID"\?/),
      expect.stringMatching(/required column "baseline" is missing .* did you mean "Baseline PHQ"\?/),
      expect.stringMatching(/maps outcome to "PHQ-post", but the file has no such column — did you mean "PHQ_post"\?/),
    ])
  })
})
