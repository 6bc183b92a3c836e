import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { ALLIANCE_COLUMNS, deriveClients } from "../../src/analysis/derive-clients.ts"
import { estimatePrimary } from "../../src/analysis/primary.ts"
import { estimateByRater } from "../../src/analysis/secondary.ts"
import { allianceBins } from "../../src/derive/bins.ts"
import { take } from "../../src/derive/select.ts"
import { FactorBuilder, type Factor, type StudyData } from "../../src/data/study-data.ts"
import { settings } from "./settings.ts"

const NA = Number.NaN


const factor = (values: ReadonlyArray<string | null>): Factor => {
  const builder = new FactorBuilder()
  for (const v of values) builder.push(v)
  return builder.build()
}

interface ClientRow {
  readonly baseline: number
  readonly outcome: number
  /** [session, alliance] pairs */
  readonly sessions: ReadonlyArray<readonly [number, number]>
}

/** A study with one therapist and no site column, from rows a reader can check by eye. */
const studyOf = (
  rows: ReadonlyArray<ClientRow>,
  columns: { readonly clients?: ReadonlyArray<string>; readonly sessions?: ReadonlyArray<string> } = {},
): StudyData => {
  const clientColumns = columns.clients ?? ["baseline", "outcome"]
  const sessionColumns = columns.sessions ?? ["alliance"]
  const sessions = rows.flatMap((row, client) => row.sessions.map(([session, alliance]) => ({ client, session, alliance })))
  return {
    clients: {
      n: rows.length,
      therapist: factor(rows.map(() => "T1")),
      site: null,
      numbers: new Map(clientColumns.map((c) => [c, Float64Array.from(rows, (r) => (c === "baseline" ? r.baseline : r.outcome))])),
      categories: new Map(),
      extras: new Map(),
    },
    sessions: {
      n: sessions.length,
      client: Int32Array.from(sessions, (s) => s.client),
      session: Int32Array.from(sessions, (s) => s.session),
      // every session column gets the same ratings: enough to see which columns are derived
      numbers: new Map(sessionColumns.map((c) => [c, Float64Array.from(sessions, (s) => s.alliance)])),
    },
  }
}

const ROWS: ReadonlyArray<ClientRow> = [
  /* C0 */ { baseline: 20, outcome: 8, sessions: [[1, 4.0], [2, 4.5]] },
  /* C1 */ { baseline: 18, outcome: 12, sessions: [[4, 3.0]] }, // alliance only after the window
  /* C2 */ { baseline: NA, outcome: 10, sessions: [[1, 3.5]] },
  /* C3 */ { baseline: NA, outcome: NA, sessions: [] }, // no alliance and no baseline: counted once, at the first step
  /* C4 */ { baseline: 15, outcome: NA, sessions: [[2, NA], [3, 2.5]] },
  /* C5 */ { baseline: 22, outcome: 11, sessions: [[1, 3.0], [3, 5.0]] },
]

describe("ALLIANCE_COLUMNS", () => {
  it("lists the client-rated total first, then its subscales, then the other raters", () => {
    expect(ALLIANCE_COLUMNS).toEqual([
      "alliance",
      "alliance_goal",
      "alliance_task",
      "alliance_bond",
      "alliance_therapist",
      "alliance_observer",
    ])
  })
})

