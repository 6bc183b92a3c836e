/**
 * Turns a study of TOTAL scores into an item-level study: PHQ-9, GAD-7 and WAI-SR item responses.
 *
 *   npx tsx scripts/itemise-study.ts --from examples/example-study --out examples/item-level-study [--seed 7]
 *
 * Reads the canonical FROM/clients.csv and FROM/sessions.csv (written by scripts/generate-study.ts:
 * header first, no quoting) and writes OUT/clients.csv, OUT/sessions.csv, OUT/study.json and
 * OUT/README.md (OUT is created if needed). Totals are replaced by items drawn with the model in
 * src/synthetic/itemise.ts: in clients.csv, `baseline` and `outcome` become phq9_pre_1…9 and
 * phq9_post_1…9, and GAD-7 items gad7_pre_1…7 and gad7_post_1…7 are added; in sessions.csv,
 * `alliance`, `alliance_goal/task/bond` become wai_1…12 and `symptom` becomes phq9_1…9. Every
 * other column is copied as it is. The output is byte-stable: each purpose draws from its own
 * stream of the seed, in file order, and items are written as integers with `\n` line ends.
 * Prints a one-line summary to stderr. Exit codes: 0 done, 2 usage error, 1 I/O failure.
 */
import { commandLine, stringOptions, UsageError } from "./command-line.ts"
import { createHash } from "node:crypto"
import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import {
  dropItems, drawSubscaleOffsets, GAD7, gad7FromPhq9, type ItemModel, itemiseTotal, itemiseWaiSr, PHQ9,
  type Response, responseText, WAI_SR,
} from "../src/synthetic/itemise.ts"
import { createRng } from "../src/stats/random/xoshiro.ts"

const USAGE = "usage: npx tsx scripts/itemise-study.ts --from DIR --out DIR [--seed 7]"
/** one stream of the seed per purpose, so that each part's draws do not depend on the others */
const STREAM = { clientPhq9: 1, gad7Totals: 2, clientGad7: 3, clientMissing: 4, waiOffsets: 5, waiItems: 6, sessionPhq9: 7, sessionMissing: 8 } as const

interface Options { readonly from: string; readonly out: string; readonly seed: number }

const parseCommandLine = (argv: ReadonlyArray<string>): Options | "help" => {
  const values = stringOptions(argv, ["from", "out", "seed"])
  if (values === "help") return "help"
  const from = values["from"] ?? ""
  const out = values["out"] ?? ""
  if (from === "") throw new UsageError("--from DIR is required")
  if (out === "") throw new UsageError("--out DIR is required")
  const seedText = values["seed"] ?? "7"
  if (!/^\d+$/.test(seedText) || Number(seedText) > 0xffffffff) throw new UsageError(`--seed must be a whole number in [0, 4294967295], got "${seedText}"`)
  return { from, out, seed: Number(seedText) }
}

/** A canonical CSV file: its header and rows of cells. */
interface Table { readonly header: ReadonlyArray<string>; readonly rows: ReadonlyArray<ReadonlyArray<string>> }

const readTable = (path: string, required: ReadonlyArray<string>): Table => {
  const lines = readFileSync(path, "utf8").split("\n")
  if (lines.at(-1) === "") lines.pop()
  const header = (lines[0] ?? "").split(",")
  const absent = required.filter((c) => !header.includes(c))
  if (absent.length > 0) throw new Error(`${path} has no column ${absent.join(", ")}`)
  const rows = lines.slice(1).map((line, i) => {
    const cells = line.split(",")
    if (cells.length !== header.length) throw new Error(`${path} line ${i + 2} has ${cells.length} cells, not ${header.length}`)
    return cells
  })
  return { header, rows }
}

const columnNames = (prefix: string, model: ItemModel): string[] => Array.from({ length: model.items }, (_, j) => `${prefix}${j + 1}`)

