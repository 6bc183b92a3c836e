/**
 * Clinical significance of the study's outcome (issue 7):
 *
 *   - Jacobson & Truax (1991) categories over the clients with intake and end scores. Reliable
 *     change, in order of preference: the study file's stated threshold (points); else the RCI with
 *     S_diff = √2 · SD_pre · √(1 − α), α the study's own Cronbach's α of the intake items, SD_pre
 *     the intake SD of these clients (|RCI| > 1.96); else the registry's published threshold
 *     (points, "a change of at least"). The cut-off is the study file's or the registry's; without
 *     one, criterion a (two intake SDs beyond the intake mean, towards better).
 *   - early alliance by category, with Welch's and the equal-variance F test;
 *   - the NHS Talking Therapies metrics, for PHQ-9 with GAD-7 as the second outcome;
 *   - the aggregates the charts draw: alliance by session per category (median, IQR) and the
 *     intake × end scores binned, cells below min_cell left out.
 */
import type { ClinicalResults } from "../../../data-schemas/clinical-results.ts"
import type { ResolvedInstrument } from "../../ingest/instrument-plan.ts"
import { atLeast } from "../../derive/at-least.ts"
import { quantilesBySelection } from "../../stats/descriptives/select-quantiles.ts"
import { meanAndStandardDeviation } from "../../stats/descriptives/summary.ts"
import {
  CATEGORIES,
  type Category,
  classify,
  clinicalCutOffs,
  differenceStandardError,
  functional,
  RCI_CRITERION,
  SE_VARIANT,
} from "../../stats/clinical-significance/jacobson-truax.ts"
import { DEFAULT_THRESHOLDS, talkingTherapiesSummary, type TalkingTherapiesThresholds } from "../../stats/clinical-significance/talking-therapies.ts"
import { compareGroups } from "./groups.ts"


type Direction = "lower_is_better" | "higher_is_better"

export interface OutcomeScores {
  readonly baseline: Float64Array
  readonly outcome: Float64Array
  readonly direction: Direction
  readonly range: readonly [number, number]
}

/** Cronbach's α of the intake items, when the study gives them. */
export interface IntakeReliability {
  readonly alpha: number
  readonly block: string
}

/** Each client's category index into CATEGORIES (−1 without both scores) and the JT record. */
export const jacobsonTruax = (
  scores: OutcomeScores,
  instrument: ResolvedInstrument | null,
  intake: IntakeReliability | null,
): { readonly category: Int8Array; readonly record: Omit<Extract<ClinicalResults["jacobson_truax"], { status: "estimated" }>, "early_alliance"> } | { readonly reason: string } => {
  const { baseline, outcome, direction } = scores
  const both: number[] = []
  for (let i = 0; i < baseline.length; i++) if (!Number.isNaN(baseline[i]!) && !Number.isNaN(outcome[i]!)) both.push(i)
  if (both.length < 3) return { reason: "fewer than 3 clients with intake and end scores" }
  const pre = meanAndStandardDeviation(both.map((i) => baseline[i]!))
  if (!(pre.sd > 0)) return { reason: "intake scores do not vary" }

  const stated = instrument?.reliableChange ?? null
  const sDiff = intake === null ? Number.NaN : differenceStandardError(pre.sd, intake.alpha)
  const reliable =
    stated?.overridden === true || (stated !== null && !Number.isFinite(sDiff))
      ? { rule: "points" as const, points: stated!.value, s_diff: null, sd_pre: pre.sd, reliability: null, source: stated!.source, verified: stated!.verified }
      : Number.isFinite(sDiff)
        ? {
            rule: "rci" as const,
            points: RCI_CRITERION * sDiff,
            s_diff: sDiff,
            sd_pre: pre.sd,
            reliability: intake!.alpha,
            source: `Cronbach's α of this study's intake items (${intake!.block})`,
            verified: true,
          }
        : null
  if (reliable === null) return { reason: "no reliability: the study gives no intake items, and the instrument has no published reliable-change threshold (set instruments.thresholds)" }
  const cutOff =
    instrument?.cutOff != null
      ? { value: instrument.cutOff.value, source: instrument.cutOff.source, verified: instrument.cutOff.verified }
      : { value: clinicalCutOffs(pre, null, direction).a, source: "criterion a: two intake SDs beyond the intake mean (no published cut-off)", verified: true }

  const category = new Int8Array(baseline.length).fill(-1)
  const counts = { recovered: 0, improved: 0, unchanged: 0, deteriorated: 0 }
  const better = direction === "lower_is_better" ? -1 : 1
  for (const i of both) {
    const c =
      reliable.rule === "rci"
        ? classify(baseline[i]!, outcome[i]!, reliable.s_diff!, cutOff.value, direction)
        : pointsCategory(better * (outcome[i]! - baseline[i]!), reliable.points, functional(baseline[i]!, cutOff.value, direction), functional(outcome[i]!, cutOff.value, direction))
    counts[c]++
    category[i] = CATEGORIES.indexOf(c)
  }
  return { category, record: { status: "estimated", n: both.length, se_variant: SE_VARIANT, reliable_change: reliable, cut_off: cutOff, counts } }
}

