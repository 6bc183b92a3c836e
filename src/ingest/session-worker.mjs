// The worker thread of session-speculation.ts. Plain JavaScript so that Node can start it; it
// registers tsx (how the pipeline runs) to load the TypeScript it needs.
import { register } from "tsx/esm/api"

register()
const { runWorker } = await import("./session-worker.ts")
runWorker()
