/** The per-phase timings written beside the report folder (src/cli/Progress.ts timingsRecord, Progress.recording). */
import * as Effect from "effect/Effect"
import { describe, expect, it } from "vitest"
import { type PhaseMark, Progress, timingsRecord } from "../../src/cli/Progress.ts"

describe("timingsRecord", () => {
  it("gives each phase the time until the next one (the last until the end), in seconds to the millisecond", () => {
    const marks: PhaseMark[] = [{ label: "load", at: 1000 }, { label: "estimate", at: 1250.4 }, { label: "report", at: 3000 }]
    expect(timingsRecord(marks, 3500.9, { tool: "t 1", study: "s", report: "r" })).toEqual({
      tool: "t 1",
      study: "s",
      report: "r",
      phases: [{ phase: "load", seconds: 0.25 }, { phase: "estimate", seconds: 1.75 }, { phase: "report", seconds: 0.501 }],
      total_seconds: 2.501,
    })
  })

  it("is empty for a run without phases", () => {
    expect(timingsRecord([], 10, { tool: "t", study: "s", report: "r" })).toMatchObject({ phases: [], total_seconds: 0 })
  })
})

describe("Progress.recording", () => {
  it("records each phase as it begins and still passes it to the inner progress", async () => {
    const marks: PhaseMark[] = []
    await Effect.runPromise(
      Effect.gen(function* () {
        const progress = yield* Progress
        yield* progress.phase("first")
        yield* progress.phase("second")
      }).pipe(Effect.provide(Progress.recording(Progress.silent, marks))),
    )
    expect(marks.map((m) => m.label)).toEqual(["first", "second"])
    expect(marks[1]!.at).toBeGreaterThanOrEqual(marks[0]!.at)
  })
})
