/**
 * What a run leaves for CI beside the report (issue 9):
 *   - a Markdown summary, appended to the GitHub Actions job summary when GITHUB_STEP_SUMMARY is
 *     set: the result lines of summary.md, and the check's verdict or drift table; on failure,
 *     the error message;
 *   - JUnit XML (--junit FILE), which CI systems show as test results: the data checks as one
 *     suite (one failing test case per data problem, or one passing case) and the comparison with
 *     the expected results as another (one failing case per quantity that drifted, or one
 *     passing case).
 * Pure: pipelines/run.ts writes the files.
 */
import type { DataProblem, PipelineError } from "../errors.ts"
import type { Drift } from "../provenance/check.ts"
import { formatCount } from "../report/format.ts"
import { escapeMarkdown } from "../report/markdown.ts"
import { formatProblem } from "./messages.ts"

export type RunOutcome =
  | {
      readonly kind: "ok"
      readonly study: string
      /** summary.md of the run; null for validate */
      readonly summary: string | null
      readonly check: { readonly expected: string; readonly quantities: number } | null
    }
  | { readonly kind: "failed"; readonly study: string; readonly error: PipelineError; readonly message: string }
  | { readonly kind: "unexpected"; readonly study: string }

const cell = (text: string) => escapeMarkdown(text)

const driftMarkdown = (drifts: ReadonlyArray<Drift>): string =>
  [
    "| quantity | expected | actual | difference |",
    "| --- | ---: | ---: | ---: |",
    ...drifts.map((d) => `| \`${d.quantity}\` | ${cell(d.expected)} | ${cell(d.actual)} | ${d.difference === null ? "—" : d.difference.toExponential(3)} |`),
  ].join("\n")

/** The Markdown appended to $GITHUB_STEP_SUMMARY. */
export const stepSummary = (o: RunOutcome): string => {
  const head = `## alliance-outcome: ${cell(o.study)}`
  switch (o.kind) {
    case "ok": {
      const check = o.check === null ? [] : [`✅ **Check:** all ${formatCount(o.check.quantities)} quantities agree with \`${o.check.expected}\`.`, ""]
      return [head, "", ...check, ...(o.summary === null ? ["Data valid; nothing computed (validate)."] : [o.summary.trimEnd()]), ""].join("\n") + "\n"
    }
    case "failed": {
      if (o.error._tag === "ResultsDrift") {
        const e = o.error
        return [head, "", `❌ **Check failed:** ${formatCount(e.drifts.length)} of ${formatCount(e.quantities)} quantities drifted from \`${e.expected}\`.`, "", driftMarkdown(e.drifts), ""].join("\n") + "\n"
      }
      return [head, "", "❌ **Failed.**", "", "```text", o.message.replaceAll("```", "'''"), "```", ""].join("\n") + "\n"
    }
    case "unexpected":
      return [head, "", "❌ **Unexpected failure** (a bug in alliance-outcome; re-run with ALLIANCE_DEBUG=1 for details).", ""].join("\n") + "\n"
  }
}

/** XML text: the five predefined entities, and no character XML 1.0 forbids. */
const xml = (text: string): string =>
  text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "\ufffd")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&apos;")

interface TestCase {
  readonly name: string
  /** null: passed */
  readonly failure: { readonly message: string; readonly detail: string } | null
}

const suite = (name: string, cases: ReadonlyArray<TestCase>): string => {
  const failures = cases.filter((c) => c.failure !== null).length
  const body = cases.map((c) =>
    c.failure === null
      ? `    <testcase classname="alliance-outcome.${name}" name="${xml(c.name)}"/>`
      : `    <testcase classname="alliance-outcome.${name}" name="${xml(c.name)}">\n      <failure message="${xml(c.failure.message)}">${xml(c.failure.detail)}</failure>\n    </testcase>`,
  )
  return [`  <testsuite name="${name}" tests="${cases.length}" failures="${failures}">`, ...body, "  </testsuite>"].join("\n")
}

const problemCase = (p: DataProblem): TestCase => ({
  name: [p.file, p.line > 0 ? `line ${p.line}` : "", p.column].filter((s) => s !== "").join(", "),
  failure: { message: p.rule, detail: formatProblem(p).trim() },
})

/** The JUnit XML of --junit FILE. */
export const junitXml = (o: RunOutcome): string => {
  const suites: string[] = []
  const dataOk: TestCase = { name: "data contract and de-identification", failure: null }
  if (o.kind === "ok") {
    suites.push(suite("validation", [dataOk]))
    if (o.check !== null) suites.push(suite("check", [{ name: `${formatCount(o.check.quantities)} quantities agree with ${o.check.expected}`, failure: null }]))
  } else if (o.kind === "failed") {
    const e = o.error
    if (e._tag === "InvalidData") suites.push(suite("validation", e.problems.map(problemCase)))
    else if (e._tag === "ResultsDrift") {
      suites.push(suite("validation", [dataOk]))
      suites.push(
        suite(
          "check",
          e.drifts.map((d) => ({
            name: d.quantity,
            failure: { message: `expected ${d.expected}, actual ${d.actual}`, detail: `difference ${d.difference === null ? "—" : String(d.difference)}` },
          })),
        ),
      )
    } else suites.push(suite("validation", [{ name: e._tag, failure: { message: o.message.split("\n")[0]!, detail: o.message } }]))
  } else suites.push(suite("run", [{ name: "run", failure: { message: "unexpected failure", detail: "a bug in alliance-outcome; re-run with ALLIANCE_DEBUG=1" } }]))
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="alliance-outcome: ${xml(o.study)}">\n${suites.join("\n")}\n</testsuites>\n`
}
