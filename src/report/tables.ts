/**
 * Tidy CSV tables of a run (`tables/*.csv` in the report folder), for R, Python or a spreadsheet.
 *
 * - `estimates.csv`: one row per estimate: term, estimate, se, statistic, df, p, ci_low, ci_high,
 *   n, method, status, reason. Not-applicable cells are empty; a not-estimable quantity keeps its
 *   row (so the set of terms is stable from run to run) with `status = not_estimable` and the reason.
 * - `sites.csv`: per-site r with Fisher z, sampling variance, weight and whether it was pooled.
 * - `binned.csv`, `missingness.csv`, `funnel.csv`, `descriptives.csv`: the aggregated tables.
 * - `multilevel.csv`: every estimate of the multilevel models (report/multilevel/tables.ts).
 * - `common-factors.csv`: every share, dominance weight, ΔR² step and commonality part of the
 *   common-factor breakdown (report/common-factors/tables.ts).
 * - `clinical-*.csv`, `reliability*.csv`, `ruptures.csv`: the clinical section, each written only
 *   when it has rows (report/clinical/tables.ts).
 *
 * Numbers are written at full precision as JavaScript's shortest round-trip form (`String(x)`),
 * so reading a table back yields exactly the numbers of results.json. Quoting follows RFC 4180
 * (fields with comma, quote, CR or LF are quoted; quotes doubled); lines end with LF and the file
 * ends with a newline. Text that a spreadsheet would execute as a formula is neutralised (csvCell).
 */
import type { Correlation, Results } from "../../data-schemas/results.ts"
import { assertFinite, countCell, SUPPRESSED } from "./format.ts"
import { clinicalTables } from "./clinical/tables.ts"
import { COMMON_FACTORS_COLUMNS, commonFactorRows } from "./common-factors/tables.ts"
import { MULTILEVEL_COLUMNS, multilevelRows } from "./multilevel/tables.ts"
import { ciMethodLabel, notPooledReason } from "./statements.ts"

/** One CSV cell: empty for null. Numbers must be finite. */
export type Cell = string | number | boolean | null

/** One rendered table: its file name inside `tables/` and its CSV text. */
export interface Table {
  readonly name: string
  readonly csv: string
}

