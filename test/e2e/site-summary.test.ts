/**
 * `summarize` (issue 10): one site's summary, with the disclosure rules applied before it is
 * written. Acceptance: a site with 3 clients in one modality does not share that modality's
 * statistics, and says why.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { EXAMPLE_STUDY } from "../../pipelines/run.ts"
import { SiteSummary } from "../../data-schemas/site-summary.ts"
import { runInProcess, tempDir } from "./run-cli.ts"
import { siteStudy } from "./site-study.ts"

/** The example's site `site`, with the modality of three of its CBT clients changed to `other`. */
const oneSite = (site: string): string => {
  let changed = 0
  return siteStudy(tempDir("site"), site, (cells) => {
    if (cells[3] === "CBT" && changed < 3) {
      changed++
      cells[3] = "other"
    }
  })
}

describe("summarize", () => {
  let summary: SiteSummary
  let text: string
  let output: string

  beforeAll(async () => {
    const study = oneSite("S01")
    const out = join(tempDir("site-out"), "S01.json")
    const run = await runInProcess(["summarize", study, "--site", "S01", "--out", out])
    expect(run.code, run.output).toBe(0)
    output = run.output
    text = readFileSync(out, "utf8")
    summary = SiteSummary.parse(JSON.parse(text))
  })

  it("does not share the statistics of a modality with 3 clients, and says why", () => {
    expect(summary.by_modality.map((m) => m.modality)).not.toContain("other")
    expect(summary.withheld).toContainEqual({ what: "the correlation in modality other", reason: "fewer than 5 clients" })
    expect(summary.contents).toContain("Withheld: the correlation in modality other (fewer than 5 clients).")
    // the run prints the same list for the site's data-protection officer
    expect(output).toContain("  - Withheld: the correlation in modality other (fewer than 5 clients).")
  })

  it("shares the modalities that pass the rules, the primary correlation and the cross-products", () => {
    expect(summary.by_modality.length).toBeGreaterThan(0)
    for (const m of summary.by_modality) expect(m.n).toBeGreaterThanOrEqual(5)
    expect(summary.primary?.n).toBe(summary.counts?.clients)
    expect(summary.cross_products?.matrix[0]![0]).toBe(summary.counts?.clients)
    expect(summary.settings.k).toBe(5)
    expect(summary.inputs.map((i) => i.file)).toEqual(["clients.csv", "sessions.csv"])
  })

  it("holds no minimum, maximum, quantile or identifier", () => {
    expect(text).not.toMatch(/"(min|max|q1|q3|median|client_id|therapist_id)"/)
    expect(text).not.toMatch(/\bC\d{6}\b|\bT\d{4}\b/)
  })

  it("refuses to run without --site, and with options it does not take", async () => {
    const missing = await runInProcess(["summarize", EXAMPLE_STUDY])
    expect(missing.code).toBe(2)
    expect(missing.output).toContain("summarize needs --site LABEL")
    const other = await runInProcess(["summarize", EXAMPLE_STUDY, "--site", "A", "--pooling-test", "knha"])
    expect(other.code).toBe(2)
    const elsewhere = await runInProcess([EXAMPLE_STUDY, "--site", "A"])
    expect(elsewhere.code).toBe(2)
    expect(elsewhere.output).toContain("--site applies to summarize only")
  })

  it("shares the multilevel coefficients and ICC components, and the common factors", () => {
    const { within_between, decomposition, therapist_effects } = summary.multilevel
    expect(within_between?.clients).toBeGreaterThanOrEqual(5)
    expect(decomposition?.between).not.toBeNull()
    expect(therapist_effects.map((m) => m.model)).toEqual(["unadjusted", "adjusted"])
    expect(summary.common_factors?.cross_products.terms).toEqual(["intercept", "baseline", "expectancy", "early_alliance", "empathy", "positive_regard", "congruence", "improvement"])
    expect(summary.common_factors?.categorical).toEqual(["age_band", "gender", "modality"])
  })

  it("shares no therapist-level figure of fewer than k therapists, and says why", async () => {
    const study = siteStudy(tempDir("site-few"), "S03", (cells) => {
      cells[1] = `T000${(Number(cells[0]!.slice(1)) % 4) + 1}` // 4 therapists
    })
    const out = join(tempDir("site-few-out"), "S03.json")
    const run = await runInProcess(["summarize", study, "--site", "S03", "--out", out, "--quiet"])
    expect(run.code, run.output).toBe(0)
    const few = SiteSummary.parse(JSON.parse(readFileSync(out, "utf8")))
    expect(few.counts?.therapists).toBe(4)
    expect(few.multilevel.therapist_effects).toEqual([])
    expect(few.multilevel.decomposition?.between).toBeNull()
    expect(few.multilevel.decomposition?.within.se).toBeGreaterThan(0) // a client-level figure: shared
    const reason = "fewer than 5 therapists: a therapist-level figure needs at least k = 5"
    expect(few.withheld).toEqual(
      expect.arrayContaining([
        { what: "the alliance decomposition's between-therapist coefficient", reason },
        { what: "the ICC components of the unadjusted therapist model", reason },
        { what: "the ICC components of the baseline-adjusted therapist model", reason },
      ]),
    )
  })

  it("withholds the common factors when their clients differ from the primary analysis's by fewer than k", async () => {
    // S06's analysed clients all have every common factor but those that lack one; give them all
    // expectancy back except 2 kept without: the two tables would then differ by 2 clients
    let lacking = 0
    const study = siteStudy(tempDir("site-diff"), "S06", (cells) => {
      const missing = [8, 9, 10, 11].some((c) => cells[c] === "" || cells[c] === "NA")
      if (!missing) return
      if (lacking < 2 && cells[6] !== "" && cells[7] !== "") {
        lacking++
        for (const c of [9, 10, 11]) if (cells[c] === "" || cells[c] === "NA") cells[c] = "4.0"
        cells[8] = ""
      } else for (const c of [8, 9, 10, 11]) if (cells[c] === "" || cells[c] === "NA") cells[c] = "4.0"
    })
    const out = join(tempDir("site-diff-out"), "S06.json")
    const run = await runInProcess(["summarize", study, "--site", "S06", "--out", out, "--quiet"])
    expect(run.code, run.output).toBe(0)
    const diff = SiteSummary.parse(JSON.parse(readFileSync(out, "utf8")))
    expect(diff.common_factors).toBeNull()
    expect(diff.withheld).toContainEqual({
      what: "the common-factor correlations and cross-products",
      reason: "their clients differ from the primary analysis's by fewer than 5, so the two tables' difference would describe those few clients",
    })
    expect(diff.cross_products).not.toBeNull() // the primary table is still shared
  })

  it("writes nothing when the data are invalid", async () => {
    const study = oneSite("S02")
    const clients = join(study, "clients.csv")
    writeFileSync(clients, readFileSync(clients, "utf8").replace(/\n(C\d+),/, "\n$1,T0001,S02,CBT,45-54,female,99,"))
    const out = join(tempDir("site-bad"), "S02.json")
    const run = await runInProcess(["summarize", study, "--site", "S02", "--out", out])
    expect(run.code).toBe(3)
    expect(existsSync(out)).toBe(false)
  })
})
