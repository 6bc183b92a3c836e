import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { classifyValue, CONTENT_KINDS, screenColumnContent } from "../../src/privacy/content-rules.ts"
import type { ColumnSample } from "../../src/privacy/identifier-finding.ts"

/** A sample whose values sit on lines 2, 3, 4, ... */
const sampleOf = (values: ReadonlyArray<string>, column = "c"): ColumnSample => ({
  file: "clients.csv",
  column,
  values,
  firstLine: values.map((_, i) => i + 2),
})

/** Pseudonymous study codes like C000123, T0042, S03, site-7, P_00042. */
const studyCode = fc
  .tuple(
    fc.stringMatching(/^[A-Za-z]{1,3}$/),
    fc.constantFrom("", "-", "_"),
    fc.integer({ min: 0, max: 9_999_999 }),
    fc.integer({ min: 1, max: 7 }),
  )
  .map(([prefix, separator, k, width]) => `${prefix}${separator}${String(k).padStart(width, "0")}`)

const smallInteger = fc.integer({ min: -9_999_999, max: 9_999_999 }).map(String)

const decimal = fc
  .tuple(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 12 }))
  .chain(([x, digits]) => fc.constantFrom(String(x), x.toFixed(digits)))

describe("classifyValue", () => {
  const identifying: ReadonlyArray<readonly [string, string]> = [
    ["jane.doe@example.org", "email"],
    ["J.Smith+therapy@nhs.net", "email"],
    ["contact me at jane@example.co.uk please", "email"],
    ["+44 20 7946 0958", "phone"],
    ["020 7946 0958", "phone"],
    ["07700 900123", "phone"],
    ["07700900123", "phone"],
    ["0044 20 7946 0958", "phone"],
    ["(555) 123-4567", "phone"],
    ["555-123-4567", "phone"],
    ["555.123.4567", "phone"],
    ["1-555-123-4567", "phone"],
    ["+1 (555) 123-4567", "phone"],
    ["+49 30 12345678", "phone"],
    ["030/12345678", "phone"],
    ["+33 1 23 45 67 89", "phone"],
    ["01 23 45 67 89", "phone"],
    ["+61 4 1234 5678", "phone"],
    ["0412 345 678", "phone"],
    ["+91 98765 43210", "phone"],
    ["2021-03-12", "date"],
    ["2021-3-2", "date"],
    ["2021/03/12", "date"],
    ["2021-03-12T10:15:00Z", "date"],
    ["2021-03-12 10:15:00.000+00", "date"],
    ["12/03/2021", "date"],
    ["3/12/2021", "date"],
    ["12/03/2021 14:30", "date"],
    ["12.03.2021", "date"],
    ["1.2.1987", "date"],
    ["12-03-2021", "date"],
    ["12/03/21", "date"],
    ["12.03.21", "date"],
    ["19870312", "date"],
    ["12 March 2021", "date"],
    ["12th of March 2021", "date"],
    ["1 Sept 1987", "date"],
    ["12-Mar-21", "date"],
    ["March 12, 2021", "date"],
    ["Mar 12 2021", "date"],
    ["Friday, 12 March 2021", "date"],
    ["Fri Mar 12 2021 10:00:00 GMT+0000 (Coordinated Universal Time)", "date"],
    ["192.168.0.1", "ip_address"],
    ["10.0.0.1:8080", "ip_address"],
    ["2001:0db8:85a3:0000:0000:8a2e:0370:7334", "ip_address"],
    ["fe80::1ff:fe23:4567:890a", "ip_address"],
    ["SW1A 1AA", "postcode"],
    ["sw1a1aa", "postcode"],
    ["M1 1AE", "postcode"],
    ["EC1A 1BB", "postcode"],
    ["B33 8TH", "postcode"],
    ["GIR 0AA", "postcode"],
    ["90210-1234", "postcode"],
    ["123-45-6789", "national_id"],
    ["AB 12 34 56 C", "national_id"],
    ["AB123456C", "national_id"],
    ["943 476 5919", "national_id"],
    ["9434765919", "national_id"],
    ["123456789", "record_number"],
    ["4111 1111 1111 1111", "record_number"],
    ["1615560000", "record_number"],
  ]

  it.each(identifying)("classifies %j as %s", (value, kind) => {
    expect(classifyValue(value)).toBe(kind)
  })

  const ordinary: ReadonlyArray<string> = [
    "C000123",
    "T0042",
    "S03",
    "c000123",
    "site-7",
    "12",
    "0",
    "27",
    "-3",
    "+3",
    "3.75",
    "4.083333333333333",
    "0.1234567891",
    "-0.25",
    "1e-7",
    "25-34",
    "65+",
    "3-5",
    "3-5-10",
    "2021",
    "1987",
    "March 2021",
    "2021-03",
    "12:30",
    "12:30:45",
    "999999999",
    "000000000",
    "-123456789",
    "1 2 3 4 5 6 7 8 9",
    "12 15 11 10 14",
    "1.2",
    "4.5.6",
    "S1",
    "M1",
    "SW1A",
    "90210",
    "1234567",
    "12345678",
    "CBT",
    "Person-centred",
    "psychodynamic",
    "female",
    "NA",
    "",
    "   ",
    "2021-13-40",
    "31/31/2021",
    "@therapist",
  ]

  it.each(ordinary)("does not flag the ordinary value %j", (value) => {
    expect(classifyValue(value)).toBeUndefined()
  })

  it("classifies a very long cell quickly (no runaway backtracking)", () => {
    const start = performance.now()
    expect(classifyValue(`${"x".repeat(10_000)}@${"y".repeat(10_000)}`)).toBeUndefined()
    expect(performance.now() - start).toBeLessThan(500)
  })

  it("never flags small integers (up to 7 digits)", () => {
    fc.assert(fc.property(smallInteger, (v) => classifyValue(v) === undefined))
  })

  it("never flags decimals, however they are printed", () => {
    fc.assert(fc.property(decimal, (v) => classifyValue(v) === undefined))
  })

  it("never flags pseudonymous study codes", () => {
    fc.assert(fc.property(studyCode, (v) => classifyValue(v) === undefined))
  })

  it("never flags age bands", () => {
    const band = fc
      .tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 20 }))
      .map(([low, width]) => `${low}-${low + width}`)
    fc.assert(fc.property(band, (v) => classifyValue(v) === undefined))
  })

  it("always flags generated e-mail addresses", () => {
    fc.assert(fc.property(fc.emailAddress(), (v) => classifyValue(v) === "email"))
  })

  it("always flags ISO dates from 1900 to 2099, with or without a time", () => {
    const date = fc.date({ min: new Date("1900-01-01T00:00:00Z"), max: new Date("2099-12-31T23:59:59Z"), noInvalidDate: true })
    fc.assert(
      fc.property(date, fc.boolean(), (d, withTime) => {
        const iso = d.toISOString()
        return classifyValue(withTime ? iso : iso.slice(0, 10)) === "date"
      }),
    )
  })
})