/** The category by a points threshold: a change towards better of at least `points` is reliable. */
const pointsCategory = (towardsBetter: number, points: number, functionalBefore: boolean, functionalAfter: boolean): Category => {
  if (atLeast(-towardsBetter, points)) return "deteriorated"
  if (!atLeast(towardsBetter, points)) return "unchanged"
  return !functionalBefore && functionalAfter ? "recovered" : "improved"
}

/** Early alliance compared across the JT categories. */
export const earlyAllianceByCategory = (category: Int8Array, earlyAlliance: Float64Array, minCell: number) =>
  compareGroups(CATEGORIES, category, earlyAlliance, minCell)

/** The Talking Therapies thresholds, with the study file's overrides of PHQ-9's and GAD-7's. */
export const talkingTherapiesThresholds = (phq9: ResolvedInstrument, gad7: ResolvedInstrument): TalkingTherapiesThresholds => {
  const pick = (t: ResolvedInstrument["cutOff"], fallback: number) => (t?.overridden ? t.value : fallback)
  // verified when the study file states every threshold itself (its own statement), else the defaults'
  const stated = [phq9.cutOff, phq9.reliableChange, gad7.cutOff, gad7.reliableChange].every((t) => t?.overridden === true)
  return {
    phq9Caseness: pick(phq9.cutOff, DEFAULT_THRESHOLDS.phq9Caseness),
    gad7Caseness: pick(gad7.cutOff, DEFAULT_THRESHOLDS.gad7Caseness),
    phq9ReliableChange: pick(phq9.reliableChange, DEFAULT_THRESHOLDS.phq9ReliableChange),
    gad7ReliableChange: pick(gad7.reliableChange, DEFAULT_THRESHOLDS.gad7ReliableChange),
    minimumSessions: DEFAULT_THRESHOLDS.minimumSessions,
    verified: stated || DEFAULT_THRESHOLDS.verified,
  }
}

