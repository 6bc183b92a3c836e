/** The sessions worker's body: decode the tail it was given and post the part back (transferred). */
import { parentPort, workerData } from "node:worker_threads"
import type { SessionLinePlan } from "./session-line.ts"
import { partBuffers, speculate } from "./session-speculation.ts"

export const runWorker = (): void => {
  const { path, from, plan } = workerData as { path: string; from: number; plan: SessionLinePlan }
  const result = speculate(path, from, plan)
  parentPort!.postMessage(result, "part" in result ? partBuffers(result.part) : [])
}
