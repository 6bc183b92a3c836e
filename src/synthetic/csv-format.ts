/**
 * The canonical CSV text of synthetic rows (PRODUCT.md §3): header rows and one line per row.
 *
 * Byte-stable by construction: comma separated, `\n` line ends, no quoting (no value contains a
 * comma, quote or newline), missing values as empty cells, and every number written with a fixed
 * number of decimals (integers: none; common factors: one; alliance: two), formatted from integer
 * units so the text never depends on floating-point printing.
 */
import type { ClientRow, SessionRow } from "./simulate-client.ts"

/** clients.csv columns, in file order. */
export const CLIENT_HEADER = [
  "client_id", "therapist_id", "site_id", "modality", "age_band", "gender", "baseline", "outcome",
  "expectancy", "empathy", "positive_regard", "congruence", "sessions_attended", "dropout",
] as const

/** sessions.csv columns, in file order. */
export const SESSION_HEADER = [
  "client_id", "session", "alliance", "alliance_goal", "alliance_task", "alliance_bond", "alliance_therapist", "symptom",
] as const

/** The header line of clients.csv, with its line end. */
export const clientHeaderLine = `${CLIENT_HEADER.join(",")}\n`
/** The header line of sessions.csv, with its line end. */
export const sessionHeaderLine = `${SESSION_HEADER.join(",")}\n`

const formatUnits = (units: number, decimals: 1 | 2): string => {
  const scale = decimals === 1 ? 10 : 100
  const whole = Math.trunc(units / scale)
  return `${whole}.${String(units - whole * scale).padStart(decimals, "0")}`
}

// Lookup tables for the values that occur (alliance 1.00–5.00, factors 1.0–9.0, PHQ 0–27): the
// formatting of ~9M session lines is then a handful of array reads.
const TABLE_LIMIT = { 0: 27, 1: 90, 2: 500 } as const
const TABLES = {
  0: Array.from({ length: TABLE_LIMIT[0] + 1 }, (_, i) => String(i)),
  1: Array.from({ length: TABLE_LIMIT[1] + 1 }, (_, i) => formatUnits(i, 1)),
  2: Array.from({ length: TABLE_LIMIT[2] + 1 }, (_, i) => formatUnits(i, 2)),
} as const

/**
 * `x` (≥ 0, already rounded to `decimals` places) with exactly `decimals` decimals; `""` for null.
 * Formatted from integer units (x · 10^decimals), never from floating-point printing.
 * @example fixed(3.5, 2) === "3.50"; fixed(null, 1) === ""; fixed(12, 0) === "12"
 */
export const fixed = (x: number | null, decimals: 0 | 1 | 2): string => {
  if (x === null) return ""
  const units = decimals === 0 ? Math.round(x) : Math.round(x * (decimals === 1 ? 10 : 100))
  if (!(units >= 0)) throw new RangeError(`fixed() formats non-negative numbers, got ${x}`)
  if (units <= TABLE_LIMIT[decimals]) return TABLES[decimals][units] ?? ""
  return decimals === 0 ? String(units) : formatUnits(units, decimals)
}

/** One clients.csv line (with its `\n`). */
export const clientLine = (r: ClientRow): string =>
  `${r.client_id},${r.therapist_id},${r.site_id},${r.modality},${r.age_band},${r.gender},` +
  `${fixed(r.baseline, 0)},${fixed(r.outcome, 0)},${fixed(r.expectancy, 1)},${fixed(r.empathy, 1)},` +
  `${fixed(r.positive_regard, 1)},${fixed(r.congruence, 1)},${r.sessions_attended},${r.dropout}\n`

/** One sessions.csv line (with its `\n`). */
export const sessionLine = (r: SessionRow): string =>
  `${r.client_id},${r.session},${fixed(r.alliance, 2)},${fixed(r.alliance_goal, 2)},${fixed(r.alliance_task, 2)},` +
  `${fixed(r.alliance_bond, 2)},${fixed(r.alliance_therapist, 2)},${fixed(r.symptom, 0)}\n`