describe("screenColumnContent", () => {
  it("reports how many sampled values look like e-mail addresses and where the first is", () => {
    const finding = screenColumnContent(sampleOf(["a@b.org", "12", "c@d.net"], "contact"))
    expect(finding).toEqual({
      file: "clients.csv",
      column: "contact",
      rule: "content",
      kind: "email",
      reason: "2 of 3 sampled values look like e-mail addresses (first at line 2)",
      line: 2,
    })
  })

  it("flags a column with a single identifying value and points at its line", () => {
    const values = [...Array.from({ length: 39 }, (_, i) => String(i % 27)), "07700 900123"]
    const finding = screenColumnContent(sampleOf(values))
    expect(finding?.kind).toBe("phone")
    expect(finding?.line).toBe(41)
    expect(finding?.reason).toBe("1 of 40 sampled values looks like a phone number (at line 41)")
  })

  it("reports the most frequent kind and mentions the others", () => {
    const finding = screenColumnContent(sampleOf(["2021-03-12", "12/03/2021", "SW1A 1AA"]))
    expect(finding?.kind).toBe("date")
    expect(finding?.reason).toBe(
      "2 of 3 sampled values look like full calendar dates (first at line 2); also 1 looks like a postcode or ZIP+4 code (at line 4)",
    )
  })

  it("uses the line numbers the shell recorded, not positions", () => {
    const sample: ColumnSample = { file: "sessions.csv", column: "when", values: ["3", "2021-03-12"], firstLine: [17, 903] }
    expect(screenColumnContent(sample)?.line).toBe(903)
  })

  it("omits the line when the shell did not record one", () => {
    const finding = screenColumnContent({ file: "f.csv", column: "c", values: ["a@b.org"], firstLine: [] })
    expect(finding).toBeDefined()
    expect(finding).not.toHaveProperty("line")
    expect(finding?.reason).toBe("1 of 1 sampled values looks like an e-mail address")
  })

  it("passes the columns of a de-identified study", () => {
    const columns: ReadonlyArray<ReadonlyArray<string>> = [
      ["C000123", "C000124", "C000125"],
      ["T0042", "T0043", "T0042"],
      ["S03", "S01", "S12"],
      ["25-34", "35-44", "65+", "18-24"],
      ["female", "male", "non-binary"],
      ["CBT", "psychodynamic", "person-centred", "systemic"],
      ["12", "0", "27", "19"],
      ["3.75", "4.083333333333333", "2.5"],
      ["1", "2", "3", "12", "20"],
      ["0", "1"],
      ["14", "-3", "120"],
    ]
    for (const values of columns) expect(screenColumnContent(sampleOf(values))).toBeUndefined()
  })

  it("passes an empty sample and blank values", () => {
    expect(screenColumnContent(sampleOf([]))).toBeUndefined()
    expect(screenColumnContent(sampleOf(["", "  "]))).toBeUndefined()
  })

  it("never trips on columns of small integers, decimals and study codes", () => {
    const ordinary = fc.array(fc.oneof(smallInteger, decimal, studyCode), { maxLength: 50 })
    fc.assert(fc.property(ordinary, (values) => screenColumnContent(sampleOf(values)) === undefined))
  })

  it("always trips when a sampled value is an e-mail address", () => {
    const column = fc.tuple(fc.array(fc.oneof(smallInteger, decimal, studyCode), { maxLength: 30 }), fc.emailAddress(), fc.nat())
    fc.assert(
      fc.property(column, ([ordinary, email, at]) => {
        const values = [...ordinary]
        values.splice(at % (values.length + 1), 0, email)
        return screenColumnContent(sampleOf(values))?.kind === "email"
      }),
    )
  })

  it("never puts a sampled value in the reason", () => {
    const identifying = fc.oneof(
      fc.emailAddress(),
      fc.constantFrom("07700 900123", "+44 20 7946 0958", "(555) 123-4567", "2021-03-12", "12 March 2021", "SW1A 1AA", "192.168.0.1"),
      fc.date({ min: new Date("1900-01-01T00:00:00Z"), max: new Date("2099-12-31T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
    )
    fc.assert(
      fc.property(fc.array(identifying, { minLength: 1, maxLength: 20 }), (values) => {
        const finding = screenColumnContent(sampleOf(values))
        return finding !== undefined && values.every((v) => !finding.reason.includes(v))
      }),
    )
  })

  it("only ever reports one of the documented content kinds", () => {
    const finding = screenColumnContent(sampleOf(["9434765919"]))
    expect(CONTENT_KINDS).toContain(finding?.kind)
  })
})
