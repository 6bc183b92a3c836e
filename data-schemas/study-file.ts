/**
 * The study file (`study.json`): which files make up a study, how a lab's column names map onto
 * the canonical ones, which cell values mean "missing", what the measures are (instrument, range,
 * direction), the analysis settings, and de-identification overrides.
 *
 * Every field has a default, so a folder holding canonical `clients.csv` + `sessions.csv` and no
 * study file runs as if it had `{ "name": "<folder name>" }`: a PHQ-9-like outcome (0–27, lower is
 * better) and alliance on 1–5 (WAI-SR mean). Unknown keys are rejected, so a typo is an error
 * rather than a silently ignored setting.
 */
import { z } from "zod"
import { CLIENT_COLUMNS, SESSION_COLUMNS } from "./canonical.ts"

const Range = z
  .tuple([z.number(), z.number()])
  .refine(([low, high]) => low < high, { error: "range must be [low, high] with low < high" })
  .describe("[lowest, highest] possible value")

export const Direction = z.enum(["lower_is_better", "higher_is_better"])

export const OutcomeMeasure = z
  .object({
    instrument: z.string().min(1).describe("e.g. PHQ-9, GAD-7, CORE-10, OQ-45"),
    range: Range,
    direction: Direction.describe("lower_is_better for symptom measures such as PHQ-9"),
  })
  .strict()

export const AllianceMeasure = z
  .object({
    instrument: z.string().min(1).describe("e.g. WAI-SR (mean of 12 items, 1–5)"),
    range: Range,
  })
  .strict()

const canonicalNames = (specs: ReadonlyArray<{ name: string }>) => specs.map((s) => s.name) as [string, ...string[]]

const ColumnMap = (names: [string, ...string[]]) =>
  z
    .partialRecord(z.enum(names), z.string().min(1))
    .describe("canonical column name → the column's name in this lab's file")

export const DeidOverride = z
  .object({
    file: z.string().min(1).optional().describe("limit the override to one file (e.g. clients.csv)"),
    column: z.string().min(1).describe("the column as named in the file"),
    reason: z.string().min(10, { error: "say why the column is not identifying (at least 10 characters)" }),
  })
  .strict()

/** τ² estimators of `synthesize`, named as in metafor (EE = equal/fixed effects). */
export const SYNTHESIS_METHODS = ["REML", "ML", "DL", "HE", "HS", "SJ", "PM", "EB", "EE"] as const
export type SynthesisMethod = (typeof SYNTHESIS_METHODS)[number]

export const ModeratorSpec = z
  .object({
    column: z.string().min(1).describe("a column of studies.csv"),
    type: z.enum(["continuous", "categorical"]),
  })
  .strict()

/** The `synthesis` section of the study file: how `synthesize` pools studies.csv. */
export const SynthesisSettings = z
  .object({
    method: z.enum(SYNTHESIS_METHODS).default("REML").describe("τ² estimator (metafor names); REML is metafor's default"),
    test: z
      .enum(["z", "knha"])
      .default("z")
      .describe("inference for pooled estimates and moderators: z (metafor default) or Knapp–Hartung"),
    moderators: z
      .array(ModeratorSpec)
      .optional()
      .describe("moderators to test one at a time; default: every extra column (numeric ones continuous, others categorical)"),
    subgroup: z
      .string()
      .min(1)
      .optional()
      .describe("a categorical column whose levels get their own pooled estimate and forest-plot panel"),
    effect_label: z.string().min(1).optional().describe("what the effect sizes are, for the report (e.g. 'alliance–outcome r')"),
    literature_reference: z
      .boolean()
      .default(true)
      .describe("show Flückiger et al. (2018), r = .278, as a reference band (correlations only)"),
  })
  .strict()

/** The canonical families of the common-factor breakdown, in their default order of entry. */
export const CANONICAL_FAMILIES = ["extratherapeutic", "expectancy", "techniques", "common"] as const

const FamilyPredictor = z.union([
  z.string().min(1).describe("a column of clients.csv (canonical name, or a lab's own column by its name in the file) or an early-alliance measure (early_alliance, early_alliance_goal, …)"),
  z
    .object({
      column: z.string().min(1),
      type: z.enum(["numeric", "categorical"]).describe("how to enter a non-canonical column (default: numeric when every value is a number)"),
    })
    .strict(),
])

