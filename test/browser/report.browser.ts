/**
 * The report in a real browser (issue 9, item 7): the bundled example's report.html opened in
 * headless Chromium (the Debian package, driven by playwright-core) with the network off.
 * Checked: every chart drew, nothing was logged as an error, no request left the page, the key
 * numbers on the page are those of results.json, a basic accessibility scan (headings in order,
 * table headers, every chart named for assistive technology, no image without alt text), and
 * it prints to PDF.
 *
 * Run with `npm run test:browser` (`.ci/run` runs it, installing Chromium if it is missing).
 */
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { type Browser, chromium, type Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { Results } from "../../data-schemas/results.ts"
import { formatCount, formatR } from "../../src/report/format.ts"
import { runCli, tempDir } from "../e2e/run-cli.ts"

const CHROMIUM = process.env["CHROMIUM"] ?? "/usr/bin/chromium"

describe("report.html in headless Chromium, offline", () => {
  let browser: Browser
  let page: Page
  let results: Results
  let out: string
  const errors: string[] = []
  const requests: string[] = []

  beforeAll(async () => {
    expect(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: install the Debian package (apt-get install chromium) or set CHROMIUM`).toBe(true)
    out = join(tempDir("browser"), "report")
    const run = runCli(["--out", out])
    expect(run.code, run.stderr).toBe(0)
    results = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as Results
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] })
    const context = await browser.newContext({ offline: true, javaScriptEnabled: true })
    // the network is off: any request other than the file itself is refused and recorded
    await context.route("**/*", (route) => {
      const url = route.request().url()
      if (url === pathToFileURL(join(out, "report.html")).href) return route.continue()
      requests.push(url)
      return route.abort()
    })
    page = await context.newPage()
    page.on("console", (m) => (m.type() === "error" ? errors.push(m.text()) : undefined))
    page.on("pageerror", (e) => errors.push(e.message))
    await page.goto(pathToFileURL(join(out, "report.html")).href, { waitUntil: "load" })
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
  })

  it("draws every chart: each figure holds a non-empty SVG with marks", async () => {
    const figures = await page.$$eval("figure", (fs) =>
      fs.map((f) => {
        const svg = f.querySelector("svg")
        const box = svg?.getBoundingClientRect()
        return { id: f.id, width: box?.width ?? 0, height: box?.height ?? 0, marks: svg?.querySelectorAll("path, rect, line, circle, text").length ?? 0 }
      }),
    )
    expect(figures.length).toBeGreaterThanOrEqual(8)
    for (const f of figures) {
      expect(f.width, f.id).toBeGreaterThan(100)
      expect(f.height, f.id).toBeGreaterThan(100)
      expect(f.marks, f.id).toBeGreaterThan(10)
    }
  })

  it("logs no error and makes no request", () => {
    expect(errors).toEqual([])
    expect(requests).toEqual([])
  })

  it("shows the key numbers of results.json", async () => {
    const text = (await page.innerText("body")).replace(/\s+/g, " ")
    const p = results.primary.pearson
    if (p.status !== "estimated") throw new Error("the example's primary r is estimated")
    expect(text).toContain(`Early alliance and improvement: r(${p.df}) = ${formatR(p.estimate)}, 95% CI [${formatR(p.ci[0])}, ${formatR(p.ci[1])}]`)
    expect(text).toContain(`n = ${formatCount(p.n)}`)
    const pooled = results.sites.pooled
    if (pooled.status !== "estimated") throw new Error("the example's sites are pooled")
    expect(text).toContain(`r = ${formatR(pooled.estimate)}, 95% CI [${formatR(pooled.ci[0])}, ${formatR(pooled.ci[1])}]`)
    for (const site of results.sites.per_site) expect(text).toContain(site.site)
    expect(text).toContain(formatCount(results.descriptives.n_clients))
  })

  it("passes a basic accessibility scan", async () => {
    const scan = await page.evaluate(() => {
      const headings = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")].map((h) => Number(h.tagName[1]))
      const skips = headings.filter((level, i) => i > 0 && level > headings[i - 1]! + 1).length
      const tablesWithoutHeaders = [...document.querySelectorAll("table")].filter((t) => t.querySelectorAll("th").length === 0).length
      const unnamedCharts = [...document.querySelectorAll("figure")].filter((f) => {
        const label = f.getAttribute("aria-label") ?? document.getElementById(f.getAttribute("aria-labelledby") ?? "")?.textContent ?? ""
        return label.trim() === "" || f.querySelector("figcaption") === null
      }).length
      const imagesWithoutAlt = [...document.querySelectorAll("img")].filter((i) => !i.hasAttribute("alt")).length
      return { h1: headings.filter((l) => l === 1).length, first: headings[0], skips, tablesWithoutHeaders, unnamedCharts, imagesWithoutAlt, lang: document.documentElement.lang, title: document.title }
    })
    expect(scan).toMatchObject({ h1: 1, first: 1, skips: 0, tablesWithoutHeaders: 0, unnamedCharts: 0, imagesWithoutAlt: 0 })
    expect(scan.lang).not.toBe("")
    expect(scan.title).not.toBe("")
  })

  it("prints to PDF", async () => {
    const pdf = await page.pdf({ format: "A4", printBackground: true })
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-")
    const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length
    expect(pages).toBeGreaterThan(2)
  })
})
