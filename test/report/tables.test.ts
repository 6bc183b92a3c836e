import { describe, expect, it } from "vitest"
import { csvCell, ESTIMATE_COLUMNS, estimateRows, renderTables, SITE_COLUMNS, toCsv } from "../../src/report/tables.ts"
import { NonFiniteNumberError } from "../../src/report/format.ts"
import { edgeResults, fullResults, notPooledResults } from "./fixtures/load.ts"

/** A small RFC 4180 parser for the tests: quoted fields, doubled quotes, LF records. */
const parseCsv = (text: string): ReadonlyArray<ReadonlyArray<string>> => {
  const rows: Array<Array<string>> = []
  let row: Array<string> = []
  let field = ""
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++
      else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ",") row.push(field), (field = "")
    else if (c === "\n") row.push(field), rows.push(row), (row = []), (field = "")
    else field += c
  }
  return rows
}

const table = (results: ReturnType<typeof fullResults>, name: string): ReadonlyArray<ReadonlyArray<string>> => {
  const t = renderTables(results).find((x) => x.name === name)
  if (t === undefined) throw new Error(`no ${name}`)
  return parseCsv(t.csv)
}

const byTerm = (rows: ReadonlyArray<ReadonlyArray<string>>): Map<string, Record<string, string>> => {
  const [header = [], ...body] = rows
  return new Map(body.map((r) => [r[0] ?? "", Object.fromEntries(header.map((h, i) => [h, r[i] ?? ""]))]))
}

describe("csvCell", () => {
  it("quotes fields with commas, quotes and line breaks per RFC 4180", () => {
    expect(csvCell('outcome, "post"')).toBe('"outcome, ""post"""')
    expect(csvCell("a\nb")).toBe('"a\nb"')
    expect(csvCell("plain")).toBe("plain")
  })
  it("writes numbers at full precision, null as empty and booleans as words", () => {
    expect(csvCell(0.1 + 0.2)).toBe("0.30000000000000004")
    expect(csvCell(1.9372014479135127e-23)).toBe("1.9372014479135127e-23")
    expect(Number(csvCell(Math.PI))).toBe(Math.PI)
    expect(csvCell(null)).toBe("")
    expect(csvCell(true)).toBe("true")
  })
  it("throws instead of writing NaN", () => {
    expect(() => csvCell(Number.NaN)).toThrow(NonFiniteNumberError)
  })
})

describe("toCsv", () => {
  it("writes a header, LF line endings and a final newline", () => {
    expect(toCsv(["a", "b"], [[1, "x"]])).toBe("a,b\n1,x\n")
  })
  it("rejects rows of the wrong width", () => {
    expect(() => toCsv(["a", "b"], [[1]])).toThrow(RangeError)
  })
})

describe("estimateRows", () => {
  it("gives one row per estimate with a stable set of pooled terms", () => {
    const terms = (r: ReturnType<typeof fullResults>) => estimateRows(r).map((row) => row[0])
    const pooledTerms = ["pooled_sites_r", "pooled_sites_z", "pooled_sites_r_pi", "tau2", "tau", "i2", "h2", "q"]
    expect(terms(fullResults())).toEqual([
      "pearson_r", "spearman_rho", "partial_r", "residualized_gain_r",
      "rater_client_r", "rater_therapist_r", "rater_observer_r",
      "subscale_goal_r", "subscale_task_r", "subscale_bond_r",
      ...pooledTerms,
    ])
    expect(terms(notPooledResults()).slice(-8)).toEqual(pooledTerms)
  })
})

