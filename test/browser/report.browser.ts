/**
 * The report in a real browser (issue 9, item 7): the bundled example's report.html opened in
 * headless Chromium (the Debian package, driven by playwright-core) with the network off.
 * Checked: every chart drew, nothing was logged as an error, no request left the page, the key
 * numbers on the page are those of results.json, a basic accessibility scan (headings in order,
 * table headers, every chart named for assistive technology, no image without alt text), and
 * it prints to PDF.
 *
 * The pool report (issue 10): pool-report.browser.ts.
 *
 * Run with `npm run test:browser` (`.ci/run` runs it, installing Chromium if it is missing).
 */
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { Results } from "../../data-schemas/results.ts"
import { formatCount, formatR } from "../../src/report/format.ts"
import { tempDir } from "../e2e/run-cli.ts"
import { expectAccessible, expectChartsDrawn, expectPrintable, expectQuiet, type OfflinePage, runAndOpen } from "./offline-page.ts"

describe("report.html in headless Chromium, offline", () => {
  let opened: OfflinePage
  let results: Results

  beforeAll(async () => {
    const report = await runAndOpen<Results>([], join(tempDir("browser"), "report"))
    opened = report.opened
    results = report.results
  }, 180_000)

  afterAll(async () => {
    await opened?.browser.close()
  })

  it("draws every chart: each figure holds a non-empty SVG with marks", async () => {
    await expectChartsDrawn(opened.page, 8)
  })

  it("logs no error and makes no request", () => expectQuiet(opened))

  it("shows the key numbers of results.json", async () => {
    const text = (await opened.page.innerText("body")).replace(/\s+/g, " ")
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
    await expectAccessible(opened.page)
  })

  it("prints to PDF", () => expectPrintable(opened.page, 3))
})
