/**
 * Content rules of the de-identification gate: do a column's sampled *values* look like direct
 * identifiers (PRODUCT §3: no names, contact details, record numbers, full dates or postcodes)?
 *
 * Each value is trimmed and put through `classifyValue`, which tries the patterns below in this
 * order and returns the first that matches:
 *
 *   email          contains something@domain.tld anywhere in the value (so an address inside a
 *                  free-text cell also counts)
 *   ip_address     the whole value is an IPv4 address (four parts 0–255, optional :port) or an
 *                  IPv6 address (all eight hex groups, or two to seven around one "::")
 *   date           the whole value starts with a full calendar date (day, month and year), with or
 *                  without a following time: 2021-03-12, 2021/3/12, 12/03/2021, 3/12/2021,
 *                  12.03.2021, 12-03-2021, 12/03/21, 12.03.21, 20210312, 12 March 2021,
 *                  12th of Mar 2021, 12-Mar-21, March 12, 2021, Fri Mar 12 2021 10:00:00 GMT.
 *                  Years must be 1800–2199 (four digits) and day/month must be in range. A bare
 *                  year ("2021"), a month and year ("March 2021", "2021-03"), a time, a range
 *                  ("25-34", "3-5-10" with a two-digit year and hyphens) are not full dates.
 *                  An 8-digit integer that reads as YYYYMMDD with a year 1900–2099 (19870312)
 *                  counts as a date; integers of up to 7 digits never do.
 *   national_id    US social security number (123-45-6789), UK national insurance number shape
 *                  (two letters, six digits, A–D: AB 12 34 56 C) or NHS number (10 digits,
 *                  optionally 3-3-4, with a valid mod-11 check digit)
 *   phone          9–15 digits in digits, spaces, ( ) . - / and a leading +, not a decimal number,
 *                  at most one one-digit group and at most 7 groups (so "1 2 3 4 5 ..." item
 *                  lists do not count), and phone-like: a leading + (international), a leading 0
 *                  or (0 with at least 10 digits (UK 07700 900123, 020 7946 0958, 0044 ...,
 *                  French 01 23 45 67 89), or the North American shape (555) 123-4567,
 *                  555-123-4567, 1-555-123-4567
 *   postcode       a full UK postcode (SW1A 1AA, M1 1AE, GIR 0AA; space optional, any case) or a
 *                  US ZIP+4 (12345-6789). Outward codes alone ("SW1A", "M1") would collide with
 *                  site codes like "S03", and five-digit ZIP codes with ordinary integers, so only
 *                  the column-name rules catch those.
 *   record_number  a digit string of at least 9 digits (SSN length), plain or in groups of at
 *                  least 3 digits separated by spaces or hyphens, that is not one digit repeated
 *                  (999999999 is a missing-value code, not a record)
 *
 * Threshold: a column is flagged when at least `MIN_MATCHING_VALUES` (= 1) sampled value matches.
 * The patterns are narrow enough that values in a de-identified research file (small integers,
 * decimals, study codes like C000123, bands like "25-34", category labels) do not match; a single
 * e-mail address, phone number or date of birth is already a breach; and the finding names the
 * line of the first match, so a stray value is quick to check and fix, and a column the lab has
 * checked can be declared with an override. The reason sentence reports how many of the sampled
 * values matched, so "1 of 2000" and "1987 of 2000" read differently.
 *
 * Nothing here echoes a value: findings carry counts, kinds and line numbers only.
 */
import type { ColumnSample, IdentifierFinding } from "./identifier-finding.ts"

/** What a single value can look like, in the order the patterns are tried. */
export const CONTENT_KINDS = [
  "email",
  "ip_address",
  "date",
  "national_id",
  "phone",
  "postcode",
  "record_number",
] as const

/** One of `CONTENT_KINDS`. */
export type ContentKind = (typeof CONTENT_KINDS)[number]

/** A column is flagged when at least this many sampled values match one content pattern. */
export const MIN_MATCHING_VALUES = 1

// --- e-mail and IP addresses -------------------------------------------------------------------

/** Bounded (RFC 5321 lengths) so that a long cell cannot make the search quadratic. */
const EMAIL = /[^\s@]{1,64}@[^\s@]{1,253}\.[A-Za-z]{2,}/
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?::\d{1,5})?$/
const IPV6_CHARS = /^[0-9A-Fa-f:]+$/

const isIpv4 = (v: string): boolean => {
  const m = IPV4.exec(v)
  return m !== null && m.slice(1, 5).every((part) => Number(part) <= 255)
}

const isIpv6 = (v: string): boolean => {
  if (!IPV6_CHARS.test(v)) return false
  const compressed = v.includes("::")
  if (compressed && v.indexOf("::") !== v.lastIndexOf("::")) return false
  const groups = v.split(":").filter((g) => g !== "")
  if (groups.some((g) => g.length > 4)) return false
  return compressed ? groups.length >= 2 && groups.length <= 7 : groups.length === 8
}

