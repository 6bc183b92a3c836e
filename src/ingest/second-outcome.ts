/**
 * The second outcome's intake and end totals per client row (the study file's
 * instruments.second_outcome): scored from its items at ingest, or read from two columns of
 * clients.csv, which must then hold numbers within the instrument's total range (a problem names
 * the file, line, column and value otherwise).
 */
import { parseNumber } from "../../data-schemas/cells.ts"
import type { ClientTable } from "../data/study-data.ts"
import type { DataProblem } from "../errors.ts"
import { type InstrumentPlan, totalRange } from "./instrument-plan.ts"
import type { ItemBlockResult } from "./item-scorer.ts"

export const secondOutcomeTotals = (
  plan: InstrumentPlan,
  columns: { readonly baseline_column?: string | undefined; readonly outcome_column?: string | undefined } | undefined,
  items: ReadonlyArray<ItemBlockResult>,
  clients: ClientTable,
  clientsFile: string,
): { readonly totals: { readonly baseline: Float64Array; readonly outcome: Float64Array } | null; readonly problems: DataProblem[] } => {
  const second = plan.secondOutcome
  if (second === null) return { totals: null, problems: [] }
  const id = second.instrument.id
  const scored = (when: string) => items.find((r) => r.block.key === `${id}_${when}`)?.totals
  const fromItems = { baseline: scored("baseline"), outcome: scored("outcome") }
  if (fromItems.baseline !== undefined && fromItems.outcome !== undefined) {
    return { totals: { baseline: fromItems.baseline, outcome: fromItems.outcome }, problems: [] }
  }
  const problems: DataProblem[] = []
  const [low, high] = totalRange(second.instrument)
  const read = (column: string | undefined): Float64Array => {
    const values = new Float64Array(clients.n).fill(Number.NaN)
    const factor = column === undefined ? undefined : clients.extras.get(column)
    if (column === undefined || factor === undefined) {
      problems.push({ file: clientsFile, line: 1, column: column ?? "", value: null, rule: `instruments.second_outcome names column "${column}", but the file has no such column` })
      return values
    }
    for (let i = 0; i < clients.n; i++) {
      const code = factor.codes[i]!
      if (code < 0) continue
      const text = factor.levels[code]!
      const value = parseNumber(text) ?? Number.NaN
      if (value >= low && value <= high) values[i] = value
      else problems.push({ file: clientsFile, line: i + 2, column, value: text, rule: `${second.instrument.name} total must be a number between ${low} and ${high}` })
    }
    return values
  }
  const totals = { baseline: read(columns?.baseline_column), outcome: read(columns?.outcome_column) }
  return { totals, problems }
}
