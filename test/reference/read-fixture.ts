/**
 * Reads a golden fixture written by an R script under test/reference/ (see ARCHITECTURE.md,
 * "Golden tests"). Numbers are stored at %.17g; R's NA/NaN is stored as null and ±Inf as the
 * strings "Infinity" / "-Infinity": all three come back here as JavaScript numbers.
 */
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"

const decode = (_key: string, value: unknown): unknown => {
  if (value === null) return Number.NaN
  if (value === "Infinity") return Number.POSITIVE_INFINITY
  if (value === "-Infinity") return Number.NEGATIVE_INFINITY
  return value
}

/** Parses `test/reference/fixtures/<name>.json`; the caller states the shape it expects. */
export const readFixture = <T>(name: string): T => {
  const path = fileURLToPath(new URL(`./fixtures/${name}.json`, import.meta.url))
  return JSON.parse(readFileSync(path, "utf8"), decode) as T
}

/** Provenance block that every fixture carries. */
export interface Provenance {
  readonly script: string
  readonly R: string
  readonly packages: Readonly<Record<string, string>>
}
