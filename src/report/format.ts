/**
 * APA-style number formatting for the human-facing report (report.html, summary.md, figure labels).
 *
 * Rules (APA 7, section 6.36 and Table 6.5):
 * - Quantities that cannot exceed 1 in absolute value (r, ρ, p) are printed without a leading
 *   zero: `.28`, `−.05`, `p < .001`.
 * - Everything else keeps its leading zero (`0.009`), and integer parts of 1,000 or more get
 *   thousands separators (`1,184`) — except degrees of freedom, which APA prints without them.
 * - Negative numbers use the minus sign U+2212 (`−.12`), not a hyphen. A value that rounds to zero
 *   is printed without a sign.
 *
 * Everything here is deterministic: rounding uses `Number.prototype.toFixed` (exactly specified by
 * ECMAScript, locale-independent) and separators are inserted by hand, never `toLocaleString`.
 *
 * A non-finite number (NaN, ±Infinity) or a non-number reaching a formatter is a programming error
 * upstream — estimators return `not_estimable` instead — so every formatter throws
 * {@link NonFiniteNumberError} rather than printing "NaN".
 */

/** The minus sign used in all human-facing output (U+2212). */
export const MINUS = "\u2212"

/** What a table or sentence shows where there is no number. */
export const DASH = "—"

/** Thrown when a formatter receives NaN, ±Infinity or a non-number: a defect, not a data problem. */
export class NonFiniteNumberError extends Error {
  override readonly name = "NonFiniteNumberError"
  constructor(
    readonly what: string,
    readonly value: unknown,
  ) {
    super(`report formatting: expected a finite number for ${what}, got ${String(value)}`)
  }
}

/** Returns `x` if it is a finite number; throws {@link NonFiniteNumberError} otherwise. */
export const assertFinite = (x: unknown, what: string): number => {
  if (typeof x !== "number" || !Number.isFinite(x)) throw new NonFiniteNumberError(what, x)
  return x
}

const checkDigits = (digits: number): void => {
  if (!Number.isInteger(digits) || digits < 0 || digits > 20) {
    throw new RangeError(`report formatting: digits must be an integer in 0..20, got ${digits}`)
  }
}

/** Inserts "," every three digits of a string of digits: "1184" → "1,184". */
const groupThousands = (digits: string): string => {
  let out = ""
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ","
    out += digits[i]
  }
  return out
}

/**
 * Rounds |x| to `digits` decimals and splits it into integer and fraction digit strings,
 * reporting whether the rounded value is zero (so that no "−0.00" is printed).
 */
const roundParts = (x: number, digits: number): { negative: boolean; int: string; frac: string } => {
  const fixed = Math.abs(x).toFixed(digits)
  const [int = "0", frac = ""] = fixed.split(".")
  const isZero = /^[0.]*$/.test(fixed)
  return { negative: x < 0 && !isZero, int, frac }
}

/**
 * A number with `digits` decimals and its leading zero, e.g. `formatNumber(0.00893, 3)` → "0.009",
 * `formatNumber(-2.1205)` → "−2.12", `formatNumber(201665252.88, 0)` → "201,665,253".
 * Integer parts ≥ 1,000 get thousands separators.
 */
export const formatNumber = (x: number, digits = 2, what = "number"): string => {
  assertFinite(x, what)
  checkDigits(digits)
  const { negative, int, frac } = roundParts(x, digits)
  return `${negative ? MINUS : ""}${groupThousands(int)}${frac === "" ? "" : `.${frac}`}`
}

/**
 * A quantity bounded by ±1 (a correlation) without its leading zero: `.28`, `−.12`, `.00`.
 * A value that rounds to ±1 prints as `1.00` / `−1.00`. Example: `formatR(0.2849)` → ".28".
 */
export const formatR = (r: number, digits = 2): string => {
  assertFinite(r, "correlation")
  checkDigits(digits)
  if (Math.abs(r) > 1 + 1e-12) throw new RangeError(`report formatting: |r| > 1 (${r})`)
  const { negative, int, frac } = roundParts(r, digits)
  const body = int === "0" ? `.${frac}` : `${int}.${frac}`
  return `${negative ? MINUS : ""}${body}`
}

/**
 * A p-value with its relation sign, APA style with three decimals:
 * `formatP(0.0000123)` → "< .001", `formatP(0.0342)` → "= .034", `formatP(0.9999)` → "> .999".
 */
