/**
 * Disclosure control of results.json, and so of everything drawn from it (report.html,
 * summary.md, the tables and the charts): PRODUCT's "no individual data in outputs" made exact
 * for small subgroups (issue 8, item 5).
 *
 * Both modes, with k = privacy.k (at least 5):
 *   - the clinical subgroup tables (`clinical-cells.ts`) go through small-cell suppression with
 *     the differencing audit (`suppression.ts`): no count of 1 to k − 1 clients is shown, nor a
 *     count from which one could be worked out, within a table or across tables;
 *   - sites with fewer than k analysed clients are merged before pooling (analysis/sites.ts);
 *   - means, quartiles and chart cells need at least min_cell ≥ k clients (the analysis).
 * Strict mode (reports leaving the lab) adds, with k at least 10: the counts of missing and
 * excluded data (`strict-cells.ts`); no line numbers of excluded rows; no minimum or maximum
 * sessions per client or clients per therapist (each is one person's value).
 *
 * When a Jacobson–Truax count is suppressed, the binned intake × end chart is withheld: a bin lying
 * wholly in one category would bound the count.
 *
 * Not covered: model estimates (correlations, pooled and multilevel estimates) are aggregates of
 * at least min_site_n or k clients but are not audited algebraically.
 */
import type { Results } from "../../../data-schemas/results.ts"
import { scoringWarning } from "../../analysis/clinical/warnings.ts"
import type { PrivacySettings } from "../../analysis/settings.ts"
import { clinicalCells } from "./clinical-cells.ts"
import { DisclosureModel } from "./model.ts"
import { strictCells } from "./strict-cells.ts"
import { suppressSmallCells } from "./suppression.ts"

export type Uncontrolled = Omit<Results, "disclosure">

export const disclosureRule = (privacy: PrivacySettings): string =>
  `Counts of 1 to ${privacy.k - 1} clients in subgroup tables are suppressed ([c]), and so are further counts from which one could be worked out ` +
  "(complementary suppression, checked by a linear-programming audit of every total and of the links between tables); zeros are shown. " +
  `Sites with fewer than ${privacy.k} analysed clients are merged. ` +
  (privacy.mode === "strict"
    ? "Strict mode, for reports leaving the lab: the counts of missing and excluded data are suppressed the same way, line numbers of excluded rows are not shown, " +
      "and neither are the minimum and maximum sessions per client or clients per therapist."
    : "Counts of missing and excluded data (the funnel, missingness, item scoring) are shown exactly, as the lab needs them; use --privacy strict for a report that leaves the lab.")

export const controlDisclosure = (results: Uncontrolled, privacy: PrivacySettings): Results => {
  const draft: Uncontrolled = structuredClone(results)
  const model = new DisclosureModel()
  clinicalCells(model, draft.clinical, draft.settings.min_cell)
  if (privacy.mode === "strict") strictCells(model, draft)
  const { hidden, unresolved } = suppressSmallCells(model.cells, model.relations, privacy.k)

  // a cell no pattern protects: its tables are withheld whole
  const withheld = new Map<string, string>()
  for (const id of unresolved) {
    const near = new Set([id, ...model.relations.filter((r) => r.total === id || r.parts.includes(id)).flatMap((r) => [r.total, ...r.parts])])
    for (const cell of near) {
      const table = model.published.get(cell)?.table
      if (table !== undefined && !withheld.has(table)) withheld.set(table, `every count is suppressed: no smaller pattern kept a count below ${privacy.k} from being worked out`)
    }
  }
  const toHide = new Set(hidden)
  for (const cell of model.cells) {
    if (withheld.has(model.published.get(cell.id)?.table ?? "")) for (const id of [cell.id, ...(cell.linked ?? [])]) toHide.add(id)
  }
  const suppressed = new Map<string, number>()
  for (const [id, { table, hide }] of model.published) {
    if (!toHide.has(id)) continue
    hide()
    suppressed.set(table, (suppressed.get(table) ?? 0) + 1)
  }

  // the intake × end chart: a bin lying wholly in one category bounds that category's count
  const jt = draft.clinical.jacobson_truax
  if (jt.status === "estimated" && Object.values(jt.counts).includes(null) && draft.clinical.pre_post_bins !== null) {
    draft.clinical.pre_post_bins = null
    withheld.set("clinical.pre_post_bins", "a Jacobson–Truax count is suppressed, and a bin lying wholly in one category would bound it")
  }

  if (privacy.mode === "strict") {
    for (const s of draft.clinical.scoring) s.excluded_at = []
    const spc = draft.descriptives.sessions_per_client
    if (spc !== null) draft.descriptives.sessions_per_client = { ...spc, min: null, max: null }
    const te = draft.multilevel.therapist_effects
    if (te.clients_per_therapist !== null) te.clients_per_therapist = { ...te.clients_per_therapist, min: null, max: null }
  }
  // warnings that quote a controlled count or a line number are rebuilt from the controlled rows
  const scoring = draft.clinical.scoring.map(scoringWarning).filter((w) => w !== null)
  draft.warnings = draft.warnings.flatMap((w) => (w.code !== "items_excluded" ? [w] : scoring.splice(0, 1)))

  return {
    ...draft,
    disclosure: {
      mode: privacy.mode,
      k: privacy.k,
      rule: disclosureRule(privacy),
      suppressed: [...suppressed].map(([table, cells]) => ({ table, cells })),
      withheld: [...withheld].map(([table, reason]) => ({ table, reason })),
    },
  }
}
