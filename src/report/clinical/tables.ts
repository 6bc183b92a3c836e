/**
 * Tidy tables of the clinical section (results.clinical), each written only when it has rows:
 *
 * - `reliability.csv`: one row per scale — key, scale, instrument, rows (which rows were analysed),
 *   n, items (item numbers, space-separated), k, alpha with its Feldt interval, standardized alpha,
 *   Guttman's lambda 6, average r, the SE of alpha and omega total;
 * - `reliability-items.csv`: one row per item of each scale — mean, SD, r.drop, r.cor and alpha if
 *   the item is deleted;
 * - `clinical-categories.csv`: one row per group of each group comparison — the Jacobson–Truax
 *   categories (clients and share of the JT sample, with early alliance n, mean and SD), the
 *   rupture groups and the sudden-gain groups (improvement n, mean and SD), then the Welch and
 *   equal-variance F tests of each comparison (a not-estimable one with its reason);
 * - `ruptures.csv`: rupture counts by session — session, transitions, ruptures, rate;
 * - `clinical-estimates.csv`: every other number of the section, one tidy row each — section
 *   (jacobson_truax, talking_therapies, ruptures, sudden_gains), term, estimate, n, denominator,
 *   statistic, df, p, source, verified, status, reason. Counts are in n (with their denominator
 *   when they are shares of something; estimate is then the proportion); thresholds carry their
 *   source and whether it was verified. A section that could not be estimated keeps one row with
 *   its reason, so this table is always written.
 *
 * Group means of groups below min_cell are empty, as in results.json. Proportions are 0–1. A count
 * suppressed by disclosure control is "[c]", and so is a proportion drawn from it.
 */
import { type ClinicalResults, JT_CATEGORIES } from "../../../data-schemas/clinical-results.ts"
import type { Results } from "../../../data-schemas/results.ts"
import { countCell, SUPPRESSED } from "../format.ts"
import type { Cell } from "../tables.ts"

/** A count as a CSV cell: "[c]" when disclosure control suppressed it, empty when absent. */
const shown = (n: number | null | undefined): Cell => (n === undefined ? null : countCell(n))

type Comparison = Extract<ClinicalResults["jacobson_truax"], { status: "estimated" }>["early_alliance"]

export const RELIABILITY_COLUMNS = [
  "key", "scale", "instrument", "rows", "n", "items", "k", "alpha", "alpha_ci_low", "alpha_ci_high", "alpha_standardized", "guttman_lambda6", "average_r", "alpha_se", "omega_total",
] as const

export const RELIABILITY_ITEM_COLUMNS = ["key", "scale", "item", "mean", "sd", "r_drop", "r_cor", "alpha_if_deleted"] as const

export const CATEGORY_COLUMNS = [
  "comparison", "row", "category", "clients", "proportion", "measure", "n", "mean", "sd", "statistic", "df1", "df2", "p", "status", "reason",
] as const

export const RUPTURE_COLUMNS = ["session", "transitions", "ruptures", "rate"] as const

/** The rows of reliability.csv. */
export const reliabilityRows = (c: ClinicalResults): Cell[][] =>
  c.reliability.map((r) => [
    r.key, r.scale, r.instrument, r.rows, r.n, r.items.join(" "), r.items.length,
    r.alpha.raw, r.alpha.feldt[0], r.alpha.feldt[1], r.alpha.standardized, r.alpha.guttman_lambda6, r.alpha.average_r, r.alpha.se, r.omega_total,
  ])

/** The rows of reliability-items.csv. */
export const reliabilityItemRows = (c: ClinicalResults): Cell[][] =>
  c.reliability.flatMap((r) => r.item_statistics.map((s): Cell[] => [r.key, r.scale, s.item, s.mean, s.sd, s.r_drop, s.r_cor, s.alpha_if_deleted]))

interface CategoryRow {
  readonly row: "group" | "welch_f" | "classic_f"
  readonly category?: string
  readonly clients?: number | null
  readonly proportion?: number | null
  readonly group?: Comparison["groups"][number]
  readonly test?: { readonly statistic: number; readonly df1: number; readonly df2: number; readonly p: number }
  readonly reason?: string
}

const categoryCells = (comparison: string, measure: string, r: CategoryRow): Cell[] => [
  comparison,
  r.row,
  r.category ?? r.group?.category ?? null,
  shown(r.clients),
  r.clients === null ? SUPPRESSED : (r.proportion ?? null),
  measure,
  r.group === undefined ? null : shown(r.group.n),
  r.group?.mean ?? null,
  r.group?.sd ?? null,
  r.test?.statistic ?? null,
  r.test?.df1 ?? null,
  r.test?.df2 ?? null,
  r.test?.p ?? null,
  r.reason === undefined ? "estimated" : "not_estimable",
  r.reason ?? null,
]

