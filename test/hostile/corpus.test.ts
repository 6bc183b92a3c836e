/**
 * Acceptance (issue 8): every case of the corpus (cases.ts) ends with its exit code and a message
 * naming what is wrong — file, line, column, value and rule where they apply — never a stack trace;
 * a run that succeeds writes no NaN or `undefined` in any output, and a run that fails writes
 * nothing. The command line runs in process (pipelines/run.ts `main`), its output captured.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterEach, describe, expect, it, vi } from "vitest"
import { filesBelow, runInProcess, tempDir } from "../e2e/run-cli.ts"
import { CASES, CLIENTS, SESSIONS } from "./cases.ts"

const run = runInProcess

afterEach(() => vi.restoreAllMocks())

describe("malformed and hostile inputs", () => {
  it("has at least 30 cases", () => expect(CASES.length).toBeGreaterThanOrEqual(30))

  for (const c of CASES) {
    it(`${c.name}: exit ${c.code}`, async () => {
      const dir = tempDir("corpus")
      writeFileSync(join(dir, "clients.csv"), c.clients ?? CLIENTS)
      writeFileSync(join(dir, "sessions.csv"), c.sessions ?? SESSIONS)
      if (c.study !== undefined) writeFileSync(join(dir, "study.json"), c.study)
      const out = join(dir, "report")
      const { code, output } = await run(c.mode === "run" ? [dir, "--out", out] : ["validate", dir])
      expect(code, output).toBe(c.code)
      expect(output).toMatch(c.message)
      expect(output, "no stack trace").not.toMatch(/\n\s+at .+[(:]\d+/)
      if (c.mode === "run" && c.code === 0) {
        for (const file of filesBelow(out).map((f) => join(out, f))) {
          const text = readFileSync(file, "utf8")
          expect(text, file).not.toMatch(/\bNaN\b|\bundefined\b/)
        }
      } else {
        expect(existsSync(out), "nothing is written").toBe(false)
      }
    }, 60_000)
  }
})
