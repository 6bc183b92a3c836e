/** The tool's own identity, read from package.json, and the project root (for the lockfile). */
import { fileURLToPath } from "node:url"
import pkg from "../package.json" with { type: "json" }

export const TOOL = {
  name: pkg.name,
  version: pkg.version,
  root: fileURLToPath(new URL("..", import.meta.url)),
} as const
