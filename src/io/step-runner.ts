/**
 * Running the pipeline's steps through the step cache (step-cache.ts): each step's product is
 * looked up under its key first, and computed (then stored) only when it is not there. Reading the
 * data happens only when some step has to run. Without a cache folder every step simply runs.
 *
 * The keys (src/provenance/cache-keys.ts): every step has the code and the runtime; the data steps
 * have the input files' contents, the study-file sections reading sees, the derive settings and
 * their own settings (src/analysis/steps.ts); the report has the results it draws. The input files
 * are hashed before they are read and again while they are read: if the two differ (a file changed
 * during the run), every step runs on what was read, and nothing computed from them is stored.
 */
import * as Effect from "effect/Effect"
import { type SlicedStep, settingsFor, type StepSettings } from "../analysis/steps.ts"
import type { AnalysisSettings } from "../analysis/settings.ts"
import { baseComponents, dataComponents, readConfigOf, settingComponents } from "../provenance/cache-keys.ts"
import { Progress } from "../cli/Progress.ts"
import { TOOL } from "../tool.ts"
import { hashFile, hashString } from "./hashing.ts"
import { type Components, FIRST_RUN, type Lookup, openStepCache, type StepCache } from "./step-cache.ts"
import type { Study } from "./study-loader.ts"

/** The steps, in the order they run, as the run's messages name them. */
export const STEP_LABELS = {
  read: "read and validate",
  correlations: "correlations",
  sites: "sites",
  multilevel: "multilevel models",
  commonFactors: "common factors",
  clinical: "clinical",
  render: "charts and report",
} as const

export type StepName = keyof typeof STEP_LABELS
const DATA_STEPS = ["correlations", "sites", "multilevel", "commonFactors", "clinical"] as const satisfies ReadonlyArray<SlicedStep>
type DataStep = (typeof DATA_STEPS)[number]

/** What a step did in this run. */
export interface StepOutcome {
  readonly step: StepName
  readonly reused: boolean
  /** why it ran (null when reused, or when there is no cache) */
  readonly reason: string | null
}

/** The cache's part of a run: where it is, what each step did, anything that went wrong with it. */
export interface CacheOutcome {
  readonly dir: string | null
  readonly steps: ReadonlyArray<StepOutcome>
  readonly notes: ReadonlyArray<string>
}

type File = { readonly path: string; readonly contents: string }

/**
 * One turn of the event loop before a step computes. V8 frees the memory of garbage ArrayBuffers
 * (the read's buffers, a step's scratch columns) in tasks that run only when the event loop
 * turns, and the steps are long and synchronous: without a turn between them, a million-client
 * run held half a gigabyte more at its peak.
 */
const settle = Effect.promise(() => new Promise<void>((resolve) => setImmediate(resolve)))

