/**
 * Two-stage pooling end to end (issue 10): the bundled example split by site, each part
 * summarised with `summarize`, the summaries pooled with `pool`. Acceptance: the same numbers as
 * the one-process site pooling of the primary pipeline (to 1e-10), and `pool` refuses summaries
 * from other versions or settings, with a clear message.
 */
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { PooledSites } from "../../data-schemas/pooled-sites.ts"
import { Results } from "../../data-schemas/results.ts"
import { SiteSummary } from "../../data-schemas/site-summary.ts"
import { relativeError, tolerance } from "../tolerances.ts"
import { filesBelow, ROOT, runInProcess, tempDir } from "./run-cli.ts"
import { siteStudy } from "./site-study.ts"

const run = async (argv: ReadonlyArray<string>) => {
  const result = await runInProcess([...argv, "--quiet"])
  expect(result.code, result.output).toBe(0)
}

describe("summarize at each site, then pool", () => {
  const work = tempDir("pool")
  const whole = Results.parse(JSON.parse(readFileSync(join(ROOT, "reports", "example", "results.json"), "utf8")))
  const sites = whole.sites.per_site.map((s) => s.site)
  let summaries: string[]
  let pooled: PooledSites

  beforeAll(async () => {
    summaries = []
    for (const site of sites) {
      const file = join(work, `${site}.json`)
      await run(["summarize", siteStudy(join(work, "studies"), site), "--site", site, "--out", file])
      summaries.push(file)
    }
    // the example pools its sites with the z test (its study file); pool the summaries the same way
    await run(["pool", ...summaries, "--out", join(work, "pooled"), "--pooling-test", "z"])
    pooled = PooledSites.parse(JSON.parse(readFileSync(join(work, "pooled", "results.json"), "utf8")))
  }, 120_000)

  it("gives the one-process site pooling's numbers, to 1e-10", () => {
    expect(whole.sites.per_site.every((s) => s.merged_from === null)).toBe(true) // no small sites in the example
    const [one, two] = [whole.sites.pooled, pooled.primary.pooled]
    expect(one.status).toBe("estimated")
    expect(two.status).toBe("estimated")
    if (one.status !== "estimated" || two.status !== "estimated") return
    expect(two.k).toBe(one.k)
    expect(two.n).toBe(one.n)
    const pairs: Array<[number, number, string]> = [
      [two.estimate, one.estimate, "estimate"],
      [two.ci[0], one.ci[0], "ci[0]"],
      [two.ci[1], one.ci[1], "ci[1]"],
      [two.pi[0], one.pi[0], "pi[0]"],
      [two.pi[1], one.pi[1], "pi[1]"],
      [two.z.estimate, one.z.estimate, "z.estimate"],
      [two.z.se, one.z.se, "z.se"],
      [two.tau2, one.tau2, "tau2"],
      [two.i2, one.i2, "i2"],
      [two.q, one.q, "q"],
      [two.statistic, one.statistic, "statistic"],
      [two.p, one.p, "p"],
    ]
    for (const [actual, expected, what] of pairs) expect(relativeError(actual, expected), what).toBeLessThan(1e-10)
    // and site by site: n, Fisher z, variance, weight
    pooled.primary.per_site.forEach((s, i) => {
      const o = whole.sites.per_site[i]!
      expect([s.site, s.n]).toEqual([o.site, o.n])
      expect(relativeError(s.yi!, o.yi!)).toBeLessThan(1e-10)
      expect(relativeError(s.vi!, o.vi!)).toBeLessThan(1e-10)
      expect(relativeError(s.weight!, o.weight!)).toBeLessThan(1e-10)
    })
  })

  it("draws a forest plot per analysis and writes the summary, the results and a manifest", () => {
    const files = filesBelow(join(work, "pooled"))
    expect(files).toContain("figures/forest-primary.svg")
    expect(files.filter((f) => f.startsWith("figures/forest-modality-") && f.endsWith(".svg"))).toHaveLength(pooled.by_modality.length)
    expect(files).toEqual(expect.arrayContaining(["results.json", "summary.md", "report.html", "manifest.json"]))
    expect(files.filter((f) => f.endsWith(".svg"))).toHaveLength(1 + pooled.by_modality.length + pooled.common_factors.factors.length + pooled.multilevel.coefficients.length)
    expect(pooled.by_modality.length).toBeGreaterThan(0)
    expect(pooled.one_stage.status).toBe("estimated")
    const summary = readFileSync(join(work, "pooled", "summary.md"), "utf8")
    expect(summary).toContain("| Primary: early alliance and improvement | 8 |")
  })

  it("gives the one-stage regression of the concatenated data", () => {
    // the one-stage regression against R's lm() on all the example's clients: test/analysis/site-pooling.test.ts
    const one = pooled.one_stage
    if (one.status !== "estimated") throw new Error("not estimated")
    expect(one.n).toBe(whole.primary.n_analysed)
    expect(relativeError(one.estimate[1]!, 0)).toBeGreaterThan(tolerance.closedForm) // a slope, not a zero
  })

  it("lists a site that shared nothing as fewer than k, in the table and the forest plot", async () => {
    // keep the outcome of 4 of the site's clients only: fewer than k = 5 analysed
    let kept = 0
    const study = siteStudy(join(work, "small"), sites[2]!, (cells) => {
      if (cells[7] !== "" && kept < 4) kept++
      else cells[7] = ""
    })
    const small = join(work, "small.json")
    await run(["summarize", study, "--site", sites[2]!, "--out", small])
    // what it withheld, and why, without the count of the few clients
    const withheld = JSON.stringify(SiteSummary.parse(JSON.parse(readFileSync(small, "utf8"))).withheld)
    expect(withheld).toContain("fewer than 5")
    expect(withheld).not.toMatch(/\b[1-4]\b/)
    await run(["pool", summaries[0]!, summaries[1]!, small, "--out", join(work, "pooled-small")])
    const results = PooledSites.parse(JSON.parse(readFileSync(join(work, "pooled-small", "results.json"), "utf8")))
    expect(results.primary.per_site.find((s) => s.site === sites[2])).toMatchObject({ n: 0, pooled: false, note: "the site has fewer than 5 analysed clients (k = 5)" })
    const forest = readFileSync(join(work, "pooled-small", "figures", "forest-primary.vl.json"), "utf8")
    expect(forest).toContain(`Site ${sites[2]} (fewer than 5)`)
    expect(forest).not.toContain("n = 0")
    // its session-level model rests on every client with session pairs, not on the 4: that is shared
    const pooledAt = (name: string) => results.multilevel.coefficients.find((c) => c.coefficient === name)!.per_site.find((s) => s.site === sites[2])!
    expect(pooledAt("within_client").pooled).toBe(true)
    expect(pooledAt("within_therapist")).toMatchObject({ pooled: false, note: "fewer than 5 clients" })
    expect(readFileSync(join(work, "pooled-small", "report.html"), "utf8")).toContain(`${sites[2]} (the site has fewer than 5 analysed clients (k = 5))`)
  })

  it("refuses summaries from another pipeline version, with a clear message", async () => {
    const other = join(work, "other-version.json")
    writeFileSync(other, readFileSync(summaries[1]!, "utf8").replace('"version": "0.1.0"', '"version": "0.2.0"'))
    const result = await runInProcess(["pool", summaries[0]!, other, "--out", join(work, "refused-version")])
    expect(result.code).toBe(2)
    expect(result.output).toContain("made by alliance-outcome 0.2.0")
    expect(result.output).toContain("every site must use the same version")
  })

  it("refuses summaries made with other settings, naming them", async () => {
    const study = siteStudy(join(work, "other-settings"), sites[1]!)
    const file = join(study, "study.json")
    writeFileSync(file, readFileSync(file, "utf8").replace('"early_window": [1, 3]', '"early_window": [1, 2]'))
    const other = join(work, "other-settings.json")
    await run(["summarize", study, "--site", sites[1]!, "--out", other])
    const result = await runInProcess(["pool", summaries[0]!, other, "--out", join(work, "refused-settings")])
    expect(result.code).toBe(2)
    expect(result.output).toContain("its settings differ from")
    expect(result.output).toContain("(early_window)")
  })

  it("accepts a summary whose settings were written back in another key order", async () => {
    const file = join(work, "reordered.json")
    const summary = JSON.parse(readFileSync(summaries[1]!, "utf8")) as { settings: Record<string, unknown> }
    summary.settings = Object.fromEntries(Object.entries(summary.settings).reverse())
    writeFileSync(file, JSON.stringify(summary))
    const result = await runInProcess(["pool", summaries[0]!, file, "--out", join(work, "reordered-pool"), "--quiet"])
    expect(result.code, result.output).toBe(0)
  })

  it("refuses a site given twice, a summary edited by hand, and a file that is not a summary", async () => {
    const twice = await runInProcess(["pool", summaries[0]!, summaries[0]!, "--out", join(work, "refused-twice")])
    expect(twice.code).toBe(2)
    expect(twice.output).toContain(`site ${sites[0]} is also in`)
    const edited = join(work, "edited.json")
    writeFileSync(edited, readFileSync(summaries[1]!, "utf8").replace('"ci_level": 0.95', '"ci_level": 0.9'))
    const hand = await runInProcess(["pool", summaries[0]!, edited, "--out", join(work, "refused-edited")])
    expect(hand.code).toBe(2)
    expect(hand.output).toContain("do not match their settings_sha256")
    // a summary of the earlier format (no multilevel models) is named by its format, not by a missing field
    const older = join(work, "older.json")
    const { multilevel: _models, ...withoutModels } = JSON.parse(readFileSync(summaries[1]!, "utf8")) as Record<string, unknown>
    writeFileSync(older, JSON.stringify({ ...withoutModels, format_version: "1.0.0" }))
    const old = await runInProcess(["pool", summaries[0]!, older, "--out", join(work, "refused-older")])
    expect(old.code).toBe(2)
    expect(old.output).toContain("summary format 1.0.0, but this pipeline reads 1.1.0: summarise the site again with this version")
    expect(old.output).not.toContain("multilevel")
    const junk = join(work, "junk.json")
    writeFileSync(junk, '{"hello": 1}')
    const notSummary = await runInProcess(["pool", summaries[0]!, junk, "--out", join(work, "refused-junk")])
    expect(notSummary.code).toBe(2)
    expect(notSummary.output).toContain("not a site summary")
  })
})