describe("deriveClients", () => {
  it("applies the exclusions in order (alliance, baseline, outcome), each counted among those remaining", () => {
    const derived = deriveClients(studyOf(ROWS), settings)
    expect(derived.funnel).toEqual([
      { step: "no client-rated alliance in sessions 1–3", excluded: 2, remaining: 4 },
      { step: "baseline score missing", excluded: 1, remaining: 3 },
      { step: "outcome score missing", excluded: 1, remaining: 2 },
    ])
    expect([...derived.analysed]).toEqual([0, 5])
  })

  it("names the early window in the first step and counts by it", () => {
    const derived = deriveClients(studyOf(ROWS), { ...settings, earlyWindow: [2, 4] })
    // in sessions 2–4: C0 4.5, C1 3.0, C4 2.5, C5 5.0; C2 and C3 have none
    expect(derived.funnel).toEqual([
      { step: "no client-rated alliance in sessions 2–4", excluded: 2, remaining: 4 },
      { step: "baseline score missing", excluded: 0, remaining: 4 },
      { step: "outcome score missing", excluded: 1, remaining: 3 },
    ])
    expect([...derived.analysed]).toEqual([0, 1, 5])
  })

  it("derives the early mean of every alliance column present, and only those", () => {
    const derived = deriveClients(studyOf(ROWS, { sessions: ["alliance_observer", "alliance", "alliance_goal"] }), settings)
    // in canonical order (ALLIANCE_COLUMNS), whatever the order of the columns in sessions.csv
    expect([...derived.early.keys()]).toEqual(["alliance", "alliance_goal", "alliance_observer"])
    expect([...derived.early.get("alliance")!]).toEqual([4.25, NA, 3.5, NA, 2.5, 4])
    expect([...derived.early.get("alliance_goal")!]).toEqual([...derived.early.get("alliance")!])
  })

  it("signs improvement so that positive is better, and keeps baseline and outcome as read", () => {
    const lower = deriveClients(studyOf(ROWS), settings)
    expect([...lower.improvement]).toEqual([12, 6, NA, NA, NA, 11])
    expect([...lower.baseline]).toEqual([20, 18, NA, NA, 15, 22])
    expect([...lower.outcome]).toEqual([8, 12, 10, NA, NA, 11])
    const higher = deriveClients(studyOf(ROWS), { ...settings, outcome: { ...settings.outcome, direction: "higher_is_better" } })
    expect([...higher.improvement]).toEqual([-12, -6, NA, NA, NA, -11])
  })

  it("excludes every client at the first step when sessions.csv has no client-rated alliance column", () => {
    const derived = deriveClients(studyOf(ROWS, { sessions: ["alliance_therapist"] }), settings)
    expect(derived.early.has("alliance")).toBe(false)
    expect(derived.funnel.map((f) => [f.excluded, f.remaining])).toEqual([
      [6, 0],
      [0, 0],
      [0, 0],
    ])
    expect(derived.analysed).toHaveLength(0)
  })

  it("treats a missing baseline column as every baseline missing", () => {
    const derived = deriveClients(studyOf(ROWS, { clients: ["outcome"] }), settings)
    expect([...derived.baseline].every(Number.isNaN)).toBe(true)
    expect(derived.funnel[1]).toEqual({ step: "baseline score missing", excluded: 4, remaining: 0 })
  })

  it("reports zero excluded and zero remaining at every step for a study without clients", () => {
    const derived = deriveClients(studyOf([]), settings)
    expect(derived.funnel.map((f) => [f.excluded, f.remaining])).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
    ])
  })
})

/** Random studies: scores with missing values, and sessions in and out of the early window, some unrated. */
const randomRows = fc.array(
  fc.record({
    baseline: fc.oneof(fc.integer({ min: 0, max: 27 }), fc.constant(NA)),
    outcome: fc.oneof(fc.integer({ min: 0, max: 27 }), fc.constant(NA)),
    sessions: fc.array(fc.tuple(fc.integer({ min: 1, max: 6 }), fc.oneof(fc.integer({ min: 100, max: 500 }).map((r) => r / 100), fc.constant(NA))), { maxLength: 5 }),
  }),
  { maxLength: 80 },
)

/** The previous funnel: the remaining row indices filtered step by step. */
const previousFunnel = (derived: ReturnType<typeof deriveClients>, alliance: Float64Array) => {
  const steps = [(i: number) => !Number.isNaN(alliance[i]!), (i: number) => !Number.isNaN(derived.baseline[i]!), (i: number) => !Number.isNaN(derived.outcome[i]!)]
  let remaining = Array.from({ length: derived.baseline.length }, (_, i) => i)
  const counts: number[][] = []
  for (const keep of steps) {
    const next = remaining.filter(keep)
    counts.push([remaining.length - next.length, next.length])
    remaining = next
  }
  return { counts, analysed: remaining }
}

describe("deriveClients on random studies", () => {
  it("counts the funnel and picks the analysed clients as the previous step-by-step filter did", () => {
    fc.assert(
      fc.property(randomRows, (rows) => {
        const derived = deriveClients(studyOf(rows), settings)
        const previous = previousFunnel(derived, derived.early.get("alliance")!)
        expect(derived.funnel.map((f) => [f.excluded, f.remaining])).toEqual(previous.counts)
        expect([...derived.analysed]).toEqual(previous.analysed)
      }),
      { numRuns: 300, seed: 20240612 },
    )
  })

  it("has the analysed sample as its clients with both early alliance and improvement, as the pipeline relies on", () => {
    fc.assert(
      fc.property(randomRows, (rows) => {
        const derived = deriveClients(studyOf(rows), settings)
        const alliance = derived.early.get("alliance")!
        const options = { minCell: 3, level: 0.95 }
        // the bins over all clients are the bins over the analysed sample
        expect(allianceBins(alliance, derived.improvement, [1, 5], options)).toEqual(
          allianceBins(take(alliance, derived.analysed), take(derived.improvement, derived.analysed), [1, 5], options),
        )
        // the client rater's correlation is the primary one
        expect(estimateByRater(derived, settings)[0]!.correlation).toEqual(estimatePrimary(derived, settings).pearson)
      }),
      { numRuns: 300, seed: 20240612 },
    )
  })
})
