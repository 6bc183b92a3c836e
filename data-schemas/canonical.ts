/**
 * The canonical columns of `clients.csv` and `sessions.csv` (PRODUCT.md §3), in one table each.
 *
 * A study file may map a lab's own column names onto these. Columns not listed here are kept as
 * candidate moderators (and screened by the de-identification gate) but not validated.
 */
import { z } from "zod"
import { binaryCell, CategoryCell, IdCell, integerCell, numberCell, typed } from "./cells.ts"

export type ColumnKind = "id" | "category" | "number" | "integer" | "binary"

/** Which declared measure supplies a numeric column's valid range. */
export type MeasureRole = "outcome" | "alliance"

export interface ColumnSpec {
  readonly name: string
  readonly kind: ColumnKind
  /** the file is rejected when a required column is absent */
  readonly required: boolean
  /** numeric columns whose range comes from a declared measure */
  readonly measure?: MeasureRole
  /** lower bound for integer columns */
  readonly min?: number
  readonly description: string
}

export const CLIENT_COLUMNS: ReadonlyArray<ColumnSpec> = [
  { name: "client_id", kind: "id", required: true, description: "pseudonymous client code, unique per row" },
  { name: "therapist_id", kind: "id", required: true, description: "pseudonymous therapist code" },
  { name: "site_id", kind: "id", required: false, description: "pseudonymous site code" },
  { name: "modality", kind: "category", required: false, description: "treatment modality (CBT, psychodynamic, humanistic, systemic, integrative, other)" },
  { name: "baseline", kind: "number", required: true, measure: "outcome", description: "outcome measure at intake" },
  { name: "outcome", kind: "number", required: true, measure: "outcome", description: "outcome measure at end of treatment" },
  { name: "expectancy", kind: "number", required: false, description: "client expectancy (e.g. CEQ)" },
  { name: "empathy", kind: "number", required: false, description: "client-rated therapist empathy" },
  { name: "positive_regard", kind: "number", required: false, description: "client-rated positive regard" },
  { name: "congruence", kind: "number", required: false, description: "client-rated congruence / genuineness" },
  { name: "sessions_attended", kind: "integer", required: false, min: 0, description: "number of sessions attended" },
  { name: "dropout", kind: "binary", required: false, description: "1 if the client dropped out, else 0" },
  { name: "age_band", kind: "category", required: false, description: "banded age, e.g. 25-34" },
  { name: "gender", kind: "category", required: false, description: "gender category" },
]

export const SESSION_COLUMNS: ReadonlyArray<ColumnSpec> = [
  { name: "client_id", kind: "id", required: true, description: "client code; must exist in clients.csv" },
  { name: "session", kind: "integer", required: true, min: 1, description: "session number, unique per client" },
  { name: "alliance", kind: "number", required: true, measure: "alliance", description: "client-rated alliance (total or mean)" },
  { name: "alliance_goal", kind: "number", required: false, measure: "alliance", description: "client-rated goal subscale" },
  { name: "alliance_task", kind: "number", required: false, measure: "alliance", description: "client-rated task subscale" },
  { name: "alliance_bond", kind: "number", required: false, measure: "alliance", description: "client-rated bond subscale" },
  { name: "alliance_therapist", kind: "number", required: false, measure: "alliance", description: "therapist-rated alliance" },
  { name: "alliance_observer", kind: "number", required: false, measure: "alliance", description: "observer-rated alliance" },
  { name: "symptom", kind: "number", required: false, measure: "outcome", description: "session-level outcome score" },
]

export type Ranges = Readonly<Record<string, readonly [number, number]>>

const cellFor = (spec: ColumnSpec, range: readonly [number, number] | undefined) => {
  switch (spec.kind) {
    case "id":
      return IdCell
    case "category":
      return CategoryCell
    case "number":
      return numberCell(range)
    case "integer":
      return integerCell(spec.min ?? 0)
    case "binary":
      return binaryCell
  }
}

const typedFor = (spec: ColumnSpec, range: readonly [number, number] | undefined) => {
  switch (spec.kind) {
    case "id":
      return typed.id
    case "category":
      return typed.category
    case "number":
      return typed.number(range)
    case "integer":
      return typed.integer(spec.min ?? 0)
    case "binary":
      return typed.binary
  }
}

/**
 * The zod schema of one row as read from CSV (strings, missing cells already `null`), for the
 * columns present in the file. Required columns must be non-missing; IDs are always required.
 * `ranges` maps a column name to its valid range (from the study's measures).
 */
export const csvRowSchema = (specs: ReadonlyArray<ColumnSpec>, ranges: Ranges) =>
  z.object(
    Object.fromEntries(
      specs.map((spec) => {
        const cell = cellFor(spec, ranges[spec.name])
        const mustBePresent = spec.kind === "id" || spec.name === "session"
        return [spec.name, mustBePresent ? cell : cell.nullable()]
      }),
    ),
  )

/** The typed record (numbers as numbers, null for missing) documented by the JSON Schema export. */
export const typedRowSchema = (specs: ReadonlyArray<ColumnSpec>, ranges: Ranges, description: string) =>
  z
    .object(
      Object.fromEntries(
        specs.map((spec) => {
          const t = typedFor(spec, ranges[spec.name]).describe(spec.description)
          const mustBePresent = spec.kind === "id" || spec.name === "session"
          return [spec.name, spec.required && mustBePresent ? t : spec.required ? t.nullable() : t.nullable().optional()]
        }),
      ),
    )
    .describe(description)
