/** The client-models worker's body: fit the client-level multilevel models and post them back. */
import { parentPort, workerData } from "node:worker_threads"
import type { ClientInputs } from "../analysis/multilevel/client-inputs.ts"
import { estimateClientModels } from "../analysis/multilevel/client-models.ts"
import type { AnalysisSettings } from "../analysis/settings.ts"

export const runWorker = (): void => {
  const { inputs, settings } = workerData as { inputs: ClientInputs; settings: Pick<AnalysisSettings, "level" | "minCell"> }
  parentPort!.postMessage(estimateClientModels(inputs, settings))
}
