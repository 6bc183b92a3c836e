/**
 * Writes the JSON Schema files in data-schemas/json/ from the zod schemas (for editors and other
 * tools). Run: `npx tsx data-schemas/export-json-schemas.ts`. A test checks they are up to date.
 */
import { writeFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { jsonSchemas } from "./json-schemas.ts"

const dir = fileURLToPath(new URL("./json/", import.meta.url))
for (const [file, schema] of Object.entries(jsonSchemas())) {
  writeFileSync(dir + file, JSON.stringify(schema, null, 2) + "\n")
  console.error(`wrote data-schemas/json/${file}`)
}