/** A source cell as a number, or null when blank. */
const numberOrNull = (cell: string | undefined): number | null => {
  if (cell === undefined || cell === "") return null
  const x = Number(cell)
  if (!Number.isFinite(x)) throw new Error(`not a number: "${cell}"`)
  return x
}

/** Per item set: rows with items (the source total given), rows with a blank item, rows with more blanks than the proration limit. */
interface Tally { readonly set: string; readonly model: ItemModel; scored: number; incomplete: number; excluded: number }
const tally = (set: string, model: ItemModel): Tally => ({ set, model, scored: 0, incomplete: 0, excluded: 0 })
const count = (t: Tally, responses: ReadonlyArray<Response>): void => {
  const blank = responses.filter((x) => x === null).length
  if (blank === responses.length) return
  t.scored += 1
  if (blank > 0) t.incomplete += 1
  if (blank > t.model.maxMissing) t.excluded += 1
}

const CLIENT_TOTALS = ["baseline", "outcome"]
const SESSION_TOTALS = ["alliance", "alliance_goal", "alliance_task", "alliance_bond", "symptom"]

const itemiseClients = (source: Table, seed: number, tallies: Tally[]): string => {
  const keep = source.header.map((_, i) => i).filter((i) => !CLIENT_TOTALS.includes(source.header[i] ?? ""))
  const [baseline, outcome] = CLIENT_TOTALS.map((c) => source.header.indexOf(c))
  const header = [
    ...keep.map((i) => source.header[i]), ...columnNames("phq9_pre_", PHQ9), ...columnNames("phq9_post_", PHQ9),
    ...columnNames("gad7_pre_", GAD7), ...columnNames("gad7_post_", GAD7),
  ]
  const phq9 = createRng(seed, STREAM.clientPhq9)
  const gad7Totals = createRng(seed, STREAM.gad7Totals)
  const gad7 = createRng(seed, STREAM.clientGad7)
  const missing = createRng(seed, STREAM.clientMissing)
  const sets = [tally("phq9_baseline", PHQ9), tally("phq9_outcome", PHQ9), tally("gad7_baseline", GAD7), tally("gad7_outcome", GAD7)]
  tallies.push(...sets)
  const lines = [header.join(",")]
  for (const row of source.rows) {
    const pre = numberOrNull(row[baseline ?? -1])
    const post = numberOrNull(row[outcome ?? -1])
    const items = [
      itemiseTotal(phq9, pre, PHQ9), itemiseTotal(phq9, post, PHQ9),
      itemiseTotal(gad7, gad7FromPhq9(gad7Totals, pre), GAD7), itemiseTotal(gad7, gad7FromPhq9(gad7Totals, post), GAD7),
    ].map((responses, s) => {
      const kept = dropItems(missing, responses)
      count(sets[s] as Tally, kept)
      return kept
    })
    lines.push([...keep.map((i) => row[i]), ...items.flat().map(responseText)].join(","))
  }
  return `${lines.join("\n")}\n`
}

const itemiseSessions = (source: Table, seed: number, tallies: Tally[]): string => {
  const keep = source.header.map((_, i) => i).filter((i) => !SESSION_TOTALS.includes(source.header[i] ?? ""))
  const at = (row: ReadonlyArray<string>, column: string) => numberOrNull(row[source.header.indexOf(column)])
  const client = source.header.indexOf("client_id")
  const header = [...keep.map((i) => source.header[i]), ...columnNames("wai_", WAI_SR), ...columnNames("phq9_", PHQ9)]
  const offsetsRng = createRng(seed, STREAM.waiOffsets)
  const wai = createRng(seed, STREAM.waiItems)
  const phq9 = createRng(seed, STREAM.sessionPhq9)
  const missing = createRng(seed, STREAM.sessionMissing)
  const offsets = new Map<string, ReturnType<typeof drawSubscaleOffsets>>()
  const sets = [tally("wai_sr", WAI_SR), tally("phq9_session", PHQ9)]
  tallies.push(...sets)
  const lines = [header.join(",")]
  for (const row of source.rows) {
    const id = row[client] ?? ""
    let clientOffsets = offsets.get(id)
    if (clientOffsets === undefined) {
      clientOffsets = drawSubscaleOffsets(offsetsRng)
      offsets.set(id, clientOffsets)
    }
    const scores = { alliance: at(row, "alliance"), goal: at(row, "alliance_goal"), task: at(row, "alliance_task"), bond: at(row, "alliance_bond") }
    const items = [itemiseWaiSr(wai, scores, clientOffsets), itemiseTotal(phq9, at(row, "symptom"), PHQ9)].map((responses, s) => {
      const kept = dropItems(missing, responses)
      count(sets[s] as Tally, kept)
      return kept
    })
    lines.push([...keep.map((i) => row[i]), ...items.flat().map(responseText)].join(","))
  }
  return `${lines.join("\n")}\n`
}

