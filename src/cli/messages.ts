/**
 * What the researcher reads when a run stops: one plain message per failure, never a stack trace.
 */
import { relative } from "node:path"
import type { DataProblem, PipelineError } from "../errors.ts"
import { driftTable } from "../provenance/check.ts"
import { formatCount } from "../report/format.ts"

/** A file or folder as messages name it: relative to the working directory when inside it ("." for it), else absolute. */
export const shownPath = (target: string): string => {
  const inside = relative(process.cwd(), target)
  return inside === "" ? "." : inside.startsWith("..") ? target : inside
}

const quote = (s: string) => JSON.stringify(s)

const where = (p: DataProblem): string => {
  const parts = [p.file]
  if (p.line > 0) parts.push(`line ${p.line}`)
  if (p.column !== "") parts.push(`column ${quote(p.column)}`)
  return parts.join(", ")
}

export const formatProblem = (p: DataProblem): string =>
  `  ${where(p)}: ${p.value === null ? "" : `value ${quote(p.value)} — `}${p.rule}`

export const formatError = (error: PipelineError): string => {
  switch (error._tag) {
    case "UsageError":
      return `error: ${error.message}\nRun with --help for usage.`
    case "StudyFileError":
      return [`error: problem with the study at ${error.path}:`, ...error.problems.map((p) => `  ${p}`)].join("\n")
    case "InvalidData": {
      const shown = error.problems.length
      const head =
        error.total === 1
          ? "error: invalid data: 1 problem found."
          : `error: invalid data: ${error.total} problems found${shown < error.total ? ` (the first ${shown} are shown)` : ""}.`
      const rest = shown < error.total ? [`  … and ${error.total - shown} more.`] : []
      return [head, ...error.problems.map(formatProblem), ...rest, "No report was written."].join("\n")
    }
    case "IdentifyingData":
      return [
        "error: refused: these columns look like direct identifiers, and de-identified data is required:",
        // A header that is itself data (an e-mail address, say) is not repeated: the reason says so.
        ...error.findings.map((f) =>
          f.reason.startsWith("the column name itself")
            ? `  ${f.file}, a column header: ${f.reason}`
            : `  ${f.file}, column ${quote(f.column)}: ${f.reason}`,
        ),
        "Remove or replace these columns before analysis. If a lab member has checked that a column is not",
        'identifying, declare it in study.json: "deidentification": { "allow": [{ "file": "…", "column": "…", "reason": "…" }] }.',
        "No report was written.",
      ].join("\n")
    case "FileSystemError":
      return `error: could not write or read ${error.path}: ${error.message}`
    case "ResultsDrift":
      return [
        `error: results drifted from ${error.expected}: ${formatCount(error.drifts.length)} of ${formatCount(error.quantities)} quantities differ beyond the tolerances.`,
        "",
        driftTable(error.drifts),
        "",
        `The report was written to ${error.out}. If the change is intended, accept it with --update-expected.`,
      ].join("\n")
  }
}
