/**
 * `tables/common-factors.csv`: every estimate of the common-factor breakdown as one tidy row —
 * kind (model, family, therapist, unexplained, predictor, hierarchical, commonality), term,
 * family, estimate, ci_low, ci_high, share_of_explained, r_squared, statistic (F), df1, df2, p, n,
 * status, reason. Estimates are proportions of the outcome's total variance, as in results.json
 * (hierarchical rows: ΔR², with the cumulative R² in r_squared). A family without data and a
 * therapist share that could not be estimated keep a row with their reason; so does the whole
 * breakdown when it could not be estimated.
 */
import type { CommonFactorsRecord } from "../../../data-schemas/common-factors-results.ts"
import type { Results } from "../../../data-schemas/results.ts"
import type { Cell } from "../tables.ts"

export const COMMON_FACTORS_COLUMNS = [
  "kind", "term", "family", "estimate", "ci_low", "ci_high", "share_of_explained", "r_squared", "statistic", "df1", "df2", "p", "n", "status", "reason",
] as const

interface Row {
  readonly kind: string
  readonly term: string
  readonly family?: string
  readonly estimate?: number
  readonly ci?: readonly [number, number]
  readonly share?: number
  readonly r_squared?: number
  readonly test?: { readonly f: number; readonly df1: number; readonly df2: number; readonly p: number }
  readonly n: number
  readonly reason?: string
}

const cells = (r: Row): Cell[] => [
  r.kind,
  r.term,
  r.family ?? null,
  r.estimate ?? null,
  r.ci?.[0] ?? null,
  r.ci?.[1] ?? null,
  r.share ?? null,
  r.r_squared ?? null,
  r.test?.f ?? null,
  r.test?.df1 ?? null,
  r.test?.df2 ?? null,
  r.test?.p ?? null,
  r.n,
  r.reason === undefined ? "estimated" : "not_estimable",
  r.reason ?? null,
]

const absentRows = (absent: ReadonlyArray<{ readonly family: string; readonly reason: string }>, n: number): Row[] =>
  absent.map((a) => ({ kind: "family", term: a.family, family: a.family, n, reason: a.reason }))

const estimatedRows = (c: CommonFactorsRecord): Row[] => {
  const n = c.n
  const t = c.therapist
  return [
    { kind: "model", term: "r_squared", estimate: c.r_squared, r_squared: c.r_squared, n },
    ...c.families.map((f): Row => ({ kind: "family", term: f.family, family: f.family, estimate: f.general_dominance, ci: f.ci, share: f.share_of_explained, n })),
    ...absentRows(c.absent_families, n),
    t.status === "estimated"
      ? { kind: "therapist", term: "therapist", estimate: t.share, ci: t.share_ci, n: t.n }
      : { kind: "therapist", term: "therapist", n: t.n, reason: t.reason },
    { kind: "unexplained", term: "unexplained", estimate: c.unexplained, n },
    ...c.predictors.map((p): Row => ({ kind: "predictor", term: p.predictor, family: p.family, estimate: p.general_dominance, share: p.share_of_explained, n })),
    ...c.hierarchical.map((h): Row => ({
      kind: "hierarchical",
      term: h.family,
      family: h.family,
      estimate: h.delta_r_squared,
      r_squared: h.r_squared,
      test: { f: h.f, df1: h.df1, df2: h.df2, p: h.p },
      n,
    })),
    ...(c.commonality ?? []).map((p): Row => ({
      kind: "commonality",
      term: p.families.join(" & "),
      ...(p.families.length === 1 ? { family: p.families[0] ?? "" } : {}),
      estimate: p.value,
      share: p.share_of_explained,
      n,
    })),
  ]
}

/** The rows of common-factors.csv (see the module comment). */
export const commonFactorRows = (results: Results): Cell[][] => {
  const c = results.common_factors
  const rows =
    c.status === "estimated"
      ? estimatedRows(c)
      : [{ kind: "model", term: "r_squared", n: c.n, reason: c.reason }, ...absentRows(c.absent_families, c.n)]
  return rows.map(cells)
}
