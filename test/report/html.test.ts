import { beforeAll, describe, expect, it } from "vitest"
import { reportFigures } from "../../src/report/render-report.ts"
import { type HtmlFigure, renderHtml, scopeSvgIds } from "../../src/report/html.ts"
import { renderSvg } from "../../src/report/svg.ts"
import type { Results } from "../../data-schemas/results.ts"
import { edgeResults, fullResults, notPooledResults } from "./fixtures/load.ts"

const figuresFor = async (results: Results): Promise<ReadonlyArray<HtmlFigure>> => {
  const out: Array<HtmlFigure> = []
  for (const f of reportFigures(results)) out.push({ name: f.name, title: f.title, caption: f.caption, svg: await renderSvg(f.spec) })
  return out
}

/** Every way an HTML file could pull something from outside itself. */
const externalReferences = (html: string): ReadonlyArray<string> =>
  [
    /<script\b/i,
    /<link\b/i,
    /<iframe\b/i,
    /<img\b/i,
    /@import/i,
    /url\(\s*['"]?(?:https?:|\/\/)/i,
    /\bsrc\s*=\s*['"]?(?:https?:|\/\/)/i,
    /\bhref\s*=\s*['"]?(?:https?:|\/\/)/i,
  ].flatMap((re) => (re.test(html) ? [re.source] : []))

describe("scopeSvgIds", () => {
  it("prefixes ids and the references to them", () => {
    const svg = '<svg><clipPath id="clip1"><rect/></clipPath><g clip-path="url(#clip1)"/><use xlink:href="#clip1"/></svg>'
    expect(scopeSvgIds(svg, "fig-a")).toBe(
      '<svg><clipPath id="fig-a-clip1"><rect/></clipPath><g clip-path="url(#fig-a-clip1)"/><use xlink:href="#fig-a-clip1"/></svg>',
    )
  })
  it("leaves an SVG without ids unchanged", () => {
    expect(scopeSvgIds("<svg><g/></svg>", "x")).toBe("<svg><g/></svg>")
  })
})

describe("renderHtml", () => {
  let full = ""
  let edge = ""
  let none = ""
  beforeAll(async () => {
    full = renderHtml(fullResults(), await figuresFor(fullResults()))
    edge = renderHtml(edgeResults(), await figuresFor(edgeResults()))
    none = renderHtml(notPooledResults(), await figuresFor(notPooledResults()))
  })

  it("is a complete HTML document with a charset and a print stylesheet", () => {
    expect(full.startsWith("<!DOCTYPE html>\n<html lang=\"en\">")).toBe(true)
    expect(full).toContain('<meta charset="utf-8">')
    expect(full).toContain("@media print")
    expect(full.trimEnd().endsWith("</html>")).toBe(true)
  })

  it("references nothing outside the file and forbids fetches", () => {
    for (const html of [full, edge, none]) expect(externalReferences(html)).toEqual([])
    expect(full).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`)
  })

  it("inlines the nine figures as SVG with captions and unique ids", () => {
    expect(full.match(/<svg\b/g)).toHaveLength(9)
    expect(full).toContain("<figcaption>Mean improvement in PHQ-9 (improvement = baseline − outcome; higher = more improvement)")
    const ids = Array.from(full.matchAll(/\sid="([^"]+)"/g), (m) => m[1])
    expect(new Set(ids).size).toBe(ids.length)
  })

  it("contains the key numbers in APA style", () => {
    expect(full).toContain("<i>r</i>(1182) = .28, 95% CI [.23, .34], <i>p</i> &lt; .001")
    expect(full).toContain("<i>ρ</i> = .27, <i>p</i> &lt; .001, <i>n</i> = 1,184")
    expect(full).toContain("<i>r</i>(1181) = −.26, 95% CI [−.31, −.21]")
    expect(full).toContain("<i>r</i>(1182) = .26, 95% CI [.21, .31]")
    expect(full).toContain("<i>r</i> = .27, 95% CI [.18, .36], <i>z</i> = 5.40, <i>p</i> &lt; .001; 95% PI [.07, .46]")
    expect(full).toContain("<i>I²</i> = 67.0%")
    expect(full).toContain("Flückiger et al. (2018), <i>r</i> = .278, 95% CI [.256, .299]")
  })

  it("shows the warnings before the results", () => {
    expect(full.indexOf('id="warnings"')).toBeLessThan(full.indexOf('id="primary"'))
    expect(full).toContain("Warnings (2)")
  })

  it("generates the methods from the definitions, settings and citations", () => {
    expect(full).toContain("<dt>Residualized gain</dt>")
    expect(full).toContain("Viechtbauer, W. (2005)")
    expect(full).toContain("Viechtbauer, W. (2010)")
    expect(full).toContain("Fisher, R. A. (1921)")
    expect(full).not.toContain("Knapp, G., &amp; Hartung, J. (2003)")
    expect(edge).toContain("Knapp, G., &amp; Hartung, J. (2003)")
    expect(full).toContain("<td>Minimum site size for pooling</td><td>20 clients</td>")
  })

  it("escapes HTML in the study title, site codes and warnings", () => {
    expect(edge).not.toContain("<script>")
    expect(edge).not.toContain("<b>Interpret")
    expect(edge).toContain("<title>Pilot &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;")
    expect(edge).toContain("<td>S&amp;2</td>")
  })

  it("shows not-estimable entries with their reasons", () => {
    expect(edge).toContain("not estimable (<i>n</i> = 290): Baseline has zero variance in the analysed sample")
    expect(none).toContain("Only one site had at least 20 clients; pooling needs two or more.")
  })

  it("contains no NaN and no dates", () => {
    for (const html of [full, edge, none]) {
      expect(html).not.toMatch(/\bNaN\b/)
      expect(html).not.toMatch(/\b20\d\d-\d\d-\d\d\b/)
    }
  })
})