// --- dates ---------------------------------------------------------------------------------------

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]

/** 1–12 for a month name or an abbreviation of at least three letters ("Mar", "Sept"), else 0. */
const monthNumber = (name: string): number => {
  const lower = name.toLowerCase()
  return lower.length < 3 ? 0 : MONTHS.findIndex((m) => m.startsWith(lower)) + 1
}

/** After the date: nothing, or a time (optionally followed by anything, e.g. a zone). */
const TAIL = String.raw`(?:$|(?:T|[\s,]+(?:at\s+)?)\d{1,2}:\d{2}.*$)`
const WEEKDAY = String.raw`(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?`
const YMD = new RegExp(String.raw`^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})${TAIL}`, "i")
const DMY = new RegExp(String.raw`^(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})${TAIL}`, "i")
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/
const DAY_MONTH_YEAR = new RegExp(
  String.raw`^${WEEKDAY}(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?[\s\-/.]+([a-z]{3,9})\.?,?[\s\-/.]+(\d{4}|\d{2})${TAIL}`,
  "i",
)
const MONTH_DAY_YEAR = new RegExp(String.raw`^${WEEKDAY}([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})${TAIL}`, "i")

const inRange = (x: number, low: number, high: number): boolean => x >= low && x <= high
const validYear = (year: string): boolean => year.length === 2 || inRange(Number(year), 1800, 2199)
const validDayMonth = (day: number, month: number): boolean => inRange(day, 1, 31) && inRange(month, 1, 12)

const isFullDate = (v: string): boolean => {
  const ymd = YMD.exec(v)
  if (ymd !== null) return validYear(ymd[1] ?? "") && validDayMonth(Number(ymd[4]), Number(ymd[3]))
  const dmy = DMY.exec(v)
  if (dmy !== null) {
    const [, a = "", separator = "", b = "", year = ""] = dmy
    // two-digit years only with / or . ("12/03/21"); "3-5-10" reads as a range, not a date
    if (year.length === 2 && separator === "-") return false
    return validYear(year) && (validDayMonth(Number(a), Number(b)) || validDayMonth(Number(b), Number(a)))
  }
  const compact = COMPACT.exec(v)
  if (compact !== null) {
    return inRange(Number(compact[1]), 1900, 2099) && validDayMonth(Number(compact[3]), Number(compact[2]))
  }
  const dMy = DAY_MONTH_YEAR.exec(v)
  if (dMy !== null) return validYear(dMy[3] ?? "") && validDayMonth(Number(dMy[1]), monthNumber(dMy[2] ?? ""))
  const mDy = MONTH_DAY_YEAR.exec(v)
  if (mDy !== null) return validYear(mDy[3] ?? "") && validDayMonth(Number(mDy[2]), monthNumber(mDy[1] ?? ""))
  return false
}

// --- national identifiers ------------------------------------------------------------------------

const SSN = /^\d{3}[- ]\d{2}[- ]\d{4}$/
const NI_NUMBER = /^[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]$/i
const NHS_SHAPE = /^\d{3}[- ]?\d{3}[- ]?\d{4}$/

/** NHS number check digit: weights 10..2 on the first nine digits, 11 − (sum mod 11), 11 → 0. */
const validNhsChecksum = (digits: string): boolean => {
  let sum = 0
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i)
  const check = 11 - (sum % 11)
  const expected = check === 11 ? 0 : check
  return expected !== 10 && expected === Number(digits[9])
}

const isNationalId = (v: string): boolean =>
  SSN.test(v) || NI_NUMBER.test(v) || (NHS_SHAPE.test(v) && validNhsChecksum(v.replace(/\D/g, "")))

// --- phone numbers -------------------------------------------------------------------------------

const PHONE_CHARS = /^\+?[\d\s().\-/]+$/
const DECIMAL = /^[+-]?\d*\.\d+$/
const NORTH_AMERICAN = /^(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}$/

