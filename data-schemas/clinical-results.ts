/**
 * The `clinical` section of results.json (schema 1.4.0, issue 7): the instruments used and how
 * item columns were scored, reliability, clinical significance (Jacobson–Truax, NHS Talking
 * Therapies), early alliance by outcome category, ruptures and repairs, sudden gains, and the
 * aggregates the charts draw (no individual data points; cells below min_cell suppressed).
 *
 * 1.5.0 (issue 8): a count is null when disclosure control suppressed it (`[c]` in the report):
 * it was between 1 and privacy.k − 1, or it would have let such a count be worked out
 * (src/privacy/disclosure/). A rate is null when its count or denominator is.
 */
import { z } from "zod"

/** A count of clients (or events) that disclosure control may suppress: null when suppressed. */
const Count = z.number().int().nullable()

const NotEstimable = z.object({ status: z.literal("not_estimable"), reason: z.string() })

const Threshold = z.object({
  value: z.number(),
  source: z.string(),
  verified: z.boolean().describe("confirmed against its primary source (a study-file override counts as the lab's own statement)"),
  overridden: z.boolean().describe("set in the study file's instruments.thresholds"),
})

const InstrumentUsed = z.object({
  id: z.string(),
  name: z.string(),
  citation: z.string(),
  licence: z.string(),
  chosen: z.enum(["named", "matched"]).describe("named in the study file's instruments section, or matched from measures.*.instrument"),
  cut_off: Threshold.nullable(),
  reliable_change: Threshold.nullable(),
})

export const ScoringRow = z.object({
  key: z.string().describe("e.g. phq9_baseline, wai_sr_session"),
  setting: z.string(),
  file: z.string(),
  instrument: z.string(),
  items: z.number().int(),
  proration_limit: z.number().int().describe("most missing items a total is prorated over"),
  rows: z.number().int(),
  answered: z.number().int().describe("rows with at least one item answered"),
  prorated: Count.describe("null: suppressed (strict privacy)"),
  excluded: Count.describe("rows with more missing items than the limit: the total is missing; null: suppressed (strict privacy)"),
  excluded_at: z.array(z.object({ line: z.number().int(), missing: z.array(z.number().int()) })).describe("the first 20 exclusions: line and missing item numbers; empty in strict privacy"),
})

const AlphaNumbers = z.object({
  raw: z.number(),
  standardized: z.number(),
  guttman_lambda6: z.number(),
  average_r: z.number(),
  se: z.number(),
})

export const ReliabilityRow = z.object({
  key: z.string().describe("the item block, e.g. phq9_baseline"),
  scale: z.string().describe("total, or a subscale's name"),
  instrument: z.string(),
  rows: z.string().describe("which rows were analysed"),
  n: z.number().int(),
  items: z.array(z.number().int()).describe("item numbers"),
  alpha: AlphaNumbers.extend({ feldt: z.tuple([z.number(), z.number()]) }),
  omega_total: z.number().nullable().describe("McDonald's ω total from one minres factor; null with fewer than 3 items"),
  item_statistics: z.array(
    z.object({
      item: z.number().int(),
      mean: z.number(),
      sd: z.number(),
      r_drop: z.number().describe("corrected item–total correlation"),
      r_cor: z.number(),
      alpha_if_deleted: z.number().nullable(),
    }),
  ),
})

const Group = z.object({ category: z.string(), n: Count, mean: z.number().nullable(), sd: z.number().nullable() })

const FTest = z.object({ statistic: z.number(), df1: z.number(), df2: z.number(), p: z.number() })

const GroupComparison = z.union([
  z.object({
    status: z.literal("estimated"),
    groups: z.array(Group).describe("groups below min_cell show n only and are left out of the tests"),
    welch: FTest.describe("Welch's heteroscedastic one-way F (oneway.test, var.equal = FALSE)"),
    classic: FTest.describe("the equal-variance one-way F"),
  }),
  NotEstimable.extend({ groups: z.array(Group) }).describe("also when disclosure control suppressed a tested group's n: the tests would reveal it"),
])

/** The Jacobson–Truax categories, from best to worst. */
export const JT_CATEGORIES = ["recovered", "improved", "unchanged", "deteriorated"] as const

export const JacobsonTruax = z.union([
  z.object({
    status: z.literal("estimated"),
    n: z.number().int(),
    se_variant: z.literal("jacobson_truax_1991"),
    reliable_change: z.object({
      rule: z.enum(["rci", "points"]).describe("rci: |RCI| > 1.96 with S_diff from the study; points: a change of at least the published or stated threshold"),
      points: z.number().describe("the smallest reliable change in points (for rci: 1.96 · S_diff)"),
      s_diff: z.number().nullable(),
      sd_pre: z.number(),
      reliability: z.number().nullable(),
      source: z.string(),
      verified: z.boolean(),
    }),
    cut_off: z.object({ value: z.number(), source: z.string(), verified: z.boolean() }),
    counts: z.object(Object.fromEntries(JT_CATEGORIES.map((c) => [c, Count])) as Record<(typeof JT_CATEGORIES)[number], typeof Count>),
    early_alliance: GroupComparison.describe("early alliance by outcome category"),
  }),
  NotEstimable,
])

