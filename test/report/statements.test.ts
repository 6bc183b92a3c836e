import { describe, expect, it } from "vitest"
import { toPlain } from "../../src/report/format.ts"
import {
  ciMethodLabel,
  correlationStatement,
  earlyWindowLabel,
  formatTau2,
  heterogeneityLabel,
  heterogeneityStatement,
  improvementFormula,
  notEstimableStatement,
  notPooledReason,
  pooledStatement,
  raterLabel,
  signConvention,
  spearmanStatement,
  studyTitle,
  subscaleLabel,
} from "../../src/report/statements.ts"
import { edgeResults, fullResults } from "./fixtures/load.ts"

const full = fullResults()
const edge = edgeResults()
const estimated = <T extends { readonly status: string }>(x: T): Extract<T, { status: "estimated" }> => {
  if (x.status !== "estimated") throw new Error("fixture entry is not estimated")
  return x as Extract<T, { status: "estimated" }>
}

describe("improvementFormula", () => {
  it("subtracts the outcome from baseline when lower is better, and vice versa", () => {
    expect(improvementFormula(full.settings)).toBe("improvement = baseline − outcome")
    expect(improvementFormula(edge.settings)).toBe("improvement = outcome − baseline")
  })
})

describe("signConvention", () => {
  it("states that higher means more improvement", () => {
    expect(signConvention(full.settings)).toBe("improvement = baseline − outcome; higher = more improvement")
  })
})

describe("earlyWindowLabel", () => {
  it("names the early-alliance sessions", () => {
    expect(earlyWindowLabel(full.settings)).toBe("sessions 1–3")
  })
})

describe("ciMethodLabel", () => {
  it("names the z test and Knapp–Hartung", () => {
    expect(ciMethodLabel("z")).toContain("z test")
    expect(ciMethodLabel("knha")).toContain("Knapp–Hartung")
  })
})

describe("studyTitle", () => {
  it("uses the title, or the study name when there is none", () => {
    expect(studyTitle(full)).toContain("routine outpatient care")
    expect(studyTitle({ ...full, study: { name: "abc", title: null } })).toBe("abc")
  })
})

describe("notPooledReason", () => {
  it("explains a site below the minimum size and a not-estimable site", () => {
    const [f, g] = full.sites.per_site.slice(5)
    if (f === undefined || g === undefined) throw new Error("fixture changed")
    expect(notPooledReason(f, full.settings)).toBe("not pooled: fewer than 20 analysed clients (n = 18)")
    expect(notPooledReason(g, full.settings)).toBe("not estimable: y has no variance: all 7 complete cases have the same value")
  })
})

describe("correlationStatement", () => {
  it("writes r(df) = .28, 95% CI [.23, .34], p < .001", () => {
    expect(toPlain(correlationStatement(estimated(full.primary.pearson), 0.95))).toBe("r(1182) = .28, 95% CI [.23, .34], p < .001")
  })
  it("writes a negative correlation at a 90% level", () => {
    expect(toPlain(correlationStatement(estimated(edge.primary.pearson), edge.settings.ci_level))).toBe(
      "r(288) = −.12, 90% CI [−.22, −.03], p = .035",
    )
  })
  it("marks r and p as symbols", () => {
    const symbols = correlationStatement(estimated(full.primary.pearson), 0.95).filter((s) => s.symbol === true)
    expect(symbols.map((s) => s.text)).toEqual(["r", "p"])
  })
})

describe("spearmanStatement", () => {
  it("writes ρ, p and n", () => {
    expect(toPlain(spearmanStatement(estimated(full.primary.spearman)))).toBe("ρ = .27, p < .001, n = 1,184")
    expect(toPlain(spearmanStatement(estimated(edge.primary.spearman)))).toBe("ρ = .00, p > .999, n = 290")
  })
})

describe("notEstimableStatement", () => {
  it("gives n and the reason", () => {
    expect(toPlain(notEstimableStatement({ n: 3, reason: "Too few pairs." }))).toBe("not estimable (n = 3): Too few pairs.")
  })
})

describe("pooledStatement", () => {
  it("writes the pooled r with CI, z test, p, PI, k and n", () => {
    expect(toPlain(pooledStatement(estimated(full.sites.pooled), 0.95))).toBe(
      "r = .27, 95% CI [.18, .36], z = 5.40, p < .001; 95% PI [.07, .46] (k = 5, n = 1,163)",
    )
  })
  it("writes t(df) for Knapp–Hartung", () => {
    expect(toPlain(pooledStatement(estimated(edge.sites.pooled), 0.9))).toContain("t(2) = −2.08, p = .173")
  })
})

describe("formatTau2", () => {
  it("prints tau^2 with four decimals", () => {
    expect(formatTau2(0.008934276513899553)).toBe("0.0089")
  })
})

describe("heterogeneityStatement", () => {
  it("writes τ², I² and Q with their intervals and test", () => {
    expect(toPlain(heterogeneityStatement(estimated(full.sites.pooled), 0.95))).toBe(
      "τ² = 0.0089, 95% CI [0.0009, 0.0913]; I² = 67.0%, 95% CI [17.3%, 95.3%]; Q(4) = 12.12, p = .016",
    )
  })
  it("omits intervals that are null", () => {
    expect(toPlain(heterogeneityStatement(estimated(edge.sites.pooled), 0.9))).toBe("τ² = 0.0000; I² = 0.0%; Q(2) = 1.10, p = .578")
  })
})

describe("heterogeneityLabel", () => {
  it("summarises k, τ² and I²", () => {
    expect(heterogeneityLabel(estimated(full.sites.pooled))).toBe("k = 5, τ² = 0.0089, I² = 67.0%")
  })
})

describe("raterLabel", () => {
  it("capitalises the rater", () => {
    expect(raterLabel("observer")).toBe("Observer")
  })
})

describe("subscaleLabel", () => {
  it("capitalises the subscale", () => {
    expect(subscaleLabel("bond")).toBe("Bond")
  })
})
