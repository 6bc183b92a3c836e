/**
 * Evidence synthesis of a studies file: the pure core of `synthesize`.
 *
 * Steps, in order:
 *   effects → two-level model (+ every τ² estimator) → moderators and subgroups →
 *   small-study and sensitivity analyses → three-level model (when studies report several
 *   effects) → warnings
 *
 * Input: the validated effects (src/ingest/read-studies.ts) and the resolved settings. Output: a
 * plain record shaped as data-schemas/synthesis-results.ts (the pipeline validates it there).
 */
import { SYNTHESIS_METHODS } from "../../../data-schemas/study-file.ts"
import type { EffectRecord, SynthesisResults } from "../../../data-schemas/synthesis-results.ts"
import { SYNTHESIS_SCHEMA_VERSION } from "../../../data-schemas/synthesis-results.ts"
import type { StudyEffect } from "../../ingest/read-studies.ts"
import { rmaUni } from "../../stats/meta-analysis/rma-uni.ts"
import { criticalValue } from "../../stats/meta-analysis/wald.ts"
import { modelRecord, tanhInterval } from "./model.ts"
import { analyseModerator } from "./moderators.ts"
import type { SynthesisSettings } from "./settings.ts"
import { smallStudyAnalyses } from "./small-study.ts"
import { threeLevelAnalyses } from "./three-level.ts"
import { synthesisWarnings } from "./warnings.ts"

export interface SynthesisInput {
  readonly tool: { readonly name: string; readonly version: string }
  readonly study: { readonly name: string; readonly title: string | null; readonly file: string }
  readonly effects: ReadonlyArray<StudyEffect>
  readonly settings: SynthesisSettings
}

/** Number of effects per study, in order of first appearance. */
export const effectsPerStudy = (effects: ReadonlyArray<StudyEffect>): Map<string, number> => {
  const counts = new Map<string, number>()
  for (const e of effects) counts.set(e.study, (counts.get(e.study) ?? 0) + 1)
  return counts
}

/** The whole synthesis (see the module comment). */
export const synthesize = (input: SynthesisInput): SynthesisResults => {
  const { effects, settings } = input
  const correlation = settings.effect === "correlation"
  const yi = effects.map((e) => e.yi)
  const vi = effects.map((e) => e.vi)
  const options = { method: settings.method, test: settings.test, level: settings.level }

  // two-level model, and the same under every τ² estimator
  const fit = rmaUni(yi, vi, options)
  const model = modelRecord(fit, correlation)
  const estimators = SYNTHESIS_METHODS.map((method) => ({
    method,
    model: method === settings.method ? model : modelRecord(rmaUni(yi, vi, { ...options, method }), correlation),
  }))

  // the effects as read, with their own CIs and weights
  const z = criticalValue("z", Number.NaN, settings.level)
  const rows: EffectRecord[] = effects.map((e, i) => {
    const ci: [number, number] = [e.yi - z * Math.sqrt(e.vi), e.yi + z * Math.sqrt(e.vi)]
    return {
      study: e.study,
      effect: e.effect,
      line: e.line,
      yi: e.yi,
      vi: e.vi,
      ci,
      r: e.r,
      r_ci: correlation ? tanhInterval(ci) : null,
      n: e.n,
      weight: fit.status === "estimated" ? fit.weights[i]! : null,
      moderators: { ...e.moderators },
    }
  })

  const moderators = settings.moderators.map((m) => analyseModerator(effects, m, settings))
  const smallStudy = smallStudyAnalyses(effects, settings)

  const perStudy = effectsPerStudy(effects)
  const counts = [...perStudy.values()]
  const dependentStudies = counts.filter((c) => c > 1).length
  const maxEffectsPerStudy = Math.max(0, ...counts)
  const threeLevel = dependentStudies > 0 ? threeLevelAnalyses(effects, settings) : null

  return {
    schema_version: SYNTHESIS_SCHEMA_VERSION,
    kind: "synthesis",
    tool: { name: input.tool.name, version: input.tool.version },
    study: { ...input.study },
    settings: {
      effect: settings.effect,
      scale: correlation ? "Fisher z (atanh r), variance 1/(n − 3)" : "yi as given, variance vi",
      effect_label: settings.effectLabel,
      method: settings.method,
      test: settings.test,
      ci_level: settings.level,
      moderators: settings.moderators.map((m) => ({ column: m.column, type: m.type })),
      subgroup: settings.subgroup,
      literature_reference: settings.literatureReference,
    },
    data: {
      k: effects.length,
      studies: perStudy.size,
      n_total: correlation ? effects.reduce((sum, e) => sum + (e.n ?? 0), 0) : null,
      several_effects_per_study: dependentStudies > 0,
      max_effects_per_study: maxEffectsPerStudy,
    },
    warnings: synthesisWarnings({
      k: effects.length,
      studies: perStudy.size,
      dependentStudies,
      maxEffectsPerStudy,
      model,
      moderators,
      smallStudy,
      threeLevel,
      settings,
    }),
    effects: rows,
    model,
    estimators,
    moderators,
    small_study: smallStudy,
    three_level: threeLevel,
  }
}