const isPhone = (v: string): boolean => {
  if (!PHONE_CHARS.test(v) || DECIMAL.test(v)) return false
  const groups = v.split(/\D+/).filter((g) => g !== "")
  const digits = groups.join("").length
  if (digits < 9 || digits > 15) return false
  if (groups.length > 7 || groups.filter((g) => g.length === 1).length > 1) return false
  if (v.startsWith("+")) return true
  if (/^\(?0/.test(v) && digits >= 10) return true
  return NORTH_AMERICAN.test(v)
}

// --- postcodes and record numbers ----------------------------------------------------------------

const UK_POSTCODE = /^(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?\s*\d[ABD-HJLNP-UW-Z]{2}|GIR\s*0AA)$/i
const ZIP_PLUS_4 = /^\d{5}-\d{4}$/
const DIGIT_GROUPS = /^\d+(?:[\s-]\d+)*$/
const REPDIGIT = /^(\d)\1*$/

const isPostcode = (v: string): boolean => UK_POSTCODE.test(v) || ZIP_PLUS_4.test(v)

const isRecordNumber = (v: string): boolean => {
  if (!DIGIT_GROUPS.test(v)) return false
  const groups = v.split(/[\s-]/)
  const digits = groups.join("")
  return digits.length >= 9 && (groups.length === 1 || groups.every((g) => g.length >= 3)) && !REPDIGIT.test(digits)
}

const PATTERNS: ReadonlyArray<readonly [ContentKind, (v: string) => boolean]> = [
  ["email", (v) => v.includes("@") && EMAIL.test(v)],
  ["ip_address", (v) => isIpv4(v) || isIpv6(v)],
  ["date", isFullDate],
  ["national_id", isNationalId],
  ["phone", isPhone],
  ["postcode", isPostcode],
  ["record_number", isRecordNumber],
]

/**
 * What one raw cell value looks like: the first of `CONTENT_KINDS` whose pattern (see the module
 * comment) matches the trimmed value, or `undefined` for a value that looks like ordinary
 * de-identified data.
 *
 * Example: `classifyValue("+44 20 7946 0958")` is `"phone"`; `classifyValue("C000123")`,
 * `classifyValue("3.75")` and `classifyValue("2021")` are `undefined`.
 */
export const classifyValue = (value: string): ContentKind | undefined => {
  const v = value.trim()
  if (v === "") return undefined
  for (const [kind, matches] of PATTERNS) if (matches(v)) return kind
  return undefined
}

// --- the column rule -----------------------------------------------------------------------------

const DESCRIPTIONS: Record<ContentKind, readonly [singular: string, plural: string]> = {
  email: ["an e-mail address", "e-mail addresses"],
  ip_address: ["an IP address", "IP addresses"],
  date: ["a full calendar date", "full calendar dates"],
  national_id: ["a national identifier (SSN, NI or NHS number)", "national identifiers (SSN, NI or NHS numbers)"],
  phone: ["a phone number", "phone numbers"],
  postcode: ["a postcode or ZIP+4 code", "postcodes or ZIP+4 codes"],
  record_number: ["a long digit string such as a record number", "long digit strings such as record numbers"],
}

interface Tally {
  readonly kind: ContentKind
  readonly count: number
  readonly line: number | undefined
}

/** "1 … looks like an e-mail address (at line 17)" / "38 … look like e-mail addresses (first at line 2)" */
const describe = (t: Tally): string => {
  const [singular, plural] = DESCRIPTIONS[t.kind]
  const what = t.count === 1 ? `looks like ${singular}` : `look like ${plural}`
  const where = t.line === undefined ? "" : t.count === 1 ? ` (at line ${t.line})` : ` (first at line ${t.line})`
  return `${what}${where}`
}

/**
 * Applies the content rules to a column sample: classifies every non-empty sampled value and, when
 * at least `MIN_MATCHING_VALUES` match a pattern, reports the most frequent kind (ties broken by
 * the order of `CONTENT_KINDS`), with the line of its first match. Other kinds found are mentioned
 * in the same sentence. The reason holds counts and line numbers only, never a value.
 *
 * Precondition: `firstLine[i]` is the line of `values[i]` (a missing line is simply not reported).
 *
 * Example: for values `["a@b.org", "12", "c@d.net"]` on lines 2, 3, 4 the finding has kind
 * `"email"`, line 2 and reason "2 of 3 sampled values look like e-mail addresses (first at line 2)".
 * For `["C000123", "12", "3.75", "25-34"]` the result is `undefined`.
 */
export const screenColumnContent = (sample: ColumnSample): IdentifierFinding | undefined => {
  // classify
  const counts = new Map<ContentKind, { count: number; line: number | undefined }>()
  let n = 0
  sample.values.forEach((value, i) => {
    if (value.trim() === "") return
    n++
    const kind = classifyValue(value)
    if (kind === undefined) return
    const seen = counts.get(kind)
    if (seen === undefined) counts.set(kind, { count: 1, line: sample.firstLine[i] })
    else seen.count++
  })

  // pick the most frequent kind, in CONTENT_KINDS order on ties
  const tallies: Tally[] = CONTENT_KINDS.flatMap((kind) => {
    const seen = counts.get(kind)
    return seen === undefined || seen.count < MIN_MATCHING_VALUES ? [] : [{ kind, ...seen }]
  }).sort((a, b) => b.count - a.count)
  const [top, ...others] = tallies
  if (top === undefined) return undefined

  // output
  const also = others.map((t) => `${t.count} ${describe(t)}`).join("; ")
  const reason = `${top.count} of ${n} sampled values ${describe(top)}${also === "" ? "" : `; also ${also}`}`
  const finding = { file: sample.file, column: sample.column, rule: "content", kind: top.kind, reason } as const
  return top.line === undefined ? finding : { ...finding, line: top.line }
}