describe("renderTables", () => {
  it("renders the tidy tables, sorted by name", () => {
    expect(renderTables(fullResults()).map((t) => t.name)).toEqual([
      "binned.csv", "clinical-categories.csv", "clinical-estimates.csv", "common-factors.csv", "descriptives.csv", "estimates.csv", "funnel.csv", "missingness.csv", "multilevel.csv",
      "reliability-items.csv", "reliability.csv", "ruptures.csv", "sites.csv",
    ])
  })

  it("parses back to rectangular tables without NaN or undefined", () => {
    for (const results of [fullResults(), edgeResults(), notPooledResults()]) {
      for (const t of renderTables(results)) {
        expect(t.csv).not.toMatch(/(^|,)(NaN|undefined|null|-?Infinity)(,|$)/m)
        expect(t.csv.endsWith("\n")).toBe(true)
        const rows = parseCsv(t.csv)
        const width = rows[0]?.length ?? 0
        for (const r of rows) {
          expect(r).toHaveLength(width)
          for (const cell of r) expect(["NaN", "undefined", "null", "Infinity", "-Infinity"]).not.toContain(cell)
        }
      }
    }
  })

  it("writes estimates.csv with the documented columns and full-precision numbers", () => {
    const rows = table(fullResults(), "estimates.csv")
    expect(rows[0]).toEqual([...ESTIMATE_COLUMNS])
    const est = byTerm(rows)
    expect(est.get("pearson_r")).toMatchObject({
      estimate: "0.2849", se: "", statistic: "10.218405523747284", df: "1182", p: String(1.9372014479135126e-23),
      ci_low: "0.23168971429843366", ci_high: "0.33641056243061995", n: "1184", status: "estimated", reason: "",
    })
    expect(est.get("spearman_rho")).toMatchObject({ estimate: "0.271", df: "", ci_low: "", statistic: "201665252.88" })
    expect(est.get("pooled_sites_r")).toMatchObject({ estimate: "0.2726987418180213", df: "", n: "1163" })
    expect(est.get("pooled_sites_z")).toMatchObject({ se: "0.051786892313665046" })
    expect(est.get("tau2")).toMatchObject({ estimate: "0.008934276513899553", ci_low: "0.0009214536" })
    expect(est.get("q")).toMatchObject({ estimate: "12.119576337435214", df: "4", p: "0.01648386719573894" })
    expect(Number(est.get("i2")?.["estimate"])).toBe(66.99554597758741)
  })

  it("keeps not-estimable quantities as rows with empty numbers and their reason", () => {
    const est = byTerm(table(fullResults(), "estimates.csv"))
    expect(est.get("rater_observer_r")).toMatchObject({ estimate: "", p: "", n: "0", status: "not_estimable" })
    expect(est.get("rater_observer_r")?.["reason"]).toContain("alliance_observer")
    const edge = byTerm(table(edgeResults(), "estimates.csv"))
    expect(edge.get("partial_r")).toMatchObject({ estimate: "", status: "not_estimable" })
    expect(edge.get("residualized_gain_r")?.["reason"]).toBe("Baseline has zero variance <in the analysed sample> & no residuals could be formed.")
    expect(edge.get("pooled_sites_r")).toMatchObject({ df: "2", status: "estimated" })
    const none = byTerm(table(notPooledResults(), "estimates.csv"))
    expect(none.get("tau2")).toMatchObject({ estimate: "", status: "not_estimable" })
  })

  it("writes sites.csv with r, Fisher z, weight and the pooled flag", () => {
    const rows = table(fullResults(), "sites.csv")
    expect(rows[0]).toEqual([...SITE_COLUMNS])
    const sites = byTerm(rows)
    expect(sites.get("A")).toMatchObject({ n: "310", r: "0.381", yi: "0.401228940362348", vi: "0.003257328990228013", weight: "21.997777196770084", pooled: "true", note: "" })
    expect(sites.get("F")).toMatchObject({ pooled: "false", weight: "", note: "not pooled: fewer than 20 analysed clients (n = 18)" })
    expect(sites.get("merged: G, H")).toMatchObject({ r: "", ci_low: "", yi: "", status: "not_estimable" })
  })

  it("quotes text with commas and quotes in missingness.csv and funnel.csv", () => {
    const edge = edgeResults()
    expect(table(edge, "missingness.csv")[1]).toEqual(["clients.csv", 'outcome, "post"', "301", "11", "3.6544850498338874"])
    expect(table(edge, "funnel.csv")[2]).toEqual(['no outcome, or outcome "missing"', "11", "290"])
  })

  it("writes binned.csv and descriptives.csv", () => {
    expect(table(fullResults(), "binned.csv")[0]).toEqual(["low", "high", "n", "mean_alliance", "mean_improvement", "ci_low", "ci_high"])
    expect(byTerm(table(fullResults(), "descriptives.csv")).get("n_analysed")).toEqual({ quantity: "n_analysed", value: "1184" })
  })
})

describe("csvCell and formulas", () => {
  it("prefixes text a spreadsheet would execute with an apostrophe, and leaves numbers alone", () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`)
    expect(csvCell("+1 555")).toBe("'+1 555")
    expect(csvCell("-cmd")).toBe("'-cmd")
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)")
    expect(csvCell("\tx")).toBe("'\tx")
    expect(csvCell(-0.5)).toBe("-0.5")
    expect(csvCell("S01")).toBe("S01")
  })
})
