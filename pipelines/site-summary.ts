/**
 * `summarize`: one site's summary for two-stage pooling (issue 10).
 *
 *   npx tsx pipelines/run.ts summarize <study> --site LABEL [--out FILE]
 *
 * Phases: load → validate → de-identification gate (as the primary pipeline) → derive early
 * alliance and improvement → summarise (src/analysis/site-summary/: the primary correlations and
 * cross-products, the multilevel models, the common factors; the disclosure rules applied there) → write the file, whole or not at all. Only aggregates leave the site; the run
 * prints the file's plain-language contents for the site's data-protection officer.
 */
import { mkdirSync } from "node:fs"
import * as Effect from "effect/Effect"
import * as Path from "effect/Path"
import { SITE_SUMMARY_FORMAT_VERSION, SiteSummary } from "../data-schemas/site-summary.ts"
import { deriveClients } from "../src/analysis/derive-clients.ts"
import { measureSettings } from "../src/analysis/assemble.ts"
import { settingsFrom } from "../src/analysis/settings.ts"
import { familiesInForce, resolveFamilies } from "../src/analysis/common-factors/families.ts"
import { contentsOf, CROSS_PRODUCT_TERMS, summariseSite } from "../src/analysis/site-summary/build.ts"
import { summariseCommonFactors } from "../src/analysis/site-summary/common-factors.ts"
import { summariseMultilevel } from "../src/analysis/site-summary/multilevel.ts"
import { settingsFor } from "../src/analysis/steps.ts"
import { Progress } from "../src/cli/Progress.ts"
import { shownPath } from "../src/cli/messages.ts"
import { FileSystemError, StudyFileError } from "../src/errors.ts"
import { writeFileAtomically } from "../src/io/atomic-file.ts"
import { canonicalJson, hashString } from "../src/io/hashing.ts"
import { safeName } from "../src/io/study-loader.ts"
import { TOOL } from "../src/tool.ts"
import { loadValidated } from "./alliance-outcome.ts"

export interface SiteSummaryOptions {
  readonly study: string
  readonly site: string
  /** the file to write; default site-summary-<site>.json in the working directory */
  readonly out: string | null
}

/** The SHA-256 of a summary's settings as canonical JSON: what `pool` compares, and checks against the settings. */
export const settingsDigest = (settings: SiteSummary["settings"]): string => hashString(canonicalJson(settings)).sha256

export const runSiteSummary = (options: SiteSummaryOptions) =>
  Effect.gen(function* () {
    const progress = yield* Progress
    const path = yield* Path.Path
    const { study, data, inputs } = yield* loadValidated(options.study)
    const settings = settingsFrom(study.config, { poolingTest: null })
    yield* progress.phase("deriving early alliance and improvement")
    const derived = deriveClients(data, settingsFor("derive", settings))
    yield* progress.phase(`summarising site ${options.site}`)
    const k = settings.privacy.k
    const parts = summariseSite(derived, data.clients.therapist, data.clients.categories.get("modality") ?? null, { k, level: settings.level })
    yield* progress.phase(`fitting site ${options.site}'s multilevel models`)
    const multilevel = summariseMultilevel(data, derived, settingsFor("multilevel", settings), k)
    const families = resolveFamilies(data, derived, settings.commonFactors)
    if (families.problems.length > 0) return yield* new StudyFileError({ path: study.studyFile ?? study.root, problems: families.problems })
    const commonFactors = summariseCommonFactors(families, derived, settings.commonFactors.outcome, { k, level: settings.level })
    const withheld = [...parts.withheld, ...multilevel.withheld, ...commonFactors.withheld]
    const shared = {
      ...measureSettings(settings),
      k,
      within_between_therapist_intercept: settings.withinBetweenTherapistIntercept,
      common_factors: { outcome: settings.commonFactors.outcome, families: familiesInForce(settings.commonFactors) },
    }
    const tool = `${TOOL.name} ${TOOL.version}`
    const summary = SiteSummary.parse({
      format: "alliance-outcome site summary",
      format_version: SITE_SUMMARY_FORMAT_VERSION,
      tool: { name: TOOL.name, version: TOOL.version },
      site: options.site,
      settings: shared,
      settings_sha256: settingsDigest(shared),
      inputs: inputs.map((input) => ({ file: input.file, sha256: input.sha256, bytes: input.bytes })),
      contents: contentsOf(options.site, { ...parts, withheld }, multilevel, commonFactors.summary, k, tool, inputs.map((input) => input.file)),
      counts: parts.counts,
      primary: parts.primary,
      by_modality: parts.byModality,
      cross_products: parts.crossProducts === null ? null : { terms: [...CROSS_PRODUCT_TERMS], matrix: parts.crossProducts },
      multilevel: {
        within_between: multilevel.withinBetween,
        decomposition: multilevel.decomposition,
        therapist_effects: multilevel.therapistEffects,
      },
      common_factors:
        commonFactors.summary === null
          ? null
          : {
              outcome: commonFactors.summary.outcome,
              n: commonFactors.summary.n,
              factors: commonFactors.summary.factors,
              cross_products: commonFactors.summary.crossProducts,
              categorical: commonFactors.summary.categorical,
            },
      withheld,
    })

    // the whole file or nothing: written beside its place, then renamed into it
    const out = path.resolve(options.out ?? `site-summary-${safeName(options.site, "site")}.json`)
    yield* Effect.try({
      try: () => {
        mkdirSync(path.dirname(out), { recursive: true })
        writeFileAtomically(out, JSON.stringify(summary, null, 2) + "\n")
      },
      catch: (error) => new FileSystemError({ path: out, message: (error as NodeJS.ErrnoException).code ?? (error as Error).message }),
    })
    yield* progress.note(`site summary of ${options.site} written to ${shownPath(out)}. It contains:`)
    for (const line of summary.contents) yield* progress.note(`  - ${line}`)
    return { summary, out }
  })
