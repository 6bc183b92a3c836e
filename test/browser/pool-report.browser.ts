/**
 * The report of `pool` (issue 10) in headless Chromium with the network off: three sites of the
 * bundled example summarised and pooled, and the pooled report.html opened. Checked as the primary
 * report is (report.browser.ts): every forest plot drew, no error, no request, the pooled r of
 * results.json on the page, the accessibility scan; and it prints to PDF.
 */
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { PooledSites } from "../../data-schemas/pooled-sites.ts"
import { formatCi, formatR } from "../../src/report/format.ts"
import { runCli, tempDir } from "../e2e/run-cli.ts"
import { siteStudy } from "../e2e/site-study.ts"
import { expectAccessible, expectChartsDrawn, expectPrintable, expectQuiet, type OfflinePage, runAndOpen } from "./offline-page.ts"

describe("the pool's report.html in headless Chromium, offline", () => {
  let opened: OfflinePage
  let results: PooledSites

  beforeAll(async () => {
    const work = tempDir("browser-pool")
    const files = ["S01", "S02", "S03"].map((site) => {
      const file = join(work, `${site}.json`)
      const run = runCli(["summarize", siteStudy(join(work, "studies"), site), "--site", site, "--out", file])
      expect(run.code, run.stderr).toBe(0)
      return file
    })
    const report = await runAndOpen<PooledSites>(["pool", ...files], join(work, "pooled"))
    opened = report.opened
    results = report.results
  }, 180_000)

  afterAll(async () => {
    await opened?.browser.close()
  })

  it("draws every forest plot", async () => {
    await expectChartsDrawn(opened.page, 1 + results.by_modality.length + results.common_factors.factors.length + results.multilevel.coefficients.length)
  })

  it("logs no error and makes no request", () => expectQuiet(opened))

  it("shows the pooled r of results.json and every site", async () => {
    const text = (await opened.page.innerText("body")).replace(/\s+/g, " ")
    const p = results.primary.pooled
    if (p.status !== "estimated") throw new Error("three sites of the example pool")
    expect(text).toContain(`r = ${formatR(p.estimate)}, 95% CI ${formatCi(p.ci)}`)
    for (const site of ["S01", "S02", "S03"]) expect(text).toContain(site)
  })

  it("passes a basic accessibility scan", async () => {
    await expectAccessible(opened.page)
  })

  it("prints to PDF", () => expectPrintable(opened.page, 2))
})
