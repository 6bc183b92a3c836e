/**
 * The command line: `run.ts [validate] [<study>] [--out DIR] [--pooling-test z|knha] [--privacy standard|strict] [--cache DIR | --no-cache] [--quiet]`,
 * and `run.ts synthesize <studies.csv | study file | folder> [--out DIR] [--method M] [--pooling-test z|knha]`.
 * Pure: turns argv into a Command or a usage problem.
 */
import { parseArgs } from "node:util"
import { SYNTHESIS_METHODS, type SynthesisMethod } from "../../data-schemas/study-file.ts"

export type Command =
  | { readonly kind: "help" }
  | { readonly kind: "version" }
  | {
      readonly kind: "run" | "validate"
      /** folder or study file; null = the bundled example */
      readonly study: string | null
      readonly out: string | null
      readonly poolingTest: "z" | "knha" | null
      /** disclosure control; null = the study file's privacy.mode */
      readonly privacy: "standard" | "strict" | null
      /** --check FILE [--update-expected]: compare results.json with FILE, or rewrite FILE */
      readonly check: { readonly expected: string; readonly update: boolean } | null
      /** --junit FILE: data problems and check failures as JUnit XML */
      readonly junit: string | null
      /** the step cache: --cache DIR, --no-cache, or neither (the default folder, unless ALLIANCE_NO_CACHE is set) */
      readonly cache: { readonly dir: string } | "off" | "default"
      readonly quiet: boolean
    }
  | {
      readonly kind: "pool"
      /** the site summaries */
      readonly files: ReadonlyArray<string>
      readonly out: string | null
      readonly poolingTest: "z" | "knha" | null
      readonly quiet: boolean
    }
  | {
      readonly kind: "summarize"
      /** folder or study file of one site's data */
      readonly study: string
      readonly site: string
      /** the summary file; null = site-summary-<site>.json here */
      readonly out: string | null
      readonly quiet: boolean
    }
  | {
      readonly kind: "synthesize"
      /** studies.csv, a study file or a folder */
      readonly study: string
      readonly out: string | null
      readonly method: SynthesisMethod | null
      readonly poolingTest: "z" | "knha" | null
      readonly quiet: boolean
    }

export type ParsedArgs = { readonly ok: true; readonly command: Command } | { readonly ok: false; readonly message: string }

export const USAGE = `Usage: npx tsx pipelines/run.ts [command] [study] [options]

Runs the alliance–outcome analysis on a study and writes a report.

Commands:
  (none)                 run the bundled synthetic example study → reports/example/
  <study>                run a study: a folder with clients.csv + sessions.csv
                         (and optionally study.json), or a study file
  run <study>            the same, spelled out
  validate <study>       check the data (schemas, keys, de-identification) and write nothing
  summarize <study> --site LABEL
                         one site's summary for pooling across sites without sharing
                         client data: aggregates only, small cells withheld
                         → site-summary-<LABEL>.json (or --out FILE)
  pool <summary.json>…   pool the sites' summaries: random effects (REML,
                         Knapp–Hartung unless --pooling-test z), forest plots, and the
                         one-stage regression → reports/pooled-sites/ (or --out DIR)
  synthesize <studies>   meta-analysis of published or site-level effect sizes: a
                         studies.csv (study_id, r, n or yi, vi; optional es_id and
                         moderator columns), a study file naming one (files.studies),
                         or a folder holding one → reports/<name>/

Options:
  --out DIR              write the report to DIR (default: reports/<study name>/)
  --pooling-test z|knha  inference for pooled estimates: z (metafor's default)
                         or knha (Knapp–Hartung); overrides the study file
  --privacy strict       for a report leaving the lab: small counts suppressed with
                         k ≥ 10, no line numbers of excluded rows, no minima or
                         maxima (default: the study file's privacy.mode, standard)
  --check FILE           compare every estimate with an expected results.json;
                         prints the quantities that drifted and exits 5 (tolerances:
                         the study file's check section)
  --update-expected      with --check: write this run's results.json to FILE instead
  --junit FILE           also write data problems and check failures as JUnit XML
                         (with GITHUB_STEP_SUMMARY set, a summary is appended there too)
  --cache DIR            keep the step cache in DIR (default: .alliance-cache/ in the
                         working directory): a re-run reuses every step whose data,
                         settings and code are unchanged, and says why the others ran
  --no-cache             run every step, and read or write no cache (so does setting
                         the environment variable ALLIANCE_NO_CACHE=1)
  --site LABEL           summarize only: the site's label in the summary
  --method M             synthesize only: τ² estimator REML (default), ML, DL, HE,
                         HS, SJ, PM, EB, or EE (equal effects); overrides the study file
  --quiet                print nothing but errors
  -h, --help             show this help
  -v, --version          print the version

Exit codes:
  0 success · 1 unexpected failure · 2 usage or study-file error · 3 invalid data ·
  4 refused by the de-identification gate · 5 results drifted (--check)`

