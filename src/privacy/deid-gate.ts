/**
 * The de-identification gate (PRODUCT §3, §5): before any analysis, every column of every input
 * file is screened by its name (`name-rules.ts`) and by a sample of its values
 * (`content-rules.ts`). Any finding refuses the run (exit code 4, `IdentifyingData` in
 * `src/errors.ts`), unless the study file declares the column checked
 * (`deidentification.allow[]`, a `DeidOverride` with a reason).
 *
 * Pure: the shell streams the files, samples the values and line numbers, calls `screenStudy`,
 * prints the findings and records the overrides in the manifest. No finding ever contains a cell
 * value, so findings are safe to print in a terminal or a CI log.
 */
import { screenColumnContent } from "./content-rules.ts"
import type { ColumnSample, DeidOverride, IdentifierFinding } from "./identifier-finding.ts"
import { screenColumnName } from "./name-rules.ts"

export type { ColumnSample, DeidOverride, IdentifierFinding } from "./identifier-finding.ts"
export { classifyValue, CONTENT_KINDS, MIN_MATCHING_VALUES, screenColumnContent } from "./content-rules.ts"
export type { ContentKind } from "./content-rules.ts"
export { NAME_RULES, screenColumnName, tokenizeColumnName } from "./name-rules.ts"

/** A column the gate did not screen because the study file declares it checked. */
export interface OverriddenColumn {
  readonly file: string
  readonly column: string
  /** the lab's reason, from the override */
  readonly reason: string
}

/** What the gate found: the run may go ahead only when `findings` is empty. */
export interface DeidScreening {
  findings: IdentifierFinding[]
  overridden: OverriddenColumn[]
}

const normalizePath = (path: string): string => path.replaceAll("\\", "/").replace(/^\.\//, "")

/** Does an override's `file` (a bare name or a path) denote the sampled file? */
const sameFile = (overrideFile: string, sampleFile: string): boolean => {
  const [wanted, actual] = [normalizePath(overrideFile), normalizePath(sampleFile)]
  return wanted === actual || actual.endsWith(`/${wanted}`)
}

/** The override for a column: a file-specific one wins over one for any file. */
const overrideFor = (sample: ColumnSample, overrides: ReadonlyArray<DeidOverride>): DeidOverride | undefined => {
  const forColumn = overrides.filter((o) => o.column === sample.column)
  return (
    forColumn.find((o) => o.file !== undefined && sameFile(o.file, sample.file)) ??
    forColumn.find((o) => o.file === undefined)
  )
}

/** Code-unit order, independent of the locale the run happens in. */
const compareFiles = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * Screens a study: applies the name rules and the content rules to every sampled column, skipping
 * columns covered by an override (`column` equal to the header name, and `file` omitted or equal
 * to the file, or to the last path segments of it: "clients.csv" covers "data/clients.csv").
 *
 * Returns every finding (a column can have a name finding and a content finding) and every
 * overridden column with the lab's reason (whether or not it would have tripped: the manifest
 * records what was declared). Both lists are in a stable order: by file (code-unit order), then by
 * the order the samples came in (the header order when the shell samples file by file), name
 * finding before content finding.
 *
 * Example: `screenStudy([{ file: "clients.csv", column: "email", values: ["x"], firstLine: [2] }], [])`
 * gives one finding, `{ rule: "name", kind: "email", ... }`, and no overridden columns; with the
 * override `{ column: "email", reason: "holds 0/1 consent flags" }` it gives no findings and
 * `overridden: [{ file: "clients.csv", column: "email", reason: "holds 0/1 consent flags" }]`.
 */
export const screenStudy = (
  samples: ReadonlyArray<ColumnSample>,
  overrides: ReadonlyArray<DeidOverride>,
): DeidScreening => {
  // screen
  const findings: Array<{ readonly index: number; readonly finding: IdentifierFinding }> = []
  const overridden: Array<{ readonly index: number; readonly column: OverriddenColumn }> = []
  samples.forEach((sample, index) => {
    const override = overrideFor(sample, overrides)
    if (override !== undefined) {
      overridden.push({ index, column: { file: sample.file, column: sample.column, reason: override.reason } })
      return
    }
    for (const finding of [screenColumnName(sample.file, sample.column), screenColumnContent(sample)]) {
      if (finding !== undefined) findings.push({ index, finding })
    }
  })

  // order: by file, then input order (Array.prototype.sort is stable, keeping name before content)
  const byFileThenIndex = (
    a: { readonly index: number; readonly file: string },
    b: { readonly index: number; readonly file: string },
  ): number => compareFiles(a.file, b.file) || a.index - b.index
  return {
    findings: findings
      .map((f) => ({ ...f, file: f.finding.file }))
      .sort(byFileThenIndex)
      .map((f) => f.finding),
    overridden: overridden
      .map((o) => ({ ...o, file: o.column.file }))
      .sort(byFileThenIndex)
      .map((o) => o.column),
  }
}