/** study.json, exactly as documented for the item-level example. */
const STUDY_JSON = `{
  "$schema": "../../data-schemas/json/study.schema.json",
  "name": "item-level-example",
  "title": "Synthetic item-level study (PHQ-9, GAD-7, WAI-SR items)",
  "measures": { "ranges": { "expectancy": [1, 9], "empathy": [1, 7], "positive_regard": [1, 7], "congruence": [1, 7] } },
  "instruments": {
    "outcome": { "id": "phq9", "baseline_items": "phq9_pre_", "outcome_items": "phq9_post_", "session_items": "phq9_" },
    "second_outcome": { "id": "gad7", "baseline_items": "gad7_pre_", "outcome_items": "gad7_post_" },
    "alliance": { "id": "wai_sr", "session_items": "wai_" }
  },
  "analysis": { "within_between_therapist_intercept": true },
  "common_factors": { "bootstrap": { "replicates": 200 } }
}
`

const fileRow = (name: string, text: string): string => {
  const rows = (text.match(/\n/g)?.length ?? 1) - 1
  const hash = createHash("sha256").update(text, "utf8").digest("hex")
  return `| \`${name}\` | ${rows.toLocaleString("en-US")} | ${Buffer.byteLength(text, "utf8").toLocaleString("en-US")} | \`${hash}\` |`
}

