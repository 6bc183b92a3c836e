import { describe, expect, it } from "vitest"
import { formatError, formatProblem } from "../../src/cli/messages.ts"
import { type DataProblem, FileSystemError, IdentifyingData, InvalidData, StudyFileError, UsageError } from "../../src/errors.ts"
import { screenColumnName } from "../../src/privacy/deid-gate.ts"

const problem = (overrides: Partial<DataProblem> = {}): DataProblem => ({
  file: "sessions.csv",
  line: 14,
  column: "alliance",
  value: "high",
  rule: "must be a number between 1 and 5",
  ...overrides,
})

describe("formatProblem", () => {
  it("gives the file, line, column and value, then the rule", () => {
    expect(formatProblem(problem())).toBe('  sessions.csv, line 14, column "alliance": value "high" — must be a number between 1 and 5')
  })

  it("leaves out the line for a problem with the file as a whole, and the column for a whole row", () => {
    expect(formatProblem(problem({ line: 0, column: "", value: null, rule: "the file is empty" }))).toBe("  sessions.csv: the file is empty")
    expect(formatProblem(problem({ column: "", value: null, rule: "the row has 2 cells but the header has 3 columns" }))).toBe(
      "  sessions.csv, line 14: the row has 2 cells but the header has 3 columns",
    )
  })

  it("quotes column names and values as JSON strings, so that spaces and quotes are visible", () => {
    expect(formatProblem(problem({ column: "Alliance (WAI)", value: ' 4,5"' }))).toBe(
      '  sessions.csv, line 14, column "Alliance (WAI)": value " 4,5\\"" — must be a number between 1 and 5',
    )
    expect(formatProblem(problem({ value: "" }))).toBe('  sessions.csv, line 14, column "alliance": value "" — must be a number between 1 and 5')
  })
})

describe("formatError", () => {
  it("points a usage error at --help", () => {
    expect(formatError(new UsageError({ message: "unknown option --fast" }))).toBe(
      "error: unknown option --fast\nRun with --help for usage.",
    )
  })

  it("lists every problem with the study file under its path", () => {
    const error = new StudyFileError({
      path: "studies/lab/study.json",
      problems: ['(top level): Unrecognized key: "analyis"', "analysis.ci_level: Too big: expected number to be <1"],
    })
    expect(formatError(error)).toBe(
      [
        "error: problem with the study at studies/lab/study.json:",
        '  (top level): Unrecognized key: "analyis"',
        "  analysis.ci_level: Too big: expected number to be <1",
      ].join("\n"),
    )
  })

  it("says '1 problem' for a single data problem", () => {
    expect(formatError(new InvalidData({ problems: [problem()], total: 1 }))).toBe(
      [
        "error: invalid data: 1 problem found.",
        '  sessions.csv, line 14, column "alliance": value "high" — must be a number between 1 and 5',
        "No report was written.",
      ].join("\n"),
    )
  })

  it("lists all the data problems when every one is shown", () => {
    const problems = [problem(), problem({ line: 20, value: "6" })]
    expect(formatError(new InvalidData({ problems, total: 2 }))).toBe(
      [
        "error: invalid data: 2 problems found.",
        '  sessions.csv, line 14, column "alliance": value "high" — must be a number between 1 and 5',
        '  sessions.csv, line 20, column "alliance": value "6" — must be a number between 1 and 5',
        "No report was written.",
      ].join("\n"),
    )
  })

  it("says how many data problems are shown and how many more there are", () => {
    const problems = [problem(), problem({ line: 20, value: "6" })]
    expect(formatError(new InvalidData({ problems, total: 57 }))).toBe(
      [
        "error: invalid data: 57 problems found (the first 2 are shown).",
        '  sessions.csv, line 14, column "alliance": value "high" — must be a number between 1 and 5',
        '  sessions.csv, line 20, column "alliance": value "6" — must be a number between 1 and 5',
        "  … and 55 more.",
        "No report was written.",
      ].join("\n"),
    )
  })

  it("refuses identifying columns, naming each with its reason and how to declare a checked column", () => {
    const finding = screenColumnName("clients.csv", "email")!
    expect(formatError(new IdentifyingData({ findings: [finding] }))).toBe(
      [
        "error: refused: these columns look like direct identifiers, and de-identified data is required:",
        '  clients.csv, column "email": column name "email" suggests e-mail addresses (matched "email")',
        "Remove or replace these columns before analysis. If a lab member has checked that a column is not",
        'identifying, declare it in study.json: "deidentification": { "allow": [{ "file": "…", "column": "…", "reason": "…" }] }.',
        "No report was written.",
      ].join("\n"),
    )
  })

  it("does not repeat a header that is itself an identifying value", () => {
    const finding = screenColumnName("clients.csv", "jane.doe@example.org")!
    expect(finding.reason).toMatch(/^the column name itself/)
    const message = formatError(new IdentifyingData({ findings: [finding] }))
    expect(message.split("\n")[1]).toBe(
      "  clients.csv, a column header: the column name itself looks like an e-mail address, not a header (is the header row missing?)",
    )
    expect(message).not.toContain("jane")
    expect(message).not.toContain("example.org")
  })

  it("names the path of a file that could not be written or read", () => {
    expect(formatError(new FileSystemError({ path: "reports/lab/results.json", message: "EACCES: permission denied" }))).toBe(
      "error: could not write or read reports/lab/results.json: EACCES: permission denied",
    )
  })
})
