/** The second outcome's totals read from two columns of clients.csv (src/ingest/second-outcome.ts). */
import { describe, expect, it } from "vitest"
import { INSTRUMENTS } from "../../data-schemas/instruments/registry.ts"
import type { ClientTable } from "../../src/data/study-data.ts"
import type { ResolvedInstrument } from "../../src/ingest/instrument-plan.ts"
import { secondOutcomeTotals } from "../../src/ingest/second-outcome.ts"

const resolved = (id: string): ResolvedInstrument => {
  const instrument = INSTRUMENTS.get(id)!
  return {
    instrument,
    cutOff: instrument.cut_off && { ...instrument.cut_off, overridden: false },
    reliableChange: instrument.reliable_change && { ...instrument.reliable_change, overridden: false },
    chosen: "named",
  }
}
const gad7 = "gad7"

describe("secondOutcomeTotals", () => {
  const plan = { outcome: resolved("phq9"), secondOutcome: resolved(gad7), alliance: null, blocks: [] }
  const clients = {
    n: 3,
    extras: new Map([
      ["gad_pre", { codes: Int32Array.from([0, 1, -1]), levels: ["12", "x"] }],
      ["gad_post", { codes: Int32Array.from([0, 1, 2]), levels: ["3", "21", "22"] }],
    ]),
  } as unknown as ClientTable

  it("reads GAD-7 totals from two columns, refusing a value that is not a number in 0–21 with its line and column", () => {
    const { totals, problems } = secondOutcomeTotals(plan, { baseline_column: "gad_pre", outcome_column: "gad_post" }, [], clients, "clients.csv")
    expect([...totals!.baseline]).toEqual([12, Number.NaN, Number.NaN])
    expect([...totals!.outcome]).toEqual([3, 21, Number.NaN])
    expect(problems).toEqual([
      { file: "clients.csv", line: 3, column: "gad_pre", value: "x", rule: expect.stringMatching(/GAD-7 .* total must be a number between 0 and 21/) },
      { file: "clients.csv", line: 4, column: "gad_post", value: "22", rule: expect.stringMatching(/between 0 and 21/) },
    ])
  })

  it("names a column the file lacks", () => {
    const { problems } = secondOutcomeTotals(plan, { baseline_column: "gad_pre", outcome_column: "gad_end" }, [], clients, "clients.csv")
    expect(problems).toContainEqual({ file: "clients.csv", line: 1, column: "gad_end", value: null, rule: expect.stringMatching(/names column "gad_end", but the file has no such column/) })
  })
})