export const formatP = (p: number): string => {
  assertFinite(p, "p-value")
  if (p < 0 || p > 1) throw new RangeError(`report formatting: p outside [0, 1] (${p})`)
  if (p < 0.001) return "< .001"
  const rounded = p.toFixed(3)
  if (rounded === "1.000") return "> .999"
  return `= ${rounded.slice(1)}`
}

/**
 * A p-value for a table's p column, without the "=": `formatPValue(0.0342)` → ".034",
 * `formatPValue(0.00001)` → "< .001", `formatPValue(0.9999)` → "> .999".
 */
export const formatPValue = (p: number): string => {
  const s = formatP(p)
  return s.startsWith("= ") ? s.slice(2) : s
}

/** A confidence interval, APA style: `formatCi([0.2317, 0.3364])` → "[.23, .34]". */
export const formatCi = (
  ci: readonly [number, number],
  format: (x: number) => string = (x) => formatR(x),
): string => `[${format(ci[0])}, ${format(ci[1])}]`

/** A count with thousands separators: `formatCount(14875)` → "14,875". Must be a whole number. */
export const formatCount = (n: number): string => {
  assertFinite(n, "count")
  if (!Number.isInteger(n)) throw new RangeError(`report formatting: count is not an integer (${n})`)
  return formatNumber(n, 0, "count")
}

/**
 * How a count suppressed by disclosure control appears in every output (HTML, Markdown, CSV): the
 * "[c]" (confidential) of UK official statistics. Primary and complementary suppression look
 * alike, so that a reader cannot tell which suppressed counts are the small ones.
 */
export const SUPPRESSED = "[c]"

/** A count that disclosure control may have suppressed (null), as a table cell: "[c]", or the number. */
export const countCell = (n: number | null): number | string => (n === null ? SUPPRESSED : n)

/** A count that disclosure control may have suppressed (null): "[c]", or the count. */
export const formatShownCount = (n: number | null): string => (n === null ? SUPPRESSED : formatCount(n))

/**
 * A proportion (0–1) as a percentage: "[c]" when its count or denominator was suppressed, a dash
 * when it is null otherwise (nothing to divide by).
 */
export const formatShownRate = (x: number | null, suppressed = false): string => (suppressed ? SUPPRESSED : x === null ? DASH : formatPercent(x * 100))

/**
 * A percentage given on the 0–100 scale: `formatPercent(66.9955)` → "67.0%".
 * (I² and missingness are stored in percent, as metafor prints them.)
 */
export const formatPercent = (percent: number, digits = 1): string =>
  `${formatNumber(percent, digits, "percentage")}%`

/**
 * Degrees of freedom: integers as they are (APA prints df without thousands separators),
 * fractional df with two decimals. `formatDf(1182)` → "1182".
 */
export const formatDf = (df: number): string => {
  assertFinite(df, "degrees of freedom")
  if (Number.isInteger(df)) return `${df < 0 ? MINUS : ""}${Math.abs(df)}`
  const { negative, int, frac } = roundParts(df, 2)
  return `${negative ? MINUS : ""}${int}.${frac}`
}

/** A confidence level as a percentage label: `formatLevel(0.95)` → "95%", `formatLevel(0.9)` → "90%". */
export const formatLevel = (level: number): string => {
  assertFinite(level, "confidence level")
  if (level <= 0 || level >= 1) throw new RangeError(`report formatting: level outside (0, 1) (${level})`)
  // Shortest round-trip form of the percentage, trimmed of floating-point noise (0.95*100 = 95.00000000000001).
  return `${String(Number((level * 100).toPrecision(12)))}%`
}

/**
 * One piece of an APA statement. `symbol` marks a statistical symbol (r, p, t, ρ, τ², I², Q, n)
 * that HTML and Markdown print in italics; plain-text output ignores it.
 */
export interface Segment {
  readonly text: string
  readonly symbol?: boolean
}

/** An APA-style statement as a sequence of segments, rendered by {@link toPlain}, HTML or Markdown. */
export type Statement = ReadonlyArray<Segment>

/** A statistical symbol segment (italic in HTML/Markdown). */
export const sym = (text: string): Segment => ({ text, symbol: true })
/** A plain-text segment. */
export const txt = (text: string): Segment => ({ text })

/** Concatenates a statement's text without markup. */
export const toPlain = (statement: Statement): string => statement.map((s) => s.text).join("")
