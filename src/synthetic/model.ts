/**
 * The data-generating model of the synthetic multi-site psychotherapy study, and its parameters.
 *
 * Everything here is a documented number; the simulation itself lives in `design.ts` (sites,
 * therapists, caseloads) and `simulate-client.ts` (one client and their sessions). Scales:
 * alliance is a WAI-SR mean (1–5, higher = stronger), symptoms are PHQ-9 totals (0–27, lower is
 * better), "z" means a standard-normal latent variable.
 *
 * SITES s (stream 1 of the seed, so they do not change with the number of clients)
 *   size weight            v_s = exp(siteSizeSdLog · z)
 *   alliance shift         a_s ~ N(0, siteAllianceSd)                     (WAI points)
 *   improvement shift      m_s ~ N(0, siteImprovementSd)                  (PHQ points)
 *   dropout shift          d_s ~ N(0, siteDropoutSd)                      (logit)
 *   alliance–outcome r     r_s = tanh(atanh(meanR) + tauZ · o_s)
 *     o_s are evenly spaced offsets with mean 0 and SD exactly 1, randomly permuted over sites
 *     (a stratified design), so the true between-site SD on the Fisher-z scale is exactly tauZ.
 *     r_s is the population correlation of the OBSERVED early alliance (mean of sessions 1–3)
 *     with the OBSERVED improvement (baseline − outcome) among clients with both; the latent
 *     correlation used below is ρ_s = r_s / attenuation (attenuation was calibrated by simulating
 *     1,000,000 clients; it absorbs measurement error, dropout and floor effects).
 *   modality mix           base weights × exp(siteModalitySdLog · z), renormalised
 *
 * THERAPISTS j, nested in sites (T = round(clients · therapistsPerClient), at least one per site)
 *   site                   allocated in proportion to v_s (largest remainder)
 *   caseload               minCaseload + share of the rest ∝ exp(caseloadSdLog · z)
 *   modality               drawn from the site's mix
 *   t_j ~ N(0,1)           alliance-building ability (the therapist part of alliance)
 *   u_j ~ N(0,1)           outcome effect not carried by the alliance
 *   b_j ~ N(0, therapistRaterBiasSd)   leniency of the therapist's own alliance ratings
 *   repair logit           logit(repairProbability) + repairTherapistSlope · t_j
 *
 * CLIENTS i (seen by therapist j at site s, in an interleaved random order)
 *   age band, gender       categorical, independent of everything except a small dropout effect
 *   modality               the therapist's with probability modalityFollowsTherapist, else site mix
 *   α_i = √ICC·t_j + √(1−ICC)·c_i      standardised true alliance, c_i ~ N(0,1), ICC = allianceTherapistIcc
 *   A_i = allianceMean + a_s + allianceSd · α_i                       alliance level at session 1
 *   g_i ~ N(growthMean, growthSd)                                     alliance growth per ln(session)
 *   B_i ~ N(baselineMean, baselineSd)                                 true intake severity
 *   baseline = clamp(round(B_i + N(0, baselineErrorSd)), 0, 27)
 *   common factors F_k = a_k·α_i + b_k·W_i + c_k·e_ik   (W_i: shared "warmth" factor; c_k = √(1−a_k²−b_k²))
 *     observed = clamp(round1(mean_k + sd_k·(√rel·F_k + √(1−rel)·N(0,1))), scale)
 *   L_i = κ_T·√ICC·t_j + κ_C·√(1−ICC)·c_i,  κ_T = therapistSlopeRatio·κ_C,  κ_T·ICC + κ_C·(1−ICC) = 1
 *     (Baldwin et al. 2007: a therapist's alliance advantage predicts outcome more strongly per
 *     point than a client's; cov(α, L) = 1 so corr(α, Z) below is exactly ρ_s)
 *   ω_i = Σ_k w_k·e_ik + w_W·W_i + w_u·u_j + w_r·ε_i                  (Σ w² = 1, all independent of α)
 *   Z_i = ρ_s·L_i + √(1 − ρ_s²·Var L)·ω_i                            standardised improvement potential
 *   Δ_i = improvementMean + m_s + modalityEffect + baselineSlope·(B_i − baselineMean) + improvementSd·Z_i
 *   planned course K_i = clamp(2 + round(exp(N(ln plannedMedian, plannedSdLog))), 3, 20)
 *
 * SESSIONS t = 1, 2, … (every client attends at least minSessions = 3)
 *   e_t = φ·e_{t−1} + √(1−φ²)·σ·N(0,1)                                 AR(1) week-to-week fluctuation
 *   v_t = A_i + g_i·ln t + e_t − deficit_t, clamped to [1, 5]           the client's experienced alliance
 *   rupture (t ≥ 2, no rupture active, v_{t−1} ≥ ruptureMinPrevious) with probability
 *     logistic(logit(ruptureRate) + ruptureAllianceSlope·α_i): v_t = v_{t−1} − D, D ~ U(ruptureDrop)
 *     repaired (therapist-dependent probability): deficit falls to 0 in 1 session (half the time)
 *       or to 40% then 0 over 2; improvement + ruptureRepairedEffect
 *     unrepaired: deficit decays by unrepairedDecay per session; improvement + ruptureUnrepairedEffect
 *   subscales goal/task/bond = clamp(round2(v_t + δ_ik + N(0, subscaleNoiseSd)), 1, 5),
 *     δ_ik ~ N(subscaleOffset_k, subscaleClientSd); alliance = round2(mean of the subscales present)
 *   alliance_therapist = clamp(round2(therapistRatingMean + b_j + therapistRatingSlope·(v_t − allianceMean)
 *     + N(0, therapistRatingNoiseSd)), 1, 5)
 *   symptom_t = clamp(round(B_i − Δ_i·dose(t−1) − R_t − withinClientEffect·dev_{t−1} + N(0, symptomNoiseSd)), 0, 27)
 *     dose(x) = (1 − e^(−x/doseTau)) / (1 − e^(−K_i/doseTau)); R_t = rupture effects so far;
 *     dev_{t−1} = v_{t−1} − (A_i + g_i·ln(t−1)): a better-than-usual alliance this week lowers next
 *     week's symptoms (the within-client effect of Falkenström et al. 2020)
 *   dropout after session t (3 ≤ t < K_i) with hazard logistic(dropoutBaseLogit + d_s
 *     + dropoutAllianceSlope·α_i + dropoutYoungEffect·[18-24] + dropoutSeveritySlope·(B_i−mean)/sd
 *     + dropoutRuptureEffect·[unrepaired rupture this session])
 *   outcome = clamp(round(B_i − Δ_i·dose(k) − R_k + N(0, outcomeErrorSd)), 0, 27), k = sessions attended
 *
 * MISSINGNESS: baseline (baselineMissing), outcome (outcomeMissingDropout for dropouts,
 * outcomeMissingCompleter otherwise), the common-factor questionnaire as a whole or one scale,
 * and per session the client's alliance form, one subscale, the therapist's rating and the PHQ-9.
 * Missing ratings are blank cells; attended sessions are never missing rows.
 */

