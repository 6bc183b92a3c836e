/** summary.md of `pool` (pipelines/site-pool.ts): the pooled analyses and the one-stage regression, in Markdown. */
import type { PooledSites } from "../../data-schemas/pooled-sites.ts"
import { formatCi, formatCount, formatLevel, formatP, formatR } from "./format.ts"
import { heterogeneityLabel } from "./statements.ts"

type Analysis = PooledSites["primary"]

const row = (label: string, a: Analysis): string => {
  const p = a.pooled
  if (p.status !== "estimated") return `| ${label} | — | — | not estimable: ${p.reason} | — | — |`
  return `| ${label} | ${formatCount(p.k)} | ${formatCount(p.n)} | ${formatR(p.estimate)} ${formatCi(p.ci)} | ${formatCi(p.pi)} | ${heterogeneityLabel(p)} |`
}

export const poolSummaryMarkdown = (results: PooledSites): string => {
  const level = formatLevel(results.settings.ci_level)
  const test = results.pooling.test === "knha" ? "Knapp–Hartung" : "z"
  const one = results.one_stage
  const notPooled = results.primary.per_site.filter((s) => !s.pooled)
  return [
    "# Alliance–outcome correlation, pooled from site summaries",
    "",
    `Random effects on Fisher z (REML τ², ${test} test), ${level} intervals; summaries made with ${results.sites_made_with.name} ${results.sites_made_with.version}, disclosure threshold k = ${results.settings.k}.`,
    "",
    `| analysis | sites | n | pooled r [${level} CI] | ${level} prediction interval | heterogeneity |`,
    "| --- | ---: | ---: | --- | --- | --- |",
    row("Primary: early alliance and improvement", results.primary),
    ...results.by_modality.map((m) => row(`Modality: ${m.modality}`, m)),
    "",
    ...(notPooled.length === 0 ? [] : ["Not pooled: " + notPooled.map((s) => `${s.site} (${s.note})`).join("; ") + ".", ""]),
    "## One-stage regression of improvement, from the summed cross-products",
    "",
    ...(one.status === "estimated"
      ? [
          `n = ${formatCount(one.n)}, residual SD = ${one.sigma.toFixed(3)}, R² = ${one.r_squared.toFixed(3)}`,
          "",
          `| term | estimate | SE | t(${one.df}) | p | ${level} CI |`,
          "| --- | ---: | ---: | ---: | ---: | --- |",
          ...one.terms.map((term, i) => `| ${term} | ${one.estimate[i]!.toFixed(3)} | ${one.se[i]!.toFixed(3)} | ${one.statistic[i]!.toFixed(2)} | ${formatP(one.p[i]!)} | [${one.ci[i]![0].toFixed(3)}, ${one.ci[i]![1].toFixed(3)}] |`),
        ]
      : [`Not estimable: ${one.reason}.`]),
    "",
  ].join("\n")
}
