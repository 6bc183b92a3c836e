/**
 * Item columns scored into totals while a study is read (src/ingest/item-scorer.ts), through the
 * study file's `instruments` section: totals and WAI-SR subscales by hand, proration and counted
 * exclusions, and the problems that stop a run naming file, line, item column and value.
 */
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import { describe, expect, it } from "vitest"
import { Progress } from "../../src/cli/Progress.ts"
import { readStudy } from "../../src/ingest/read-study.ts"
import { CsvSource } from "../../src/io/CsvSource.ts"
import { loadStudy } from "../../src/io/study-loader.ts"
import { tempDir } from "../e2e/run-cli.ts"

const platform = Layer.mergeAll(NodeFileSystem.layer, NodePath.layer, Progress.silent)

const ingest = (folder: string, source = CsvSource.layer) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const study = yield* loadStudy(folder)
      return { study, ...(yield* readStudy(study, (file) => file.slice(folder.length + 1))) }
    }).pipe(Effect.provide(Layer.mergeAll(platform, source))),
  )

const phq = (prefix: string, values: ReadonlyArray<string | number>) => values.map((v, i) => [`${prefix}${i + 1}`, v] as const)
const header = (pairs: ReadonlyArray<readonly [string, unknown]>) => pairs.map(([k]) => k).join(",")
const row = (pairs: ReadonlyArray<readonly [string, unknown]>) => pairs.map(([, v]) => v).join(",")

/** clients with PHQ-9 items at intake and end; sessions with WAI-SR items. */
const writeStudy = (dir: string, clients: ReadonlyArray<ReadonlyArray<readonly [string, unknown]>>, sessions: string, extra: object = {}) => {
  writeFileSync(
    join(dir, "study.json"),
    JSON.stringify({
      name: "items",
      instruments: {
        outcome: { id: "phq9", baseline_items: "pre_", outcome_items: "post_" },
        alliance: { id: "wai_sr", session_items: "wai_" },
      },
      ...extra,
    }),
  )
  writeFileSync(join(dir, "clients.csv"), [header(clients[0]!), ...clients.map(row)].join("\n") + "\n")
  writeFileSync(join(dir, "sessions.csv"), sessions)
}

const client = (id: string, pre: ReadonlyArray<string | number>, post: ReadonlyArray<string | number>) => [
  ["client_id", id] as const,
  ["therapist_id", "T1"] as const,
  ...phq("pre_", pre),
  ...phq("post_", post),
]

const wai = (items: ReadonlyArray<number | string>) => items.join(",")
const waiHeader = `client_id,session,${Array.from({ length: 12 }, (_, i) => `wai_${i + 1}`).join(",")}`

