/**
 * End-to-end: the command line on small studies in temporary folders, one per kind of failure,
 * checking the exit code, the message, and that no report (not even a partial one) is written.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { runCli, tempDir } from "./run-cli.ts"

const CLIENTS = [
  "client_id,therapist_id,site_id,baseline,outcome",
  "C1,T1,S1,18,7",
  "C2,T1,S1,20,12",
  "C3,T2,S2,15,9",
  "C4,T2,S2,22,10",
  "C5,T3,S1,12,11",
].join("\n")

const SESSIONS = [
  "client_id,session,alliance",
  "C1,1,4.1", "C1,2,4.3",
  "C2,1,3.2", "C2,2,3.0",
  "C3,1,3.9", "C3,2,4.0",
  "C4,1,4.5", "C4,2,4.6",
  "C5,1,2.4", "C5,2,2.9",
].join("\n")

const study = (files: Record<string, string>): string => {
  const dir = tempDir("study")
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text + "\n")
  return dir
}

const noReport = (outParent: string) => {
  expect(existsSync(join(outParent, "report"))).toBe(false)
  expect(readdirSync(outParent)).toEqual([])
}

describe("run.ts on bad input", () => {
  it("exits 3 naming sessions.csv, the line and the column when alliance is 'high', and writes nothing", () => {
    const dir = study({ "clients.csv": CLIENTS, "sessions.csv": SESSIONS.replace("C2,2,3.0", "C2,2,high") })
    const outParent = tempDir("out")
    const r = runCli([dir, "--out", join(outParent, "report")])
    expect(r.code).toBe(3)
    expect(r.stderr).toContain('sessions.csv, line 5, column "alliance": value "high" — must be a number between 1 and 5')
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/) // no stack trace
    noReport(outParent)
  })

  it("reports every problem at once with file, line, column and rule", () => {
    const dir = study({
      "clients.csv": CLIENTS.replace("C3,T2,S2,15,9", "C3,T2,S2,40,9").replace("C5,T3", "C1,T3"),
      "sessions.csv": SESSIONS.replace("C4,1,4.5", "C9,1,4.5").replace("C3,2,4.0", "C3,1,4.0"),
    })
    const r = runCli(["validate", dir])
    expect(r.code).toBe(3)
    // C5's row now says C1, so C5's two sessions are orphans too: 6 problems.
    expect(r.stderr).toContain("6 problems found")
    expect(r.stderr).toContain('clients.csv, line 4, column "baseline": value "40" — must be a number between 0 and 27')
    expect(r.stderr).toContain('clients.csv, line 6, column "client_id": value "C1" — client codes must be unique (first seen on line 2)')
    expect(r.stderr).toContain('sessions.csv, line 8, column "client_id": value "C9" — every session\'s client must exist in clients.csv')
    expect(r.stderr).toContain('sessions.csv, line 7, column "session": value "1" — each client\'s session numbers must be unique')
    expect(r.stderr).toContain('sessions.csv, line 11, column "client_id": value "C5"')
  })

  it("exits 3 when a required column is missing", () => {
    const dir = study({ "clients.csv": CLIENTS.replace(",outcome", ",post"), "sessions.csv": SESSIONS })
    const r = runCli(["validate", dir])
    expect(r.code).toBe(3)
    expect(r.stderr).toContain('clients.csv, line 1, column "outcome": required column "outcome" is missing')
  })

  it("exits 4 naming an e-mail column, without echoing any address, and writes nothing", () => {
    const emails = CLIENTS.split("\n").map((line, i) => (i === 0 ? `${line},email` : `${line},person${i}@example.org`))
    const dir = study({ "clients.csv": emails.join("\n"), "sessions.csv": SESSIONS })
    const outParent = tempDir("out")
    const r = runCli([dir, "--out", join(outParent, "report")])
    expect(r.code).toBe(4)
    expect(r.stderr).toContain('clients.csv, column "email"')
    expect(r.stderr).not.toContain("@example.org")
    noReport(outParent)
  })

  it("refuses identifying content even when the data are also invalid, before printing any value", () => {
    const emails = CLIENTS.split("\n").map((line, i) => (i === 0 ? `${line},contact` : `${line},person${i}@example.org`))
    const dir = study({ "clients.csv": emails.join("\n"), "sessions.csv": SESSIONS.replace("3.0", "high") })
    const r = runCli(["validate", dir])
    expect(r.code).toBe(4)
    expect(r.stderr).not.toContain("high")
  })

  it("lets a documented study-file override through the gate", () => {
    const codes = CLIENTS.split("\n").map((line, i) => (i === 0 ? `${line},referral_email` : `${line},team${i}@example.org`))
    const dir = study({
      "clients.csv": codes.join("\n"),
      "sessions.csv": SESSIONS,
      "study.json": JSON.stringify({
        name: "override",
        deidentification: { allow: [{ file: "clients.csv", column: "referral_email", reason: "shared team inboxes of referring services, checked by the lab" }] },
      }),
    })
    expect(runCli(["validate", dir]).code).toBe(0)
  })

  it("exits 2 for a study file with an unknown key or invalid JSON, and for a missing study", () => {
    const typo = study({ "clients.csv": CLIENTS, "sessions.csv": SESSIONS, "study.json": '{ "name": "x", "analyis": {} }' })
    const r1 = runCli(["validate", typo])
    expect(r1.code).toBe(2)
    expect(r1.stderr).toContain("analyis")
    const broken = study({ "clients.csv": CLIENTS, "sessions.csv": SESSIONS, "study.json": "{ name: " })
    expect(runCli(["validate", broken]).stderr).toContain("not valid JSON")
    const missing = runCli(["validate", join(tempDir("none"), "nowhere")])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain("no such file or folder")
  })

  it("exits 2 for a usage error and prints help and version with exit 0", () => {
    expect(runCli(["--frobnicate"]).code).toBe(2)
    const help = runCli(["--help"])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain("Exit codes:")
    expect(runCli(["--version"]).stdout).toMatch(/^alliance-outcome \d+\.\d+\.\d+/)
  })

  it("validates a good study without writing anything", () => {
    const dir = study({ "clients.csv": CLIENTS, "sessions.csv": SESSIONS })
    const r = runCli(["validate", dir])
    expect(r.code).toBe(0)
    expect(r.stderr).toContain("valid: clients.csv (5 clients), sessions.csv (10 sessions)")
    expect(readdirSync(dir).sort()).toEqual(["clients.csv", "sessions.csv"])
  })

  it("refuses (exit 2) to replace a non-empty folder that is not a report of this tool, leaving it untouched", () => {
    const dir = study({ "clients.csv": CLIENTS, "sessions.csv": SESSIONS })
    const precious = tempDir("precious")
    writeFileSync(join(precious, "thesis.docx"), "years of work")
    const r = runCli([dir, "--out", precious])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("is not a report written by this tool")
    expect(readdirSync(precious)).toEqual(["thesis.docx"])
  })

  it("writes a report without NaN for a study with one client, and for one with none", () => {
    const one = study({ "clients.csv": CLIENTS.split("\n").slice(0, 2).join("\n"), "sessions.csv": SESSIONS.split("\n").slice(0, 3).join("\n") })
    const none = study({ "clients.csv": CLIENTS.split("\n")[0]!, "sessions.csv": SESSIONS.split("\n")[0]! })
    for (const dir of [one, none]) {
      const out = join(tempDir("out"), "report")
      const r = runCli([dir, "--out", out])
      expect(r.code, r.stderr).toBe(0)
      expect(r.stderr).toContain("primary correlation not estimable")
      for (const file of ["results.json", "summary.md", "report.html", "tables/estimates.csv", "tables/descriptives.csv"]) {
        expect(readFileSync(join(out, file), "utf8"), file).not.toMatch(/NaN|undefined|Infinity/)
      }
    }
  })

  it("runs a tiny study end to end, reporting what could not be estimated instead of failing", () => {
    const dir = study({ "clients.csv": CLIENTS, "sessions.csv": SESSIONS })
    const out = join(tempDir("out"), "tiny")
    mkdirSync(out)
    const r = runCli([dir, "--out", out])
    expect(r.code, r.stderr).toBe(0)
    expect(readdirSync(out)).toContain("results.json")
  })
})