/** The treatment modalities written to `modality`. */
export const MODALITIES = ["CBT", "psychodynamic", "humanistic", "systemic", "integrative"] as const
export type Modality = (typeof MODALITIES)[number]

/** Banded ages written to `age_band`. */
export const AGE_BANDS = ["18-24", "25-34", "35-44", "45-54", "55-64", "65+"] as const
export type AgeBand = (typeof AGE_BANDS)[number]

/** Gender categories written to `gender`. */
export const GENDERS = ["female", "male", "non-binary"] as const
export type Gender = (typeof GENDERS)[number]

/** The client-rated common factors written to clients.csv, in column order. */
export const COMMON_FACTORS = ["expectancy", "empathy", "positive_regard", "congruence"] as const
export type CommonFactor = (typeof COMMON_FACTORS)[number]

/** How one client-rated common factor is generated (see F_k and ω_i in the header). */
export interface CommonFactorModel {
  /** loading a_k on the standardised true alliance α */
  readonly allianceLoading: number
  /** loading b_k on the shared warmth factor W */
  readonly warmthLoading: number
  /** weight w_k of the factor's unique part e_k in the improvement residual ω */
  readonly outcomeWeight: number
  /** mean and SD of the observed score, and its scale limits */
  readonly mean: number
  readonly sd: number
  readonly min: number
  readonly max: number
  /** reliability of the observed score (share of its variance that is F_k) */
  readonly reliability: number
}

