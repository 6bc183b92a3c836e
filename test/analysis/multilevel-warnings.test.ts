/** The plain-language multilevel warnings (src/analysis/multilevel/warnings.ts) and the caterpillar subset. */
import { describe, expect, it } from "vitest"
import type { IccModel, MultilevelResults } from "../../data-schemas/multilevel-results.ts"
import { evenlyByRank } from "../../src/analysis/multilevel/therapist-effects.ts"
import { multilevelWarnings } from "../../src/analysis/multilevel/warnings.ts"

const model = (therapistVariance: number): IccModel => ({
  status: "estimated",
  formula: "improvement ~ 1 + (1 | therapist)",
  n: 40,
  fixed: [],
  variance_components: [
    { source: "therapist", groups: 3, variance: therapistVariance, share: therapistVariance / (therapistVariance + 20) },
    { source: "residual", groups: null, variance: 20, share: 20 / (therapistVariance + 20) },
  ],
  reml_criterion: 250,
  singular: therapistVariance === 0,
  reference: "lme4::lmer",
  label: "improvement",
  n_therapists: 3,
  icc: therapistVariance / (therapistVariance + 20),
  icc_ci: [0, 0.5],
})

const results = (therapists: number, therapistVariance: number): MultilevelResults => ({
  therapist_effects: {
    n_clients: 40,
    n_therapists: therapists,
    clients_per_therapist: null,
    patient_therapist_ratio: 40 / therapists,
    unadjusted: model(therapistVariance),
    adjusted: model(therapistVariance),
    site_adjusted: { status: "not_estimable", n: 40, reason: "the study has no site_id column" },
    caterpillar: [],
    caterpillar_eligible: 0,
    caterpillar_left_out: therapists,
  },
  decomposition: { status: "not_estimable", n: 0, reason: "sessions.csv has no client-rated alliance column" },
  within_between: { status: "not_estimable", n: 0, reason: "sessions.csv has no symptom column, so there are no session-level scores to relate" },
})

describe("multilevelWarnings", () => {
  it("says why a therapist ICC from 3 therapists is not trustworthy", () => {
    const [first] = multilevelWarnings(results(3, 1))
    expect(first?.code).toBe("few_therapists")
    expect(first?.message).toMatch(/^Only 3 therapists saw the analysed clients\. .*not trustworthy/)
    expect(first?.message).toMatch(/not as an estimate of therapist effects in general/)
  })

  it("explains a therapist variance of 0 instead of printing 'singular'", () => {
    const singular = multilevelWarnings(results(12, 0)).filter((w) => w.code === "singular_fit")
    expect(singular).toHaveLength(1)
    expect(singular[0]!.message).toMatch(
      /^The therapist variance was estimated at exactly 0 \(a "singular" fit\) in the therapist ICC model of improvement, the therapist ICC model adjusted for baseline\. /,
    )
    expect(singular[0]!.message).toMatch(/does not show that therapists do not differ/)
  })

  it("names each model that could not be fitted, with its reason, but not a missing site model", () => {
    const codes = multilevelWarnings(results(12, 1))
    expect(codes.map((w) => w.code)).toEqual(["multilevel_not_estimable", "multilevel_not_estimable"])
    expect(codes[1]!.message).toBe("The session-level within/between model could not be fitted: sessions.csv has no symptom column, so there are no session-level scores to relate.")
  })
})

describe("evenlyByRank", () => {
  it("keeps everything up to the maximum, and otherwise the first, the last and evenly spaced ranks between", () => {
    expect(evenlyByRank([1, 2, 3], 5)).toEqual([1, 2, 3])
    const ranks = Array.from({ length: 1000 }, (_, i) => i)
    const shown = evenlyByRank(ranks, 200)
    expect(shown).toHaveLength(200)
    expect([shown[0], shown[1], shown[199]]).toEqual([0, 5, 999]) // round(999/199) = 5
  })
})
