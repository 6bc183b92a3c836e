/**
 * Simulates one client and their attended sessions under the model of `model.ts`.
 *
 * Phases per client: demographics → latent alliance and severity → common factors → improvement
 * potential → planned course → session loop (symptom, alliance with ruptures and repair, ratings,
 * dropout hazard) → outcome → missingness. Memory per client is bounded by maxSessions rows.
 */
import { bernoulli, categorical, integerInRange, type NormalSource, uniform } from "../stats/random/distributions.ts"
import { clientCode, type StudyDesign } from "./design.ts"
import {
  AGE_BANDS,
  allianceSlopes,
  COMMON_FACTORS,
  GENDERS,
  MODALITIES,
  residualOutcomeWeight,
  type AgeBand,
  type Gender,
  type Modality,
} from "./model.ts"

/** One row of clients.csv; `null` is a missing (blank) cell. */
export interface ClientRow {
  readonly client_id: string
  readonly therapist_id: string
  readonly site_id: string
  readonly modality: Modality
  readonly age_band: AgeBand
  readonly gender: Gender
  /** PHQ-9 at intake, integer 0–27 */
  readonly baseline: number | null
  /** PHQ-9 at the end of treatment (or at the last attended session for dropouts), integer 0–27 */
  readonly outcome: number | null
  /** CEQ-like expectancy, 1–9, one decimal */
  readonly expectancy: number | null
  /** client-rated therapist empathy, 1–7, one decimal */
  readonly empathy: number | null
  /** client-rated positive regard, 1–7, one decimal */
  readonly positive_regard: number | null
  /** client-rated congruence, 1–7, one decimal */
  readonly congruence: number | null
  /** number of session rows of this client */
  readonly sessions_attended: number
  readonly dropout: 0 | 1
}

/** One row of sessions.csv; `null` is a missing (blank) cell. Alliance values have two decimals. */
export interface SessionRow {
  readonly client_id: string
  /** session number, 1..sessions_attended */
  readonly session: number
  /** client-rated WAI-SR mean 1–5: the mean of the subscales present */
  readonly alliance: number | null
  readonly alliance_goal: number | null
  readonly alliance_task: number | null
  readonly alliance_bond: number | null
  /** therapist-rated alliance 1–5 */
  readonly alliance_therapist: number | null
  /** PHQ-9 before the session, integer 0–27 */
  readonly symptom: number | null
}

/** A client with their sessions in session order. */
export interface SyntheticClient {
  readonly client: ClientRow
  readonly sessions: ReadonlyArray<SessionRow>
}

/**
 * Simulates client number `clientIndex` (1-based) of therapist `therapistIndex`, drawing normals
 * from `gauss` and uniforms from `gauss.rng`.
 */
export type ClientSimulator = (therapistIndex: number, clientIndex: number, gauss: NormalSource) => SyntheticClient

const clamp = (x: number, lo: number, hi: number): number => (x < lo ? lo : x > hi ? hi : x)
const phq = (x: number): number => clamp(Math.round(x), 0, 27)
/** rounds to hundredths and clamps to the alliance scale, as integer hundredths */
const hundredths = (x: number): number => clamp(Math.round(x * 100), 100, 500)
const logistic = (x: number): number => 1 / (1 + Math.exp(-x))
const logit = (p: number): number => Math.log(p / (1 - p))

