/**
 * Which registry instruments a study uses and where their items are (the study file's
 * `instruments` section, data-schemas/study-file.ts), resolved once when the study is loaded:
 *
 *   - the outcome and alliance instruments, named by registry id or, when the section does not
 *     name them, matched from `measures.*.instrument` ("PHQ-9" → phq9, "WAI-SR (mean, 1–5)" →
 *     wai_sr); an unmatched name simply has no registry entry (no cut-off, no reliable change);
 *   - their cut-off and reliable-change thresholds, the study file's override (with its source)
 *     taking the registry's place;
 *   - the item blocks ingest scores: file, column prefix, instrument, the canonical columns the
 *     total and subscales become, and which rows the reliability analysis uses;
 *   - for an instrument named in the section, the measure's range and direction from the registry
 *     (a study file that also gives `measures.outcome` or `measures.alliance` is refused: one place
 *     says what the scale is).
 */
import type { Instrument } from "../../data-schemas/instruments/instrument.ts"
import { INSTRUMENTS } from "../../data-schemas/instruments/registry.ts"
import type { StudyConfig } from "../../data-schemas/study-file.ts"

/** A threshold as used: the registry's, or the study file's override. */
export interface Threshold {
  readonly value: number
  readonly source: string
  /** confirmed against its primary source (an override is the lab's own statement: true) */
  readonly verified: boolean
  readonly overridden: boolean
}

export interface ResolvedInstrument {
  readonly instrument: Instrument
  readonly cutOff: Threshold | null
  readonly reliableChange: Threshold | null
  /** how the instrument was chosen: named in `instruments`, or matched from `measures` */
  readonly chosen: "named" | "matched"
}

/** Where a reliability analysis takes its rows from. */
export type ReliabilityRows = "every_row" | "first_complete_session"

export interface ItemBlock {
  /** e.g. phq9_baseline, wai_sr_session */
  readonly key: string
  /** the study-file setting that declares it, for messages */
  readonly setting: string
  readonly file: "clients" | "sessions"
  readonly instrument: Instrument
  readonly prefix: string
  /** canonical column the total becomes; null for a second outcome (kept by ingest instead) */
  readonly total: string | null
  /** subscale name → canonical column it becomes */
  readonly subscales: Readonly<Record<string, string>>
  readonly reliabilityRows: ReliabilityRows
}

export interface InstrumentPlan {
  readonly outcome: ResolvedInstrument | null
  readonly secondOutcome: ResolvedInstrument | null
  readonly alliance: ResolvedInstrument | null
  readonly blocks: ReadonlyArray<ItemBlock>
}

const normalise = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, "")

/** The registry entry a measure's name refers to ("PHQ-9", "WAI-SR (mean, 1–5)"), or null. */
export const registryMatch = (name: string): Instrument | null => {
  const head = normalise(name.split("(")[0] ?? "")
  for (const instrument of INSTRUMENTS.values()) if (normalise(instrument.id) === head) return instrument
  return null
}

/** The item column names of a block: <prefix>1 … <prefix>k. */
export const itemColumns = (prefix: string, instrument: Instrument): ReadonlyArray<string> =>
  Array.from({ length: instrument.items }, (_, i) => `${prefix}${i + 1}`)

/** The range of an instrument's total: k × the item range for sum scoring, the item range for a mean. */
export const totalRange = (instrument: Instrument): [number, number] =>
  instrument.scoring === "mean" ? [instrument.range[0], instrument.range[1]] : [instrument.range[0] * instrument.items, instrument.range[1] * instrument.items]

/** WAI-SR's subscales feed the canonical alliance subscale columns. */
const ALLIANCE_SUBSCALES: Readonly<Record<string, string>> = { goal: "alliance_goal", task: "alliance_task", bond: "alliance_bond" }

const resolve = (instrument: Instrument, config: StudyConfig, chosen: ResolvedInstrument["chosen"]): ResolvedInstrument => {
  const override = config.instruments.thresholds[instrument.id]
  const threshold = (own: { value: number; source: string; verified: boolean } | null, value: number | undefined): Threshold | null =>
    value !== undefined && override !== undefined
      ? { value, source: override.source, verified: true, overridden: true }
      : own === null
        ? null
        : { ...own, overridden: false }
  return {
    instrument,
    cutOff: threshold(instrument.cut_off, override?.cut_off),
    reliableChange: threshold(instrument.reliable_change, override?.reliable_change),
    chosen,
  }
}

