/** The CI outputs (src/cli/ci-outputs.ts): the GitHub job summary and JUnit XML, from each kind of outcome. */
import { existsSync, readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { parseCommandLine } from "../../src/cli/args.ts"
import { junitXml, stepSummary, type RunOutcome } from "../../src/cli/ci-outputs.ts"
import { formatError } from "../../src/cli/messages.ts"
import { InvalidData, ResultsDrift, UsageError } from "../../src/errors.ts"

const drift = new ResultsDrift({
  expected: "expected/results.json",
  out: "reports/lab",
  quantities: 2334,
  drifts: [
    { quantity: "primary.pearson.estimate", expected: "0.2815", actual: "0.2805", difference: -0.001 },
    { quantity: "warnings[x].message", expected: '"a <b> & c"', actual: "(absent)", difference: null },
  ],
})
const invalid = new InvalidData({
  total: 2,
  problems: [
    { file: "clients.csv", line: 7, column: "phq9_post_4", value: "9", rule: "must be 0–3 (PHQ-9 item)" },
    { file: "sessions.csv", line: 0, column: "", value: null, rule: "the file is empty" },
  ],
})
const failed = (error: InvalidData | ResultsDrift | UsageError): RunOutcome => ({ kind: "failed", study: "lab <study>", error, message: formatError(error) })

describe("stepSummary", () => {
  it("gives the check's verdict and summary.md for a run that passed", () => {
    const md = stepSummary({ kind: "ok", study: "lab", summary: "## Results\n\nr = .28\n", check: { expected: "e.json", quantities: 2334 } })
    expect(md).toBe("## alliance-outcome: lab\n\n✅ **Check:** all 2,334 quantities agree with `e.json`.\n\n## Results\n\nr = .28\n\n")
  })

  it("gives a Markdown drift table, escaping the values", () => {
    const md = stepSummary(failed(drift))
    expect(md).toContain("❌ **Check failed:** 2 of 2,334 quantities drifted from `expected/results.json`.")
    expect(md).toContain("| `primary.pearson.estimate` | 0.2815 | 0.2805 | -1.000e-3 |")
    expect(md).toContain('| `warnings[x].message` | "a \\<b\\> \\& c" | (absent) | — |')
    expect(md).toContain("## alliance-outcome: lab \\<study\\>")
  })

  it("quotes the error message of any other failure, and names a bug as one", () => {
    expect(stepSummary(failed(invalid))).toContain("```text\nerror: invalid data: 2 problems found.\n  clients.csv, line 7, column \"phq9_post_4\": value \"9\" — must be 0–3 (PHQ-9 item)")
    expect(stepSummary({ kind: "unexpected", study: "s" })).toContain("❌ **Unexpected failure**")
  })
})

describe("junitXml", () => {
  it("writes one passing case per suite for a run that passed", () => {
    expect(junitXml({ kind: "ok", study: "lab", summary: null, check: { expected: "e.json", quantities: 12 } })).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="alliance-outcome: lab">',
        '  <testsuite name="validation" tests="1" failures="0">',
        '    <testcase classname="alliance-outcome.validation" name="data contract and de-identification"/>',
        "  </testsuite>",
        '  <testsuite name="check" tests="1" failures="0">',
        '    <testcase classname="alliance-outcome.check" name="12 quantities agree with e.json"/>',
        "  </testsuite>",
        "</testsuites>",
        "",
      ].join("\n"),
    )
  })

  it("writes one failing case per data problem, named by file, line and column", () => {
    const x = junitXml(failed(invalid))
    expect(x).toContain('<testsuite name="validation" tests="2" failures="2">')
    expect(x).toContain('<testcase classname="alliance-outcome.validation" name="clients.csv, line 7, phq9_post_4">')
    expect(x).toContain('<failure message="must be 0–3 (PHQ-9 item)">clients.csv, line 7, column &quot;phq9_post_4&quot;: value &quot;9&quot; — must be 0–3 (PHQ-9 item)</failure>')
    expect(x).toContain('name="sessions.csv"')
  })

  it("writes one failing case per quantity that drifted, escaping XML and dropping characters XML forbids", () => {
    const x = junitXml(failed(drift))
    expect(x).toContain('<testsuite name="check" tests="2" failures="2">')
    expect(x).toContain('<failure message="expected &quot;a &lt;b&gt; &amp; c&quot;, actual (absent)">difference —</failure>')
    expect(x).toContain('<testsuites name="alliance-outcome: lab &lt;study&gt;">')
    const control = junitXml({ ...failed(new UsageError({ message: "bad \u0001 byte" })) })
    expect(control).toContain("bad \ufffd byte")
    expect(control).not.toContain("\u0001")
  })
})

describe("the GitHub Actions workflow for labs (examples/ci/alliance-outcome.yml)", () => {
  const text = readFileSync(new URL("../../examples/ci/alliance-outcome.yml", import.meta.url), "utf8")
  const env = (name: string) => text.match(new RegExp(`^  ${name}: (.+)$`, "m"))?.[1]

  it("runs a command line this version understands, with --check and --junit, on a study that exists", () => {
    const line = text.match(/run: npx tsx pipelines\/run\.ts (.+)$/m)?.[1]
    expect(line).toBeDefined()
    const argv = line!.split(" ").map((a) => a.replace(/^"\$(\w+)"$/, (_, v: string) => env(v) ?? `(unset ${v})`))
    expect(parseCommandLine(argv)).toMatchObject({ ok: true, command: { kind: "run", check: { expected: env("EXPECTED"), update: false }, junit: "junit.xml" } })
    expect(existsSync(new URL(`../../${env("STUDY")}/study.json`, import.meta.url))).toBe(true)
  })

  it("caches node_modules on the lockfile and installs with npm ci only on a miss", () => {
    expect(text).toContain("key: node-modules-${{ runner.os }}-${{ hashFiles('package-lock.json') }}")
    expect(text).toContain("if: steps.cache.outputs.cache-hit != 'true'")
    expect(text).toMatch(/run: npm ci/)
  })
})
