/**
 * The client-level multilevel models (therapist effects, the alliance decomposition) on a second
 * thread, so that they run while the session-level model runs on the main thread: on a
 * million-client study, a two-core machine's second core takes them off the critical path
 * (1.7 s → 0.2 s of waiting).
 *
 * The worker gets copies of the client columns (tens of MB) and runs the same pure code
 * (analysis/multilevel/client-models.ts), so the results are the same bytes as in process. If the
 * worker cannot run (it fails to start or stops), the models are fitted here instead.
 */
import { Worker } from "node:worker_threads"
import type { ClientInputs } from "../analysis/multilevel/client-inputs.ts"
import { type ClientModels, estimateClientModels } from "../analysis/multilevel/client-models.ts"
import type { AnalysisSettings } from "../analysis/settings.ts"

/** The models and the thread that fitted them. */
export interface ClientModelsRun {
  readonly models: ClientModels
  readonly ranOn: "worker" | "main"
}

/** Starts the models at once on a worker thread; the promise resolves with them (from the worker or, failing that, from this thread). */
export const startClientModels = (inputs: ClientInputs, settings: Pick<AnalysisSettings, "level" | "minCell">): Promise<ClientModelsRun> => {
  const inProcess = (): ClientModelsRun => ({ models: estimateClientModels(inputs, settings), ranOn: "main" })
  let worker: Worker
  try {
    worker = new Worker(new URL("./client-models-worker.mjs", import.meta.url), { workerData: { inputs, settings } })
  } catch {
    return Promise.resolve().then(inProcess)
  }
  return new Promise<ClientModelsRun>((resolve, reject) => {
    let settled = false
    const fallBack = () => {
      if (settled) return
      settled = true
      try {
        resolve(inProcess())
      } catch (error) {
        reject(error)
      }
    }
    worker.once("message", (models: ClientModels) => {
      settled = true
      resolve({ models, ranOn: "worker" })
      void worker.terminate()
    })
    worker.once("error", fallBack)
    worker.once("exit", fallBack)
  })
}
