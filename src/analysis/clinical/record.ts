/**
 * The `clinical` section of results.json (data-schemas/clinical-results.ts) from a validated
 * study: the instruments used, how their items were scored, reliability, clinical significance,
 * ruptures and repairs, sudden gains, and the aggregates the charts draw.
 */
import type { ClinicalResults } from "../../../data-schemas/clinical-results.ts"
import type { StudyData } from "../../data/study-data.ts"
import { codeCounts } from "../../derive/select.ts"
import { sessionsByClient } from "../../derive/session-order.ts"
import type { InstrumentPlan, ResolvedInstrument } from "../../ingest/instrument-plan.ts"
import type { ItemBlockResult } from "../../ingest/item-scorer.ts"
import type { DerivedClients } from "../derive-clients.ts"
import type { AnalysisSettings } from "../settings.ts"
import { rupturesOf, type SessionSeries, suddenGainsOf } from "./process.ts"
import { reliabilityOf } from "./reliability.ts"
import { earlyAllianceByCategory, jacobsonTruax, prePostBins, talkingTherapies, talkingTherapiesThresholds, trajectories } from "./significance.ts"

export const CLINICAL_PHASE = "estimating clinical significance, reliability, ruptures and sudden gains"

export interface ClinicalInputs {
  readonly data: StudyData
  readonly derived: DerivedClients
  readonly settings: Pick<AnalysisSettings, "level" | "minCell" | "outcome" | "rupture">
  readonly plan: InstrumentPlan
  readonly items: ReadonlyArray<ItemBlockResult>
  /** intake and end totals of the second outcome, per client row; null without one */
  readonly secondOutcome: { readonly baseline: Float64Array; readonly outcome: Float64Array } | null
}

const used = (role: ResolvedInstrument | null): ClinicalResults["instruments"]["outcome"] =>
  role === null
    ? null
    : {
        id: role.instrument.id,
        name: role.instrument.name,
        citation: role.instrument.citation,
        licence: role.instrument.licence,
        chosen: role.chosen,
        cut_off: role.cutOff,
        reliable_change: role.reliableChange,
      }

const scoringRow = (r: ItemBlockResult): ClinicalResults["scoring"][number] => ({
  key: r.block.key,
  setting: r.block.setting,
  file: r.block.file === "clients" ? "clients.csv" : "sessions.csv",
  instrument: r.block.instrument.name,
  items: r.block.instrument.items,
  proration_limit: r.block.instrument.proration.max_missing,
  rows: r.rows,
  answered: r.answered,
  prorated: r.prorated,
  excluded: r.excluded,
  excluded_at: r.excludedAt.map((e) => ({ line: e.line, missing: [...e.missing] })),
})

export const clinicalResults = (inputs: ClinicalInputs): ClinicalResults => {
  const { data, derived, settings, plan } = inputs
  const minCell = settings.minCell
  const reliability = reliabilityOf(inputs.items, settings.level)
  const outcomeId = plan.outcome?.instrument.id
  const intakeRow = reliability.find((r) => r.key === `${outcomeId}_baseline` && r.scale === "total")
  const scores = { baseline: derived.baseline, outcome: derived.outcome, direction: settings.outcome.direction, range: settings.outcome.range }
  const jt = jacobsonTruax(scores, plan.outcome, intakeRow === undefined ? null : { alpha: intakeRow.alpha.raw, block: intakeRow.key })
  const earlyAlliance = derived.early.get("alliance") ?? new Float64Array(data.clients.n).fill(Number.NaN)

  const series = (column: string): SessionSeries | null => {
    const values = data.sessions.numbers.get(column)
    return values === undefined ? null : { client: data.sessions.client, session: data.sessions.session, values }
  }
  const alliance = series("alliance")
  // the session rows by client and session number, once for ruptures and sudden gains
  const order = sessionsByClient(data.clients.n, data.sessions.client, data.sessions.session)
  const symptom = series("symptom")

  const attended = data.clients.numbers.get("sessions_attended")
  const talking =
    outcomeId === "phq9" && plan.secondOutcome?.instrument.id === "gad7" && inputs.secondOutcome !== null
      ? talkingTherapies(
          { baseline: derived.baseline, outcome: derived.outcome },
          inputs.secondOutcome,
          attended !== undefined
            ? { counts: attended, from: "sessions_attended" }
            : { counts: codeCounts(data.sessions.client, data.clients.n), from: "session_rows" },
          talkingTherapiesThresholds(plan.outcome!, plan.secondOutcome),
        )
      : ({ status: "not_estimable", reason: "the NHS Talking Therapies metrics need PHQ-9 as the outcome and GAD-7 as the second outcome (instruments.second_outcome)" } as const)

  const gainMinimum = "record" in jt ? jt.record.reliable_change.points : (plan.outcome?.reliableChange?.value ?? null)
  return {
    instruments: { outcome: used(plan.outcome), second_outcome: used(plan.secondOutcome), alliance: used(plan.alliance) },
    scoring: inputs.items.map(scoringRow),
    reliability,
    jacobson_truax: "record" in jt ? { ...jt.record, early_alliance: earlyAllianceByCategory(jt.category, earlyAlliance, minCell) } : { status: "not_estimable", reason: jt.reason },
    talking_therapies: talking,
    ruptures:
      alliance === null
        ? { status: "not_estimable", reason: "no session alliance ratings" }
        : rupturesOf(data.clients.n, alliance, derived.improvement, { ...settings.rupture, minCell }, order),
    sudden_gains:
      symptom === null || alliance === null
        ? { status: "not_estimable", reason: "no session symptom scores (sessions.csv column symptom)" }
        : gainMinimum === null
          ? { status: "not_estimable", reason: "no reliable-change threshold for the absolute criterion" }
          : suddenGainsOf(data.clients.n, symptom, alliance, derived.improvement, { minimum: gainMinimum, direction: settings.outcome.direction, range: settings.outcome.range, minCell }, order),
    trajectories: "record" in jt && alliance !== null ? trajectories(jt.category, { client: alliance.client, session: alliance.session, alliance: alliance.values }, minCell) : [],
    pre_post_bins: "record" in jt ? prePostBins(scores, minCell) : null,
  }
}