export const FamilySpec = z
  .object({
    name: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,39}$/, { error: "a family name is 1–40 lower-case letters, digits or '_', starting with a letter" })
      .refine((name) => name !== "therapist" && name !== "unexplained", { error: "'therapist' and 'unexplained' name the breakdown's other slices" })
      .describe("extratherapeutic, expectancy, techniques and common are compared with Lambert's heuristic; other names are the lab's own"),
    predictors: z.array(FamilyPredictor).min(1),
  })
  .strict()

const predictorName = (p: z.infer<typeof FamilyPredictor>) => (typeof p === "string" ? p : p.column)

/** The `common_factors` section of the study file: the common-factor breakdown (issue 6). */
export const CommonFactorSettings = z
  .object({
    outcome: z
      .enum(["improvement", "baseline_adjusted"])
      .default("improvement")
      .describe("improvement (baseline − outcome, sign-adjusted; baseline is then an extratherapeutic predictor) or baseline_adjusted (the post score with baseline partialled out of it and of every predictor: partial R²)"),
    families: z
      .array(FamilySpec)
      .min(1)
      .max(15, { error: "at most 15 families: dominance analysis fits a model for every subset of them (2^15 = 32,768)" })
      .refine((families) => new Set(families.map((f) => f.name)).size === families.length, { error: "each family may appear only once" })
      .refine(
        (families) => {
          const all = families.flatMap((f) => f.predictors.map(predictorName))
          return new Set(all).size === all.length
        },
        { error: "a predictor may belong to one family only" },
      )
      .optional()
      .describe("the families in their order of entry for the hierarchical regression; default: the canonical columns in extratherapeutic, expectancy, techniques, common (README)"),
    bootstrap: z
      .object({
        replicates: z.number().int().min(100).max(10_000).default(1000),
        seed: z.number().int().min(0).max(4294967295).default(1).describe("seed of the bootstrap's random numbers; recorded in results.json"),
        resample: z.enum(["clients", "therapists"]).default("clients").describe("resample clients, or therapists with all their clients (cluster bootstrap)"),
        max_resample_size: z
          .number()
          .int()
          .min(500)
          .default(2000)
          .describe("units drawn per replicate at most: with more clients (or therapists) the m-out-of-n bootstrap draws this many and rescales the interval by √(m/n), which keeps a million-client study fast"),
      })
      .strict()
      .prefault({}),
  })
  .strict()

const ItemPrefix = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_.]{0,59}$/, { error: "an item prefix is 1–60 letters, digits, '_' or '.', starting with a letter" })
  .describe("the item columns are <prefix>1, <prefix>2, … (e.g. phq9_pre_ → phq9_pre_1 … phq9_pre_9)")

const InstrumentId = z.string().regex(/^[a-z0-9_]+$/).describe("a registry id: phq9, gad7, wai_sr, ors, srs, core10, oq45 (data-schemas/instruments/registry.ts)")

/** An outcome measure from the registry: its totals given, or scored from item columns. */
export const OutcomeInstrument = z
  .object({
    id: InstrumentId,
    baseline_items: ItemPrefix.optional().describe("clients.csv: the intake items, scored into baseline"),
    outcome_items: ItemPrefix.optional().describe("clients.csv: the end-of-treatment items, scored into outcome"),
    session_items: ItemPrefix.optional().describe("sessions.csv: the session items, scored into symptom"),
  })
  .strict()
  .refine((o) => (o.baseline_items === undefined) === (o.outcome_items === undefined), {
    error: "give both baseline_items and outcome_items, or neither",
  })

