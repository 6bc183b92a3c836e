import { describe, expect, it } from "vitest"
import { sym, txt } from "../../src/report/format.ts"
import { escapeMarkdown, renderSummaryMarkdown, statementToMarkdown } from "../../src/report/markdown.ts"
import { edgeResults, fullResults, notPooledResults } from "./fixtures/load.ts"

const tableLines = (md: string): ReadonlyArray<string> => md.split("\n").filter((l) => l.startsWith("|"))

describe("escapeMarkdown", () => {
  it("escapes Markdown and HTML syntax and folds line breaks", () => {
    expect(escapeMarkdown("a|b <b>x</b> *y*\nz")).toBe("a\\|b \\<b\\>x\\</b\\> \\*y\\* z")
  })
})

describe("statementToMarkdown", () => {
  it("italicises symbols and escapes text", () => {
    expect(statementToMarkdown([sym("p"), txt(" < .001")])).toBe("*p* \\< .001")
  })
})

describe("renderSummaryMarkdown", () => {
  const md = renderSummaryMarkdown(fullResults())

  it("contains the key table with a header, an alignment row and the estimates", () => {
    const lines = tableLines(md)
    expect(lines[0]).toBe("| Estimate | Value | 95% CI | Test | *p* | *n* |")
    expect(lines[1]).toBe("| --- | ---: | --- | --- | --- | ---: |")
    expect(lines).toContain("| Pearson *r* (early alliance, improvement) | .28 | \\[.23, .34\\] | *t*(1182) = 10.22 | \\< .001 | 1,184 |")
    expect(lines.some((l) => l.startsWith("| Spearman *ρ* | .27 |"))).toBe(true)
    expect(lines.some((l) => l.startsWith("| Partial *r* (outcome, controlling for baseline; raw sign) | −.26 |"))).toBe(true)
    expect(lines.some((l) => l.startsWith("| Residualized-gain *r* | .26 |"))).toBe(true)
    expect(lines).toContain("| Pooled site *r* (REML, *k* = 5) | .27 | \\[.18, .36\\] | *z* = 5.40 | \\< .001 | 1,163 |")
    expect(lines).toContain("| 95% prediction interval (new site) | — | \\[.07, .46\\] | — | — | — |")
    for (const l of lines) expect(l.split(/(?<!\\)\|/)).toHaveLength(8)
  })

  it("gives n, heterogeneity, the literature reference and the warnings", () => {
    expect(md).toContain("*n* = 1,184 clients analysed (of 1,402)")
    expect(md).toContain("**Heterogeneity:** *τ²* = 0.0089, 95% CI \\[0.0009, 0.0913\\]; *I²* = 67.0%")
    expect(md).toContain("Flückiger et al. (2018), *r* = .278")
    expect(md).toContain("### ⚠️ Warnings (2)")
    expect(md).toContain("- **site\\_not\\_pooled**: Sites F (n = 18) and merged: G, H (n = 7)")
  })

  it("shows not-estimable entries with their reason", () => {
    const edge = renderSummaryMarkdown(edgeResults())
    expect(edge).toContain("| Partial *r* (outcome, controlling for baseline; raw sign) | not estimable: Baseline has zero variance")
    expect(edge).toContain("*t*(2) = −2.08")
    expect(renderSummaryMarkdown(notPooledResults())).toContain("| Pooled site *r* (random effects) | not estimable: Only one site")
  })

  it("escapes HTML from the study title and warnings", () => {
    const edge = renderSummaryMarkdown(edgeResults())
    expect(edge).not.toContain("<script>")
    expect(edge).not.toContain("<b>")
    expect(edge).toContain("\\<script\\>")
  })

  it("says when there are no warnings, ends with one newline and has no NaN", () => {
    const none = renderSummaryMarkdown(notPooledResults())
    expect(none).toContain("### Warnings\n\nNone.")
    expect(none.endsWith("\n")).toBe(true)
    expect(none.endsWith("\n\n")).toBe(false)
    for (const m of [md, none, renderSummaryMarkdown(edgeResults())]) expect(m).not.toMatch(/\bNaN\b|\| undefined|undefined \|/)
  })
})
