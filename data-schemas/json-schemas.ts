/** The JSON Schema documents exported from the zod schemas, keyed by file name. */
import { z } from "zod"
import { ClientRecord } from "./clients.ts"
import { Results } from "./results.ts"
import { SessionRecord } from "./sessions.ts"
import { PooledSites } from "./pooled-sites.ts"
import { SiteSummary } from "./site-summary.ts"
import { StudyFile } from "./study-file.ts"
import { SynthesisResults } from "./synthesis-results.ts"

const titled = (title: string, schema: z.ZodType, io: "input" | "output") => ({
  ...z.toJSONSchema(schema, { io, unrepresentable: "any" }),
  title,
})

export const jsonSchemas = (): Record<string, object> => ({
  "study.schema.json": titled("Study file (study.json)", StudyFile, "input"),
  "clients.schema.json": titled("clients.csv row", ClientRecord, "output"),
  "sessions.schema.json": titled("sessions.csv row", SessionRecord, "output"),
  "results.schema.json": titled("results.json", Results, "output"),
  "synthesis-results.schema.json": titled("results.json of synthesize", SynthesisResults, "output"),
  "site-summary.schema.json": titled("site-summary.json of summarize", SiteSummary, "output"),
  "pooled-sites.schema.json": titled("results.json of pool", PooledSites, "output"),
})