/** Every parameter of the data-generating model; see the header comment for the equations. */
export interface SyntheticModel {
  // design
  readonly therapistsPerClient: number
  readonly minCaseload: number
  readonly caseloadSdLog: number
  readonly siteSizeSdLog: number
  readonly modalityWeights: Readonly<Record<Modality, number>>
  readonly modalityEffects: Readonly<Record<Modality, number>>
  readonly siteModalitySdLog: number
  readonly modalityFollowsTherapist: number
  readonly ageBandWeights: ReadonlyArray<number>
  readonly genderWeights: ReadonlyArray<number>
  // sites
  readonly siteAllianceSd: number
  readonly siteImprovementSd: number
  readonly siteDropoutSd: number
  readonly meanR: number
  readonly tauZ: number
  readonly attenuation: number
  // alliance
  readonly allianceMean: number
  readonly allianceSd: number
  readonly allianceTherapistIcc: number
  readonly therapistSlopeRatio: number
  readonly growthMean: number
  readonly growthSd: number
  readonly fluctuationPhi: number
  readonly fluctuationSd: number
  readonly subscaleOffsets: readonly [goal: number, task: number, bond: number]
  readonly subscaleClientSd: number
  readonly subscaleNoiseSd: number
  readonly therapistRatingMean: number
  readonly therapistRatingSlope: number
  readonly therapistRatingNoiseSd: number
  readonly therapistRaterBiasSd: number
  // ruptures
  readonly ruptureRate: number
  readonly ruptureAllianceSlope: number
  readonly ruptureMinPrevious: number
  readonly ruptureDrop: readonly [min: number, max: number]
  readonly repairProbability: number
  readonly repairTherapistSlope: number
  readonly unrepairedDecay: number
  readonly ruptureRepairedEffect: number
  readonly ruptureUnrepairedEffect: number
  // symptoms and improvement
  readonly baselineMean: number
  readonly baselineSd: number
  readonly baselineErrorSd: number
  readonly improvementMean: number
  readonly improvementSd: number
  readonly baselineSlope: number
  readonly commonFactors: Readonly<Record<CommonFactor, CommonFactorModel>>
  readonly warmthOutcomeWeight: number
  readonly therapistOutcomeWeight: number
  readonly doseTau: number
  readonly symptomNoiseSd: number
  readonly outcomeErrorSd: number
  readonly withinClientEffect: number
  // course length and dropout
  readonly minSessions: number
  readonly maxSessions: number
  readonly plannedMedian: number
  readonly plannedSdLog: number
  readonly dropoutBaseLogit: number
  readonly dropoutAllianceSlope: number
  readonly dropoutYoungEffect: number
  readonly dropoutSeveritySlope: number
  readonly dropoutRuptureEffect: number
  // missingness
  readonly baselineMissing: number
  readonly outcomeMissingDropout: number
  readonly outcomeMissingCompleter: number
  readonly factorFormMissing: number
  readonly factorItemMissing: number
  readonly allianceFormMissing: number
  readonly subscaleMissing: number
  readonly therapistRatingMissing: number
  readonly symptomMissing: number
}

/**
 * The default model: realistic values from the alliance and common-factors literature.
 * Targets: ~12% of alliance variance between therapists; ~5% of improvement variance between
 * therapists; site r(early alliance, improvement) around .28 (Flückiger et al. 2018) with
 * τ = 0.09 on the Fisher-z scale; ~20% dropout, more with weak early alliance (Sharf et al. 2010);
 * empathy and positive regard r ≈ .25 with improvement, congruence ≈ .2, expectancy ≈ .15
 * (Elliott et al. 2018; Farber et al. 2018; Kolden et al. 2018; Constantino et al. 2018).
 */
