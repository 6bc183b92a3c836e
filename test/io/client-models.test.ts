/**
 * The client-level multilevel models on a worker thread (src/io/client-models.ts) give exactly
 * what the same code gives in process.
 */
import { describe, expect, it } from "vitest"
import type { ClientInputs } from "../../src/analysis/multilevel/client-inputs.ts"
import { estimateClientModels } from "../../src/analysis/multilevel/client-models.ts"
import { startClientModels } from "../../src/io/client-models.ts"
import { settings } from "../analysis/settings.ts"

const n = 120
const therapist = Int32Array.from({ length: n }, (_, i) => i % 12)
const inputs: ClientInputs = {
  n,
  therapist: { codes: therapist, count: 12 },
  site: { codes: Int32Array.from(therapist, (t) => t % 3), count: 3 },
  improvement: Float64Array.from({ length: n }, (_, i) => (i % 17 === 0 ? Number.NaN : 5 + Math.sin(i) * 4 + (i % 12) * 0.3)),
  baseline: Float64Array.from({ length: n }, (_, i) => 12 + Math.cos(i * 1.7) * 5),
  earlyAlliance: Float64Array.from({ length: n }, (_, i) => 3.5 + Math.sin(i * 0.37) * 0.8 + (i % 12) * 0.05),
  analysed: Int32Array.from({ length: n }, (_, i) => i).filter((i) => i % 17 !== 0),
}

describe("startClientModels", () => {
  it("returns, from the worker thread, the same records as the in-process fit", async () => {
    const run = await startClientModels(inputs, settings)
    expect(run.ranOn).toBe("worker")
    expect(run.models).toEqual(estimateClientModels(inputs, settings))
    expect(run.models.therapist_effects.adjusted.status).toBe("estimated")
  }, 60_000)
})