const testRows = (c: Comparison): CategoryRow[] =>
  c.status === "estimated"
    ? [{ row: "welch_f", test: c.welch }, { row: "classic_f", test: c.classic }]
    : [{ row: "welch_f", reason: c.reason }, { row: "classic_f", reason: c.reason }]

/** The rows of clinical-categories.csv (see the module comment). */
export const categoryRows = (c: ClinicalResults): Cell[][] => {
  const rows: Cell[][] = []
  const j = c.jacobson_truax
  if (j.status === "estimated") {
    const groups = new Map(j.early_alliance.groups.map((g) => [g.category, g]))
    const categories = [...Object.keys(j.counts), ...[...groups.keys()].filter((k) => !(k in j.counts))]
    for (const category of categories) {
      const clients = j.counts[category as keyof typeof j.counts] as number | null | undefined
      const group = groups.get(category)
      rows.push(categoryCells("jacobson_truax", "early_alliance", {
        row: "group",
        category,
        ...(clients === undefined ? {} : { clients, proportion: clients === null ? null : j.n > 0 ? clients / j.n : 0 }),
        ...(group === undefined ? {} : { group }),
      }))
    }
    rows.push(...testRows(j.early_alliance).map((t) => categoryCells("jacobson_truax", "early_alliance", t)))
  }
  const comparisons: Array<[string, Comparison | null]> = [
    ["ruptures", c.ruptures.status === "estimated" ? c.ruptures.improvement : null],
    ["sudden_gains", c.sudden_gains.status === "estimated" ? c.sudden_gains.improvement : null],
  ]
  for (const [name, cmp] of comparisons) {
    if (cmp === null) continue
    rows.push(...cmp.groups.map((group) => categoryCells(name, "improvement", { row: "group", group })))
    rows.push(...testRows(cmp).map((t) => categoryCells(name, "improvement", t)))
  }
  return rows
}

/** The rows of ruptures.csv. */
export const ruptureRows = (c: ClinicalResults): Cell[][] =>
  c.ruptures.status === "estimated" ? c.ruptures.by_session.map((b) => [b.session, b.transitions, shown(b.ruptures), b.ruptures === null ? SUPPRESSED : b.transitions > 0 ? b.ruptures / b.transitions : null]) : []

export const CLINICAL_ESTIMATE_COLUMNS = ["section", "term", "estimate", "n", "denominator", "statistic", "df", "p", "source", "verified", "status", "reason"] as const

interface EstimateRow {
  readonly term: string
  readonly estimate?: number | null
  readonly n?: number | null
  readonly of?: number | null
  readonly test?: { readonly statistic: number; readonly df: number; readonly p: number }
  readonly source?: string
  readonly verified?: boolean
  readonly reason?: string
}

const estimateCells = (section: string, r: EstimateRow): Cell[] => [
  section, r.term, r.n === null || r.of === null ? SUPPRESSED : (r.estimate ?? null), shown(r.n), shown(r.of), r.test?.statistic ?? null, r.test?.df ?? null, r.test?.p ?? null,
  r.source ?? null, r.verified ?? null, r.reason === undefined ? "estimated" : "not_estimable", r.reason ?? null,
]

/** A count that is a share of `of`: the proportion as its estimate (none when `of` is zero; "[c]" when either is suppressed). */
const share = (term: string, n: number | null, of: number | null, estimate: number | null = n !== null && of !== null && of > 0 ? n / of : null): EstimateRow => ({ term, estimate, n, of })

const jacobsonTruaxEstimates = (j: ClinicalResults["jacobson_truax"]): EstimateRow[] => {
  if (j.status !== "estimated") return [{ term: "categories", reason: j.reason }]
  const r = j.reliable_change
  return [
    { term: "n", n: j.n },
    { term: "reliable_change_points", estimate: r.points, source: r.rule === "rci" ? `1.96 × S_diff; reliability: ${r.source}` : r.source, verified: r.verified },
    { term: "s_diff", estimate: r.s_diff, source: j.se_variant },
    { term: "sd_pre", estimate: r.sd_pre },
    { term: "reliability", estimate: r.reliability, ...(r.rule === "rci" ? { source: r.source, verified: r.verified } : {}) },
    { term: "cut_off", estimate: j.cut_off.value, source: j.cut_off.source, verified: j.cut_off.verified },
    ...JT_CATEGORIES.map((c) => share(c, j.counts[c], j.n)),
  ]
}

