/** Runs the real command line (`tsx pipelines/run.ts …`) in a child process, as a user would. */
import { spawnSync } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll } from "vitest"

export const ROOT = fileURLToPath(new URL("../../", import.meta.url))
const TSX = join(ROOT, "node_modules", ".bin", "tsx")

export interface CliResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

export const runCli = (args: ReadonlyArray<string>, cwd: string = ROOT): CliResult => {
  const result = spawnSync(TSX, [join(ROOT, "pipelines", "run.ts"), ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, CI: "true", ALLIANCE_DEBUG: "1" },
    timeout: 120_000,
  })
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr }
}

/** Folders made by `tempDir` in this test file, removed when its tests are done. */
const made: string[] = []
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A fresh folder under the system's temporary folder, removed after the test file's tests. */
export const tempDir = (prefix: string): string => {
  const dir = mkdtempSync(join(tmpdir(), `alliance-${prefix}-`))
  made.push(dir)
  return dir
}
