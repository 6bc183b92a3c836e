/**
 * Every tagged error of the pipeline, and the exit code each maps to.
 *
 * Exit codes (documented in the README and `--help`):
 *   0 success · 1 unexpected failure · 2 usage or study-file error · 3 invalid data ·
 *   4 refused by the de-identification gate · 5 results drifted from the expected ones (--check)
 */
import * as Data from "effect/Data"
import type { IdentifierFinding } from "./privacy/deid-gate.ts"
import type { Drift } from "./provenance/check.ts"

/** The command line could not be understood. */
export class UsageError extends Data.TaggedError("UsageError")<{
  readonly message: string
}> {}

/** The study (folder or study file) could not be found or its study file is invalid. */
export class StudyFileError extends Data.TaggedError("StudyFileError")<{
  readonly path: string
  readonly problems: ReadonlyArray<string>
}> {}

/** One problem found in a data file: where it is, what was there, and which rule it broke. */
export interface DataProblem {
  readonly file: string
  /** 1-based line in the file (the header is line 1); 0 for problems with the file as a whole */
  readonly line: number
  /** the column as named in the file ("" for problems with the file or row as a whole) */
  readonly column: string
  /** the offending cell value, shortened; null when not applicable */
  readonly value: string | null
  readonly rule: string
}

/** The data broke the data contract. Carries the first problems found and the total count. */
export class InvalidData extends Data.TaggedError("InvalidData")<{
  readonly problems: ReadonlyArray<DataProblem>
  readonly total: number
}> {}

/** A column looks like a direct identifier; the run is refused before any analysis. */
export class IdentifyingData extends Data.TaggedError("IdentifyingData")<{
  readonly findings: ReadonlyArray<IdentifierFinding>
}> {}

/**
 * A CSV file could not be read, or is not well-formed CSV (an unclosed quote, say). Internal to
 * ingest: it is turned into a DataProblem naming the file and line.
 */
export class CsvReadError extends Data.TaggedError("CsvReadError")<{
  readonly path: string
  readonly line: number
  readonly message: string
}> {}

/** Reading or writing a file failed (permissions, disk full, ...). */
export class FileSystemError extends Data.TaggedError("FileSystemError")<{
  readonly path: string
  readonly message: string
}> {}

/** --check: this run's results differ from the expected results.json beyond the tolerances. */
export class ResultsDrift extends Data.TaggedError("ResultsDrift")<{
  /** the expected file, as given */
  readonly expected: string
  /** the report folder, written all the same */
  readonly out: string
  readonly quantities: number
  readonly drifts: ReadonlyArray<Drift>
}> {}

export type PipelineError = UsageError | StudyFileError | InvalidData | IdentifyingData | FileSystemError | ResultsDrift

export const exitCodeOf = (error: PipelineError): number => {
  switch (error._tag) {
    case "UsageError":
    case "StudyFileError":
      return 2
    case "InvalidData":
      return 3
    case "IdentifyingData":
      return 4
    case "FileSystemError":
      return 1
    case "ResultsDrift":
      return 5
  }
}