const talkingTherapiesEstimates = (t: ClinicalResults["talking_therapies"]): EstimateRow[] => {
  if (t.status !== "estimated") return [{ term: "metrics", reason: t.reason }]
  const h = t.thresholds
  const threshold = (term: string, estimate: number): EstimateRow => ({ term, estimate, source: "NHS Talking Therapies manual", verified: h.verified })
  return [
    threshold("phq9_caseness", h.phq9_caseness),
    threshold("gad7_caseness", h.gad7_caseness),
    threshold("phq9_reliable_change", h.phq9_reliable_change),
    threshold("gad7_reliable_change", h.gad7_reliable_change),
    threshold("minimum_sessions", h.minimum_sessions),
    { term: "courses", n: t.courses, source: `sessions from ${t.sessions_from}` },
    share("finished", t.finished, t.courses),
    share("finished_cases", t.finished_cases, t.finished),
    share("recovered", t.recovered, t.finished_cases, t.recovery_rate),
    share("reliably_improved", t.reliably_improved, t.finished, t.reliable_improvement_rate),
    share("reliably_deteriorated", t.reliably_deteriorated, t.finished, t.reliable_deterioration_rate),
    share("reliably_recovered", t.reliably_recovered, t.finished_cases, t.reliable_recovery_rate),
  ]
}

const ruptureEstimates = (r: ClinicalResults["ruptures"]): EstimateRow[] =>
  r.status !== "estimated"
    ? [{ term: "ruptures", reason: r.reason }]
    : [
        { term: "threshold", estimate: r.threshold, source: "threshold_sd × within_client_sd" },
        { term: "threshold_sd", estimate: r.threshold_sd },
        { term: "within_client_sd", estimate: r.within_client_sd },
        { term: "repair_window", estimate: r.repair_window },
        { term: "clients_rated", n: r.clients_rated },
        { term: "transitions", n: r.transitions },
        share("ruptures", r.ruptures, r.transitions, r.rupture_rate),
        share("repaired", r.repaired, r.ruptures, r.repair_rate),
        share("clients_with_rupture", r.clients_with_rupture, r.clients_rated),
      ]

const gainEstimates = (g: ClinicalResults["sudden_gains"]): EstimateRow[] => {
  if (g.status !== "estimated") return [{ term: "sudden_gains", reason: g.reason }]
  const f = g.first_gain_session
  const a = g.alliance_around_gain
  return [
    { term: "minimum", estimate: g.minimum },
    { term: "clients_with_series", n: g.clients_with_series },
    { term: "gains", n: g.gains },
    share("clients_with_gain", g.clients_with_gain, g.clients_with_series),
    ...(f === null
      ? []
      : [{ term: "first_gain_session_median", estimate: f.median }, { term: "first_gain_session_q1", estimate: f.q1 }, { term: "first_gain_session_q3", estimate: f.q3 }]),
    ...(a.status === "estimated"
      ? [
          { term: "alliance_before_gain", estimate: a.before, n: a.n },
          { term: "alliance_after_gain", estimate: a.after, n: a.n },
          { term: "alliance_difference", estimate: a.difference, n: a.n, test: { statistic: a.t, df: a.df, p: a.p } },
        ]
      : [{ term: "alliance_difference", reason: a.reason }]),
  ]
}

/** The rows of clinical-estimates.csv (see the module comment). */
export const clinicalEstimateRows = (c: ClinicalResults): Cell[][] => [
  ...jacobsonTruaxEstimates(c.jacobson_truax).map((r) => estimateCells("jacobson_truax", r)),
  ...talkingTherapiesEstimates(c.talking_therapies).map((r) => estimateCells("talking_therapies", r)),
  ...ruptureEstimates(c.ruptures).map((r) => estimateCells("ruptures", r)),
  ...gainEstimates(c.sudden_gains).map((r) => estimateCells("sudden_gains", r)),
]

/** One clinical table before rendering: file name, header and rows. */
export interface ClinicalTable {
  readonly name: string
  readonly header: ReadonlyArray<string>
  readonly rows: ReadonlyArray<ReadonlyArray<Cell>>
}

/** The clinical tables that have rows (see the module comment); report/tables.ts renders them as CSV. */
export const clinicalTables = (results: Results): ReadonlyArray<ClinicalTable> => {
  const c = results.clinical
  const tables: ReadonlyArray<ClinicalTable> = [
    { name: "clinical-categories.csv", header: CATEGORY_COLUMNS, rows: categoryRows(c) },
    { name: "clinical-estimates.csv", header: CLINICAL_ESTIMATE_COLUMNS, rows: clinicalEstimateRows(c) },
    { name: "reliability.csv", header: RELIABILITY_COLUMNS, rows: reliabilityRows(c) },
    { name: "reliability-items.csv", header: RELIABILITY_ITEM_COLUMNS, rows: reliabilityItemRows(c) },
    { name: "ruptures.csv", header: RUPTURE_COLUMNS, rows: ruptureRows(c) },
  ]
  return tables.filter((t) => t.rows.length > 0)
}
