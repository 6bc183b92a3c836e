/**
 * The study design: sites, therapists nested in sites, and each therapist's caseload.
 *
 * Setup phase of the generator (see `model.ts` for the equations). Site parameters come from their
 * own random stream of the seed (stream 1), so the sites of seed 20260101 are the same whether the
 * study has 2,000 or 1,000,000 clients; therapists come from stream 2. Memory is O(sites +
 * therapists), never O(clients).
 */
import { categorical, normal, shuffleInPlace, standardNormal } from "../stats/random/distributions.ts"
import { createRng, type Rng } from "../stats/random/xoshiro.ts"
import { allianceSlopes, MODALITIES, type Modality, type SyntheticModel } from "./model.ts"

/** What to generate: sizes and seed. */
export interface StudyOptions {
  /** number of clients (≥ 2 · sites) */
  readonly clients: number
  /** number of sites (≥ 1) */
  readonly sites: number
  /** seed of every random draw: an integer in [0, 2^32) */
  readonly seed: number
  /** number of therapists; default round(clients · therapistsPerClient), within [sites, clients / minCaseload] */
  readonly therapists?: number
}

/** One site's parameters. */
export interface SiteDesign {
  readonly id: string
  readonly allianceShift: number
  readonly improvementShift: number
  readonly dropoutShift: number
  /** the site's true r(observed early alliance, observed improvement) */
  readonly targetR: number
  /** the latent correlation ρ_s = targetR / attenuation used in the simulation (capped below 0.95) */
  readonly latentRho: number
  /** the site's modality mix, in the order of MODALITIES, summing to 1 */
  readonly modalityMix: ReadonlyArray<number>
}

/** One therapist's parameters. */
export interface TherapistDesign {
  readonly id: string
  readonly site: number
  readonly caseload: number
  readonly modality: Modality
  /** t_j: alliance-building ability (standard normal) */
  readonly allianceAbility: number
  /** u_j: outcome effect not carried by the alliance (standard normal) */
  readonly outcomeEffect: number
  /** b_j: leniency of the therapist's own alliance ratings (WAI points) */
  readonly raterBias: number
}

/** The whole design, fixed before any client is simulated. */
export interface StudyDesign {
  readonly options: StudyOptions
  readonly model: SyntheticModel
  readonly sites: ReadonlyArray<SiteDesign>
  readonly therapists: ReadonlyArray<TherapistDesign>
  /** zero-padded width of client codes: C + max(6, digits(clients)) */
  readonly clientIdWidth: number
}

/** Random stream numbers of one seed (see `createRng`). */
export const STREAMS = { sites: 1, therapists: 2, clients: 3 } as const

const pad = (n: number, width: number): string => String(n).padStart(width, "0")
const digits = (n: number): number => String(n).length

/** The study code of client number `index` (1-based), e.g. `C000042`. */
export const clientCode = (index: number, width: number): string => `C${pad(index, width)}`

/**
 * The number of therapists the options imply: `options.therapists`, or round(clients · therapistsPerClient),
 * kept within [sites, clients / minCaseload].
 */
export const therapistCount = (options: StudyOptions, model: SyntheticModel): number => {
  const wanted = options.therapists ?? Math.round(options.clients * model.therapistsPerClient)
  return Math.min(Math.max(wanted, options.sites), Math.floor(options.clients / model.minCaseload))
}

/** Problems with the options, in words for a usage message; empty when they are fine. */
export const checkOptions = (options: StudyOptions, model: SyntheticModel): ReadonlyArray<string> => {
  const problems: string[] = []
  const isCount = (x: number) => Number.isInteger(x) && x >= 1 && x <= 1e8
  if (!isCount(options.sites)) problems.push(`--sites must be a whole number from 1 to 100000000, got ${options.sites}`)
  if (!isCount(options.clients)) problems.push(`--clients must be a whole number from 1 to 100000000, got ${options.clients}`)
  else if (isCount(options.sites) && options.clients < model.minCaseload * options.sites) {
    problems.push(`--clients must be at least ${model.minCaseload} × --sites (${model.minCaseload * options.sites}), got ${options.clients}`)
  }
  if (!Number.isInteger(options.seed) || options.seed < 0 || options.seed > 0xffffffff) {
    problems.push(`--seed must be a whole number from 0 to 4294967295, got ${options.seed}`)
  }
  if (options.therapists !== undefined) {
    const t = options.therapists
    if (!isCount(t) || t < options.sites || t * model.minCaseload > options.clients) {
      problems.push(`--therapists must be a whole number from --sites to --clients / ${model.minCaseload}, got ${t}`)
    }
  }
  return problems
}

