/** The client-level multilevel models together: what the worker thread computes (src/io/client-models.ts). */
import type { Decomposition, TherapistEffectsRecord } from "../../../data-schemas/multilevel-results.ts"
import type { AnalysisSettings } from "../settings.ts"
import type { ClientInputs } from "./client-inputs.ts"
import { estimateDecomposition } from "./decomposition.ts"
import { estimateTherapistEffects } from "./therapist-effects.ts"

export interface ClientModels {
  readonly therapist_effects: TherapistEffectsRecord
  readonly decomposition: Decomposition
}

export const estimateClientModels = (inputs: ClientInputs, settings: Pick<AnalysisSettings, "level" | "minCell">): ClientModels => ({
  therapist_effects: estimateTherapistEffects(inputs, settings),
  decomposition: estimateDecomposition(inputs, settings),
})
