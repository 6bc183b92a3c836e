/**
 * Acceptance (issue 8): a study whose site name is `<script>alert(1)</script>` and whose modality
 * is `=HYPERLINK("http://x")` produces a report in which neither executes — escaped in the HTML,
 * the SVGs and summary.md, neutralised in every CSV — and the HTML page forbids network access.
 * The report names no modality, so a second site is given the formula too, to see it neutralised
 * where labels do appear (sites.csv).
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { parse } from "csv-parse/sync"
import { beforeAll, describe, expect, it } from "vitest"
import { ROOT, runCli, tempDir } from "./run-cli.ts"

const EXAMPLE = join(ROOT, "examples", "example-study")
const SITE = "<script>alert(1)</script>"
const MODALITY = '=HYPERLINK("http://x")'

describe("labels from the data that are markup or formulas", () => {
  let out: string
  beforeAll(() => {
    const dir = tempDir("hostile")
    const [header, ...rows] = readFileSync(join(EXAMPLE, "clients.csv"), "utf8").trimEnd().split("\n")
    const names = header!.split(",")
    const site = names.indexOf("site_id")
    const modality = names.indexOf("modality")
    const quote = (cell: string) => `"${cell.replaceAll('"', '""')}"`
    const edited = rows.map((line) => {
      const cells = line.split(",")
      if (cells[site] === "S01") cells[site] = SITE
      if (cells[site] === "S02") cells[site] = quote(MODALITY)
      if (cells[modality] === "CBT") cells[modality] = quote(MODALITY)
      return cells.join(",")
    })
    writeFileSync(join(dir, "clients.csv"), [header, ...edited].join("\n") + "\n")
    writeFileSync(join(dir, "sessions.csv"), readFileSync(join(EXAMPLE, "sessions.csv")))
    writeFileSync(join(dir, "study.json"), readFileSync(join(EXAMPLE, "study.json")))
    out = join(dir, "report")
    const run = runCli([dir, "--out", out])
    expect(run.code, run.stderr).toBe(0)
  })

  const files = (folder: string, ext: string) => readdirSync(join(out, folder)).filter((f) => f.endsWith(ext)).map((f) => join(out, folder, f))

  it("escapes the site name in report.html, which has no script and a policy forbidding network access", () => {
    const html = readFileSync(join(out, "report.html"), "utf8")
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;")
    expect(html.toLowerCase()).not.toContain("<script")
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'/)
    expect(html).not.toMatch(/<a [^>]*href="http/)
    expect(html).toContain("=HYPERLINK(&quot;http://x&quot;)")
  })

  it("escapes it in every SVG and in summary.md", () => {
    const svgs = files("figures", ".svg")
    expect(svgs.length).toBeGreaterThan(0)
    expect(svgs.some((svg) => readFileSync(svg, "utf8").includes("&lt;script&gt;"))).toBe(true) // the forest plot names sites
    for (const svg of svgs) expect(readFileSync(svg, "utf8").toLowerCase(), svg).not.toContain("<script")
    expect(readFileSync(join(out, "summary.md"), "utf8").toLowerCase()).not.toContain("<script")
  })

  it("neutralises formulas in every CSV: no cell starts with =, +, -, @ unless it is a number", () => {
    const tables = files("tables", ".csv")
    let labels = 0
    for (const table of tables) {
      const rows = parse(readFileSync(table, "utf8")) as string[][]
      for (const cell of rows.flat()) {
        if (/^[=+\-@\t\r]/.test(cell)) expect(Number.isFinite(Number(cell)), `${table}: ${cell}`).toBe(true)
        if (cell.includes("HYPERLINK")) {
          expect(cell).toBe(`'${MODALITY}`)
          labels++
        }
        if (cell.includes("alert(1)")) labels++
      }
    }
    expect(labels).toBeGreaterThanOrEqual(2) // the two sites' names, in sites.csv
  })
})
