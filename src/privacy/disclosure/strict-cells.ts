/**
 * Strict privacy (reports leaving the lab): the counts of missing and excluded data join the
 * disclosure model too. In standard mode they are shown exactly, as a CONSORT-style flow must be
 * inside the lab; a report that leaves it should not say that "1 client" lacks a baseline score.
 *
 *   descriptives.funnel       each step: excluded + remaining = the step before's remaining
 *   descriptives.missingness  each column: missing + present = n
 *   clinical.scoring          each item block: excluded + prorated + complete = rows answered
 */
import type { Results } from "../../../data-schemas/results.ts"
import { known } from "./clinical-cells.ts"
import type { DisclosureModel } from "./model.ts"

export const strictCells = (model: DisclosureModel, results: Omit<Results, "disclosure">): void => {
  const d = results.descriptives
  let before = model.fixed("funnel.start", d.n_clients)
  d.funnel.forEach((step, i) => {
    const excluded = model.count("descriptives.funnel", `funnel.${i}.excluded`, known(step.excluded, "a funnel step"), () => void (step.excluded = null))
    const remaining =
      i === d.funnel.length - 1
        ? model.fixed(`funnel.${i}.remaining`, known(step.remaining, "the analysed n"))
        : model.count("descriptives.funnel", `funnel.${i}.remaining`, known(step.remaining, "a funnel step"), () => void (step.remaining = null))
    model.relate(before, [excluded, remaining])
    before = remaining
  })

  d.missingness.forEach((m, i) => {
    const missing = model.count("descriptives.missingness", `missing.${i}`, known(m.n_missing, "a missing count"), () => {
      m.n_missing = null
      m.percent = null
    })
    model.relateWithRest(model.fixed(`missing.${i}.n`, m.n), [missing], `missing.${i}.present`, true)
  })

  for (const s of results.clinical.scoring) {
    const table = "clinical.scoring"
    const excluded = model.count(table, `scoring.${s.key}.excluded`, known(s.excluded, "excluded rows"), () => void (s.excluded = null))
    const prorated = model.count(table, `scoring.${s.key}.prorated`, known(s.prorated, "prorated rows"), () => void (s.prorated = null))
    model.relateWithRest(model.fixed(`scoring.${s.key}.answered`, s.answered), [excluded, prorated], `scoring.${s.key}.complete`, false)
  }
}
