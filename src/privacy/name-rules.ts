/**
 * Name rules of the de-identification gate: does a column's *name* suggest a direct identifier?
 *
 * 1. Tokenize: the name is split into lower-case tokens at camelCase humps, letter/digit
 *    boundaries and anything that is not a letter or digit ("EmailAddress" → email address,
 *    "date_of_birth" → date of birth, "IPAddress" → ip address, "nhs_no" → nhs no, "zip+4" → zip 4).
 * 2. Match whole tokens: every run of 1–4 adjacent tokens is joined without separators and looked
 *    up in the term table `NAME_RULES`, scanning left to right and longest run first. So "e-mail",
 *    "E_Mail" and "email" all meet the term "email", and "Post Code", "post_code" and "postcode"
 *    all meet "postcode". Because matching is on whole tokens, "zipped", "addressed_goal",
 *    "relationship", "tip" and "telehealth" do not contain "zip", "address", "ip" or "tel".
 * 3. Two extra single-token checks: a person word glued to "name" ("clientname", "ptname"), and a
 *    few long, unambiguous terms found inside a longer token ("clientemail", "homepostcode",
 *    `EMBEDDED_TERMS`).
 * 4. "name" is not flagged when the token before it names a thing rather than a person
 *    (`NON_PERSON_QUALIFIERS`: "site_name", "measure_name", "instrument_name", ...).
 * 5. A column name that itself looks like an identifying *value* (an e-mail address, a date, a
 *    phone number ...) is flagged too: it usually means the header row is missing and the first
 *    data row was read as the header. The reason then does not repeat the name.
 *
 * Deliberately not flagged by name (the content rules look at the values instead): "date",
 * "session_date", "intake_date" (content catches full dates; "session_date_offset" and
 * "days_since_intake" are relative time and fine), "id", "number", "mail", "contact", "city",
 * "birth_year" (a year is not a full date), "postal" and "nhs" on their own.
 */
import { classifyValue } from "./content-rules.ts"
import type { IdentifierFinding } from "./identifier-finding.ts"

/** One family of identifying column-name terms. */
export interface NameRule {
  /** the `kind` a finding gets */
  readonly kind: string
  /** what such a column probably holds, for the reason sentence */
  readonly what: string
  /** terms, written as tokens joined without separators ("dateofbirth" matches "date_of_birth") */
  readonly terms: ReadonlyArray<string>
}

/** The documented term list, in the order kinds are reported. */
export const NAME_RULES: ReadonlyArray<NameRule> = [
  {
    kind: "name",
    what: "personal names",
    terms: [
      "name", "names", "surname", "surnames", "forename", "forenames", "firstname", "lastname",
      "fullname", "givenname", "familyname", "middlename", "maidenname", "username", "nickname",
      "initials",
    ],
  },
  { kind: "email", what: "e-mail addresses", terms: ["email", "emails", "emailaddress", "emailaddr"] },
  {
    kind: "phone",
    what: "phone numbers",
    terms: [
      "phone", "phones", "phoneno", "phonenumber", "telephone", "tel", "telno", "mobile", "mobileno",
      "mobno", "mobnumber", "cellphone", "homephone", "workphone", "mobilephone", "landline", "fax",
      "contactnumber", "contactno",
    ],
  },
  {
    kind: "address",
    what: "postal addresses",
    terms: [
      "address", "addresses", "addr", "street", "streetaddress", "homeaddress", "postaladdress",
      "mailingaddress", "addressline",
    ],
  },
  { kind: "date_of_birth", what: "dates of birth", terms: ["dob", "dateofbirth", "birthdate", "birthday", "birthdt"] },
  { kind: "date", what: "dates of death", terms: ["dod", "dateofdeath", "deathdate"] },
  {
    kind: "record_number",
    what: "medical or hospital record numbers",
    terms: [
      "mrn", "medicalrecord", "medicalrecordnumber", "medicalrecordno", "hospitalnumber",
      "hospitalno", "hospno", "chinumber", "chino",
    ],
  },
  { kind: "national_id", what: "NHS numbers", terms: ["nhsnumber", "nhsno", "nhsnum", "nhsid"] },
  { kind: "national_id", what: "social security numbers", terms: ["ssn", "socialsecurity", "socialsecuritynumber", "socialsecurityno"] },
  { kind: "national_id", what: "national insurance numbers", terms: ["nationalinsurance", "nationalinsurancenumber", "nino", "ninumber"] },
  {
    kind: "national_id",
    what: "passport or driving licence numbers",
    terms: ["passport", "passportnumber", "passportno", "drivinglicence", "driverslicence", "driverslicense", "driverlicense"],
  },
  { kind: "postcode", what: "postcodes or ZIP codes", terms: ["postcode", "postcodes", "postalcode", "zip", "zipcode", "zip4"] },
  { kind: "ip_address", what: "IP addresses", terms: ["ip", "ipaddress", "ipaddr", "ipv4", "ipv6"] },
  { kind: "free_text", what: "free-text notes", terms: ["note", "notes", "comment", "comments", "freetext", "narrative", "remarks"] },
]

/** Long terms that trip even inside a longer token ("clientemail", "homepostcode"). */
export const EMBEDDED_TERMS: ReadonlyArray<string> = [
  "email", "surname", "forename", "firstname", "lastname", "fullname", "telephone", "phonenumber",
  "postcode", "zipcode", "dateofbirth", "birthdate", "nhsnumber", "ipaddress",
]