export const DEFAULT_MODEL: SyntheticModel = {
  therapistsPerClient: 0.085, // 2,000 clients → 170 therapists (mean caseload ≈ 11.8)
  minCaseload: 2,
  caseloadSdLog: 0.55,
  siteSizeSdLog: 0.35,
  modalityWeights: { CBT: 0.4, psychodynamic: 0.15, humanistic: 0.15, systemic: 0.1, integrative: 0.2 },
  modalityEffects: { CBT: 0.3, psychodynamic: 0, humanistic: -0.1, systemic: -0.2, integrative: 0.1 }, // PHQ points: near-equivalence ("Dodo bird")
  siteModalitySdLog: 0.4,
  modalityFollowsTherapist: 0.9,
  ageBandWeights: [0.18, 0.26, 0.2, 0.16, 0.12, 0.08],
  genderWeights: [0.65, 0.33, 0.02],

  siteAllianceSd: 0.08,
  siteImprovementSd: 0.6,
  siteDropoutSd: 0.25,
  meanR: 0.28,
  tauZ: 0.09,
  // calibrated: with 1,000,000 clients (seed 20260101) every site's realised r is within ±.01 of
  // its r_s, the REML pooled r is .278 and τ̂ = 0.090. Re-check if you change noise or dropout parameters.
  attenuation: 0.72,

  allianceMean: 3.75,
  allianceSd: 0.55,
  allianceTherapistIcc: 0.12,
  therapistSlopeRatio: 1.75,
  growthMean: 0.07,
  growthSd: 0.04,
  fluctuationPhi: 0.3,
  fluctuationSd: 0.22,
  subscaleOffsets: [-0.05, -0.05, 0.1],
  subscaleClientSd: 0.15,
  subscaleNoiseSd: 0.15,
  therapistRatingMean: 3.65,
  therapistRatingSlope: 0.45,
  therapistRatingNoiseSd: 0.35,
  therapistRaterBiasSd: 0.25,

  ruptureRate: 0.035,
  ruptureAllianceSlope: -0.4,
  ruptureMinPrevious: 2.2,
  ruptureDrop: [1.2, 2.0],
  repairProbability: 0.6,
  repairTherapistSlope: 0.5,
  unrepairedDecay: 0.8,
  ruptureRepairedEffect: 1.0,
  ruptureUnrepairedEffect: -1.0,

  baselineMean: 15.5,
  baselineSd: 5,
  baselineErrorSd: 1.5,
  improvementMean: 6,
  improvementSd: 4.5,
  baselineSlope: 0.35,
  commonFactors: {
    expectancy: { allianceLoading: 0.3, warmthLoading: 0.15, outcomeWeight: 0.06, mean: 6.2, sd: 1.5, min: 1, max: 9, reliability: 0.85 },
    empathy: { allianceLoading: 0.55, warmthLoading: 0.45, outcomeWeight: 0.12, mean: 5.6, sd: 0.9, min: 1, max: 7, reliability: 0.85 },
    positive_regard: { allianceLoading: 0.45, warmthLoading: 0.55, outcomeWeight: 0.1, mean: 5.8, sd: 0.85, min: 1, max: 7, reliability: 0.85 },
    congruence: { allianceLoading: 0.4, warmthLoading: 0.35, outcomeWeight: 0.09, mean: 5.5, sd: 0.9, min: 1, max: 7, reliability: 0.85 },
  },
  warmthOutcomeWeight: 0.2,
  therapistOutcomeWeight: 0.08,
  doseTau: 4,
  symptomNoiseSd: 2,
  outcomeErrorSd: 2.5,
  withinClientEffect: 1.2,

  minSessions: 3,
  maxSessions: 20,
  plannedMedian: 6.8,
  plannedSdLog: 0.42,
  dropoutBaseLogit: -3.55,
  dropoutAllianceSlope: -0.55,
  dropoutYoungEffect: 0.3,
  dropoutSeveritySlope: 0.15,
  dropoutRuptureEffect: 1.5,

  baselineMissing: 0.01,
  outcomeMissingDropout: 0.45,
  outcomeMissingCompleter: 0.015,
  factorFormMissing: 0.02,
  factorItemMissing: 0.01,
  allianceFormMissing: 0.035,
  subscaleMissing: 0.005,
  therapistRatingMissing: 0.05,
  symptomMissing: 0.03,
}

/** The weight w_r of the pure-noise part of ω, so that the weights' squares sum to 1. */
export const residualOutcomeWeight = (m: SyntheticModel): number => {
  let sum = m.warmthOutcomeWeight ** 2 + m.therapistOutcomeWeight ** 2
  for (const k of COMMON_FACTORS) sum += m.commonFactors[k].outcomeWeight ** 2
  if (sum > 1) throw new RangeError("outcome weights of the improvement residual must have squares summing to at most 1")
  return Math.sqrt(1 - sum)
}

/** κ_T, κ_C and Var L for the therapist/client split of the alliance's effect on improvement. */
export const allianceSlopes = (m: SyntheticModel): { readonly kT: number; readonly kC: number; readonly varL: number } => {
  const icc = m.allianceTherapistIcc
  const kC = 1 / (m.therapistSlopeRatio * icc + 1 - icc)
  const kT = m.therapistSlopeRatio * kC
  return { kT, kC, varL: kT * kT * icc + kC * kC * (1 - icc) }
}