export const TalkingTherapies = z.union([
  z.object({
    status: z.literal("estimated"),
    thresholds: z.object({
      phq9_caseness: z.number(),
      gad7_caseness: z.number(),
      phq9_reliable_change: z.number(),
      gad7_reliable_change: z.number(),
      minimum_sessions: z.number().int(),
      verified: z.boolean(),
    }),
    sessions_from: z.enum(["sessions_attended", "session_rows"]),
    courses: z.number().int(),
    finished: Count,
    finished_cases: Count,
    recovered: Count,
    reliably_improved: Count,
    reliably_deteriorated: Count,
    reliably_recovered: Count,
    recovery_rate: z.number().nullable(),
    reliable_improvement_rate: z.number().nullable(),
    reliable_deterioration_rate: z.number().nullable(),
    reliable_recovery_rate: z.number().nullable(),
  }),
  NotEstimable,
])

export const Ruptures = z.union([
  z.object({
    status: z.literal("estimated"),
    threshold: z.number().describe("the drop in alliance points that counts as a rupture"),
    threshold_sd: z.number(),
    within_client_sd: z.number(),
    repair_window: z.number().int(),
    clients_rated: z.number().int().describe("clients with at least two consecutive rated sessions"),
    transitions: z.number().int().describe("pairs of consecutive rated sessions"),
    ruptures: Count,
    repaired: Count,
    clients_with_rupture: Count,
    rupture_rate: z.number().nullable().describe("ruptures per transition"),
    repair_rate: z.number().nullable().describe("repaired / ruptures"),
    by_session: z.array(z.object({ session: z.number().int(), transitions: z.number().int(), ruptures: Count })).describe("ruptures at each session number (drop from the session before); sessions with fewer than min_cell transitions left out"),
    improvement: GroupComparison.describe("improvement in clients without a rupture, with every rupture repaired, and with one unrepaired"),
  }),
  NotEstimable,
])

export const SuddenGains = z.union([
  z.object({
    status: z.literal("estimated"),
    minimum: z.number().describe("absolute criterion in points (the reliable-change threshold)"),
    clients_with_series: z.number().int().describe("clients with session symptom scores"),
    gains: Count,
    clients_with_gain: Count,
    first_gain_session: z.object({ median: z.number(), q1: z.number(), q3: z.number() }).nullable().describe("pre-gain session of each client's first gain"),
    alliance_around_gain: z
      .union([
        z.object({
          status: z.literal("estimated"),
          n: z.number().int(),
          before: z.number().describe("mean alliance at the pre-gain session"),
          after: z.number().describe("mean alliance at the post-gain session"),
          difference: z.number(),
          t: z.number(),
          df: z.number(),
          p: z.number(),
        }),
        NotEstimable,
      ])
      .describe("first gains with alliance rated at both sessions: paired t test"),
    improvement: GroupComparison.describe("improvement with and without a sudden gain"),
  }),
  NotEstimable,
])

const TrajectoryPoint = z.object({
  category: z.string(),
  session: z.number().int(),
  n: Count.describe("at least min_cell; null when suppressed with its category's count"),
  median: z.number(),
  q1: z.number(),
  q3: z.number(),
})

export const ClinicalResults = z.object({
  instruments: z.object({ outcome: InstrumentUsed.nullable(), second_outcome: InstrumentUsed.nullable(), alliance: InstrumentUsed.nullable() }),
  scoring: z.array(ScoringRow).describe("item blocks scored into totals; empty when the study gives totals"),
  reliability: z.array(ReliabilityRow),
  jacobson_truax: JacobsonTruax,
  talking_therapies: TalkingTherapies,
  ruptures: Ruptures,
  sudden_gains: SuddenGains,
  trajectories: z.array(TrajectoryPoint).describe("alliance by session and outcome category: median and IQR; cells below min_cell left out"),
  pre_post_bins: z
    .object({
      width: z.number(),
      cells: z.array(z.object({ pre: z.number(), post: z.number(), n: z.number().int() })).describe("binned intake × end scores; cells below min_cell left out"),
      suppressed: z.number().int().describe("clients in cells left out"),
    })
    .nullable(),
})

export type ClinicalResults = z.infer<typeof ClinicalResults>
export type ReliabilityRow = z.infer<typeof ReliabilityRow>