/** Words for a person that, glued to "name" in one token ("clientname"), make it a personal name. */
const PERSON_PREFIXES: ReadonlySet<string> = new Set([
  "client", "patient", "pt", "therapist", "clinician", "participant", "respondent", "user", "rater",
  "parent", "carer", "guardian", "gp", "doctor", "kin", "mother", "father", "partner", "spouse",
  "child", "contact",
])

/** Words before "name" that make it the name of a thing, not a person ("site_name"). */
export const NON_PERSON_QUALIFIERS: ReadonlySet<string> = new Set([
  "site", "study", "measure", "instrument", "scale", "subscale", "questionnaire", "item", "variable",
  "var", "file", "column", "field", "modality", "treatment", "therapy", "intervention", "condition",
  "arm", "group", "trial", "protocol", "clinic", "service", "team", "centre", "center", "org",
  "organisation", "organization", "programme", "program", "outcome", "domain", "category",
])

const MAX_RUN = 4

const RULE_OF_TERM: ReadonlyMap<string, NameRule> = new Map(
  NAME_RULES.flatMap((rule) => rule.terms.map((term) => [term, rule] as const)),
)

const ruleOf = (kind: string): NameRule | undefined => NAME_RULES.find((r) => r.kind === kind)

/**
 * Splits a column name into lower-case tokens at camelCase humps, letter/digit boundaries and
 * every character that is not an ASCII letter or digit (accents are stripped first).
 *
 * Example: `tokenizeColumnName("IPAddress_v2")` is `["ip", "address", "v", "2"]`.
 */
export const tokenizeColumnName = (column: string): string[] =>
  column
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .replace(/([A-Za-z])(\d)/g, "$1 $2")
    .replace(/(\d)([A-Za-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t !== "")

interface Match {
  readonly rule: NameRule
  /** the tokens that matched, joined with spaces, for the reason sentence */
  readonly matched: string
}

const isThingName = (tokens: ReadonlyArray<string>, i: number): boolean => {
  const before = tokens[i - 1]
  const [after, afterThat] = [tokens[i + 1], tokens[i + 2]]
  return (
    (before !== undefined && NON_PERSON_QUALIFIERS.has(before)) ||
    (after === "of" && afterThat !== undefined && NON_PERSON_QUALIFIERS.has(afterThat))
  )
}

const matchSingleToken = (token: string): Match | undefined => {
  const nameRule = ruleOf("name")
  for (const suffix of ["name", "names"]) {
    if (nameRule !== undefined && token.endsWith(suffix) && PERSON_PREFIXES.has(token.slice(0, -suffix.length))) {
      return { rule: nameRule, matched: token }
    }
  }
  const embedded = EMBEDDED_TERMS.find((term) => token.includes(term))
  const rule = embedded === undefined ? undefined : RULE_OF_TERM.get(embedded)
  return rule === undefined ? undefined : { rule, matched: token }
}

const matchTokens = (tokens: ReadonlyArray<string>): Match | undefined => {
  for (let i = 0; i < tokens.length; i++) {
    for (let length = Math.min(MAX_RUN, tokens.length - i); length >= 1; length--) {
      const run = tokens.slice(i, i + length)
      const rule = RULE_OF_TERM.get(run.join(""))
      if (rule === undefined) continue
      if (rule.kind === "name" && length === 1 && (run[0] === "name" || run[0] === "names") && isThingName(tokens, i)) {
        continue
      }
      return { rule, matched: run.join(" ") }
    }
    const single = matchSingleToken(tokens[i] ?? "")
    if (single !== undefined) return single
  }
  return undefined
}

const VALUE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  email: "an e-mail address",
  ip_address: "an IP address",
  date: "a calendar date",
  national_id: "a national identifier",
  phone: "a phone number",
  postcode: "a postcode",
  record_number: "a record number",
}

/**
 * Applies the name rules (module comment) to one column name. Returns a finding with
 * `rule: "name"`, the kind of identifier the name suggests and a reason such as
 * 'column name "Client Name" suggests personal names (matched "name")', or `undefined` when the
 * name looks harmless.
 *
 * When the name itself looks like an identifying value (a header row is probably missing), the
 * reason says so without repeating the name, e.g. "the column name itself looks like an e-mail
 * address, not a header (is the header row missing?)".
 *
 * Example: `screenColumnName("clients.csv", "pt_surname")?.kind` is `"name"`;
 * `screenColumnName("clients.csv", "client_id")` is `undefined`.
 */
export const screenColumnName = (file: string, column: string): IdentifierFinding | undefined => {
  const asValue = classifyValue(column)
  if (asValue !== undefined) {
    const what = VALUE_DESCRIPTIONS[asValue] ?? "an identifying value"
    return {
      file,
      column,
      rule: "name",
      kind: asValue,
      reason: `the column name itself looks like ${what}, not a header (is the header row missing?)`,
    }
  }
  const match = matchTokens(tokenizeColumnName(column))
  if (match === undefined) return undefined
  return {
    file,
    column,
    rule: "name",
    kind: match.rule.kind,
    reason: `column name "${column}" suggests ${match.rule.what} (matched "${match.matched}")`,
  }
}
