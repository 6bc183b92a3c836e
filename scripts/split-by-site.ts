/**
 * Splits a generated study into one study folder per site, to try two-stage pooling (issue 10)
 * with the bundled example: each folder stands for what one site of a consortium holds.
 *
 *   npx tsx scripts/split-by-site.ts --from examples/example-study --out sites
 *   npx tsx pipelines/run.ts summarize sites/S01 --site S01        # … at each site
 *   npx tsx pipelines/run.ts pool site-summary-*.json --out reports/pooled-sites
 *
 * Reads the unquoted files of scripts/generate-study.ts (see scripts/site-split.ts) and writes
 * OUT/<site>/ with its clients, their sessions and the study file. Exit codes: 0 done, 2 usage
 * error, 1 failure.
 */
import { mkdirSync } from "node:fs"
import { commandLine, stringOptions, UsageError } from "./command-line.ts"
import { sitesOf, splitSite } from "./site-split.ts"

const USAGE = "usage: npx tsx scripts/split-by-site.ts --from DIR --out DIR"

const parse = (argv: ReadonlyArray<string>): { from: string; out: string } | "help" => {
  const values = stringOptions(argv, ["from", "out"])
  if (values === "help") return "help"
  const from = values["from"] ?? ""
  const out = values["out"] ?? ""
  if (from === "") throw new UsageError("--from DIR is required")
  if (out === "") throw new UsageError("--out DIR is required")
  return { from, out }
}

const main = (argv: ReadonlyArray<string>): number => {
  const options = commandLine("split-by-site", USAGE, parse, argv)
  if (typeof options === "number") return options
  mkdirSync(options.out, { recursive: true })
  const sites = sitesOf(options.from)
  for (const site of sites) splitSite(options.from, options.out, site)
  process.stderr.write(`split-by-site: wrote ${sites.length} site studies (${sites.join(", ")}) to ${options.out}\n`)
  return 0
}

try {
  process.exitCode = main(process.argv.slice(2))
} catch (error) {
  process.stderr.write(`split-by-site: failed: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
}
