/**
 * Matching a CSV header against the canonical columns, through the study file's column mapping.
 */
import type { ColumnSpec } from "../../data-schemas/canonical.ts"
import { didYouMean } from "./close-matches.ts"
import type { ProblemLog } from "./problem-log.ts"

export interface ResolvedColumn {
  readonly spec: ColumnSpec
  /** the column's name in the file */
  readonly name: string
  /** its position in each record */
  readonly index: number
}

export interface ResolvedHeader {
  readonly file: string
  readonly width: number
  readonly columns: ReadonlyArray<ResolvedColumn>
  /** non-canonical columns: name and position */
  readonly extras: ReadonlyArray<{ readonly name: string; readonly index: number }>
  /** every column name in file order, for sampling */
  readonly names: ReadonlyArray<string>
}

/**
 * Resolves which position holds each canonical column. Logs a problem (line 1) for a missing
 * required column, a mapped column that is not in the file, an empty or duplicated header name.
 */
export const resolveHeader = (
  file: string,
  header: ReadonlyArray<string>,
  specs: ReadonlyArray<ColumnSpec>,
  mapping: Readonly<Record<string, string | undefined>>,
  log: ProblemLog,
): ResolvedHeader => {
  const names = header.map((h) => h.trim())
  const positions = new Map<string, number>()
  names.forEach((name, index) => {
    if (name === "") {
      log.add({ file, line: 1, column: `(column ${index + 1})`, value: null, rule: "every column needs a name in the header" })
    } else if (positions.has(name)) {
      log.add({ file, line: 1, column: name, value: null, rule: "column names must be unique in the header" })
    } else {
      positions.set(name, index)
    }
  })

  // names that no canonical column claims: where a missing column may be hiding
  const claimed = new Set(specs.map((spec) => mapping[spec.name] ?? spec.name))
  const unclaimed = [...positions.keys()].filter((name) => !claimed.has(name))
  const columns: ResolvedColumn[] = []
  const used = new Set<number>()
  for (const spec of specs) {
    const mapped = mapping[spec.name]
    const name = mapped ?? spec.name
    const index = positions.get(name)
    if (index === undefined) {
      if (mapped !== undefined) {
        log.add({ file, line: 1, column: name, value: null, rule: `the study file maps ${spec.name} to "${name}", but the file has no such column${didYouMean(name, unclaimed)}` })
      } else if (spec.required) {
        log.add({ file, line: 1, column: name, value: null, rule: `required column "${name}" is missing (${spec.description})${didYouMean(name, unclaimed)}` })
      }
      continue
    }
    columns.push({ spec, name, index })
    used.add(index)
  }
  const extras = [...positions].filter(([, index]) => !used.has(index)).map(([name, index]) => ({ name, index }))
  return { file, width: header.length, columns, extras, names }
}
