/**
 * Reading `studies.csv` (data-schemas/studies.ts) into effect sizes for synthesis: each row
 * validated cell by cell against the zod schemas, correlations turned into Fisher z with their
 * variances (metafor's escalc "ZCOR"), duplicate (study, effect) pairs refused, and every other
 * column kept as a moderator. A studies file is small (hundreds of rows), so it is parsed whole
 * with csv-parse, the parser of record.
 *
 * Like readStudy, this says what it found and leaves the decision to the caller: `effects` holds
 * the valid rows, `problems` one entry per broken rule (file, line, column, value, rule).
 */
import { parse } from "csv-parse/sync"
import { STUDY_COLUMNS, studyCells } from "../../data-schemas/studies.ts"
import type { DataProblem } from "../errors.ts"
import { escalcZcor } from "../stats/meta-analysis/escalc-zcor.ts"
import { ProblemLog } from "./problem-log.ts"

/** One effect size, ready to pool. */
export interface StudyEffect {
  readonly study: string
  /** the effect's id within its study ("1" when the file has no es_id column) */
  readonly effect: string
  /** Fisher z for correlations, else the file's yi */
  readonly yi: number
  readonly vi: number
  /** the correlation and sample size, when given */
  readonly r: number | null
  readonly n: number | null
  /** the file line of the row */
  readonly line: number
  /** the moderator columns' cells (null when missing) */
  readonly moderators: Readonly<Record<string, string | null>>
}

export interface StudiesFile {
  /** "correlation": r and n given (pooled on Fisher z); "generic": yi and vi given */
  readonly kind: "correlation" | "generic"
  readonly effects: ReadonlyArray<StudyEffect>
  readonly moderatorColumns: ReadonlyArray<string>
  readonly problems: ReadonlyArray<DataProblem>
  readonly totalProblems: number
}

type Column = (typeof STUDY_COLUMNS)[number]

const isStudyColumn = (name: string): name is Column => (STUDY_COLUMNS as ReadonlyArray<string>).includes(name)

/**
 * Parses and validates the text of a studies file named `file` (for messages).
 *
 * The header needs `study_id` and either `r` and `n` or `yi` and `vi` (when a file has both, r
 * and n are used and yi, vi ignored). Cells are trimmed; a cell equal to a code in `missing` is
 * missing; a missing study_id, r, n, yi or vi is an error (an effect without them cannot be
 * pooled); moderators may be missing.
 *
 * Example: "study_id,r,n\nA,0.3,50\n" → one effect { study "A", effect "1", yi atanh(0.3),
 * vi 1/47, r 0.3, n 50, line 2 }.
 */
export const parseStudies = (text: string, file: string, missing: ReadonlySet<string> = new Set(["", "NA"])): StudiesFile => {
  const log = new ProblemLog()
  const fail = (kind: StudiesFile["kind"] = "correlation"): StudiesFile => ({
    kind,
    effects: [],
    moderatorColumns: [],
    problems: log.problems,
    totalProblems: log.total,
  })
  let rows: Array<{ record: string[]; info: { lines: number } }>
  try {
    rows = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as typeof rows
  } catch (error) {
    const line = typeof (error as { lines?: unknown }).lines === "number" ? (error as { lines: number }).lines : 0
    log.add({ file, line, column: "", value: null, rule: `the file is not valid CSV: ${(error as Error).message}` })
    return fail()
  }
  const [head, ...body] = rows
  if (head === undefined) {
    log.add({ file, line: 1, column: "", value: null, rule: "the file is empty: a header row is required" })
    return fail()
  }
  const header = head.record.map((cell) => cell.trim())
  const index = new Map(header.map((name, i) => [name, i] as const))
  const kind: StudiesFile["kind"] = index.has("r") || index.has("n") || !(index.has("yi") || index.has("vi")) ? "correlation" : "generic"
  const required: Column[] = ["study_id", ...(kind === "correlation" ? (["r", "n"] as const) : (["yi", "vi"] as const))]
  for (const column of required) {
    if (!index.has(column)) {
      const either = column === "study_id" ? "" : " (give r and n, or yi and vi)"
      log.add({ file, line: 1, column, value: null, rule: `the column ${column} is required${either}` })
    }
  }
  if (log.total > 0) return fail(kind)
  const used = new Set<string>(required)
  if (index.has("es_id")) used.add("es_id")
  const moderatorColumns = header.filter((name) => !isStudyColumn(name))

  const effects: StudyEffect[] = []
  const seen = new Map<string, number>()
  for (const { record, info } of body) {
    const line = info.lines
    const cell = (column: string): string | null => {
      const i = index.get(column)
      const value = i === undefined ? null : (record[i] ?? "").trim()
      return value === null || missing.has(value) ? null : value
    }
    if (record.length !== header.length) {
      log.add({ file, line, column: "", value: null, rule: `the row has ${record.length} cells; the header has ${header.length}` })
      continue
    }
    const values = new Map<string, unknown>()
    let valid = true
    for (const column of used) {
      const raw = cell(column)
      if (raw === null) {
        log.add({ file, line, column, value: null, rule: "is required (an effect without it cannot be pooled)" })
        valid = false
        continue
      }
      const parsed = studyCells[column as Column].safeParse(raw)
      if (!parsed.success) {
        log.add({ file, line, column, value: raw, rule: parsed.error.issues[0]?.message ?? "is not valid" })
        valid = false
        continue
      }
      values.set(column, parsed.data)
    }
    if (!valid) continue
    const study = values.get("study_id") as string
    const effect = index.has("es_id") ? (values.get("es_id") as string) : "1"
    const key = JSON.stringify([study, effect])
    const earlier = seen.get(key)
    if (earlier !== undefined) {
      const rule = index.has("es_id")
        ? `each (study_id, es_id) pair must be unique (also on line ${earlier})`
        : `each study_id must be unique (also on line ${earlier}); add an es_id column to give several effects per study`
      log.add({ file, line, column: index.has("es_id") ? "es_id" : "study_id", value: index.has("es_id") ? effect : study, rule })
      continue
    }
    seen.set(key, line)
    const r = kind === "correlation" ? (values.get("r") as number) : null
    const n = kind === "correlation" ? (values.get("n") as number) : null
    const { yi, vi } = r !== null && n !== null ? escalcZcor(r, n) : { yi: values.get("yi") as number, vi: values.get("vi") as number }
    effects.push({ study, effect, yi, vi, r, n, line, moderators: Object.fromEntries(moderatorColumns.map((m) => [m, cell(m)])) })
  }
  if (effects.length === 0 && log.total === 0) log.add({ file, line: 2, column: "", value: null, rule: "the file has no effect sizes: at least one row is required" })
  return { kind, effects, moderatorColumns, problems: log.problems, totalProblems: log.total }
}
