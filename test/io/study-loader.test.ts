import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, relative } from "node:path"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { afterEach, describe, expect, it } from "vitest"
import { StudyFile } from "../../data-schemas/study-file.ts"
import { StudyFileError } from "../../src/errors.ts"
import { loadStudy, STUDY_FILE_NAME } from "../../src/io/study-loader.ts"

const platform = Layer.mergeAll(NodeFileSystem.layer, NodePath.layer)

const load = (target: string) => Effect.runPromise(loadStudy(target).pipe(Effect.provide(platform)))

/** The error of a load that must fail. */
const loadError = (target: string) => Effect.runPromise(loadStudy(target).pipe(Effect.flip, Effect.provide(platform)))

const temporaryFolders: string[] = []
afterEach(() => {
  for (const dir of temporaryFolders.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A folder named `name` (inside a fresh temporary folder) holding `files` (name → contents). */
const folderWith = (name: string, files: Record<string, string>): string => {
  const scratch = mkdtempSync(join(tmpdir(), "study-loader-"))
  temporaryFolders.push(scratch)
  const dir = join(scratch, name)
  mkdirSync(dir)
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, file, ".."), { recursive: true })
    writeFileSync(join(dir, file), text)
  }
  return dir
}

const DATA = { "clients.csv": "client_id\n", "sessions.csv": "client_id\n" }

describe("STUDY_FILE_NAME", () => {
  it("is study.json", () => {
    expect(STUDY_FILE_NAME).toBe("study.json")
  })
})

describe("loadStudy", () => {
  it("runs a folder without study.json with the defaults, named after the folder", async () => {
    const dir = folderWith("wave-2", DATA)
    const study = await load(dir)
    expect(study).toEqual({
      name: "wave-2",
      root: dir,
      studyFile: null,
      config: StudyFile.parse({ name: "wave-2" }),
      files: { clients: join(dir, "clients.csv"), sessions: join(dir, "sessions.csv") },
      // the default measures' names match the registry's PHQ-9 and WAI-SR; no items to score
      instruments: {
        outcome: expect.objectContaining({ instrument: expect.objectContaining({ id: "phq9" }), chosen: "matched" }),
        secondOutcome: null,
        alliance: expect.objectContaining({ instrument: expect.objectContaining({ id: "wai_sr" }), chosen: "matched" }),
        blocks: [],
      },
    })
  })

  it("turns a folder name into a valid study name", async () => {
    expect((await load(folderWith("My Study (2024)", DATA))).name).toBe("My-Study--2024-")
    expect((await load(folderWith("_private", DATA))).name).toBe("private")
    expect((await load(folderWith("___", DATA))).name).toBe("study")
  })

  it("reads study.json in a folder, with its settings and data paths relative to the folder", async () => {
    const dir = folderWith("lab", {
      [STUDY_FILE_NAME]: JSON.stringify({
        name: "trial",
        title: "Alliance trial",
        files: { clients: "data/c.csv", sessions: "data/s.csv" },
        analysis: { min_site_n: 8 },
      }),
      "data/c.csv": "client_id\n",
      "data/s.csv": "client_id\n",
    })
    const study = await load(dir)
    expect(study.name).toBe("trial")
    expect(study.studyFile).toBe(join(dir, "study.json"))
    expect(study.config.title).toBe("Alliance trial")
    expect(study.config.analysis.min_site_n).toBe(8)
    expect(study.config.analysis.min_cell).toBe(10)
    expect(study.files).toEqual({ clients: join(dir, "data", "c.csv"), sessions: join(dir, "data", "s.csv") })
  })

  it("names the study after its folder when study.json has no name", async () => {
    const dir = folderWith("lab-b", { ...DATA, [STUDY_FILE_NAME]: JSON.stringify({ analysis: { ci_level: 0.9 } }) })
    const study = await load(dir)
    expect(study.name).toBe("lab-b")
    expect(study.config.analysis.ci_level).toBe(0.9)
  })

  it("accepts the path of a study file, whatever it is called, resolving data paths from its folder", async () => {
    const dir = folderWith("lab", { ...DATA, "pilot.json": JSON.stringify({ name: "pilot" }) })
    const study = await load(join(dir, "pilot.json"))
    expect(study).toMatchObject({
      name: "pilot",
      root: dir,
      studyFile: join(dir, "pilot.json"),
      files: { clients: join(dir, "clients.csv"), sessions: join(dir, "sessions.csv") },
    })
  })

  it("fails with a StudyFileError when the folder or file does not exist", async () => {
    const missing = join(folderWith("lab", {}), "nowhere")
    const error = await loadError(missing)
    expect(error).toBeInstanceOf(StudyFileError)
    expect(error).toMatchObject({ path: missing, problems: ["no such file or folder"] })
  })

  it("names the missing data file, relative to the working folder, and blames the folder when it has no study file", async () => {
    const dir = folderWith("lab", { "clients.csv": "client_id\n" })
    const error = await loadError(dir)
    expect(error).toBeInstanceOf(StudyFileError)
    expect(error.path).toBe(dir)
    expect(error.problems).toEqual([`data file not found: ${relative(process.cwd(), join(dir, "sessions.csv"))}`])
  })

  it("blames the study file for a data file it names that does not exist", async () => {
    const dir = folderWith("lab", { ...DATA, [STUDY_FILE_NAME]: JSON.stringify({ files: { clients: "clients-v2.csv" } }) })
    const error = await loadError(dir)
    expect(error.path).toBe(join(dir, "study.json"))
    expect(error.problems).toEqual([`data file not found: ${relative(process.cwd(), join(dir, "clients-v2.csv"))}`])
  })

  it("reports a study file that is not valid JSON", async () => {
    const dir = folderWith("lab", { ...DATA, [STUDY_FILE_NAME]: "{ \"name\": \"lab\", }" })
    const error = await loadError(dir)
    expect(error.path).toBe(join(dir, "study.json"))
    expect(error.problems).toHaveLength(1)
    expect(error.problems[0]).toMatch(/^not valid JSON: /)
  })

  it("reports an unknown key, a wrong value and a bad name, each with where it is", async () => {
    const dir = folderWith("lab", {
      ...DATA,
      [STUDY_FILE_NAME]: JSON.stringify({ name: "../evil", analyis: {}, analysis: { ci_level: 2 } }),
    })
    const error = await loadError(dir)
    expect(error).toBeInstanceOf(StudyFileError)
    expect(error.path).toBe(join(dir, "study.json"))
    expect(error.problems).toEqual([
      "name: name must be 1–64 letters, digits, '.', '_' or '-' (it names the report folder)",
      "analysis.ci_level: Too big: expected number to be <1",
      '(top level): Unrecognized key: "analyis"',
    ])
  })

  it("reports a study file that is JSON but not an object at the top level", async () => {
    const dir = folderWith("lab", { ...DATA, [STUDY_FILE_NAME]: "[1, 2]" })
    const error = await loadError(dir)
    expect(error.problems).toEqual(["(top level): Invalid input: expected object, received array"])
  })
})
