/**
 * Writes the synthetic literature of alliance–outcome correlations (model: src/synthetic/studies.ts)
 * as a studies.csv for `synthesize`.
 *
 *   npx tsx scripts/generate-studies.ts --out FILE [--studies 40] [--seed 20261122]
 *
 * The bundled examples/example-synthesis/studies.csv is this script's output with the defaults.
 * Exit codes: 0 done, 2 usage error.
 */
import { writeFileSync } from "node:fs"
import { parseArgs } from "node:util"
import { generateStudies, studiesCsv } from "../src/synthetic/studies.ts"

const USAGE = "usage: npx tsx scripts/generate-studies.ts --out FILE [--studies 40] [--seed 20261122]"

const main = (argv: ReadonlyArray<string>): number => {
  let values
  try {
    values = parseArgs({ args: [...argv], options: { out: { type: "string" }, studies: { type: "string" }, seed: { type: "string" }, help: { type: "boolean", short: "h" } } }).values
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`)
    return 2
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`)
    return 0
  }
  const whole = (name: string, text: string | undefined, fallback: number): number | null => (text === undefined ? fallback : /^\d+$/.test(text) ? Number(text) : null)
  const studies = whole("studies", values.studies, 40)
  const seed = whole("seed", values.seed, 20261122)
  if (values.out === undefined || studies === null || seed === null || studies < 1) {
    process.stderr.write(`${USAGE}\n`)
    return 2
  }
  const rows = generateStudies({ studies, seed })
  writeFileSync(values.out, studiesCsv(rows))
  process.stderr.write(`wrote ${values.out}: ${rows.length} effects from ${studies} studies (seed ${seed})\n`)
  return 0
}

process.exitCode = main(process.argv.slice(2))