/** The Talking Therapies record of PHQ-9 and GAD-7 intake/end scores and sessions per client. */
export const talkingTherapies = (
  phq9: { readonly baseline: Float64Array; readonly outcome: Float64Array },
  gad7: { readonly baseline: Float64Array; readonly outcome: Float64Array },
  sessions: { readonly counts: ArrayLike<number>; readonly from: "sessions_attended" | "session_rows" },
  thresholds: TalkingTherapiesThresholds,
): ClinicalResults["talking_therapies"] => {
  const courses = Array.from(phq9.baseline, (_, i) => ({
    phq9First: phq9.baseline[i]!,
    phq9Last: phq9.outcome[i]!,
    gad7First: gad7.baseline[i]!,
    gad7Last: gad7.outcome[i]!,
    sessions: sessions.counts[i]!,
  }))
  const s = talkingTherapiesSummary(courses, thresholds)
  const rate = (x: number) => (Number.isNaN(x) ? null : x)
  return {
    status: "estimated",
    thresholds: {
      phq9_caseness: thresholds.phq9Caseness,
      gad7_caseness: thresholds.gad7Caseness,
      phq9_reliable_change: thresholds.phq9ReliableChange,
      gad7_reliable_change: thresholds.gad7ReliableChange,
      minimum_sessions: thresholds.minimumSessions,
      verified: thresholds.verified,
    },
    sessions_from: sessions.from,
    courses: s.courses,
    finished: s.finished,
    finished_cases: s.finishedCases,
    recovered: s.recovered,
    reliably_improved: s.reliablyImproved,
    reliably_deteriorated: s.reliablyDeteriorated,
    reliably_recovered: s.reliablyRecovered,
    recovery_rate: rate(s.recoveryRate),
    reliable_improvement_rate: rate(s.reliableImprovementRate),
    reliable_deterioration_rate: rate(s.reliableDeteriorationRate),
    reliable_recovery_rate: rate(s.reliableRecoveryRate),
  }
}

/** Alliance by session number and category: median and quartiles (R type 7), cells of at least minCell ratings. */
export const trajectories = (
  category: Int8Array,
  sessions: { readonly client: Int32Array; readonly session: Int32Array; readonly alliance: Float64Array },
  minCell: number,
): ClinicalResults["trajectories"] => {
  // cells category × session, dense: counted, then filled into one array and sorted cell by cell
  let last = 0
  for (let j = 0; j < sessions.session.length; j++) last = Math.max(last, sessions.session[j]!)
  const width = last + 1
  const cellOf = (j: number): number => {
    const c = category[sessions.client[j]!]!
    return c < 0 || Number.isNaN(sessions.alliance[j]!) ? -1 : c * width + sessions.session[j]!
  }
  const start = new Int32Array(CATEGORIES.length * width + 1)
  for (let j = 0; j < sessions.client.length; j++) {
    const cell = cellOf(j)
    if (cell >= 0) start[cell + 1]!++
  }
  for (let k = 0; k + 1 < start.length; k++) start[k + 1]! += start[k]!
  const values = new Float64Array(start[start.length - 1]!)
  const next = start.slice()
  for (let j = 0; j < sessions.client.length; j++) {
    const cell = cellOf(j)
    if (cell >= 0) values[next[cell]!++] = sessions.alliance[j]!
  }
  const points: ClinicalResults["trajectories"] = []
  for (let cell = 0; cell + 1 < start.length; cell++) {
    const n = start[cell + 1]! - start[cell]!
    if (n === 0 || n < minCell) continue
    const [q1, median, q3] = quantilesBySelection(values.subarray(start[cell]!, start[cell + 1]!), [0.25, 0.5, 0.75]) as [number, number, number]
    points.push({ category: CATEGORIES[Math.floor(cell / width)]!, session: cell % width, n, median, q1, q3 })
  }
  return points
}

/** Intake × end scores in square bins of `width` points from the range's low end; cells below minCell left out. */
export const prePostBins = (scores: OutcomeScores, minCell: number): ClinicalResults["pre_post_bins"] => {
  const [low, high] = scores.range
  const width = Math.max(1, Math.round((high - low) / 9))
  const bins = Math.ceil((high - low) / width)
  const bin = (x: number) => Math.min(Math.floor((x - low) / width), bins - 1)
  const grid = new Int32Array(bins * bins)
  for (let i = 0; i < scores.baseline.length; i++) {
    const pre = scores.baseline[i]!
    const post = scores.outcome[i]!
    if (Number.isNaN(pre) || Number.isNaN(post)) continue
    grid[bin(pre) * bins + bin(post)]!++
  }
  let suppressed = 0
  const cells: Array<{ pre: number; post: number; n: number }> = []
  grid.forEach((n, k) => {
    if (n === 0) return
    if (n < minCell) suppressed += n
    else cells.push({ pre: low + width * Math.floor(k / bins), post: low + width * (k % bins), n })
  })
  return { width, cells, suppressed }
}
