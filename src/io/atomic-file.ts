/** Writing one file whole or not at all: to a temporary file beside it, then renamed into place. */
import { randomUUID } from "node:crypto"
import { renameSync, rmSync, writeFileSync } from "node:fs"

/** Writes `text` to `path` atomically (a reader sees the old file or the new one, never half of one); throws as writeFileSync does. */
export const writeFileAtomically = (path: string, text: string): void => {
  const temporary = `${path}.${process.pid}.${randomUUID()}.tmp`
  try {
    writeFileSync(temporary, text)
    renameSync(temporary, path)
  } catch (error) {
    rmSync(temporary, { force: true })
    throw error
  }
}