/** A second symptom measure (GAD-7 beside PHQ-9 for the NHS Talking Therapies metrics). */
export const SecondOutcomeInstrument = z
  .object({
    id: InstrumentId,
    baseline_items: ItemPrefix.optional().describe("clients.csv: the intake items"),
    outcome_items: ItemPrefix.optional().describe("clients.csv: the end-of-treatment items"),
    baseline_column: z.string().min(1).optional().describe("clients.csv: the intake total, when items are not given"),
    outcome_column: z.string().min(1).optional().describe("clients.csv: the end-of-treatment total"),
  })
  .strict()
  .refine(
    (o) => {
      const items = o.baseline_items !== undefined && o.outcome_items !== undefined
      const totals = o.baseline_column !== undefined && o.outcome_column !== undefined
      const none = [o.baseline_items, o.outcome_items, o.baseline_column, o.outcome_column].every((v) => v === undefined)
      return !none && items !== totals
    },
    { error: "give baseline_items and outcome_items, or baseline_column and outcome_column" },
  )

export const AllianceInstrument = z
  .object({
    id: InstrumentId,
    session_items: ItemPrefix.optional().describe("sessions.csv: the session items, scored into alliance (and, for WAI-SR, alliance_goal/task/bond)"),
  })
  .strict()

export const ThresholdOverride = z
  .object({
    cut_off: z.number().optional().describe("clinical cut-off on the total"),
    reliable_change: z.number().gt(0).optional().describe("smallest change on the total counted as reliable"),
    source: z.string().min(5, { error: "say where the value comes from (at least 5 characters)" }),
  })
  .strict()

/** The `instruments` section of the study file (issue 7): registry instruments and item columns. */
export const InstrumentSettings = z
  .object({
    outcome: OutcomeInstrument.optional().describe("the outcome instrument; default: the registry entry matching measures.outcome.instrument, if one does"),
    second_outcome: SecondOutcomeInstrument.optional().describe("a second symptom measure, e.g. GAD-7 beside PHQ-9 (NHS Talking Therapies metrics need both)"),
    alliance: AllianceInstrument.optional().describe("the alliance instrument; default: the registry entry matching measures.alliance.instrument, if one does"),
    thresholds: z
      .record(InstrumentId, ThresholdOverride)
      .default({})
      .describe("registry id → cut-off and reliable change to use instead of the registry's, with their source"),
    rupture: z
      .object({
        threshold_sd: z.number().gt(0).default(1).describe("a rupture is a drop of at least this many pooled within-client SDs of alliance from the session before"),
        repair_window: z.number().int().min(1).default(3).describe("a rupture is repaired when alliance is back at its pre-drop level within this many sessions"),
      })
      .strict()
      .prefault({}),
  })
  .strict()

export const DEFAULT_OUTCOME = { instrument: "PHQ-9", range: [0, 27], direction: "lower_is_better" } as const
export const DEFAULT_ALLIANCE = { instrument: "WAI-SR (mean, 1–5)", range: [1, 5] } as const
export const DEFAULT_MISSING_VALUES = ["", "NA"] as const

