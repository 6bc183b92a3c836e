import { spawnSync } from "node:child_process"
import { createHash } from "node:crypto"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, describe, expect, it } from "vitest"

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..")
const EXAMPLE = join(ROOT, "examples/example-study")
const TSX = join(ROOT, "node_modules/.bin/tsx")
const temp = mkdtempSync(join(tmpdir(), "example-study-"))
afterAll(() => rmSync(temp, { recursive: true, force: true }))

/** Runs scripts/generate-study.ts with `args` from the repository root. */
const generate = (args: ReadonlyArray<string>) =>
  spawnSync(TSX, ["scripts/generate-study.ts", ...args], { cwd: ROOT, encoding: "utf8" })

describe("scripts/generate-study.ts", () => {
  it("regenerates the committed example study byte for byte (the command in its README)", () => {
    const out = join(temp, "example")
    const run = generate(["--out", out, "--clients", "2000", "--sites", "8", "--seed", "20260101"])
    expect(run.status).toBe(0)
    expect(run.stderr).toMatch(/wrote 2000 clients, \d+ sessions \(8 sites, 170 therapists/)
    for (const file of ["clients.csv", "sessions.csv"]) {
      expect(readFileSync(join(out, file)).equals(readFileSync(join(EXAMPLE, file)))).toBe(true)
    }
  })

  it("uses 2000 clients, 8 sites and seed 20260101 by default", () => {
    const out = join(temp, "defaults")
    expect(generate(["--out", out]).status).toBe(0)
    expect(readFileSync(join(out, "clients.csv")).equals(readFileSync(join(EXAMPLE, "clients.csv")))).toBe(true)
  })

  it("documents the regeneration command in the example's README", () => {
    const readme = readFileSync(join(EXAMPLE, "README.md"), "utf8")
    expect(readme).toContain("npx tsx scripts/generate-study.ts --out examples/example-study --clients 2000 --sites 8 --seed 20260101")
  })

  it("lists the current size and sha256 of each file in the README", () => {
    const readme = readFileSync(join(EXAMPLE, "README.md"), "utf8")
    for (const file of ["clients.csv", "sessions.csv"]) {
      const bytes = readFileSync(join(EXAMPLE, file))
      const hash = createHash("sha256").update(bytes).digest("hex")
      expect(readme).toContain(`| \`${file}\` |`)
      expect(readme).toContain(`| ${bytes.length.toLocaleString("en-US")} | \`${hash}\` |`)
    }
  })

  it.each([
    [[] as string[], /--out DIR is required/],
    [["--out", join(temp, "x"), "--clients", "ten"], /--clients must be a whole number/],
    [["--out", join(temp, "x"), "--clients", "3", "--sites", "8"], /at least 2 × --sites/],
    [["--out", join(temp, "x"), "--seed", "99999999999"], /--seed must be/],
    [["--out", join(temp, "x"), "--colour", "blue"], /Unknown option/],
  ])("exits 2 with a usage message for bad arguments %j", (args, message) => {
    const run = generate(args)
    expect(run.status).toBe(2)
    expect(run.stderr).toMatch(message)
    expect(run.stderr).toMatch(/usage: npx tsx scripts\/generate-study.ts/)
  })
})
