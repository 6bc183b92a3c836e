/**
 * The step cache: a content-addressed store of what each step of a run computed, so that a re-run
 * with nothing changed reuses it instead of computing it again.
 *
 * A step's key is the SHA-256 of its named components (the code, the runtime, the input files'
 * contents, the study-file sections and settings the step reads; src/provenance/cache-keys.ts).
 * An entry holds the product, written exactly (product-codec.ts), under a header with the
 * product's own SHA-256; an entry that is unreadable, damaged or of another format is a miss, never
 * an error. Entries are written to a temporary file and renamed, so a run that stops half-way (or
 * two runs at once) leave no half-written entry. Each step keeps its most recently used entries.
 *
 * The cache holds aggregates of the data before disclosure control (small counts included), so it
 * is as private as a standard-mode report: keep it where the reports are. The folder marks itself
 * as a cache for backup tools (CACHEDIR.TAG) and ignores itself for git (.gitignore).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync } from "node:fs"
import { join } from "node:path"
import { writeFileAtomically } from "./atomic-file.ts"
import { hashString } from "./hashing.ts"
import { decodeProduct, encodeProduct } from "./product-codec.ts"

/** A step's key components: name → digest (or a short literal such as the runtime). */
export type Components = Readonly<Record<string, string>>

export type Lookup =
  | { readonly hit: true; readonly key: string; readonly product: unknown }
  | { readonly hit: false; readonly key: string; readonly reason: string }

export interface StepCache {
  /** the cache folder */
  readonly dir: string
  /** The step's product for these components, or why there is none. */
  readonly lookup: (step: string, components: Components) => Lookup
  /** Stores the step's product; returns null, or why it could not be stored (the run goes on). */
  readonly store: (step: string, components: Components, product: unknown) => string | null
}

/** Entries of the format this code writes; an entry of another format is a miss. */
const FORMAT = 1
/** Entries kept per step (the most recently used): a few settings being tried in turn. */
const KEEP_PER_STEP = 12

/** Why a step missed when this study has no earlier run in the cache. */
export const FIRST_RUN = "no earlier run in the cache"

const sha256 = (text: string): string => hashString(text).sha256

/** The key: the SHA-256 of the components, sorted by name. */
export const keyOf = (components: Components): string =>
  sha256(JSON.stringify(Object.keys(components).sort().map((name) => [name, components[name]])))

const CACHEDIR_TAG =
  "Signature: 8a477f597d28d172789f06886806bc55\n" +
  "# This file marks the folder as a cache (https://bford.info/cachedir/): alliance-outcome's step cache.\n" +
  "# It holds aggregates of the data it was computed from; delete the folder to clear it.\n"

/**
 * Opens (creating) the cache in `dir`. `scope` names the study, so that "why did this step re-run"
 * compares with this study's previous run. Returns the reason when the folder cannot be used.
 */
export const openStepCache = (dir: string, scope: string): StepCache | { readonly problem: string } => {
  try {
    mkdirSync(dir, { recursive: true })
    if (!existsSync(join(dir, "CACHEDIR.TAG"))) writeFileAtomically(join(dir, "CACHEDIR.TAG"), CACHEDIR_TAG)
    if (!existsSync(join(dir, ".gitignore"))) writeFileAtomically(join(dir, ".gitignore"), "# alliance-outcome's step cache: never committed\n*\n")
  } catch (error) {
    return { problem: `could not use ${dir}: ${(error as Error).message}` }
  }
  const scopeId = sha256(scope).slice(0, 16)
  const entryPath = (step: string, key: string) => join(dir, step, `${key}.entry`)
  const latestPath = (step: string) => join(dir, step, `latest-${scopeId}.json`)

  const readEntry = (step: string, key: string): unknown => {
    const text = readFileSync(entryPath(step, key), "utf8")
    const newline = text.indexOf("\n")
    const header = JSON.parse(text.slice(0, newline)) as { format?: unknown; step?: unknown; key?: unknown; sha256?: unknown }
    const body = text.slice(newline + 1)
    if (header.format !== FORMAT || header.step !== step || header.key !== key) throw new Error("another format")
    if (header.sha256 !== sha256(body)) throw new Error("damaged")
    return decodeProduct(body)
  }

  const whyMissed = (step: string, components: Components, entryProblem: string | null): string => {
    let previous: Components | null = null
    try {
      previous = JSON.parse(readFileSync(latestPath(step), "utf8")) as Components
    } catch {
      return FIRST_RUN
    }
    const names = [...new Set([...Object.keys(previous), ...Object.keys(components)])].sort()
    const changed = names.filter((name) => previous[name] !== components[name])
    if (changed.length > 0) return `changed since the last run: ${changed.join("; ")}`
    return entryProblem ?? "its cache entry is gone"
  }

  /** Records this study's latest components of the step, for the next run's "changed since the last run". */
  const remember = (step: string, components: Components): void => {
    const text = JSON.stringify(components, null, 2) + "\n"
    const path = latestPath(step)
    if (!existsSync(path) || readFileSync(path, "utf8") !== text) writeFileAtomically(path, text)
  }

  return {
    dir,
    lookup: (step, components) => {
      const key = keyOf(components)
      if (!existsSync(entryPath(step, key))) return { hit: false, key, reason: whyMissed(step, components, null) }
      try {
        const product = readEntry(step, key)
        const now = new Date()
        utimesSync(entryPath(step, key), now, now) // most recently used
        remember(step, components)
        return { hit: true, key, product }
      } catch (error) {
        return { hit: false, key, reason: whyMissed(step, components, `its cache entry was unreadable (${(error as Error).message})`) }
      }
    },
    store: (step, components, product) => {
      const key = keyOf(components)
      try {
        const body = encodeProduct(product)
        mkdirSync(join(dir, step), { recursive: true })
        const header = JSON.stringify({ format: FORMAT, step, key, sha256: sha256(body) })
        writeFileAtomically(entryPath(step, key), `${header}\n${body}`)
        remember(step, components)
        prune(join(dir, step))
        return null
      } catch (error) {
        return `could not store step ${step}: ${(error as Error).message}`
      }
    },
  }
}

/** Keeps the most recently used entries of a step's folder. */
const prune = (folder: string): void => {
  const entries = readdirSync(folder)
    .filter((name) => name.endsWith(".entry"))
    .map((name) => ({ path: join(folder, name), used: statSync(join(folder, name)).mtimeMs }))
    .sort((a, b) => b.used - a.used)
  for (const old of entries.slice(KEEP_PER_STEP)) rmSync(old.path, { force: true })
}
