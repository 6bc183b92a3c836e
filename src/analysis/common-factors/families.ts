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
 * The study file's `common_factors.families` replaces them: named families in order, each a list
 * of predictors — canonical columns of clients.csv, a lab's own columns (e.g. adherence, social
 * support) by their name in the file, or early-alliance measures (early_alliance, early_alliance_goal,
 * …). With outcome `baseline_adjusted`, baseline is not a predictor but a control, partialled out
 * of the outcome and of every predictor.
 *
 * A family is a set of predictors, a predictor a set of columns (one, or a category's dummies:
 * treatment coding against its first level in code-unit order; the R² is the same whichever level
 * is the reference). A default family with no column in the study, or whose predictors do not vary
 * in the sample, is listed as absent with the reason, never silently dropped; a predictor the study
 * file names but the study lacks is an error (resolveFamilies). The sample is the clients with
 * improvement, baseline (when it is a control) and every predictor present.
 */
import { CANONICAL_FAMILIES, type CommonFactorConfig, type FamilyPredictor } from "../../../data-schemas/study-file.ts"
import { CLIENT_COLUMNS } from "../../../data-schemas/canonical.ts"
import type { Factor, StudyData } from "../../data/study-data.ts"
import { take } from "../../derive/select.ts"
import { ALLIANCE_COLUMNS, type AllianceColumn, type DerivedClients } from "../derive-clients.ts"

/** The default families (file comment); baseline leaves extratherapeutic when it is a control. */
export const defaultFamilies = (outcome: CommonFactorConfig["outcome"]): ReadonlyArray<{ readonly name: string; readonly predictors: ReadonlyArray<string> }> => [
  { name: "extratherapeutic", predictors: [...(outcome === "improvement" ? ["baseline"] : []), "age_band", "gender"] },
  { name: "expectancy", predictors: ["expectancy"] },
  { name: "techniques", predictors: ["modality"] },
  { name: "common", predictors: ["early_alliance", "empathy", "positive_regard", "congruence"] },
]

/** The families in force (the study file's, or the defaults), each predictor by its name: as results.json and site summaries record them. */
export const familiesInForce = (config: CommonFactorConfig): Array<{ name: string; predictors: string[] }> =>
  (config.families ?? defaultFamilies(config.outcome)).map((f) => ({ name: f.name, predictors: f.predictors.map((p) => (typeof p === "string" ? p : p.column)) }))

/** Early-alliance predictor names: early_alliance, early_alliance_goal, … (one per alliance column of sessions.csv). */
const earlyName = (column: AllianceColumn): string => `early_${column}`
const EARLY_NAMES = new Map(ALLIANCE_COLUMNS.map((c) => [earlyName(c), c] as const))

/** The client columns the study file's families name, which ingest must keep in memory. */
export const familyColumns = (config: CommonFactorConfig): ReadonlyArray<string> =>
  (config.families ?? []).flatMap((f) => f.predictors.map((p) => (typeof p === "string" ? p : p.column)))

/** One predictor's values over all clients. */
type Source =
  | { readonly name: string; readonly kind: "number"; readonly values: Float64Array }
  | { readonly name: string; readonly kind: "category"; readonly factor: Factor }