/**
 * Splits `total` into integer parts proportional to `weights`, each at least `minimum`
 * (largest-remainder method; ties broken by index, so the result is deterministic).
 */
export const allocate = (total: number, weights: ReadonlyArray<number>, minimum: number): number[] => {
  const rest = total - minimum * weights.length
  if (rest < 0) throw new RangeError(`cannot give ${weights.length} parts at least ${minimum} each from ${total}`)
  const sum = weights.reduce((a, b) => a + b, 0)
  const exact = weights.map((w) => (rest * w) / sum)
  const parts = exact.map((x) => minimum + Math.floor(x))
  let left = total - parts.reduce((a, b) => a + b, 0)
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((p, q) => q.r - p.r || p.i - q.i)
  for (const { i } of order) {
    if (left <= 0) break
    parts[i] = (parts[i] ?? minimum) + 1
    left--
  }
  return parts
}

/** Evenly spaced offsets with mean 0 and population SD exactly 1 (all 0 for a single site). */
export const stratifiedOffsets = (n: number): number[] => {
  if (n === 1) return [0]
  const sd = Math.sqrt((n * n - 1) / 12)
  return Array.from({ length: n }, (_, r) => (r - (n - 1) / 2) / sd)
}

const designSites = (options: StudyOptions, model: SyntheticModel, rng: Rng): { sites: SiteDesign[]; sizes: number[] } => {
  const width = Math.max(2, digits(options.sites))
  const offsets = shuffleInPlace(rng, stratifiedOffsets(options.sites))
  const baseMix = MODALITIES.map((m) => model.modalityWeights[m])
  // ρ_s² · Var L must stay below 1 (see Z_i in model.ts)
  const maxRho = Math.min(0.95, 0.99 / Math.sqrt(allianceSlopes(model).varL))
  const sites: SiteDesign[] = []
  const sizes: number[] = []
  for (let s = 0; s < options.sites; s++) {
    sizes.push(Math.exp(model.siteSizeSdLog * standardNormal(rng)))
    const raw = baseMix.map((w) => w * Math.exp(model.siteModalitySdLog * standardNormal(rng)))
    const total = raw.reduce((a, b) => a + b, 0)
    const targetR = Math.tanh(Math.atanh(model.meanR) + model.tauZ * (offsets[s] ?? 0))
    sites.push({
      id: `S${pad(s + 1, width)}`,
      allianceShift: normal(rng, 0, model.siteAllianceSd),
      improvementShift: normal(rng, 0, model.siteImprovementSd),
      dropoutShift: normal(rng, 0, model.siteDropoutSd),
      targetR,
      latentRho: Math.min(maxRho, targetR / model.attenuation),
      modalityMix: raw.map((w) => w / total),
    })
  }
  return { sites, sizes }
}

/**
 * Builds the design for `options`: sites (stream 1), then therapists with their caseloads
 * (stream 2). Preconditions: `checkOptions(options, model)` is empty.
 */
export const planStudy = (options: StudyOptions, model: SyntheticModel): StudyDesign => {
  const problems = checkOptions(options, model)
  if (problems.length > 0) throw new RangeError(problems.join("; "))
  const { sites, sizes } = designSites(options, model, createRng(options.seed, STREAMS.sites))

  const rng = createRng(options.seed, STREAMS.therapists)
  const nTherapists = therapistCount(options, model)
  const perSite = allocate(nTherapists, sizes, 1)
  const siteOf: number[] = []
  perSite.forEach((n, s) => {
    for (let k = 0; k < n; k++) siteOf.push(s)
  })
  const caseloadWeights = siteOf.map(() => Math.exp(model.caseloadSdLog * standardNormal(rng)))
  const caseloads = allocate(options.clients, caseloadWeights, model.minCaseload)
  const width = Math.max(4, digits(nTherapists))
  const therapists: TherapistDesign[] = siteOf.map((s, j) => ({
    id: `T${pad(j + 1, width)}`,
    site: s,
    caseload: caseloads[j] ?? model.minCaseload,
    modality: MODALITIES[categorical(rng, sites[s]?.modalityMix ?? [1])] ?? "CBT",
    allianceAbility: standardNormal(rng),
    outcomeEffect: standardNormal(rng),
    raterBias: normal(rng, 0, model.therapistRaterBiasSd),
  }))
  return { options, model, sites, therapists, clientIdWidth: Math.max(6, digits(options.clients)) }
}