export interface StepRunner {
  /** whether some step must run, so the data must be read */
  readonly needsData: () => boolean
  /** the input files' digests as reading computed them: if they differ from the keys', nothing is reused or stored */
  readonly confirmInputs: (inputs: ReadonlyArray<{ readonly file: string; readonly sha256: string }>) => void
  /** a data step: its cached product, or `compute` given the step's settings */
  readonly run: <S extends "read" | DataStep, A, E, R>(step: S, compute: (settings: S extends DataStep ? StepSettings<S> : null) => Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  /** the report's files for these results: cached, or `compute` */
  readonly render: <E, R>(resultsJson: string, compute: Effect.Effect<ReadonlyArray<File>, E, R>) => Effect.Effect<ReadonlyArray<File>, E, R>
  readonly outcome: () => CacheOutcome
}

/** Opens the run's steps on the cache folder `dir` (null: no cache, every step runs). */
const open = (dir: string | null, study: Study, settings: AnalysisSettings, display: (file: string) => string, keptColumns: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const notes: string[] = []
    const outcomes: StepOutcome[] = []
    const opened = dir === null ? null : openStepCache(dir, study.studyFile ?? study.root)
    if (opened !== null && "problem" in opened) notes.push(`not used: ${opened.problem}`)
    const cache: StepCache | null = opened === null || "problem" in opened ? null : opened

    if (cache !== null) yield* (yield* Progress).phase("checking the step cache")
    const base = baseComponents(TOOL.root)
    let hashed: ReadonlyArray<{ readonly file: string; readonly sha256: string }> = []
    if (cache !== null) {
      for (const file of [study.files.clients, study.files.sessions]) hashed = [...hashed, { file: display(file), sha256: (yield* hashFile(file)).sha256 }]
    }
    const dataKey: Components = { ...base, ...dataComponents({ inputs: hashed, config: readConfigOf(study.config), keptColumns }) }
    const derive = settingComponents(settingsFor("derive", settings))
    const componentsOf = (step: "read" | DataStep): Components =>
      step === "read" ? dataKey : { ...dataKey, ...derive, ...settingComponents(settingsFor(step, settings)) }

    const lookups = new Map<StepName, Lookup>()
    if (cache !== null) for (const step of ["read", ...DATA_STEPS] as const) lookups.set(step, cache.lookup(step, componentsOf(step)))
    const misses = (step: StepName) => cache === null || lookups.get(step)?.hit !== true
    const missedDataSteps = DATA_STEPS.filter(misses)
    let storable = cache !== null

    const finish = <A>(step: StepName, components: Components, product: A, reason: string | null, store: boolean): A => {
      if (cache !== null) outcomes.push({ step, reused: false, reason })
      if (cache !== null && store) {
        const problem = cache.store(step, components, product)
        if (problem !== null) notes.push(problem)
      }
      return product
    }

    return {
      needsData: () => cache === null || misses("read") || missedDataSteps.length > 0,
      confirmInputs: (inputs) => {
        if (cache === null) return
        const same = inputs.length === hashed.length && inputs.every((input, i) => input.file === hashed[i]!.file && input.sha256 === hashed[i]!.sha256)
        if (!same) {
          // what was looked up belongs to the files as they were: reuse none of it, store nothing
          storable = false
          for (const step of ["read", ...DATA_STEPS] as const) lookups.set(step, { hit: false, key: "", reason: "the data files changed while the run read them" })
          notes.push("the data files changed while the run read them, so every step ran on what was read, and nothing computed from them was stored")
        }
      },
      run: (step, compute) => {
        const found = lookups.get(step)
        // reading is reused only when no step needs the data: otherwise the data were read again anyway
        if (found?.hit === true && !(step === "read" && missedDataSteps.length > 0)) {
          outcomes.push({ step, reused: true, reason: null })
          return Effect.succeed(found.product as never)
        }
        const slice = (step === "read" ? null : settingsFor(step as DataStep, settings)) as Parameters<typeof compute>[0]
        // a step runs because its entry missed (the cache says why), or, reading, because a step needed the data
        const reason =
          cache === null ? null : found !== undefined && !found.hit ? found.reason : `its data were needed by: ${missedDataSteps.map((s) => STEP_LABELS[s]).join(", ")}`
        return settle.pipe(
          Effect.andThen(compute(slice)),
          Effect.map((product) => finish(step, componentsOf(step), product, reason, storable)),
        )
      },
      render: (resultsJson, compute) => {
        const components = { ...base, "results.json": hashString(resultsJson).sha256 }
        const found = cache?.lookup("render", components)
        if (found?.hit === true) {
          outcomes.push({ step: "render", reused: true, reason: null })
          return Effect.succeed(found.product as ReadonlyArray<File>)
        }
        return settle.pipe(
          Effect.andThen(compute),
          Effect.map((files) => finish("render", components, files, found?.hit === false ? found.reason : null, true)),
        )
      },
      outcome: () => ({ dir, steps: [...outcomes], notes: [...notes] }),
    } satisfies StepRunner
  })

export const StepRunner = { open }

/** The run's message about the cache: what was reused, what ran and why, and what went wrong with it. */
export const cacheLines = (outcome: CacheOutcome, where: (dir: string) => string = (dir) => dir): string[] => {
  if (outcome.dir === null) return []
  const lines = outcome.notes.map((note) => `cache: ${note}`)
  const reused = outcome.steps.filter((s) => s.reused)
  const ran = outcome.steps.filter((s) => !s.reused)
  if (ran.length === 0 && reused.length > 0) return [`cache: nothing changed, so all ${reused.length} steps were reused from ${where(outcome.dir)}`, ...lines]
  if (reused.length === 0 && ran.length > 0 && ran.every((s) => s.reason === FIRST_RUN)) {
    return [`cache: a first run with this cache: all ${ran.length} steps computed, and kept in ${where(outcome.dir)} for re-runs`, ...lines]
  }
  if (reused.length > 0) lines.unshift(`cache: reused ${reused.map((s) => STEP_LABELS[s.step]).join(", ")} from ${where(outcome.dir)}`)
  // steps that ran for the same reason share a line
  const byReason = new Map<string, StepName[]>()
  for (const s of ran) byReason.set(s.reason ?? "", [...(byReason.get(s.reason ?? "") ?? []), s.step])
  for (const [reason, steps] of byReason) lines.push(`cache: ran ${steps.map((s) => STEP_LABELS[s]).join(", ")}${reason === "" ? "" : ` (${reason})`}`)
  return lines
}