const readme = (o: Options, clients: string, sessions: string, tallies: ReadonlyArray<Tally>): string => `# Item-level example study (synthetic)

**Every row in this folder is synthetic.** The files were made from the synthetic study in
\`${o.from}\` (itself drawn from a seeded model, see its README) by replacing its total scores
with item responses drawn by a seeded random-number generator. No real client, therapist or site
is behind these rows. Use them to try the pipeline's item scoring, proration and reliability output;
\`study.json\` tells the pipeline which columns hold which instrument's items.

## Regenerate it byte for byte

\`\`\`sh
npx tsx scripts/itemise-study.ts --from ${o.from} --out ${o.out} --seed ${o.seed}
\`\`\`

The output depends only on the source files, the seed and the model in \`src/synthetic/itemise.ts\`
(xoshiro128** streams from \`src/stats/random/\`, one per purpose; never \`Math.random\`).
\`study.json\` and this README are written by the same command.

| file | rows | bytes | sha256 |
|---|---|---|---|
${fileRow("clients.csv", clients)}
${fileRow("sessions.csv", sessions)}

## Item columns

Items are integers; a blank cell is a missing item. No item is reverse-keyed. Column
\`<prefix>j\` holds item j in the instrument's own numbering (the numbering of the scoring keys in
\`data-schemas/instruments/registry.ts\`).

| file | columns | instrument | responses | scored as |
|---|---|---|---|---|
| \`clients.csv\` | \`phq9_pre_1\`…\`phq9_pre_9\`, \`phq9_post_1\`…\`phq9_post_9\` | PHQ-9 at intake and end of treatment (from \`baseline\`, \`outcome\`) | 0–3 | sum, 0–27 |
| \`clients.csv\` | \`gad7_pre_1\`…\`gad7_pre_7\`, \`gad7_post_1\`…\`gad7_post_7\` | GAD-7 at intake and end of treatment (derived from PHQ-9) | 0–3 | sum, 0–21 |
| \`sessions.csv\` | \`wai_1\`…\`wai_12\` | WAI-SR client form (from \`alliance\` and its subscales) | 1–5 | mean, 1–5; task 1, 2, 10, 12; bond 3, 5, 7, 9; goal 4, 6, 8, 11 |
| \`sessions.csv\` | \`phq9_1\`…\`phq9_9\` | PHQ-9 before the session (from \`symptom\`) | 0–3 | sum, 0–27 |

The source columns \`baseline\`, \`outcome\` (clients.csv) and \`alliance\`, \`alliance_goal\`,
\`alliance_task\`, \`alliance_bond\`, \`symptom\` (sessions.csv) are dropped; every other column is
copied unchanged, including \`alliance_therapist\`.

## How the items were drawn

In short (the full model is the header of \`src/synthetic/itemise.ts\`): item j of a scale with k
items is clamp(round(m + d_j + e_j)) to its range, where m is the total / k (PHQ-9, GAD-7) or the
mean (WAI-SR, each subscale's items centred on the subscale's value), d_j a fixed item offset
within ±0.4 and e_j ~ N(0, 0.45) (for all three instruments). Summed items are
therefore close to the source totals, not equal to them. GAD-7 totals are derived from the same
occasion's PHQ-9: round(0.7 · PHQ-9 · 21/27 + N(0, 2.5)), clamped to 0–21 (blank where PHQ-9 is).
Where a session has an \`alliance\` but one blank subscale, that subscale's items are centred on
the alliance plus a per-client offset ~ N(0, 0.15). Cronbach's α and McDonald's ω of the complete
items, computed with R's psych, are in \`test/reference/fixtures/item-level-example.json\`.

Missing items: where the source total is blank, all of the occasion's items are blank. In every
other row, with probability 0.4% three items are blank (more than the proration limit, so the
total cannot be scored), otherwise each item is blank with probability 1.5%.

| item set | rows with items (source total given) | rows with a blank item | rows over the proration limit (limit) |
|---|---|---|---|
${tallies.map((t) => `| ${t.set} | ${t.scored.toLocaleString("en-US")} | ${t.incomplete.toLocaleString("en-US")} | ${t.excluded} (${t.model.maxMissing}) |`).join("\n")}
`

const main = (argv: ReadonlyArray<string>): number => {
  const options = commandLine("itemise-study", USAGE, parseCommandLine, argv)
  if (typeof options === "number") return options
  const { from, out, seed } = options
  const clientsIn = readTable(join(from, "clients.csv"), ["client_id", ...CLIENT_TOTALS])
  const sessionsIn = readTable(join(from, "sessions.csv"), ["client_id", ...SESSION_TOTALS])
  const tallies: Tally[] = []
  const clients = itemiseClients(clientsIn, seed, tallies)
  const sessions = itemiseSessions(sessionsIn, seed, tallies)
  mkdirSync(out, { recursive: true })
  writeFileSync(join(out, "clients.csv"), clients)
  writeFileSync(join(out, "sessions.csv"), sessions)
  writeFileSync(join(out, "study.json"), STUDY_JSON)
  writeFileSync(join(out, "README.md"), readme(options, clients, sessions, tallies))
  const excluded = tallies.reduce((s, t) => s + t.excluded, 0)
  const incomplete = tallies.reduce((s, t) => s + t.incomplete, 0)
  process.stderr.write(
    `itemise-study: wrote ${clientsIn.rows.length} clients, ${sessionsIn.rows.length} sessions (seed ${seed}) to ${out}: ` +
      `${incomplete} scored rows with a blank item, ${excluded} over the proration limit\n`,
  )
  return 0
}

try {
  process.exitCode = main(process.argv.slice(2))
} catch (error) {
  process.stderr.write(`itemise-study: failed: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
}
