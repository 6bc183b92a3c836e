/**
 * One temporary folder per test run: tests make theirs inside it (test/e2e/run-cli.ts `tempDir`),
 * and it is removed when the whole run is done, so no test deletes a folder another still uses
 * and nothing is left in the system's temporary folder.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), "alliance-tests-"))
  // set before the test workers start, so they inherit it
  process.env["ALLIANCE_TEST_TMP"] = root
  return () => rmSync(root, { recursive: true, force: true })
}