/** Precomputes the design's constants and returns the per-client simulation. */
export const makeClientSimulator = (design: StudyDesign): ClientSimulator => {
  const m = design.model
  const sqrtIcc = Math.sqrt(m.allianceTherapistIcc)
  const sqrtIccC = Math.sqrt(1 - m.allianceTherapistIcc)
  const { kT, kC, varL } = allianceSlopes(m)
  const residualWeight = residualOutcomeWeight(m)
  const ruptureLogit = logit(m.ruptureRate)
  const repairLogit = logit(m.repairProbability)
  const innovationSd = Math.sqrt(1 - m.fluctuationPhi ** 2) * m.fluctuationSd
  const logPlanned = Math.log(m.plannedMedian)
  const factorModels = COMMON_FACTORS.map((k) => {
    const f = m.commonFactors[k]
    const unique = Math.sqrt(1 - f.allianceLoading ** 2 - f.warmthLoading ** 2)
    return { ...f, unique, signal: Math.sqrt(f.reliability), noise: Math.sqrt(1 - f.reliability) }
  })

  return (therapistIndex, clientIndex, gauss) => {
    const rng = gauss.rng
    const th = design.therapists[therapistIndex]
    const site = th === undefined ? undefined : design.sites[th.site]
    if (th === undefined || site === undefined) throw new RangeError(`no therapist ${therapistIndex} in the design`)
    const clientId = clientCode(clientIndex, design.clientIdWidth)

    // demographics and modality
    const ageIndex = categorical(rng, m.ageBandWeights)
    const gender = GENDERS[categorical(rng, m.genderWeights)] ?? "female"
    const modality = bernoulli(rng, m.modalityFollowsTherapist)
      ? th.modality
      : (MODALITIES[categorical(rng, site.modalityMix)] ?? th.modality)

    // latent alliance and severity
    const c = gauss.next()
    const alpha = sqrtIcc * th.allianceAbility + sqrtIccC * c
    const level = m.allianceMean + site.allianceShift + m.allianceSd * alpha
    const growth = gauss.normal(m.growthMean, m.growthSd)
    const severity = gauss.normal(m.baselineMean, m.baselineSd)
    const baseline = phq(severity + gauss.normal(0, m.baselineErrorSd))

    // common factors and the improvement residual ω
    const warmth = gauss.next()
    let omega = m.warmthOutcomeWeight * warmth + m.therapistOutcomeWeight * th.outcomeEffect + residualWeight * gauss.next()
    const factorValues: number[] = []
    for (const f of factorModels) {
      const e = gauss.next()
      omega += f.outcomeWeight * e
      const latent = f.allianceLoading * alpha + f.warmthLoading * warmth + f.unique * e
      const observed = f.mean + f.sd * (f.signal * latent + f.noise * gauss.next())
      factorValues.push(clamp(Math.round(observed * 10), f.min * 10, f.max * 10) / 10)
    }

    // improvement potential Δ (PHQ points over a full course)
    const allianceDrive = kT * sqrtIcc * th.allianceAbility + kC * sqrtIccC * c
    const rho = site.latentRho
    const z = rho * allianceDrive + Math.sqrt(1 - rho * rho * varL) * omega
    const delta =
      m.improvementMean + site.improvementShift + m.modalityEffects[modality] +
      m.baselineSlope * (severity - m.baselineMean) + m.improvementSd * z

    // planned course and per-client alliance subscale offsets
    const planned = clamp(2 + Math.round(Math.exp(gauss.normal(logPlanned, m.plannedSdLog))), m.minSessions, m.maxSessions)
    const goalOffset = gauss.normal(m.subscaleOffsets[0], m.subscaleClientSd)
    const taskOffset = gauss.normal(m.subscaleOffsets[1], m.subscaleClientSd)
    const bondOffset = gauss.normal(m.subscaleOffsets[2], m.subscaleClientSd)
    const doseScale = 1 - Math.exp(-planned / m.doseTau)
    const pRupture = logistic(ruptureLogit + m.ruptureAllianceSlope * alpha)
    const pRepair = logistic(repairLogit + m.repairTherapistSlope * th.allianceAbility)
    const dropoutFixed =
      m.dropoutBaseLogit + site.dropoutShift + m.dropoutAllianceSlope * alpha +
      (ageIndex === 0 ? m.dropoutYoungEffect : 0) +
      (m.dropoutSeveritySlope * (severity - m.baselineMean)) / m.baselineSd

    // session loop
    const sessions: SessionRow[] = []
    let fluctuation = gauss.normal(0, m.fluctuationSd)
    let deficit = 0
    let repairStepsLeft = 0
    let repairSecondStep = 0
    let ruptureEffects = 0
    let previous = Number.NaN
    let previousDeviation = 0
    let attended = planned
    let dropout: 0 | 1 = 0
    for (let t = 1; t <= planned; t++) {
      const doseSoFar = (1 - Math.exp(-(t - 1) / m.doseTau)) / doseScale
      const symptom = phq(
        severity - delta * doseSoFar - ruptureEffects - m.withinClientEffect * previousDeviation +
          gauss.normal(0, m.symptomNoiseSd),
      )
      if (t > 1) fluctuation = m.fluctuationPhi * fluctuation + innovationSd * gauss.next()
      const expected = level + growth * Math.log(t)
      let unrepairedNow = false
      if (repairStepsLeft > 0) {
        repairStepsLeft--
        deficit = repairStepsLeft > 0 ? repairSecondStep : 0
        if (repairStepsLeft === 0) ruptureEffects += m.ruptureRepairedEffect
      } else {
        deficit *= m.unrepairedDecay
        if (t >= 2 && previous >= m.ruptureMinPrevious && bernoulli(rng, pRupture)) {
          const drop = uniform(rng, m.ruptureDrop[0], m.ruptureDrop[1])
          deficit = Math.max(0, expected + fluctuation - (previous - drop))
          if (bernoulli(rng, pRepair)) {
            const fast = bernoulli(rng, 0.5)
            repairStepsLeft = fast ? 1 : 2
            repairSecondStep = 0.4 * deficit
          } else {
            unrepairedNow = true
            ruptureEffects += m.ruptureUnrepairedEffect
          }
        }
      }
      const v = clamp(expected + fluctuation - deficit, 1, 5)
      previous = v
      previousDeviation = v - expected

      // ratings and missingness (scalars, no per-session arrays: this loop runs ~9M times at scale)
      const goal = hundredths(v + goalOffset + gauss.normal(0, m.subscaleNoiseSd))
      const task = hundredths(v + taskOffset + gauss.normal(0, m.subscaleNoiseSd))
      const bond = hundredths(v + bondOffset + gauss.normal(0, m.subscaleNoiseSd))
      const therapistRating = hundredths(
        m.therapistRatingMean + th.raterBias + m.therapistRatingSlope * (v - m.allianceMean) +
          gauss.normal(0, m.therapistRatingNoiseSd),
      )
      const formMissing = bernoulli(rng, m.allianceFormMissing)
      const dropSub = !formMissing && bernoulli(rng, m.subscaleMissing) ? integerInRange(rng, 0, 2) : -1
      const alliance = formMissing
        ? null
        : dropSub === 0 ? Math.round((task + bond) / 2) / 100
        : dropSub === 1 ? Math.round((goal + bond) / 2) / 100
        : dropSub === 2 ? Math.round((goal + task) / 2) / 100
        : Math.round((goal + task + bond) / 3) / 100
      sessions.push({
        client_id: clientId,
        session: t,
        alliance,
        alliance_goal: formMissing || dropSub === 0 ? null : goal / 100,
        alliance_task: formMissing || dropSub === 1 ? null : task / 100,
        alliance_bond: formMissing || dropSub === 2 ? null : bond / 100,
        alliance_therapist: bernoulli(rng, m.therapistRatingMissing) ? null : therapistRating / 100,
        symptom: bernoulli(rng, m.symptomMissing) ? null : symptom,
      })

      if (t >= m.minSessions && t < planned) {
        const hazard = logistic(dropoutFixed + (unrepairedNow ? m.dropoutRuptureEffect : 0))
        if (bernoulli(rng, hazard)) {
          attended = t
          dropout = 1
          break
        }
      }
    }

    // outcome and client-level missingness
    const outcome = phq(severity - delta * ((1 - Math.exp(-attended / m.doseTau)) / doseScale) - ruptureEffects + gauss.normal(0, m.outcomeErrorSd))
    const outcomeMissing = bernoulli(rng, dropout === 1 ? m.outcomeMissingDropout : m.outcomeMissingCompleter)
    const formMissing = bernoulli(rng, m.factorFormMissing)
    const factors: Array<number | null> = []
    for (const value of factorValues) {
      const itemMissing = bernoulli(rng, m.factorItemMissing)
      factors.push(formMissing || itemMissing ? null : value)
    }
    const client: ClientRow = {
      client_id: clientId,
      therapist_id: th.id,
      site_id: site.id,
      modality,
      age_band: AGE_BANDS[ageIndex] ?? "25-34",
      gender,
      baseline: bernoulli(rng, m.baselineMissing) ? null : baseline,
      outcome: outcomeMissing ? null : outcome,
      expectancy: factors[0] ?? null,
      empathy: factors[1] ?? null,
      positive_regard: factors[2] ?? null,
      congruence: factors[3] ?? null,
      sessions_attended: attended,
      dropout,
    }
    return { client, sessions }
  }
}