export const parseCommandLine = (argv: ReadonlyArray<string>): ParsedArgs => {
  let parsed
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        out: { type: "string" },
        "pooling-test": { type: "string" },
        method: { type: "string" },
        site: { type: "string" },
        privacy: { type: "string" },
        check: { type: "string" },
        "update-expected": { type: "boolean", default: false },
        junit: { type: "string" },
        cache: { type: "string" },
        "no-cache": { type: "boolean", default: false },
        quiet: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
        version: { type: "boolean", short: "v", default: false },
      },
    })
  } catch (error) {
    return { ok: false, message: (error as Error).message.replace(/\. To specify a positional argument.*$/, ".") }
  }
  const { values, positionals } = parsed
  if (values.help) return { ok: true, command: { kind: "help" } }
  if (values.version) return { ok: true, command: { kind: "version" } }

  const test = values["pooling-test"]
  if (test !== undefined && test !== "z" && test !== "knha") {
    return { ok: false, message: `--pooling-test must be "z" or "knha", not "${test}"` }
  }
  const privacy = values.privacy
  if (privacy !== undefined && privacy !== "standard" && privacy !== "strict") {
    return { ok: false, message: `--privacy must be "standard" or "strict", not "${privacy}"` }
  }
  const [first, ...rest] = positionals
  /** the options among `names` that were given (a flag counts when set) */
  const given = (names: ReadonlyArray<keyof typeof values>) => names.filter((name) => values[name] !== undefined && values[name] !== false)
  const studyRunOnly = ["privacy", "check", "update-expected", "junit", "cache", "no-cache", "method"] as const
  if (first !== "summarize" && values.site !== undefined) return { ok: false, message: "--site applies to summarize only" }
  if (first === "pool") {
    if (rest.length === 0) return { ok: false, message: "pool needs the site summaries to pool (site-summary-*.json)" }
    if (given(studyRunOnly).length > 0) return { ok: false, message: "pool takes --out, --pooling-test and --quiet only" }
    return { ok: true, command: { kind: "pool", files: rest, out: values.out ?? null, poolingTest: test ?? null, quiet: values.quiet } }
  }
  if (first === "summarize") {
    if (rest.length !== 1) return { ok: false, message: rest.length === 0 ? "summarize needs a study: the site's folder or study file" : `expected one study, got ${rest.length}: ${rest.join(", ")}` }
    if (values.site === undefined || values.site.trim() === "") return { ok: false, message: "summarize needs --site LABEL: the site's name in the summary" }
    if (given([...studyRunOnly, "pooling-test"]).length > 0) return { ok: false, message: "summarize takes --site, --out and --quiet only (its settings come from the study file)" }
    return { ok: true, command: { kind: "summarize", study: rest[0]!, site: values.site.trim(), out: values.out ?? null, quiet: values.quiet } }
  }
  if (first === "synthesize") {
    if (rest.length !== 1) {
      return { ok: false, message: rest.length === 0 ? "synthesize needs a studies file, study file or folder" : `expected one studies file, got ${rest.length}: ${rest.join(", ")}` }
    }
    if (privacy !== undefined) return { ok: false, message: "--privacy applies to a study's report, not to synthesize (its input is already aggregate)" }
    if (values.check !== undefined || values["update-expected"] || values.junit !== undefined) return { ok: false, message: "--check, --update-expected and --junit apply to a study run" }
    if (values.cache !== undefined || values["no-cache"]) return { ok: false, message: "--cache and --no-cache apply to a study run (synthesize has no steps worth caching)" }
    const method = values.method
    if (method !== undefined && !(SYNTHESIS_METHODS as ReadonlyArray<string>).includes(method)) {
      return { ok: false, message: `--method must be one of ${SYNTHESIS_METHODS.join(", ")}, not "${method}"` }
    }
    return {
      ok: true,
      command: {
        kind: "synthesize",
        study: rest[0]!,
        out: values.out ?? null,
        method: (method as SynthesisMethod | undefined) ?? null,
        poolingTest: test ?? null,
        quiet: values.quiet,
      },
    }
  }
  if (values.method !== undefined) return { ok: false, message: "--method applies to synthesize only" }
  const kind = first === "validate" ? "validate" : "run"
  const studyArgs = first === "validate" || first === "run" ? rest : positionals
  if (studyArgs.length > 1) return { ok: false, message: `expected one study, got ${studyArgs.length}: ${studyArgs.join(", ")}` }
  if (kind === "validate" && values.out !== undefined) return { ok: false, message: "validate writes nothing, so --out does not apply" }
  if (kind === "validate" && privacy !== undefined) return { ok: false, message: "validate writes nothing, so --privacy does not apply" }
  if (kind === "validate" && values.check !== undefined) return { ok: false, message: "validate computes no results, so --check does not apply" }
  if (kind === "validate" && (values.cache !== undefined || values["no-cache"])) return { ok: false, message: "validate always reads the data, so --cache and --no-cache do not apply" }
  if (values.cache !== undefined && values["no-cache"]) return { ok: false, message: "give --cache DIR or --no-cache, not both" }
  if (values.cache === "") return { ok: false, message: "--cache needs a folder" }
  if (values["update-expected"] && values.check === undefined) return { ok: false, message: "--update-expected needs --check FILE: the expected results.json to rewrite" }
  return {
    ok: true,
    command: {
      kind,
      study: studyArgs[0] ?? null,
      out: values.out ?? null,
      poolingTest: test ?? null,
      privacy: privacy ?? null,
      check: values.check === undefined ? null : { expected: values.check, update: values["update-expected"] },
      junit: values.junit ?? null,
      cache: values["no-cache"] ? "off" : values.cache !== undefined ? { dir: values.cache } : "default",
      quiet: values.quiet,
    },
  }
}