const needsQuotes = /[",\r\n]|^\s|\s$/

/** Text a spreadsheet would run as a formula: starting with =, +, -, @, tab or CR. */
const FORMULA_START = /^[=+\-@\t\r]/

/**
 * Renders one cell per RFC 4180; a non-finite number throws (it would print as "NaN"). A text
 * cell that a spreadsheet would execute (a label from the data such as `=HYPERLINK(…)`) gets a
 * leading apostrophe, so that Excel, LibreOffice and Sheets show it as text (OWASP, CSV
 * injection); numbers, negative ones included, are written as numbers.
 */
export const csvCell = (cell: Cell, what = "cell"): string => {
  if (cell === null) return ""
  const raw = typeof cell === "number" ? String(assertFinite(cell, what)) : String(cell)
  const text = typeof cell === "string" && FORMULA_START.test(raw) ? `'${raw}` : raw
  return needsQuotes.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** Renders a header and rows as CSV text with LF line endings and a final newline. */
export const toCsv = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<Cell>>): string =>
  [header, ...rows]
    .map((row, i) => {
      if (row.length !== header.length) {
        throw new RangeError(`CSV row ${i} has ${row.length} cells, header has ${header.length}`)
      }
      return row.map((cell, j) => csvCell(cell, `row ${i}, column ${header[j] ?? j}`)).join(",")
    })
    .join("\n") + "\n"

/** The columns of estimates.csv, in order. */
export const ESTIMATE_COLUMNS = [
  "term",
  "estimate",
  "se",
  "statistic",
  "df",
  "p",
  "ci_low",
  "ci_high",
  "n",
  "method",
  "status",
  "reason",
] as const

interface EstimateRow {
  readonly term: string
  readonly estimate?: number | null
  readonly se?: number | null
  readonly statistic?: number | null
  readonly df?: number | null
  readonly p?: number | null
  readonly ci?: readonly [number, number] | null
  readonly n: number
  readonly method?: string
  readonly reason?: string
}

const row = (r: EstimateRow): ReadonlyArray<Cell> => [
  r.term,
  r.estimate ?? null,
  r.se ?? null,
  r.statistic ?? null,
  r.df ?? null,
  r.p ?? null,
  r.ci?.[0] ?? null,
  r.ci?.[1] ?? null,
  r.n,
  r.method ?? null,
  r.reason === undefined ? "estimated" : "not_estimable",
  r.reason ?? null,
]

const correlationRow = (term: string, c: Correlation): EstimateRow =>
  c.status === "not_estimable"
    ? { term, n: c.n, reason: c.reason }
    : { term, estimate: c.estimate, statistic: c.statistic, df: c.df, p: c.p, ci: c.ci, n: c.n, method: c.method }

const primaryRows = (results: Results): ReadonlyArray<EstimateRow> => {
  const { pearson, spearman, partial, residualized_gain } = results.primary
  const spearmanRow: EstimateRow =
    spearman.status === "not_estimable"
      ? { term: "spearman_rho", n: spearman.n, reason: spearman.reason }
      : {
          term: "spearman_rho",
          estimate: spearman.estimate,
          statistic: spearman.statistic,
          p: spearman.p,
          n: spearman.n,
          method: spearman.method,
        }
  const partialRow: EstimateRow =
    partial.status === "not_estimable"
      ? { term: "partial_r", n: partial.n, reason: partial.reason }
      : {
          ...correlationRow("partial_r", partial),
          method: `${partial.method}; controlling for ${partial.controlling_for.join(", ")}`,
        }
  return [
    correlationRow("pearson_r", pearson),
    spearmanRow,
    partialRow,
    correlationRow("residualized_gain_r", residualized_gain),
  ]
}

const POOLED_TERMS = [
  "pooled_sites_r",
  "pooled_sites_z",
  "pooled_sites_r_pi",
  "tau2",
  "tau",
  "i2",
  "h2",
  "q",
] as const

const pooledRows = (results: Results): ReadonlyArray<EstimateRow> => {
  const p = results.sites.pooled
  if (p.status === "not_estimable") return POOLED_TERMS.map((term) => ({ term, n: p.n, reason: p.reason }))
  const model = `${p.method} random-effects model on Fisher z (k = ${p.k}), ${ciMethodLabel(p.test)}; ${p.reference}`
  return [
    { term: "pooled_sites_r", estimate: p.estimate, statistic: p.statistic, df: p.df, p: p.p, ci: p.ci, n: p.n, method: `pooled r back-transformed from Fisher z; ${model}` },
    { term: "pooled_sites_z", estimate: p.z.estimate, se: p.z.se, statistic: p.statistic, df: p.df, p: p.p, ci: p.z.ci, n: p.n, method: `pooled Fisher z; ${model}` },
    { term: "pooled_sites_r_pi", estimate: p.estimate, ci: p.pi, n: p.n, method: `prediction interval for r in a new site (ci_low, ci_high); ${model}` },
    { term: "tau2", estimate: p.tau2, se: p.tau2_se, ci: p.tau2_ci, n: p.n, method: `tau^2 of Fisher z (${p.method}), Q-profile CI` },
    { term: "tau", estimate: p.tau, n: p.n, method: "tau = sqrt(tau^2)" },
    { term: "i2", estimate: p.i2, ci: p.i2_ci, n: p.n, method: "I^2 in percent (Higgins & Thompson 2002)" },
    { term: "h2", estimate: p.h2, n: p.n, method: "H^2" },
    { term: "q", estimate: p.q, statistic: p.q, df: p.q_df, p: p.q_p, n: p.n, method: "Cochran's Q test for heterogeneity" },
  ]
}

/** Every estimate of a run as tidy rows (the body of estimates.csv). */
export const estimateRows = (results: Results): ReadonlyArray<ReadonlyArray<Cell>> =>
  [
    ...primaryRows(results),
    ...results.by_rater.map((r) => correlationRow(`rater_${r.rater}_r`, r.correlation)),
    ...results.by_subscale.map((s) => correlationRow(`subscale_${s.subscale}_r`, s.correlation)),
    ...pooledRows(results),
  ].map(row)

/** The columns of sites.csv, in order. */
export const SITE_COLUMNS = ["site", "n", "r", "ci_low", "ci_high", "yi", "vi", "weight", "pooled", "status", "note"] as const

const siteRows = (results: Results): ReadonlyArray<ReadonlyArray<Cell>> =>
  results.sites.per_site.map((s) => {
    const c = s.correlation
    const estimated = c.status === "estimated"
    return [
      s.site,
      s.n,
      estimated ? c.estimate : null,
      estimated ? c.ci[0] : null,
      estimated ? c.ci[1] : null,
      s.yi,
      s.vi,
      s.weight,
      s.pooled,
      c.status,
      s.pooled && estimated ? null : notPooledReason(s, results.settings),
    ]
  })

const descriptiveRows = (results: Results): ReadonlyArray<ReadonlyArray<Cell>> => {
  const d = results.descriptives
  const s = d.sessions_per_client
  return [
    ["n_sites", d.n_sites],
    ["n_therapists", d.n_therapists],
    ["n_clients", d.n_clients],
    ["n_sessions", d.n_sessions],
    ["n_analysed", results.primary.n_analysed],
    ["sessions_per_client_mean", s?.mean ?? null],
    ["sessions_per_client_sd", s?.sd ?? null],
    ["sessions_per_client_min", s === null ? null : countCell(s.min)],
    ["sessions_per_client_q1", s?.q1 ?? null],
    ["sessions_per_client_median", s?.median ?? null],
    ["sessions_per_client_q3", s?.q3 ?? null],
    ["sessions_per_client_max", s === null ? null : countCell(s.max)],
  ]
}

/** The tables every run has. */
const coreTables = (results: Results): ReadonlyArray<Table> => [
  {
    name: "binned.csv",
    csv: toCsv(
      ["low", "high", "n", "mean_alliance", "mean_improvement", "ci_low", "ci_high"],
      results.binned.map((b) => [b.low, b.high, b.n, b.mean_alliance, b.mean_improvement, b.ci[0], b.ci[1]]),
    ),
  },
  { name: "common-factors.csv", csv: toCsv(COMMON_FACTORS_COLUMNS, commonFactorRows(results)) },
  { name: "descriptives.csv", csv: toCsv(["quantity", "value"], descriptiveRows(results)) },
  { name: "estimates.csv", csv: toCsv(ESTIMATE_COLUMNS, estimateRows(results)) },
  {
    name: "funnel.csv",
    csv: toCsv(
      ["step", "excluded", "remaining"],
      results.descriptives.funnel.map((f) => [f.step, countCell(f.excluded), countCell(f.remaining)]),
    ),
  },
  {
    name: "missingness.csv",
    csv: toCsv(
      ["file", "column", "n", "n_missing", "percent"],
      results.descriptives.missingness.map((m) => [m.file, m.column, m.n, countCell(m.n_missing), m.percent === null ? SUPPRESSED : m.percent]),
    ),
  },
  { name: "multilevel.csv", csv: toCsv(MULTILEVEL_COLUMNS, multilevelRows(results)) },
  { name: "sites.csv", csv: toCsv(SITE_COLUMNS, siteRows(results)) },
]

/**
 * Renders the tidy tables of a run: binned.csv, the clinical tables that have rows
 * (report/clinical/tables.ts), common-factors.csv (report/common-factors/tables.ts),
 * descriptives.csv, estimates.csv, funnel.csv, missingness.csv, multilevel.csv
 * (report/multilevel/tables.ts) and sites.csv, sorted by name. Pure; throws on a non-finite number.
 */
export const renderTables = (results: Results): ReadonlyArray<Table> =>
  [...coreTables(results), ...clinicalTables(results).map((t) => ({ name: t.name, csv: toCsv(t.header, t.rows) }))].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