export interface ResolvedFamilies {
  readonly families: ReadonlyArray<{ readonly name: string; readonly predictors: ReadonlyArray<Source> }>
  /** default families none of whose columns the study has, with the reason */
  readonly absent: ReadonlyArray<{ readonly family: string; readonly reason: string }>
  /** what is wrong with the study file's families (each names the family and the predictor) */
  readonly problems: ReadonlyArray<string>
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/
const NOT_PREDICTORS = new Set(["outcome", "client_id", "therapist_id", "site_id"])
const numericKinds = new Set(CLIENT_COLUMNS.filter((c) => c.kind === "number" || c.kind === "integer" || c.kind === "binary").map((c) => c.name))
const categoryKinds = new Set(CLIENT_COLUMNS.filter((c) => c.kind === "category").map((c) => c.name))

/** A non-canonical column as numbers (when `type` says so, or by default when every value is a number), else as categories. */
const extraSource = (name: string, factor: Factor, type: "numeric" | "categorical" | null): Source | string => {
  if (type === "categorical") return { name, kind: "category", factor }
  const bad = factor.levels.find((level) => !NUMBER.test(level.trim()))
  if (bad !== undefined) return type === "numeric" ? `clients.csv column ${name} has the value "${bad.slice(0, 40)}", which is not a number` : { name, kind: "category", factor }
  const byLevel = Float64Array.from(factor.levels, (level) => Number(level.trim()))
  return { name, kind: "number", values: Float64Array.from(factor.codes, (code) => (code < 0 ? Number.NaN : byLevel[code]!)) }
}

/** Finds each family's predictors in the study (file comment); explicit families report what they name but the study lacks. */
export const resolveFamilies = (data: StudyData, derived: DerivedClients, config: CommonFactorConfig): ResolvedFamilies => {
  const { clients } = data
  const explicit = config.families !== undefined
  const specs: ReadonlyArray<{ readonly name: string; readonly predictors: ReadonlyArray<FamilyPredictor> }> = config.families ?? defaultFamilies(config.outcome)
  const problems: string[] = []
  const absent: Array<{ family: string; reason: string }> = []
  const families: Array<{ name: string; predictors: Source[] }> = []
  for (const [index, spec] of specs.entries()) {
    const found: Source[] = []
    const missing: string[] = []
    for (const p of spec.predictors) {
      const name = typeof p === "string" ? p : p.column
      const type = typeof p === "string" ? null : p.type
      const problem = (text: string) => problems.push(`common_factors.families[${index}] (${spec.name}): ${text}`)
      const early = EARLY_NAMES.get(name)
      if (NOT_PREDICTORS.has(name)) problem(`${name} cannot be a predictor (${name === "outcome" ? "it is the outcome" : "identifiers are not predictors; the therapist share is its own slice"})`)
      else if (name === "baseline" && config.outcome === "baseline_adjusted") problem("baseline is partialled out of everything when the outcome is baseline_adjusted, so it cannot also be a predictor")
      else if (early !== undefined) {
        const values = derived.early.get(early)
        if (values === undefined) missing.push(`sessions.csv has no ${early} column (for ${name})`)
        else found.push({ name, kind: "number", values })
      } else if (numericKinds.has(name) || categoryKinds.has(name)) {
        const values = name === "baseline" ? derived.baseline : clients.numbers.get(name)
        const factor = clients.categories.get(name)
        if (numericKinds.has(name) && type === "categorical") problem(`${name} is a numeric column and cannot be entered as categorical`)
        else if (values !== undefined) found.push({ name, kind: "number", values })
        else if (factor !== undefined) found.push({ name, kind: "category", factor })
        else missing.push(`clients.csv has no ${name} column`)
      } else if (clients.extras.has(name)) {
        const source = extraSource(name, clients.extras.get(name)!, type)
        if (typeof source === "string") problem(source)
        else found.push(source)
      } else missing.push(`${name} is not a column of clients.csv nor an early-alliance measure (${[...EARLY_NAMES.keys()].join(", ")})`)
    }
    if (explicit) for (const m of missing) problems.push(`common_factors.families[${index}] (${spec.name}): ${m}`)
    if (found.length > 0) families.push({ name: spec.name, predictors: found })
    else absent.push({ family: spec.name, reason: missing.join("; ") })
  }
  // a canonical family the study file leaves out is absent too, and said so
  if (explicit) for (const name of CANONICAL_FAMILIES) if (!specs.some((s) => s.name === name)) absent.push({ family: name, reason: "not among the study file's families" })
  return { families, absent, problems }
}

export interface Predictor {
  readonly name: string
  readonly family: string
  /** design column names: the predictor itself, or `<category>: <level>` per dummy */
  readonly columns: ReadonlyArray<string>
}

export interface FactorDesign {
  readonly outcome: CommonFactorConfig["outcome"]
  /** rows (clients) in the sample, grouped by therapist */
  readonly rows: Int32Array
  /** clients with improvement left out because a predictor (or baseline, as a control) is missing */
  readonly excluded: number
  readonly y: Float64Array
  /** columns partialled out of y and of every predictor first: baseline when the outcome is baseline_adjusted */
  readonly controls: ReadonlyArray<Float64Array>
  /** design columns over the sample rows, in predictor order */
  readonly columns: ReadonlyArray<Float64Array>
  readonly predictors: ReadonlyArray<Predictor>
  /** per family present, the indices of its design columns */
  readonly families: ReadonlyArray<{ readonly family: string; readonly columns: ReadonlyArray<number> }>
  /** families with no column in this study, or none that varies in the sample, with the reason */
  readonly absent: ReadonlyArray<{ readonly family: string; readonly reason: string }>
  /** per predictor, the indices of its design columns */
  readonly predictorColumns: ReadonlyArray<ReadonlyArray<number>>
  /** the design columns of the numeric predictors */
  readonly numeric: ReadonlyArray<number>
  /** per category, per sample row: the design column of its dummy that is 1, or −1 (the reference level) */
  readonly indicators: ReadonlyArray<Int32Array>
}

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** The rows in order of `codes` (0..count − 1), and within a code in their own order (a stable counting sort). */
const groupedBy = (rows: Int32Array, codes: Int32Array, count: number): Int32Array => {
  const start = new Int32Array(count + 1)
  for (let r = 0; r < rows.length; r++) start[codes[rows[r]!]! + 1]!++
  for (let c = 0; c < count; c++) start[c + 1]! += start[c]!
  const out = new Int32Array(rows.length)
  for (let r = 0; r < rows.length; r++) out[start[codes[rows[r]!]!]!++] = rows[r]!
  return out
}

/**
 * Builds the design from resolved families (file comment); categories with a single level in the
 * sample contribute no column. The sample's rows are grouped by `therapist` (codes 0..count − 1),
 * in file order within a therapist: no estimate depends on the order of the rows, and the mixed
 * model of the therapist share then reads each therapist's rows together.
 */
export const factorDesign = (
  resolved: ResolvedFamilies,
  derived: DerivedClients,
  outcome: CommonFactorConfig["outcome"],
  therapist: { readonly codes: Int32Array; readonly count: number },
): FactorDesign => {
  const sources = resolved.families.flatMap((f) => f.predictors.map((p) => ({ family: f.name, source: p })))
  const controlValues = outcome === "baseline_adjusted" ? [derived.baseline] : []
  // complete cases, one column at a time: a client stays while every column so far has its value
  // (index loops: TypedArray.from with a function, and reduce, are many times slower over a million rows)
  const complete = new Uint8Array(derived.improvement.length)
  let withImprovement = 0
  for (let i = 0; i < complete.length; i++) {
    if (Number.isNaN(derived.improvement[i]!)) continue
    complete[i] = 1
    withImprovement++
  }
  for (const values of [...controlValues, ...sources.flatMap(({ source: s }) => (s.kind === "number" ? [s.values] : []))]) {
    for (let i = 0; i < complete.length; i++) if (Number.isNaN(values[i]!)) complete[i] = 0
  }
  for (const { source: s } of sources) {
    if (s.kind !== "category") continue
    for (let i = 0; i < complete.length; i++) if (s.factor.codes[i]! < 0) complete[i] = 0
  }
  let kept = 0
  for (let i = 0; i < complete.length; i++) kept += complete[i]!
  const keep = new Int32Array(kept)
  for (let i = 0, at = 0; i < complete.length; i++) if (complete[i] === 1) keep[at++] = i
  const excluded = withImprovement - kept
  const rows = groupedBy(keep, therapist.codes, therapist.count)
  const n = rows.length
  const columns: Float64Array[] = []
  const predictors: Predictor[] = []
  const predictorColumns: number[][] = []
  const numeric: number[] = []
  const indicators: Int32Array[] = []
  for (const { family, source } of sources) {
    const indices: number[] = []
    const names: string[] = []
    if (source.kind === "category") {
      const { codes, levels } = source.factor
      const seen = new Uint8Array(levels.length)
      for (let r = 0; r < n; r++) seen[codes[rows[r]!]!] = 1
      const used = [...seen.keys()].filter((code) => seen[code] === 1).sort((a, b) => byCodeUnits(levels[a]!, levels[b]!))
      const columnOf = new Int32Array(levels.length).fill(-1) // the reference level (first) has none
      for (const code of used.slice(1)) {
        columnOf[code] = columns.length
        indices.push(columns.length)
        names.push(`${source.name}: ${levels[code]!}`)
        columns.push(new Float64Array(n))
      }
      const indicator = new Int32Array(n)
      for (let r = 0; r < n; r++) {
        const column = columnOf[codes[rows[r]!]!]!
        indicator[r] = column
        if (column >= 0) columns[column]![r] = 1
      }
      if (indices.length > 0) indicators.push(indicator)
    } else {
      const values = take(source.values, rows)
      if (values.some((v) => v !== values[0])) {
        numeric.push(columns.length)
        indices.push(columns.length)
        names.push(source.name)
        columns.push(values)
      }
    }
    if (indices.length === 0) continue
    predictors.push({ name: source.name, family, columns: names })
    predictorColumns.push(indices)
  }
  const families = resolved.families.flatMap(({ name }) => {
    const cols = predictors.flatMap((p, k) => (p.family === name ? predictorColumns[k]! : []))
    return cols.length === 0 ? [] : [{ family: name, columns: cols }]
  })
  const constant = resolved.families
    .filter((f) => !families.some((g) => g.family === f.name))
    .map((f) => ({ family: f.name, reason: `${f.predictors.map((p) => p.name).join(", ")} ${f.predictors.length === 1 ? "takes" : "take"} a single value in the sample` }))
  return {
    outcome,
    rows,
    excluded,
    y: take(derived.improvement, rows),
    controls: controlValues.map((c) => take(c, rows)),
    columns,
    numeric,
    indicators,
    predictors,
    families,
    absent: [...resolved.absent, ...constant],
    predictorColumns,
  }
}
