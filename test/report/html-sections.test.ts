import { describe, expect, it } from "vitest"
import { sym, txt } from "../../src/report/format.ts"
import {
  binsTable,
  escapeHtml,
  headerSection,
  htmlTable,
  keyResultSection,
  moderatorSection,
  primarySection,
  sampleSection,
  sitesSection,
  statementToHtml,
  warningsSection,
} from "../../src/report/html-sections.ts"
import { edgeResults, fullResults, notPooledResults } from "./fixtures/load.ts"

const full = fullResults()
const edge = edgeResults()

describe("escapeHtml", () => {
  it("escapes the five HTML-significant characters", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
  })
})

describe("statementToHtml", () => {
  it("italicises symbols and escapes text", () => {
    expect(statementToHtml([sym("p"), txt(" < .001")])).toBe("<i>p</i> &lt; .001")
  })
})

describe("htmlTable", () => {
  it("renders a header, rows and spanning cells", () => {
    const html = htmlTable(["a", "b"], [["1", "2"], [{ html: "wide", colspan: 2 }]], "Cap")
    expect(html).toContain("<caption>Cap</caption>")
    expect(html).toContain('<th scope="col">a</th>')
    expect(html).toContain('<td class="wrap" colspan="2">wide</td>')
  })
})

describe("headerSection", () => {
  it("escapes the title and states the instruments and sign convention", () => {
    const html = headerSection(edge, edge.study.title ?? "")
    expect(html).toContain("<h1>Pilot &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;Co&quot; &#39;study&#39;</h1>")
    expect(html).toContain("improvement = outcome − baseline; higher = more improvement")
  })
})

describe("warningsSection", () => {
  it("lists escaped warnings in an alert box", () => {
    const html = warningsSection(edge)
    expect(html).toContain('role="alert"')
    expect(html).toContain("&lt;b&gt;Interpret&lt;/b&gt; with care &amp; caution")
  })
  it("says so when there are none", () => {
    expect(warningsSection(notPooledResults())).toContain("No warnings")
  })
})

describe("keyResultSection", () => {
  it("gives the headline correlation and the labelled literature reference", () => {
    const html = keyResultSection(full)
    expect(html).toContain("<i>r</i>(1182) = .28, 95% CI [.23, .34], <i>p</i> &lt; .001")
    expect(html).toContain("Flückiger et al. (2018), <i>r</i> = .278, 95% CI [.256, .299]")
  })
})

describe("sampleSection", () => {
  it("shows the counts, the exclusion funnel and missingness", () => {
    const html = sampleSection(full)
    expect(html).toContain("<strong>1,184</strong> of 1,402 clients")
    expect(html).toContain("<td>fewer than 2 rated sessions in sessions 1–3</td><td>107</td><td>1,184</td>")
    expect(html).toContain("<td>14,875</td><td>1,490</td><td>10.0%</td>")
  })
})

describe("primarySection", () => {
  it("shows every primary estimate and the direction of the partial correlation", () => {
    const html = primarySection(full)
    expect(html).toContain("<td>.28</td><td>[.23, .34]</td><td><i>t</i>(1182) = 10.22</td><td>&lt; .001</td><td>1,184</td>")
    expect(html).toContain("<i>ρ</i> = .27")
    expect(html).toContain("<td>−.26</td>")
    expect(html).toContain("Direction of the partial correlation")
    expect(html).toContain("Negative: clients with a stronger early alliance had lower (better) PHQ-9 scores")
  })
  it("shows the reason of a not-estimable estimate", () => {
    const html = primarySection(edge)
    expect(html).toContain("not estimable (<i>n</i> = 290): Baseline has zero variance &lt;in the analysed sample&gt; &amp; no residuals")
    expect(html).toContain("> .999".replace(">", "&gt;"))
  })
})

describe("moderatorSection", () => {
  it("tabulates raters and subscales, with not-estimable raters explained", () => {
    const html = moderatorSection(full)
    expect(html).toContain("<td>Therapist</td>")
    expect(html).toContain("No observer alliance ratings")
    expect(html).toContain("<td>Bond</td>")
    expect(moderatorSection(edge)).toContain("No alliance subscales were analysed.")
  })
})

describe("sitesSection", () => {
  it("shows the site table, the pooled estimate, heterogeneity and the CI method", () => {
    const html = sitesSection(full)
    expect(html).toContain("<td>A</td><td>310</td><td>.38</td><td>[.28, .47]</td><td>&lt; .001</td><td>22.0%</td><td>yes</td>")
    expect(html).toContain("fewer than 20 analysed clients (n = 18)")
    expect(html).toContain("<i>r</i> = .27, 95% CI [.18, .36], <i>z</i> = 5.40, <i>p</i> &lt; .001; 95% PI [.07, .46]")
    expect(html).toContain("<i>τ²</i> = 0.0089")
    expect(html).toContain("<i>Q</i>(4) = 12.12, <i>p</i> = .016")
    expect(html).toContain("z test (Wald-type normal approximation; metafor default)")
    expect(sitesSection(edge)).toContain("Knapp–Hartung adjustment")
    expect(sitesSection(edge)).toContain("<td>S&lt;1&gt;</td>")
  })
  it("explains a not-estimable pooled estimate", () => {
    expect(sitesSection(notPooledResults())).toContain("Only one site had at least 20 clients")
  })
})

describe("binsTable", () => {
  it("tabulates the aggregated bins", () => {
    expect(binsTable(full)).toContain("<td>3.50–4.00</td><td>352</td><td>3.76</td><td>6.90</td><td>[6.31, 7.49]</td>")
    expect(binsTable({ ...full, binned: [] })).toContain("No alliance bins")
  })
})
