/**
 * What the scripts' command lines share (generate-study.ts, itemise-study.ts): string options read
 * strictly, `--help`, and usage errors printed with the usage text and exit code 2.
 */
import { parseArgs } from "node:util"

/** A mistake on the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {}

/**
 * The string options of `argv` (each `--name VALUE`), or "help" for `--help` / `-h`. Unknown
 * options and positional arguments are usage errors.
 */
export const stringOptions = (argv: ReadonlyArray<string>, names: ReadonlyArray<string>): Readonly<Record<string, string | undefined>> | "help" => {
  let values: Record<string, string | boolean | undefined>
  try {
    values = parseArgs({
      args: [...argv],
      options: { ...Object.fromEntries(names.map((name) => [name, { type: "string" as const }])), help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    }).values
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error))
  }
  if (values.help === true) return "help"
  return Object.fromEntries(names.map((name) => [name, typeof values[name] === "string" ? values[name] : undefined]))
}

/**
 * Parses the command line with `parse`: its options, or the exit code to end with — 0 after
 * printing the usage for `--help`, 2 after printing a usage error.
 */
export const commandLine = <T extends object>(script: string, usage: string, parse: (argv: ReadonlyArray<string>) => T | "help", argv: ReadonlyArray<string>): T | number => {
  try {
    const parsed = parse(argv)
    if (parsed !== "help") return parsed
    process.stdout.write(`${usage}\n`)
    return 0
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    process.stderr.write(`${script}: ${error.message}\n${usage}\n`)
    return 2
  }
}
