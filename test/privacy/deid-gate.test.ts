import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { StudyConfig } from "../../data-schemas/study-file.ts"
import { screenStudy, type ColumnSample, type DeidOverride } from "../../src/privacy/deid-gate.ts"

const column = (file: string, name: string, values: ReadonlyArray<string>): ColumnSample => ({
  file,
  column: name,
  values,
  firstLine: values.map((_, i) => i + 2),
})

/** A small de-identified study in the canonical layout. */
const cleanStudy: ReadonlyArray<ColumnSample> = [
  column("clients.csv", "client_id", ["C000123", "C000124", "C000125"]),
  column("clients.csv", "therapist_id", ["T0042", "T0043", "T0042"]),
  column("clients.csv", "site_id", ["S03", "S01", "S03"]),
  column("clients.csv", "modality", ["CBT", "psychodynamic", "person-centred"]),
  column("clients.csv", "baseline", ["19", "14", "22"]),
  column("clients.csv", "outcome", ["8", "12", "5"]),
  column("clients.csv", "age_band", ["25-34", "35-44", "65+"]),
  column("clients.csv", "gender", ["female", "male", "female"]),
  column("clients.csv", "dropout", ["0", "1", "0"]),
  column("sessions.csv", "client_id", ["C000123", "C000123", "C000124"]),
  column("sessions.csv", "session", ["1", "2", "1"]),
  column("sessions.csv", "alliance", ["3.75", "4.083333333333333", "2.5"]),
  column("sessions.csv", "symptom", ["19", "17", "14"]),
]

describe("screenStudy", () => {
  it("finds nothing in a de-identified study", () => {
    expect(screenStudy(cleanStudy, [])).toEqual({ findings: [], overridden: [] })
  })

  it("reports a name finding and a content finding for the same column, name first", () => {
    const { findings } = screenStudy([column("clients.csv", "email", ["jane@example.org"])], [])
    expect(findings.map((f) => [f.rule, f.kind])).toEqual([
      ["name", "email"],
      ["content", "email"],
    ])
  })

  it("screens every column and orders findings by file, then header order", () => {
    const samples = [
      column("sessions.csv", "session_date", ["2021-03-12"]),
      column("clients.csv", "client_id", ["C000123"]),
      column("clients.csv", "postcode", ["SW1A 1AA"]),
      column("clients.csv", "contact", ["07700 900123"]),
    ]
    const { findings } = screenStudy(samples, [])
    expect(findings.map((f) => `${f.file}:${f.column}:${f.rule}`)).toEqual([
      "clients.csv:postcode:name",
      "clients.csv:postcode:content",
      "clients.csv:contact:content",
      "sessions.csv:session_date:content",
    ])
  })

  it("skips a column overridden for any file and records the lab's reason", () => {
    const overrides: DeidOverride[] = [{ column: "email", reason: "holds 0/1 consent-to-contact flags" }]
    const samples = [column("clients.csv", "email", ["0", "1"]), column("sessions.csv", "email", ["1"])]
    expect(screenStudy(samples, overrides)).toEqual({
      findings: [],
      overridden: [
        { file: "clients.csv", column: "email", reason: "holds 0/1 consent-to-contact flags" },
        { file: "sessions.csv", column: "email", reason: "holds 0/1 consent-to-contact flags" },
      ],
    })
  })

  it("applies a file-specific override only to that file", () => {
    const overrides: DeidOverride[] = [{ file: "clients.csv", column: "ip", reason: "inpatient admissions count" }]
    const samples = [column("clients.csv", "ip", ["0", "2"]), column("sessions.csv", "ip", ["1"])]
    const result = screenStudy(samples, overrides)
    expect(result.overridden).toEqual([{ file: "clients.csv", column: "ip", reason: "inpatient admissions count" }])
    expect(result.findings.map((f) => `${f.file}:${f.column}`)).toEqual(["sessions.csv:ip"])
  })

  it("matches an override's file name against a sampled path", () => {
    const overrides: DeidOverride[] = [{ file: "clients.csv", column: "zip", reason: "whether the file was zipped (0/1)" }]
    const samples = [column("data/site-a/clients.csv", "zip", ["0"]), column("data/site-a/other-clients.csv", "zip", ["0"])]
    const result = screenStudy(samples, overrides)
    expect(result.overridden.map((o) => o.file)).toEqual(["data/site-a/clients.csv"])
    expect(result.findings.map((f) => f.file)).toEqual(["data/site-a/other-clients.csv"])
  })

  it("prefers a file-specific override's reason to an any-file one", () => {
    const overrides: DeidOverride[] = [
      { column: "notes", reason: "generic reason for every file" },
      { file: "sessions.csv", column: "notes", reason: "session notes were coded to 0/1 flags" },
    ]
    const { overridden } = screenStudy([column("sessions.csv", "notes", ["1"])], overrides)
    expect(overridden).toEqual([{ file: "sessions.csv", column: "notes", reason: "session notes were coded to 0/1 flags" }])
  })

  it("matches override columns exactly, so a near miss still trips", () => {
    const { findings, overridden } = screenStudy([column("clients.csv", "Email", ["1"])], [{ column: "email", reason: "a checked flag column" }])
    expect(overridden).toEqual([])
    expect(findings).toHaveLength(1)
  })

  it("accepts an override with file explicitly undefined, as the study-file schema produces", () => {
    const override: DeidOverride = { file: undefined, column: "email", reason: "a checked flag column" }
    expect(screenStudy([column("clients.csv", "email", ["1"])], [override]).findings).toEqual([])
  })

  it("takes the overrides exactly as the study-file schema parses them", () => {
    const allow: StudyConfig["deidentification"]["allow"] = [{ column: "email", reason: "a checked flag column" }]
    expect(screenStudy([column("clients.csv", "email", ["1"])], allow).overridden).toHaveLength(1)
  })

  it("gives the same findings whatever order the files' samples arrive in", () => {
    const samples = [
      column("sessions.csv", "phone", ["07700 900123"]),
      column("clients.csv", "dob", ["1987-03-12"]),
      column("clients.csv", "client_id", ["C000123"]),
    ]
    const sessionsFirst = screenStudy(samples, []).findings
    const clientsFirst = screenStudy([samples[1]!, samples[2]!, samples[0]!], []).findings
    expect(clientsFirst).toEqual(sessionsFirst)
  })

  it("never copies a sampled value into a finding", () => {
    const identifying = fc.oneof(
      fc.emailAddress(),
      fc.constantFrom("+44 20 7946 0958", "07700 900123", "(555) 123-4567", "12 March 2021", "12/03/2021", "SW1A 1AA", "10.0.0.1"),
    )
    const study = fc.array(
      fc.tuple(fc.constantFrom("clients.csv", "sessions.csv"), fc.constantFrom("contact", "email", "misc"), fc.array(identifying, { minLength: 1, maxLength: 10 })),
      { minLength: 1, maxLength: 5 },
    )
    fc.assert(
      fc.property(study, (columns) => {
        const samples = columns.map(([file, name, values]) => column(file, name, values))
        const { findings } = screenStudy(samples, [])
        const values = samples.flatMap((s) => s.values)
        return findings.length >= samples.length && findings.every((f) => values.every((v) => !f.reason.includes(v)))
      }),
    )
  })
})