export const StudyFile = z
  .object({
    $schema: z.string().optional(),
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
        error: "name must be 1–64 letters, digits, '.', '_' or '-' (it names the report folder)",
      })
      .describe("short name of the study; the report goes to reports/<name>/"),
    title: z.string().min(1).optional().describe("human-readable title shown in the report"),
    files: z
      .object({
        clients: z.string().min(1).default("clients.csv"),
        sessions: z.string().min(1).default("sessions.csv"),
        studies: z
          .string()
          .min(1)
          .optional()
          .describe("studies.csv for `synthesize` (one row per effect size); default studies.csv next to the study file"),
      })
      .strict()
      .prefault({})
      .describe("paths of the data files, relative to the study file"),
    columns: z
      .object({
        clients: ColumnMap(canonicalNames(CLIENT_COLUMNS)).default({}),
        sessions: ColumnMap(canonicalNames(SESSION_COLUMNS)).default({}),
      })
      .strict()
      .prefault({}),
    dialect: z
      .object({
        delimiter: z.enum(["auto", ",", ";", "tab"]).default("auto").describe("cell delimiter; auto: the one the header line uses most (comma, semicolon or tab)"),
        decimal: z.enum(["auto", ".", ","]).default("auto").describe("decimal separator; auto: a comma when the delimiter is not one and the data hold numbers such as 3,5"),
      })
      .strict()
      .prefault({})
      .describe("how the CSV files are written (European Excel: semicolons and decimal commas); found by itself unless set"),
    missing_values: z
      .array(z.string())
      .default([...DEFAULT_MISSING_VALUES])
      .describe("cell values that mean 'missing' (compared after trimming spaces)"),
    measures: z
      .object({
        outcome: OutcomeMeasure.default({ ...DEFAULT_OUTCOME, range: [...DEFAULT_OUTCOME.range] }),
        alliance: AllianceMeasure.default({ ...DEFAULT_ALLIANCE, range: [...DEFAULT_ALLIANCE.range] }),
        ranges: z
          .record(z.string(), Range)
          .default({})
          .describe("valid ranges of other numeric columns, e.g. { \"expectancy\": [1, 9] }"),
      })
      .strict()
      .prefault({}),
    analysis: z
      .object({
        early_window: z
          .tuple([z.number().int().min(1), z.number().int().min(1)])
          .refine(([a, b]) => a <= b, { error: "early_window must be [first, last] with first ≤ last" })
          .default([1, 3])
          .describe("sessions whose client-rated alliance is averaged into early alliance"),
        ci_level: z.number().gt(0.5).lt(1).default(0.95),
        pooling_method: z
          .enum(SYNTHESIS_METHODS)
          .default("REML")
          .describe("τ² estimator for pooling the sites (metafor names; the engine of `synthesize`)"),
        pooling_test: z
          .enum(["z", "knha"])
          .default("z")
          .describe("inference for the pooled site estimate: z (metafor default) or Knapp–Hartung"),
        min_site_n: z.number().int().min(4).default(4).describe("sites with fewer analysed clients are not pooled"),
        min_cell: z.number().int().min(5).default(10).describe("smallest group whose estimates (means, bins, quartiles) are shown in tables and charts; raised to privacy.k if below it"),
        within_between_therapist_intercept: z
          .boolean()
          .default(false)
          .describe("add a therapist random intercept to the session-level within/between model (clients nested in therapists)"),
      })
      .strict()
      .prefault({}),
    instruments: InstrumentSettings.prefault({}).describe("registry instruments, item columns scored into totals, threshold overrides, rupture rule (issue 7)"),
    common_factors: CommonFactorSettings.prefault({}).describe("the common-factor breakdown: families of predictors, outcome, bootstrap"),
    synthesis: SynthesisSettings.optional().describe("settings of `synthesize` (meta-analysis of studies.csv)"),
    check: z
      .object({
        absolute: z.number().nonnegative().default(1e-12).describe("--check: numbers agree when |actual − expected| ≤ absolute + relative · |expected|"),
        relative: z.number().nonnegative().default(1e-10),
        quantities: z
          .record(
            z.string().min(1),
            z.object({ absolute: z.number().nonnegative().default(0), relative: z.number().nonnegative().default(0) }).strict(),
          )
          .default({})
          .describe("tolerances of particular quantities by path pattern (* = anything), e.g. { \"*.p\": { \"relative\": 1e-6 } }; the longest matching pattern wins"),
      })
      .strict()
      .prefault({})
      .describe("tolerances of --check (comparison with an expected results.json)"),
    privacy: z
      .object({
        k: z.number().int().min(5).default(5).describe("disclosure control: no count of 1 to k − 1 clients is shown, nor any count it could be worked out from"),
        mode: z
          .enum(["standard", "strict"])
          .default("standard")
          .describe("strict, for reports leaving the lab: k at least 10, no line numbers of excluded rows, small counts of missing or excluded data suppressed too, no minima or maxima"),
      })
      .strict()
      .prefault({})
      .describe("disclosure control of the report (issue 8); --privacy strict on the command line overrides mode"),
    deidentification: z
      .object({ allow: z.array(DeidOverride).default([]) })
      .strict()
      .prefault({})
      .describe("columns a lab has checked and declares non-identifying, each with a reason"),
  })
  .strict()

/** The `instruments` section with every default filled in. */
export type InstrumentConfig = z.output<typeof InstrumentSettings>
/** The `common_factors` section with every default filled in. */
export type CommonFactorConfig = z.output<typeof CommonFactorSettings>
export type FamilyPredictor = z.output<typeof FamilyPredictor>

/** The study file as written (input). */
export type StudyFileInput = z.input<typeof StudyFile>
/** The study file with every default filled in. */
export type StudyConfig = z.output<typeof StudyFile>
