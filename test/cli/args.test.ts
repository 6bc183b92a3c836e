import { describe, expect, it } from "vitest"
import { parseCommandLine } from "../../src/cli/args.ts"

describe("parseCommandLine", () => {
  it("runs the bundled example with no arguments", () => {
    expect(parseCommandLine([])).toEqual({ ok: true, command: { kind: "run", study: null, out: null, poolingTest: null, privacy: null, check: null, junit: null, cache: "default", quiet: false } })
  })

  it("reads a study, --out and --pooling-test", () => {
    expect(parseCommandLine(["data/study", "--out", "x", "--pooling-test", "knha"])).toEqual({
      ok: true,
      command: { kind: "run", study: "data/study", out: "x", poolingTest: "knha", privacy: null, check: null, junit: null, cache: "default", quiet: false },
    })
  })

  it("reads --privacy standard|strict for a run, and refuses it elsewhere", () => {
    expect(parseCommandLine(["s", "--privacy", "strict"])).toMatchObject({ ok: true, command: { kind: "run", privacy: "strict" } })
    expect(parseCommandLine(["--privacy", "standard"])).toMatchObject({ ok: true, command: { kind: "run", study: null, privacy: "standard" } })
    expect(parseCommandLine(["s", "--privacy", "loose"])).toEqual({ ok: false, message: '--privacy must be "standard" or "strict", not "loose"' })
    expect(parseCommandLine(["validate", "s", "--privacy", "strict"])).toEqual({ ok: false, message: "validate writes nothing, so --privacy does not apply" })
    expect(parseCommandLine(["synthesize", "s", "--privacy", "strict"]).ok).toBe(false)
  })

  it("reads --check FILE and --update-expected, and refuses them where they do not apply", () => {
    expect(parseCommandLine(["s", "--check", "expected.json"])).toMatchObject({ ok: true, command: { check: { expected: "expected.json", update: false } } })
    expect(parseCommandLine(["s", "--check", "e.json", "--update-expected"])).toMatchObject({ ok: true, command: { check: { expected: "e.json", update: true } } })
    expect(parseCommandLine(["s", "--update-expected"])).toEqual({ ok: false, message: "--update-expected needs --check FILE: the expected results.json to rewrite" })
    expect(parseCommandLine(["validate", "s", "--check", "e.json"])).toEqual({ ok: false, message: "validate computes no results, so --check does not apply" })
    expect(parseCommandLine(["synthesize", "s", "--check", "e.json"])).toEqual({ ok: false, message: "--check, --update-expected and --junit apply to a study run" })
    expect(parseCommandLine(["validate", "s", "--junit", "j.xml"])).toMatchObject({ ok: true, command: { kind: "validate", junit: "j.xml" } })
  })

  it("reads --cache DIR and --no-cache for a run, and refuses them elsewhere", () => {
    const command = (argv: string[]) => {
      const parsed = parseCommandLine(argv)
      return parsed.ok && parsed.command.kind === "run" ? parsed.command.cache : parsed
    }
    expect(command(["s", "--cache", "/tmp/c"])).toEqual({ dir: "/tmp/c" })
    expect(command(["s", "--no-cache"])).toBe("off")
    expect(command(["s"])).toBe("default")
    expect(parseCommandLine(["s", "--cache", "c", "--no-cache"])).toEqual({ ok: false, message: "give --cache DIR or --no-cache, not both" })
    expect(parseCommandLine(["s", "--cache", ""])).toEqual({ ok: false, message: "--cache needs a folder" })
    expect(parseCommandLine(["validate", "s", "--no-cache"])).toEqual({ ok: false, message: "validate always reads the data, so --cache and --no-cache do not apply" })
    expect(parseCommandLine(["synthesize", "s.csv", "--cache", "c"])).toMatchObject({ ok: false, message: expect.stringContaining("--cache and --no-cache apply to a study run") })
  })

  it("reads summarize with its study, --site and --out, and refuses what it does not take", () => {
    expect(parseCommandLine(["summarize", "data/s01", "--site", " S01 ", "--out", "s.json"])).toEqual({
      ok: true,
      command: { kind: "summarize", study: "data/s01", site: "S01", out: "s.json", quiet: false },
    })
    expect(parseCommandLine(["summarize", "data/s01"])).toEqual({ ok: false, message: "summarize needs --site LABEL: the site's name in the summary" })
    expect(parseCommandLine(["summarize", "--site", "S01"])).toEqual({ ok: false, message: "summarize needs a study: the site's folder or study file" })
    expect(parseCommandLine(["summarize", "a", "--site", "S", "--privacy", "strict"])).toMatchObject({ ok: false, message: expect.stringContaining("summarize takes --site, --out and --quiet only") })
    expect(parseCommandLine(["s", "--site", "S01"])).toEqual({ ok: false, message: "--site applies to summarize only" })
  })

  it("reads pool with its summaries, --out and --pooling-test, and refuses what it does not take", () => {
    expect(parseCommandLine(["pool", "a.json", "b.json", "--out", "p", "--pooling-test", "z"])).toEqual({
      ok: true,
      command: { kind: "pool", files: ["a.json", "b.json"], out: "p", poolingTest: "z", quiet: false },
    })
    expect(parseCommandLine(["pool"])).toEqual({ ok: false, message: "pool needs the site summaries to pool (site-summary-*.json)" })
    expect(parseCommandLine(["pool", "a.json", "--privacy", "strict"])).toEqual({ ok: false, message: "pool takes --out, --pooling-test and --quiet only" })
    expect(parseCommandLine(["pool", "a.json", "--site", "S"])).toEqual({ ok: false, message: "--site applies to summarize only" })
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

  it("reads synthesize with its study, --out, --method and --pooling-test", () => {
    expect(parseCommandLine(["synthesize", "studies.csv", "--method", "DL", "--pooling-test", "knha", "--out", "r"])).toEqual({
      ok: true,
      command: { kind: "synthesize", study: "studies.csv", out: "r", method: "DL", poolingTest: "knha", quiet: false },
    })
    expect(parseCommandLine(["synthesize", "dir"])).toMatchObject({ ok: true, command: { kind: "synthesize", method: null, poolingTest: null } })
  })

  it("rejects synthesize without exactly one study, an unknown method, and --method elsewhere", () => {
    expect(parseCommandLine(["synthesize"])).toEqual({ ok: false, message: "synthesize needs a studies file, study file or folder" })
    expect(parseCommandLine(["synthesize", "a", "b"]).ok).toBe(false)
    expect(parseCommandLine(["synthesize", "a", "--method", "reml"])).toEqual({
      ok: false,
      message: '--method must be one of REML, ML, DL, HE, HS, SJ, PM, EB, EE, not "reml"',
    })
    expect(parseCommandLine(["study", "--method", "DL"])).toEqual({ ok: false, message: "--method applies to synthesize only" })
  })
})