describe("item columns scored while reading", () => {
  it("sums PHQ-9 items, prorates one missing item, and counts a row with two missing as an exclusion", async () => {
    const dir = tempDir("items-ok")
    writeStudy(
      dir,
      [
        client("C1", [3, 3, 2, 2, 1, 1, 0, 0, 3], [1, 1, 0, 0, 0, 0, 0, 0, 1]), // 15 → 3
        client("C2", [2, 2, 2, 2, 2, 2, 2, 2, "NA"], [0, 1, 0, 1, 0, 1, 0, 1, 0]), // 16/8·9 = 18 → 4
        client("C3", [1, 1, 1, 1, 1, 1, 1, "", ""], ["NA", "NA", "NA", "NA", "NA", "NA", "NA", "NA", "NA"]), // excluded; all missing
      ],
      // WAI-SR: task 1,2,10,12; bond 3,5,7,9; goal 4,6,8,11; mean scoring
      [
        waiHeader,
        `C1,2,${wai([4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4])}`,
        `C1,1,${wai([5, 5, 3, 1, 3, 1, 3, 1, 3, 5, 1, 5])}`,
        `C2,1,${wai([5, 5, 5, 5, 5, 5, 5, 5, 5, 5, "NA", 5])}`,
        `C2,2,${wai([2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2])}`,
      ].join("\n"),
    )
    const result = await ingest(dir)
    expect(result.totalProblems).toBe(0)
    const clients = result.data!.clients.numbers
    expect([...clients.get("baseline")!]).toEqual([15, 18, Number.NaN])
    expect([...clients.get("outcome")!]).toEqual([3, 4, Number.NaN])
    const sessions = result.data!.sessions.numbers
    expect([...sessions.get("alliance")!]).toEqual([4, 3, 5, 2])
    expect([...sessions.get("alliance_task")!]).toEqual([4, 5, 5, 2])
    expect([...sessions.get("alliance_bond")!]).toEqual([4, 3, 5, 2])
    // goal (items 4, 6, 8, 11) may miss ⌊2 · 4/12⌋ = 0 items: C2's first session has no goal score
    expect([...sessions.get("alliance_goal")!]).toEqual([4, 1, Number.NaN, 2])
    // item columns are replaced by what they are scored into
    expect(result.profiles.some((p) => p.column === "pre_1" || p.column === "wai_1")).toBe(false)

    const [baseline, outcome, alliance] = result.items
    expect(baseline!.block.key).toBe("phq9_baseline")
    expect({ prorated: baseline!.prorated, excluded: baseline!.excluded, answered: baseline!.answered }).toEqual({ prorated: 1, excluded: 1, answered: 3 })
    expect(baseline!.excludedAt).toEqual([{ line: 4, missing: [8, 9] }])
    expect({ excluded: outcome!.excluded, answered: outcome!.answered }).toEqual({ excluded: 0, answered: 2 })
    // reliability rows: intake rows with every item (C1 only); for sessions, each client's lowest
    // complete session (C1's session 1, C2's session 2: its session 1 lacks an item)
    expect(baseline!.reliabilityRows).toBe(1)
    expect(alliance!.reliabilityRows).toBe(2)
    expect([...alliance!.reliabilityItems.subarray(0, 12)]).toEqual([5, 5, 3, 1, 3, 1, 3, 1, 3, 5, 1, 5])
    expect([...alliance!.reliabilityItems.subarray(12)]).toEqual(Array(12).fill(2))
    // the measures come from the registry
    expect(result.study.config.measures.outcome.range).toEqual([0, 27])
    expect(result.study.config.measures.alliance.range).toEqual([1, 5])
  })

  it("reads the same through csv-parse", async () => {
    const dir = tempDir("items-parse")
    writeStudy(dir, [client("C1", [3, 3, 2, 2, 1, 1, 0, 0, 3], [1, 1, 0, 0, 0, 0, 0, 0, 1])], `${waiHeader}\nC1,1,${wai(Array(12).fill(3))}\n`)
    const fast = await ingest(dir)
    const reference = await ingest(dir, CsvSource.csvParseLayer)
    expect(fast.data).toEqual(reference.data)
    expect(fast.items).toEqual(reference.items)
  })

  it("names the file, line, item column and value of a response out of range or not a number", async () => {
    const dir = tempDir("items-bad")
    writeStudy(
      dir,
      [client("C1", [3, 3, 2, 2, 1, 1, 0, 0, 3], [1, 1, 0, 4, 0, 0, 0, 0, 1]), client("C2", [3, 3, 2, "x", 1, 1, 0, 0, 3], [1, 1, 0, 0, 0, 0, 0, 0, 1])],
      `${waiHeader}\nC1,1,${wai([...Array(11).fill(3), 6])}\n`,
    )
    const result = await ingest(dir)
    expect(result.problems).toEqual([
      { file: "clients.csv", line: 2, column: "post_4", value: "4", rule: expect.stringMatching(/PHQ-9 .* item 4 is out of range: responses lie in 0–3/) },
      { file: "clients.csv", line: 3, column: "pre_4", value: "x", rule: expect.stringMatching(/item 4 must be a number/) },
      { file: "sessions.csv", line: 2, column: "wai_12", value: "6", rule: expect.stringMatching(/WAI-SR .* item 12 is out of range: responses lie in 1–5/) },
    ])
  })

  it("refuses a header that lacks an item or also has the column the items are scored into", async () => {
    const dir = tempDir("items-header")
    const c1 = client("C1", [3, 3, 2, 2, 1, 1, 0, 0, 3], [1, 1, 0, 0, 0, 0, 0, 0, 1]).filter(([k]) => String(k) !== "pre_9")
    writeStudy(dir, [[...c1, ["outcome", 5] as const]], `${waiHeader}\nC1,1,${wai(Array(12).fill(3))}\n`)
    const result = await ingest(dir)
    expect(result.problems.map((p) => [p.file, p.line, p.column])).toEqual([
      ["clients.csv", 1, "pre_9"],
      ["clients.csv", 1, "outcome"],
    ])
    expect(result.problems[0]!.rule).toMatch(/instruments.outcome.baseline_items is "pre_": column pre_9 is missing \(.* has 9 items, pre_1 … pre_9\)/)
    expect(result.problems[1]!.rule).toMatch(/also scored from post_1 … post_9/)
  })

  it("refuses an unknown instrument and a measure given twice", async () => {
    const dir = tempDir("items-config")
    writeStudy(dir, [client("C1", [0, 0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0, 0])], `${waiHeader}\n`, {
      instruments: { outcome: { id: "phq10" } },
    })
    const unknown = await Effect.runPromiseExit(loadStudy(dir).pipe(Effect.provide(platform)))
    expect(Exit.isFailure(unknown) && JSON.stringify(unknown.cause)).toMatch(/instruments.outcome.id: no instrument \\"phq10\\" in the registry/)
    writeStudy(dir, [client("C1", [0, 0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0, 0])], `${waiHeader}\n`, {
      measures: { outcome: { instrument: "PHQ-9", range: [0, 27], direction: "lower_is_better" } },
    })
    const twice = await Effect.runPromiseExit(loadStudy(dir).pipe(Effect.provide(platform)))
    expect(Exit.isFailure(twice) && JSON.stringify(twice.cause)).toMatch(/give either measures.outcome or instruments.outcome, not both/)
  })
})
