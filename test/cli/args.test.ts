import { describe, expect, it } from "vitest"
import { parseCommandLine } from "../../src/cli/args.ts"

describe("parseCommandLine", () => {
  it("runs the bundled example with no arguments", () => {
    expect(parseCommandLine([])).toEqual({ ok: true, command: { kind: "run", study: null, out: null, poolingTest: null, quiet: false } })
  })

  it("reads a study, --out and --pooling-test", () => {
    expect(parseCommandLine(["data/study", "--out", "x", "--pooling-test", "knha"])).toEqual({
      ok: true,
      command: { kind: "run", study: "data/study", out: "x", poolingTest: "knha", quiet: false },
    })
  })

  it("recognises validate, --help and --version", () => {
    expect(parseCommandLine(["validate", "s"])).toMatchObject({ ok: true, command: { kind: "validate", study: "s" } })
    expect(parseCommandLine(["--help"])).toEqual({ ok: true, command: { kind: "help" } })
    expect(parseCommandLine(["-v"])).toEqual({ ok: true, command: { kind: "version" } })
  })

  it("rejects unknown options, bad pooling tests and two studies", () => {
    expect(parseCommandLine(["--nope"]).ok).toBe(false)
    expect(parseCommandLine(["--pooling-test", "t"])).toEqual({ ok: false, message: '--pooling-test must be "z" or "knha", not "t"' })
    expect(parseCommandLine(["a", "b"]).ok).toBe(false)
    expect(parseCommandLine(["validate", "a", "--out", "x"]).ok).toBe(false)
  })
})
