/**
 * Plain-language warnings for the multilevel analyses: too few therapists for a therapist
 * variance to mean much, variances estimated at 0 (singular fits), models that could not be fitted.
 */
import type { MultilevelResults } from "../../../data-schemas/multilevel-results.ts"

/** Below this many therapists the report says the therapist ICC is not trustworthy. */
export const FEW_THERAPISTS = 10

type Warning = { code: string; message: string }

const singular = (factor: string, models: ReadonlyArray<string>): string =>
  `The ${factor} variance was estimated at exactly 0 (a "singular" fit) in the ${models.join(", the ")}. ` +
  `This does not show that ${factor}s do not differ: it means these data cannot tell such differences apart from ` +
  `the variation between individual observations, which is common with few ${factor}s or few observations per ${factor}. ` +
  `Such a model reduces to one without ${factor} groups, and an ICC for it is 0 with a lower limit of 0.`

export const multilevelWarnings = (m: MultilevelResults): Warning[] => {
  const warnings: Warning[] = []
  const add = (code: string, message: string) => warnings.push({ code, message })
  const t = m.therapist_effects
  if (t.n_therapists > 0 && t.n_therapists < FEW_THERAPISTS) {
    add(
      "few_therapists",
      `Only ${t.n_therapists} therapist${t.n_therapists === 1 ? "" : "s"} saw the analysed clients. A therapist variance estimated from so few therapists is not trustworthy: ` +
        `its interval is very wide, a value of 0 is common even when therapists do differ, and one unusual therapist can dominate it. ` +
        `Read the therapist ICC as a description of these ${t.n_therapists}, not as an estimate of therapist effects in general; ` +
        `studies of therapist effects usually need dozens of therapists (at least ${FEW_THERAPISTS}, better 30 or more).`,
    )
  }
  const models = [
    ["therapist ICC model of improvement", t.unadjusted],
    ["therapist ICC model adjusted for baseline", t.adjusted],
    ["site-adjusted therapist model", t.site_adjusted],
    ["alliance decomposition model", m.decomposition],
    ["session-level within/between model", m.within_between],
  ] as const
  const zeroes = new Map<string, string[]>() // factor → models with its variance at 0
  for (const [name, model] of models) {
    if (model.status !== "estimated") {
      // a study without two sites has no site-adjusted model, which the report says; not a warning
      if (model !== t.site_adjusted) add("multilevel_not_estimable", `The ${name} could not be fitted: ${model.reason}.`)
      continue
    }
    for (const c of model.variance_components) {
      if (c.source !== "residual" && c.variance === 0) zeroes.set(c.source, [...(zeroes.get(c.source) ?? []), name])
    }
  }
  for (const [factor, names] of zeroes) add("singular_fit", singular(factor, names))
  return warnings
}
