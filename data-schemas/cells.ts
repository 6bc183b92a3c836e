/**
 * Cell schemas: how one CSV cell of each kind is read and checked.
 *
 * CSV cells arrive as strings. Missing-value codes (the study file's `missing_values`, by default
 * the empty cell and `NA`) are turned into `null` before these schemas run, so every schema here
 * sees either `null` or a non-missing string. Each check carries its own message, phrased as the
 * rule that was broken ("must be a number between 1 and 5"), because that text is shown to the
 * researcher next to the file, line, column and value.
 */
import { z } from "zod"

/** A decimal number as written in a CSV: optional sign, digits, optional fraction and exponent. */
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/

/**
 * The number a CSV cell holds, or undefined when it is not written as a number. Shared by the zod
 * cell schemas and the compiled fast path (src/ingest/row-reader.ts), so both read numbers alike.
 */
export const parseNumber = (cell: string): number | undefined => {
  const text = cell.trim()
  return NUMBER.test(text) ? Number(text) : undefined
}

const toNumber = (value: unknown): unknown => (typeof value === "string" ? (parseNumber(value) ?? value) : value)

/** Longest ID or label accepted. */
export const MAX_LABEL_LENGTH = 64

/** A pseudonymous study code such as `C000123`, `T0042` or `S03`: non-empty, no surrounding spaces. */
export const IdCell = z
  .string({ error: "must be a study code (text)" })
  .min(1, { error: "must not be empty" })
  .max(64, { error: "must be at most 64 characters" })
  .regex(/^\S(.*\S)?$/, { error: "must not start or end with spaces" })

/** A category label (modality, age band, gender, ...). */
export const CategoryCell = z
  .string({ error: "must be a label (text)" })
  .min(1, { error: "must not be empty" })
  .max(64, { error: "must be at most 64 characters" })

/** A finite number, optionally restricted to a closed range `[low, high]`. */
export const numberCell = (range?: readonly [number, number]) => {
  const message = range ? `must be a number between ${range[0]} and ${range[1]}` : "must be a number"
  const base = z.number({ error: message }).refine(Number.isFinite, { error: message })
  const checked = range
    ? base.refine((x) => x >= range[0] && x <= range[1], { error: message })
    : base
  return z.preprocess(toNumber, checked)
}

/** A whole number, at least `min`. */
export const integerCell = (min: number) => {
  const message = `must be a whole number ≥ ${min}`
  return z.preprocess(toNumber, z.number({ error: message }).int({ error: message }).min(min, { error: message }))
}

/** A 0/1 indicator. */
export const binaryCell = z.preprocess(
  toNumber,
  z.union([z.literal(0), z.literal(1)], { error: "must be 0 or 1" }),
)

/** Typed versions of the cells, for the JSON Schema export (numbers are numbers there, not strings). */
export const typed = {
  id: IdCell,
  category: CategoryCell,
  number: (range?: readonly [number, number]) =>
    range ? z.number().min(range[0]).max(range[1]) : z.number(),
  integer: (min: number) => z.number().int().min(min),
  binary: z.union([z.literal(0), z.literal(1)]),
}
