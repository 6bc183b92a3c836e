/**
 * A synthetic literature of alliance–outcome correlations, for the bundled synthesis example
 * (examples/example-synthesis/): studies that report one to four correlations each, with the
 * moderators such a literature codes, realistic sample sizes and a mild publication bias.
 *
 * Model (Fisher z scale; every draw from one seeded generator, so the file is the same on every run):
 *
 *   θ_s   = μ + β_year·(year_s − 2000)/10 + β_measure[m_s] + u_s,          u_s ~ N(0, σ²₃)   (study)
 *   θ_sj  = θ_s + β_rater[rater_sj] + β_timing[timing_sj] + w_sj,           w_sj ~ N(0, σ²₂)  (effect)
 *   z_sj  ~ N(θ_sj, 1/(n_s − 3)),  r_sj = tanh(z_sj) rounded to 2 decimals as journals print it
 *
 * μ = atanh(.27) (near Flückiger et al. 2018), σ₃ = .09, σ₂ = .05; n_s log-normal (median 65,
 * 12–600); effects per study 1 (60%), 2 (20%), 3 (12%) or 4 (8%); ratings by the client (60%),
 * therapist (25%) or an observer (15%), with the therapist's view slightly weaker (−.04); early,
 * mid or late alliance (timing missing for 5% of effects). Publication bias: a study whose first
 * effect is not significant (two-sided p ≥ .05) and whose n < 60 stays unpublished with
 * probability .5, and a new study is drawn in its place — so small null studies are scarce and
 * the funnel plot leans, as in real literatures.
 */
import { categorical, normal, uniform, integerInRange, bernoulli } from "../stats/random/distributions.ts"
import { createRng, type Rng } from "../stats/random/xoshiro.ts"
import { normalCdf } from "../stats/distributions/normal.ts"

export interface SyntheticStudiesOptions {
  readonly studies: number
  readonly seed: number
  /** publication bias against small null studies (default true; false shows the unselected literature) */
  readonly selection?: boolean
}

export interface SyntheticEffectRow {
  readonly study_id: string
  readonly es_id: string
  readonly r: number
  readonly n: number
  readonly year: number
  readonly measure: string
  readonly rater: string
  readonly timing: string | null
}

const MEASURES = ["WAI", "CALPAS", "HAq", "other"] as const
const MEASURE_SHIFT = [0, 0.02, -0.02, -0.03]
const RATERS = ["client", "therapist", "observer"] as const
const RATER_SHIFT = [0, -0.04, 0]
const TIMINGS = ["early", "mid", "late"] as const
const TIMING_SHIFT = [-0.02, 0, 0.03]

const MU = Math.atanh(0.27)
const SIGMA_STUDY = 0.09
const SIGMA_EFFECT = 0.05

const sampleSize = (rng: Rng): number => Math.min(600, Math.max(12, Math.round(Math.exp(normal(rng, Math.log(65), 0.7)))))

const drawStudy = (rng: Rng, index: number) => {
  const n = sampleSize(rng)
  const year = integerInRange(rng, 1985, 2017)
  const m = categorical(rng, [0.45, 0.2, 0.15, 0.2])
  const theta = MU + 0.01 * ((year - 2000) / 10) + MEASURE_SHIFT[m]! + normal(rng, 0, SIGMA_STUDY)
  const count = 1 + categorical(rng, [0.6, 0.2, 0.12, 0.08])
  const effects = Array.from({ length: count }, (_, j): SyntheticEffectRow => {
    const rater = categorical(rng, [0.6, 0.25, 0.15])
    const timing = categorical(rng, [0.5, 0.3, 0.2])
    const z = theta + RATER_SHIFT[rater]! + TIMING_SHIFT[timing]! + normal(rng, 0, SIGMA_EFFECT) + normal(rng, 0, 1 / Math.sqrt(n - 3))
    const r = Math.round(Math.tanh(z) * 100) / 100
    return {
      study_id: `S${String(index + 1).padStart(3, "0")}`,
      es_id: String(j + 1),
      r: Math.abs(r) >= 1 ? Math.sign(r) * 0.99 : r,
      n,
      year,
      measure: MEASURES[m]!,
      rater: RATERS[rater]!,
      timing: bernoulli(rng, 0.05) ? null : TIMINGS[timing]!,
    }
  })
  return { n, effects }
}

/** Two-sided p of H0: ρ = 0 for a correlation r from n pairs, by Fisher z. */
const pOf = (r: number, n: number): number => 2 * normalCdf(Math.abs(Math.atanh(r)) * Math.sqrt(n - 3), false)

/** The synthetic literature: `studies` published studies, in order, from `seed`. */
export const generateStudies = (options: SyntheticStudiesOptions): SyntheticEffectRow[] => {
  if (!Number.isInteger(options.studies) || options.studies < 1) throw new RangeError(`studies must be a whole number ≥ 1, got ${options.studies}`)
  const rng = createRng(options.seed)
  const rows: SyntheticEffectRow[] = []
  for (let s = 0; s < options.studies; s++) {
    for (;;) {
      const study = drawStudy(rng, s)
      const first = study.effects[0]!
      const hidden = (options.selection ?? true) && pOf(first.r, first.n) >= 0.05 && study.n < 60 && uniform(rng, 0, 1) < 0.5
      if (!hidden) {
        rows.push(...study.effects)
        break
      }
    }
  }
  return rows
}

/** The rows as CSV text (header study_id,es_id,r,n,year,measure,rater,timing; missing timing as NA). */
export const studiesCsv = (rows: ReadonlyArray<SyntheticEffectRow>): string =>
  ["study_id,es_id,r,n,year,measure,rater,timing", ...rows.map((r) => [r.study_id, r.es_id, r.r.toFixed(2), r.n, r.year, r.measure, r.rater, r.timing ?? "NA"].join(","))].join("\n") + "\n"