/**
 * The plan of a parsed study file, or the problems that stop it (an unknown registry id, a
 * measure given twice). `given` is the study file as written, to tell a default from a choice.
 */
export const planInstruments = (config: StudyConfig, given: unknown): { plan: InstrumentPlan; config: StudyConfig } | { problems: string[] } => {
  const problems: string[] = []
  const section = config.instruments
  const lookup = (setting: string, id: string | undefined): Instrument | null => {
    if (id === undefined) return null
    const found = INSTRUMENTS.get(id)
    if (found === undefined) problems.push(`${setting}: no instrument "${id}" in the registry (known: ${[...INSTRUMENTS.keys()].join(", ")})`)
    return found ?? null
  }
  const outcome = lookup("instruments.outcome.id", section.outcome?.id)
  const second = lookup("instruments.second_outcome.id", section.second_outcome?.id)
  const alliance = lookup("instruments.alliance.id", section.alliance?.id)
  for (const id of Object.keys(section.thresholds)) lookup(`instruments.thresholds.${id}`, id)
  const measures = (given as { measures?: Record<string, unknown> } | null)?.measures ?? {}
  for (const [role, named] of [["outcome", section.outcome], ["alliance", section.alliance]] as const) {
    if (named !== undefined && measures[role] !== undefined) {
      problems.push(`measures.${role}: give either measures.${role} or instruments.${role}, not both (the instrument sets the range and direction)`)
    }
  }
  if (problems.length > 0) return { problems }

  // the measure's name as charts and tables show it: the registry name's short form ("PHQ-9")
  const short = (instrument: Instrument) => instrument.name.split(" (")[0]!
  const measured = {
    outcome: outcome === null ? config.measures.outcome : { instrument: short(outcome), range: totalRange(outcome), direction: outcome.direction },
    alliance: alliance === null ? config.measures.alliance : { instrument: short(alliance), range: totalRange(alliance) },
  }
  const effective: StudyConfig = { ...config, measures: { ...config.measures, ...measured } }
  const outcomeEntry = outcome ?? registryMatch(config.measures.outcome.instrument)
  const allianceEntry = alliance ?? registryMatch(config.measures.alliance.instrument)

  const blocks: ItemBlock[] = []
  const block = (key: string, setting: string, file: ItemBlock["file"], instrument: Instrument, prefix: string | undefined, total: string | null, subscales: Record<string, string> = {}) => {
    if (prefix !== undefined) blocks.push({ key, setting, file, instrument, prefix, total, subscales, reliabilityRows: file === "clients" ? "every_row" : "first_complete_session" })
  }
  if (outcome !== null) {
    block(`${outcome.id}_baseline`, "instruments.outcome.baseline_items", "clients", outcome, section.outcome?.baseline_items, "baseline")
    block(`${outcome.id}_outcome`, "instruments.outcome.outcome_items", "clients", outcome, section.outcome?.outcome_items, "outcome")
    block(`${outcome.id}_session`, "instruments.outcome.session_items", "sessions", outcome, section.outcome?.session_items, "symptom")
  }
  if (second !== null) {
    block(`${second.id}_baseline`, "instruments.second_outcome.baseline_items", "clients", second, section.second_outcome?.baseline_items, null)
    block(`${second.id}_outcome`, "instruments.second_outcome.outcome_items", "clients", second, section.second_outcome?.outcome_items, null)
  }
  if (alliance !== null) {
    const subscales = Object.fromEntries(Object.keys(alliance.subscales?.value ?? {}).flatMap((name) => (ALLIANCE_SUBSCALES[name] ? [[name, ALLIANCE_SUBSCALES[name]]] : [])))
    block(`${alliance.id}_session`, "instruments.alliance.session_items", "sessions", alliance, section.alliance?.session_items, "alliance", subscales)
  }
  return {
    config: effective,
    plan: {
      outcome: outcomeEntry === null ? null : resolve(outcomeEntry, config, outcome === null ? "matched" : "named"),
      secondOutcome: second === null ? null : resolve(second, config, "named"),
      alliance: allianceEntry === null ? null : resolve(allianceEntry, config, alliance === null ? "matched" : "named"),
      blocks,
    },
  }
}
