/** Runs the real command line (`tsx pipelines/run.ts …`) in a child process, as a user would. */
import { spawnSync } from "node:child_process"
import { mkdtempSync, readdirSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, relative } from "node:path"
import { fileURLToPath } from "node:url"
import { vi } from "vitest"

export const ROOT = fileURLToPath(new URL("../../", import.meta.url))
const TSX = join(ROOT, "node_modules", ".bin", "tsx")

export interface CliResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Whether `taskset` (util-linux) can pin a process to one core here. */
export const HAS_TASKSET = spawnSync("taskset", ["-c", "0", "true"]).status === 0

/** Runs the command line; `oneCore`: pinned to the first core with `taskset -c 0`; `env`: variables to set (or, empty, to clear). */
export const runCli = (
  args: ReadonlyArray<string>,
  cwd: string = ROOT,
  options: { readonly oneCore?: boolean; readonly env?: Readonly<Record<string, string>> } = {},
): CliResult => {
  const command = [TSX, join(ROOT, "pipelines", "run.ts"), ...args]
  const [program, ...rest] = options.oneCore ? ["taskset", "-c", "0", ...command] : command
  const result = spawnSync(program!, rest, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, CI: "true", ALLIANCE_DEBUG: "1", ...options.env },
    timeout: 120_000,
  })
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr }
}

/** Every file below `dir`, as sorted paths relative to it. */
export const filesBelow = (dir: string): string[] => {
  const walk = (folder: string): string[] =>
    readdirSync(folder).flatMap((name) => {
      const path = join(folder, name)
      return statSync(path).isDirectory() ? walk(path) : [path]
    })
  return walk(dir).map((path) => relative(dir, path)).sort()
}

/**
 * A fresh folder for a test. Under vitest it is made inside the run's own temporary folder
 * (test/global-setup.ts), which is removed when the run is done.
 */
export const tempDir = (prefix: string): string =>
  mkdtempSync(join(process.env["ALLIANCE_TEST_TMP"] ?? tmpdir(), `alliance-${prefix}-`))

/**
 * Runs the command line in this process (`main` of pipelines/run.ts, which returns the exit code),
 * capturing what it prints on stdout and stderr: much faster than a child process.
 */
export const runInProcess = async (argv: ReadonlyArray<string>): Promise<{ code: number; output: string }> => {
  const { main } = await import("../../pipelines/run.ts")
  let output = ""
  const capture = (chunk: unknown) => {
    output += String(chunk)
    return true
  }
  vi.spyOn(process.stderr, "write").mockImplementation(capture)
  vi.spyOn(process.stdout, "write").mockImplementation(capture)
  try {
    return { code: await main(argv), output }
  } finally {
    vi.restoreAllMocks()
  }
}

