/**
 * The predictor families of the common-factor breakdown (issue 6) and the design they make.
 *
 * Defaults for the canonical columns (Lambert & Barley 2001; Wampold & Imel 2015's contextual
 * model), in the order a hierarchical regression enters them:
 *
 *   extratherapeutic   baseline; age_band and gender (dummy-coded)
 *   expectancy         expectancy
 *   techniques         modality (dummy-coded)
 *   common             early alliance (client-rated); empathy, positive_regard, congruence
 *
 * A family is a set of predictors, a predictor a set of columns (one, or a category's dummies:
 * treatment coding against its first level in sorted order, as R's `factor`; the R² is the same
 * whichever level is the reference). A family with no column in the study is listed as absent,
 * never silently dropped. The sample is the clients with improvement and every predictor present.
 */
import type { StudyData } from "../../data/study-data.ts"
import type { DerivedClients } from "../derive-clients.ts"

export const FAMILIES = ["extratherapeutic", "expectancy", "techniques", "common"] as const
export type Family = (typeof FAMILIES)[number]

/** Canonical predictors by family: numeric columns of clients.csv, categories, and the early alliance. */
const DEFAULTS: ReadonlyArray<{ readonly family: Family; readonly predictor: string; readonly kind: "number" | "category" | "early_alliance" }> = [
  { family: "extratherapeutic", predictor: "baseline", kind: "number" },
  { family: "extratherapeutic", predictor: "age_band", kind: "category" },
  { family: "extratherapeutic", predictor: "gender", kind: "category" },
  { family: "expectancy", predictor: "expectancy", kind: "number" },
  { family: "techniques", predictor: "modality", kind: "category" },
  { family: "common", predictor: "early_alliance", kind: "early_alliance" },
  { family: "common", predictor: "empathy", kind: "number" },
  { family: "common", predictor: "positive_regard", kind: "number" },
  { family: "common", predictor: "congruence", kind: "number" },
]

export interface Predictor {
  readonly name: string
  readonly family: Family
  /** design column names: the predictor itself, or `<category>: <level>` per dummy */
  readonly columns: ReadonlyArray<string>
}

export interface FactorDesign {
  /** rows (clients) in the sample */
  readonly rows: Int32Array
  readonly y: Float64Array
  /** design columns over the sample rows, in predictor order */
  readonly columns: ReadonlyArray<Float64Array>
  readonly predictors: ReadonlyArray<Predictor>
  /** per family present, the indices of its design columns */
  readonly families: ReadonlyArray<{ readonly family: Family; readonly columns: ReadonlyArray<number> }>
  /** families with no column in this study */
  readonly absent: ReadonlyArray<Family>
  /** per predictor, the indices of its design columns */
  readonly predictorColumns: ReadonlyArray<ReadonlyArray<number>>
}

/** Builds the design (file comment); categories with a single level in the sample contribute no column. */
export const factorDesign = (data: StudyData, derived: DerivedClients): FactorDesign => {
  const { clients } = data
  const early = derived.early.get("alliance")
  const present = DEFAULTS.filter((d) =>
    d.kind === "number" ? d.predictor === "baseline" || clients.numbers.has(d.predictor) : d.kind === "category" ? clients.categories.has(d.predictor) : early !== undefined,
  )
  const numberOf = (d: (typeof DEFAULTS)[number]): Float64Array =>
    d.kind === "early_alliance" ? early! : d.predictor === "baseline" ? derived.baseline : clients.numbers.get(d.predictor)!
  // the sample: improvement and every predictor present
  const keep: number[] = []
  for (let i = 0; i < clients.n; i++) {
    if (Number.isNaN(derived.improvement[i]!)) continue
    const complete = present.every((d) => (d.kind === "category" ? clients.categories.get(d.predictor)!.codes[i]! >= 0 : !Number.isNaN(numberOf(d)[i]!)))
    if (complete) keep.push(i)
  }
  const rows = Int32Array.from(keep)
  const columns: Float64Array[] = []
  const predictors: Predictor[] = []
  const predictorColumns: number[][] = []
  for (const d of present) {
    const indices: number[] = []
    const names: string[] = []
    if (d.kind === "category") {
      const factor = clients.categories.get(d.predictor)!
      const used = [...new Set(Array.from(rows, (i) => factor.codes[i]!))].sort((a, b) => (factor.levels[a]! < factor.levels[b]! ? -1 : factor.levels[a]! > factor.levels[b]! ? 1 : 0))
      for (const code of used.slice(1)) {
        indices.push(columns.length)
        names.push(`${d.predictor}: ${factor.levels[code]!}`)
        columns.push(Float64Array.from(rows, (i) => (factor.codes[i] === code ? 1 : 0)))
      }
    } else {
      const values = numberOf(d)
      indices.push(columns.length)
      names.push(d.predictor)
      columns.push(Float64Array.from(rows, (i) => values[i]!))
    }
    if (indices.length === 0) continue
    predictors.push({ name: d.predictor, family: d.family, columns: names })
    predictorColumns.push(indices)
  }
  const families = FAMILIES.flatMap((family) => {
    const cols = predictors.flatMap((p, k) => (p.family === family ? predictorColumns[k]! : []))
    return cols.length === 0 ? [] : [{ family, columns: cols }]
  })
  return {
    rows,
    y: Float64Array.from(rows, (i) => derived.improvement[i]!),
    columns,
    predictors,
    families,
    absent: FAMILIES.filter((f) => !families.some((g) => g.family === f)),
    predictorColumns,
  }
}
