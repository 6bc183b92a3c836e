/**
 * Plain-language warnings of `synthesize`: what a careful reader of the numbers should know
 * (few studies, dependent effects, missing moderators, influential studies), with a code for
 * machines and a sentence for people.
 */
import type { Results } from "../../../data-schemas/results.ts"
import type { ThreeLevelRecord } from "../../../data-schemas/synthesis-results.ts"
import type { ModelRecord } from "./model.ts"
import type { ModeratorRecord } from "./moderators.ts"
import type { SynthesisSettings } from "./settings.ts"
import type { SmallStudyRecord } from "./small-study.ts"

export type Warning = Results["warnings"][number]

const formatCount = (n: number): string => String(n)

/** Fewer effects than this and small-study tests have too little power (Sterne et al. 2011). */
export const FEW_STUDIES = 10

/** Below this many Satterthwaite df the CR2 test is unreliable (Tipton 2015). */
export const ROBUST_MIN_DF = 4

export interface WarningInputs {
  readonly k: number
  readonly studies: number
  readonly dependentStudies: number
  readonly maxEffectsPerStudy: number
  readonly model: ModelRecord
  readonly moderators: ReadonlyArray<ModeratorRecord>
  readonly smallStudy: SmallStudyRecord
  readonly threeLevel: ThreeLevelRecord | null
  readonly settings: SynthesisSettings
}

const list = (items: ReadonlyArray<string>): string =>
  items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`

/** The warnings of a synthesis, in a fixed order. */
export const synthesisWarnings = (w: WarningInputs): Warning[] => {
  const out: Warning[] = []
  if (w.model.status === "not_estimable") {
    out.push({ code: "model_not_estimable", message: `The random-effects model could not be fitted: ${w.model.reason}` })
  }
  if (w.k < FEW_STUDIES) {
    out.push({
      code: "few_studies",
      message:
        `Only k = ${formatCount(w.k)} effects. With fewer than ${FEW_STUDIES} studies the tests for small-study effects (Egger, Begg) have little power, ` +
        "so a non-significant test is not evidence that there is no publication bias (Sterne et al., 2011); trim-and-fill is unreliable, " +
        "and τ² and I² are imprecise — read their confidence intervals rather than the point estimates.",
    })
    if (w.settings.test === "z" && w.settings.method !== "EE") {
      out.push({
        code: "few_studies_z_test",
        message:
          "With few studies the z-based confidence interval of the pooled effect is often too narrow; the Knapp–Hartung test " +
          "(--pooling-test knha, or synthesis.test in the study file) keeps closer to its nominal coverage (IntHout et al., 2014).",
      })
    }
  }
  if (w.dependentStudies > 0) {
    out.push({
      code: "dependent_effects",
      message:
        `${formatCount(w.dependentStudies)} of ${formatCount(w.studies)} studies report several effects (up to ${formatCount(w.maxEffectsPerStudy)}). ` +
        "The two-level model, the small-study tests and the sensitivity analyses treat those effects as independent, which overstates the precision; " +
        "the three-level model with cluster-robust (CR2) inference accounts for the dependence and is the one to report.",
    })
  }
  for (const m of w.moderators) {
    if (m.status === "not_estimable") {
      out.push({ code: "moderator_not_estimable", message: `Moderator "${m.column}" could not be analysed: ${m.reason}` })
      continue
    }
    if (m.omitted > 0) {
      out.push({
        code: "moderator_missing",
        message: `Moderator "${m.column}" is missing for ${formatCount(m.omitted)} of ${formatCount(w.k)} effects; those effects were left out of its model.`,
      })
    }
    const terms = m.coefficients.length - 1
    if (m.k < FEW_STUDIES * terms) {
      out.push({
        code: "few_studies_per_moderator",
        message:
          `Moderator "${m.column}" has ${formatCount(m.k)} effects for ${formatCount(terms)} coefficient${terms === 1 ? "" : "s"} ` +
          `(fewer than ${FEW_STUDIES} per coefficient): its test has little power and its estimates are unstable (Borenstein et al., 2009, ch. 20).`,
      })
    }
  }
  if (w.smallStudy.influence.status === "estimated") {
    const flagged = w.smallStudy.influence.rows.filter((r) => r.influential).map((r) => `${r.study}${r.effect === "1" ? "" : ` (effect ${r.effect})`}`)
    if (flagged.length > 0) {
      out.push({
        code: "influential_studies",
        message: `Influence diagnostics flag ${list(flagged)} as influential (Viechtbauer & Cheung, 2010); see the leave-one-out table for how the pooled estimate moves without ${flagged.length === 1 ? "it" : "each"}.`,
      })
    }
  }
  const three = w.threeLevel?.model
  if (three?.status === "not_estimable") {
    out.push({ code: "three_level_not_estimable", message: `The three-level model could not be fitted: ${three.reason}` })
  } else if (three?.status === "estimated" && three.robust.df < ROBUST_MIN_DF) {
    out.push({
      code: "robust_few_clusters",
      message:
        `The cluster-robust test of the three-level model has only ${three.robust.df.toFixed(1)} Satterthwaite degrees of freedom (fewer than ${ROBUST_MIN_DF}); ` +
        "with so few effective clusters its p-value is unreliable (Tipton, 2015) — report the model-based result beside it.",
    })
  }
  if (w.model.status === "estimated" && w.model.tau2_ci_note !== null) {
    out.push({ code: "tau2_interval", message: `τ² confidence interval: ${w.model.tau2_ci_note}` })
  }
  return out
}
