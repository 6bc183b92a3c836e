/**
 * A report opened in headless Chromium with the network off (the Debian package, driven by
 * playwright-core), and the checks every report must pass there: charts drawn, no error, no
 * request, a basic accessibility scan. Shared by report.browser.ts and pool-report.browser.ts.
 */
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { type Browser, chromium, type Page } from "playwright-core"
import { expect } from "vitest"
import { runCli } from "../e2e/run-cli.ts"

const CHROMIUM = process.env["CHROMIUM"] ?? "/usr/bin/chromium"

export interface OfflinePage {
  readonly browser: Browser
  readonly page: Page
  /** console errors and page errors */
  readonly errors: string[]
  /** every request other than the file itself (each was refused) */
  readonly requests: string[]
}

/** Opens `file` offline: every request other than for the file itself is refused and recorded. */
export const openOffline = async (file: string): Promise<OfflinePage> => {
  expect(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: install the Debian package (apt-get install chromium) or set CHROMIUM`).toBe(true)
  const errors: string[] = []
  const requests: string[] = []
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] })
  const context = await browser.newContext({ offline: true, javaScriptEnabled: true })
  const href = pathToFileURL(file).href
  await context.route("**/*", (route) => {
    const url = route.request().url()
    if (url === href) return route.continue()
    requests.push(url)
    return route.abort()
  })
  const page = await context.newPage()
  page.on("console", (m) => (m.type() === "error" ? errors.push(m.text()) : undefined))
  page.on("pageerror", (e) => errors.push(e.message))
  await page.goto(href, { waitUntil: "load" })
  return { browser, page, errors, requests }
}

/** Each figure's SVG size and number of marks. */
export const drawnFigures = (page: Page) =>
  page.$$eval("figure", (fs) =>
    fs.map((f) => {
      const svg = f.querySelector("svg")
      const box = svg?.getBoundingClientRect()
      return { id: f.id, width: box?.width ?? 0, height: box?.height ?? 0, marks: svg?.querySelectorAll("path, rect, line, circle, text").length ?? 0 }
    }),
  )

/** Expects every figure drawn: a non-empty SVG with marks. */
export const expectChartsDrawn = async (page: Page, atLeast: number): Promise<void> => {
  const figures = await drawnFigures(page)
  expect(figures.length).toBeGreaterThanOrEqual(atLeast)
  for (const f of figures) {
    expect(f.width, f.id).toBeGreaterThan(100)
    expect(f.height, f.id).toBeGreaterThan(100)
    expect(f.marks, f.id).toBeGreaterThan(10)
  }
}

/** Headings in order, one h1, table headers, every chart named and captioned, no image without alt text, a language and a title. */
export const expectAccessible = async (page: Page): Promise<void> => {
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
}

/** Expects the page logged no error and asked for nothing over the network. */
export const expectQuiet = (opened: OfflinePage): void => {
  expect(opened.errors).toEqual([])
  expect(opened.requests).toEqual([])
}

/** Expects the page to print to a PDF of at least `pages` pages. */
export const expectPrintable = async (page: Page, pages: number): Promise<void> => {
  const pdf = await page.pdf({ format: "A4", printBackground: true })
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-")
  expect((pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length).toBeGreaterThanOrEqual(pages)
}

/** Runs the CLI with `args` (it must succeed), then opens the report it wrote to `out`, with its results.json. */
export const runAndOpen = async <T>(args: ReadonlyArray<string>, out: string): Promise<{ readonly opened: OfflinePage; readonly results: T }> => {
  const run = runCli([...args, "--out", out])
  expect(run.code, run.stderr).toBe(0)
  return { results: JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as T, opened: await openOffline(join(out, "report.html")) }
}
