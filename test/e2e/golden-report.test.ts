/**
 * Acceptance (issue 9): the bundled example's report is a golden artifact. `reports/example/` is
 * committed; this test regenerates it and fails if any byte of any file differs (SVG and Vega-Lite
 * spec JSON included), listing the files. The one exception is the manifest's `runtime` (the Node
 * version and platform that ran), which it records on purpose and which differs on another
 * machine; the rest of the manifest must match too.
 *
 * After an intended change to the analysis or the report, regenerate the golden copy with the
 * README's command, `npx tsx pipelines/run.ts`, review the diff, and commit it.
 */
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { filesBelow, ROOT, runCli, tempDir } from "./run-cli.ts"

const GOLDEN = join(ROOT, "reports", "example")

/** The manifest without the runtime that produced it. */
const manifestWithoutRuntime = (path: string): unknown => {
  const { runtime: _, ...rest } = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>
  return rest
}

describe("the committed example report (reports/example)", () => {
  it("is what the pipeline writes today, byte for byte", () => {
    expect(existsSync(join(GOLDEN, "results.json")), "reports/example/ is missing: run `npx tsx pipelines/run.ts` and commit it").toBe(true)
    const out = join(tempDir("golden"), "example")
    const run = runCli(["--out", out])
    expect(run.code, run.stderr).toBe(0)
    const names = filesBelow(out)
    expect(filesBelow(GOLDEN), "files added or removed").toEqual(names)
    const differing = names.filter((name) =>
      name === "manifest.json"
        ? JSON.stringify(manifestWithoutRuntime(join(out, name))) !== JSON.stringify(manifestWithoutRuntime(join(GOLDEN, name)))
        : !readFileSync(join(out, name)).equals(readFileSync(join(GOLDEN, name))),
    )
    expect(differing, "these files differ from reports/example: if the change is intended, run `npx tsx pipelines/run.ts` and commit reports/example").toEqual([])
  }, 120_000)
})
