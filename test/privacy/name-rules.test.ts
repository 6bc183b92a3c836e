import { describe, expect, it } from "vitest"
import { NAME_RULES, screenColumnName, tokenizeColumnName } from "../../src/privacy/name-rules.ts"

describe("tokenizeColumnName", () => {
  it.each([
    ["EmailAddress", ["email", "address"]],
    ["e-mail", ["e", "mail"]],
    ["client_email", ["client", "email"]],
    ["dateOfBirth", ["date", "of", "birth"]],
    ["IPAddress_v2", ["ip", "address", "v", "2"]],
    ["NHSNumber", ["nhs", "number"]],
    ["Phone Number", ["phone", "number"]],
    ["zip+4", ["zip", "4"]],
    ["phq9_total", ["phq", "9", "total"]],
    ["  Tel. ", ["tel"]],
    ["Código_Postal", ["codigo", "postal"]],
  ])("splits %j into %j", (column, tokens) => {
    expect(tokenizeColumnName(column)).toEqual(tokens)
  })

  it("returns no tokens for a name without letters or digits", () => {
    expect(tokenizeColumnName(" _-. ")).toEqual([])
  })
})

describe("screenColumnName", () => {
  const mustTrip: ReadonlyArray<readonly [string, string]> = [
    ["name", "name"],
    ["Client Name", "name"],
    ["client_name", "name"],
    ["therapist_name", "name"],
    ["first_name", "name"],
    ["FirstName", "name"],
    ["lastname", "name"],
    ["Full Name", "name"],
    ["pt_surname", "name"],
    ["Surname", "name"],
    ["forename", "name"],
    ["clientname", "name"],
    ["pt_initials", "name"],
    ["email", "email"],
    ["Email", "email"],
    ["e-mail", "email"],
    ["E_Mail_Address", "email"],
    ["EmailAddress", "email"],
    ["client_email", "email"],
    ["clientemail", "email"],
    ["phone", "phone"],
    ["Phone Number", "phone"],
    ["telephone", "phone"],
    ["Tel", "phone"],
    ["tel_no", "phone"],
    ["mobile", "phone"],
    ["mobile_no", "phone"],
    ["MobileNumber", "phone"],
    ["home_phone", "phone"],
    ["address", "address"],
    ["Address Line 1", "address"],
    ["street", "address"],
    ["home_address", "address"],
    ["DOB", "date_of_birth"],
    ["d_o_b", "date_of_birth"],
    ["dob", "date_of_birth"],
    ["date_of_birth", "date_of_birth"],
    ["dateOfBirth", "date_of_birth"],
    ["DateOfBirth", "date_of_birth"],
    ["Birth Date", "date_of_birth"],
    ["birthdate", "date_of_birth"],
    ["MRN", "record_number"],
    ["medical_record_number", "record_number"],
    ["hospital_no", "record_number"],
    ["nhs_number", "national_id"],
    ["NHS Number", "national_id"],
    ["nhs_no", "national_id"],
    ["NHSNumber", "national_id"],
    ["SSN", "national_id"],
    ["social_security_number", "national_id"],
    ["national_insurance_number", "national_id"],
    ["NI Number", "national_id"],
    ["passport_no", "national_id"],
    ["postcode", "postcode"],
    ["Post Code", "postcode"],
    ["post_code", "postcode"],
    ["postal_code", "postcode"],
    ["home_postcode", "postcode"],
    ["zip", "postcode"],
    ["ZIP", "postcode"],
    ["zip_code", "postcode"],
    ["ZIPCode", "postcode"],
    ["zip+4", "postcode"],
    ["ip", "ip_address"],
    ["IP", "ip_address"],
    ["ip_addr", "ip_address"],
    ["IPAddress", "ip_address"],
    ["ip_address", "ip_address"],
    ["ipv4", "ip_address"],
    ["session_notes", "free_text"],
    ["therapist_comments", "free_text"],
  ]

  it.each(mustTrip)("flags the column name %j as %s", (column, kind) => {
    const finding = screenColumnName("clients.csv", column)
    expect(finding).toMatchObject({ file: "clients.csv", column, rule: "name", kind })
  })

  const mustPass: ReadonlyArray<string> = [
    "client_id",
    "therapist_id",
    "site_id",
    "age_band",
    "gender",
    "session",
    "alliance",
    "alliance_goal",
    "alliance_task",
    "alliance_bond",
    "alliance_therapist",
    "alliance_observer",
    "baseline",
    "outcome",
    "dropout",
    "expectancy",
    "empathy",
    "positive_regard",
    "congruence",
    "sessions_attended",
    "modality",
    "symptom",
    "days_since_intake",
    "session_date_offset",
    "wai_1",
    "phq9_1",
    "gad7_total",
    "study_id",
    "r",
    "n",
    "yi",
    "vi",
    "rater",
    "year",
    "birth_year",
    "site_name",
    "measure_name",
    "instrument_name",
    "name_of_site",
    "filename",
    "zipped",
    "addressed_goal",
    "tip",
    "ship",
    "relationship",
    "telehealth",
    "telecounselling",
  ]

  it.each(mustPass)("does not flag the column name %j", (column) => {
    expect(screenColumnName("clients.csv", column)).toBeUndefined()
  })

  it("explains the match in plain language, naming the token that matched", () => {
    expect(screenColumnName("clients.csv", "Client Name")?.reason).toBe(
      'column name "Client Name" suggests personal names (matched "name")',
    )
    expect(screenColumnName("clients.csv", "email")?.reason).toBe(
      'column name "email" suggests e-mail addresses (matched "email")',
    )
  })

  it("flags a header that is itself an identifying value, without repeating it", () => {
    const finding = screenColumnName("clients.csv", "jane.doe@example.org")
    expect(finding).toMatchObject({ rule: "name", kind: "email" })
    expect(finding?.reason).not.toContain("jane")
    expect(finding?.reason).toContain("header row")
    expect(screenColumnName("sessions.csv", "2021-03-12")?.kind).toBe("date")
  })

  it("has no term listed under two rules", () => {
    const terms = NAME_RULES.flatMap((r) => r.terms)
    expect(new Set(terms).size).toBe(terms.length)
  })
})
