// The worker thread of client-models.ts. Plain JavaScript so that Node can start it; it registers
// tsx (how the pipeline runs) to load the TypeScript it needs.
import { register } from "tsx/esm/api"

register()
const { runWorker } = await import("./client-models-worker.ts")
runWorker()
