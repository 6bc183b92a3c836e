/**
 * Acceptance (issue 8): the example study saved as a European Excel export — semicolons, decimal
 * commas, a byte-order mark, CRLF line ends, -99 for missing, the lab's own column names mapped in
 * the study file — gives a results.json identical to the canonical files'. Files that are not
 * UTF-8 text are refused naming the file and what was found; the dialect found is in the manifest.
 */
import { copyFileSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { ROOT, runCli, tempDir } from "./run-cli.ts"

const EXAMPLE = join(ROOT, "examples", "example-study")
const study = JSON.parse(readFileSync(join(EXAMPLE, "study.json"), "utf8")) as Record<string, unknown>

/** The lab's names for some canonical columns. */
const RENAMED = {
  clients: { client_id: "Klient-Nr", therapist_id: "Therapeut", baseline: "PHQ9_Aufnahme", outcome: "PHQ9_Ende" },
  sessions: { client_id: "Klient-Nr", session: "Sitzung", alliance: "WAI_gesamt" },
} as const

/** Canonical CSV text → the same table as German Excel saves it. */
const european = (text: string, renamed: Readonly<Record<string, string>>): string => {
  const [header, ...rows] = text.trimEnd().split("\n").map((line) => line.split(","))
  const names = header!.map((name) => renamed[name] ?? name)
  const cell = (value: string) => (value === "" ? "-99" : /^-?\d+\.\d+$/.test(value) ? value.replace(".", ",") : value)
  return "\uFEFF" + [names.join(";"), ...rows.map((row) => row.map(cell).join(";"))].join("\r\n") + "\r\n"
}

const run = (dir: string) => {
  const out = join(dir, "report")
  const result = runCli([dir, "--out", out])
  expect(result.code, result.stderr).toBe(0)
  return out
}

describe("a European Excel export", () => {
  it("gives the same results.json as the canonical files", () => {
    const canonical = tempDir("canonical")
    for (const file of ["study.json", "clients.csv", "sessions.csv"]) copyFileSync(join(EXAMPLE, file), join(canonical, file))
    const excel = tempDir("excel")
    writeFileSync(join(excel, "clients.csv"), european(readFileSync(join(EXAMPLE, "clients.csv"), "utf8"), RENAMED.clients))
    writeFileSync(join(excel, "sessions.csv"), european(readFileSync(join(EXAMPLE, "sessions.csv"), "utf8"), RENAMED.sessions))
    writeFileSync(join(excel, "study.json"), JSON.stringify({ ...study, $schema: undefined, missing_values: ["", "NA", "-99"], columns: RENAMED }))
    expect(readFileSync(join(excel, "clients.csv"), "utf8")).toMatch(/^\uFEFFKlient-Nr;Therapeut;.*\r\n.*;5,3;/s)

    const expected = readFileSync(join(run(canonical), "results.json"), "utf8")
    const out = run(excel)
    expect(readFileSync(join(out, "results.json"), "utf8")).toBe(expected)
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { inputs: Array<{ dialect: unknown }> }
    expect(manifest.inputs.map((i) => i.dialect)).toEqual([
      { encoding: "UTF-8", bom: true, delimiter: ";", decimal: ",", line_ending: "CRLF" },
      { encoding: "UTF-8", bom: true, delimiter: ";", decimal: ",", line_ending: "CRLF" },
    ])
  })

  it("reads tab-separated files the same, and the study file can fix the dialect", () => {
    const canonical = tempDir("canonical-tab")
    for (const file of ["study.json", "clients.csv", "sessions.csv"]) copyFileSync(join(EXAMPLE, file), join(canonical, file))
    const expected = readFileSync(join(run(canonical), "results.json"), "utf8")
    const dir = tempDir("tabs")
    for (const file of ["clients.csv", "sessions.csv"]) writeFileSync(join(dir, file), readFileSync(join(EXAMPLE, file), "utf8").replaceAll(",", "\t"))
    writeFileSync(join(dir, "study.json"), JSON.stringify({ ...study, $schema: undefined, dialect: { delimiter: "tab", decimal: "." } }))
    const out = run(dir)
    expect(readFileSync(join(out, "results.json"), "utf8")).toBe(expected)
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { inputs: Array<{ dialect: { delimiter: string } }> }
    expect(manifest.inputs.map((i) => i.dialect.delimiter)).toEqual(["tab", "tab"])
  })
})

describe("files that are not UTF-8 text", () => {
  const refused = (bytes: Uint8Array) => {
    const dir = tempDir("not-text")
    copyFileSync(join(EXAMPLE, "sessions.csv"), join(dir, "sessions.csv"))
    writeFileSync(join(dir, "clients.csv"), bytes)
    const out = join(dir, "report")
    return runCli([dir, "--out", out])
  }

  it("refuses UTF-16 with its byte-order mark, naming the file (exit 3)", () => {
    const text = readFileSync(join(EXAMPLE, "clients.csv"), "utf8")
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")])
    const result = refused(utf16)
    expect(result.code).toBe(3)
    expect(result.stderr).toMatch(/clients\.csv.*not UTF-8 text: it is UTF-16 text \(byte-order mark FF FE\)/s)
  })

  it("refuses binary content and Latin-1 text, saying what was found", () => {
    const binary = refused(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00]))
    expect(binary.code).toBe(3)
    expect(binary.stderr).toMatch(/NUL bytes/)
    const latin1 = refused(Buffer.from("client_id,therapist_id,baseline,outcome,gender\nC1,T1,10,5,m\u00e4nnlich\n", "latin1"))
    expect(latin1.code).toBe(3)
    expect(latin1.stderr).toMatch(/not valid UTF-8 \(near byte \d+: E4/)
  })
})
