/** The bundled example cut down to one site, as that site's own study folder (for summarize and pool). */
import { cpSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { EXAMPLE_STUDY } from "../../pipelines/run.ts"

/**
 * Copies the example (its study file included) to `root/site`, keeping the clients of `site` and
 * their sessions; `edit` may change a kept client's cells (clients.csv's columns, in order).
 */
export const siteStudy = (root: string, site: string, edit: (cells: string[]) => void = () => {}): string => {
  const dir = join(root, site)
  cpSync(EXAMPLE_STUDY, dir, { recursive: true })
  const [header, ...rows] = readFileSync(join(dir, "clients.csv"), "utf8").trimEnd().split("\n")
  const kept = rows.map((row) => row.split(",")).filter((cells) => cells[2] === site)
  for (const cells of kept) edit(cells)
  writeFileSync(join(dir, "clients.csv"), [header, ...kept.map((cells) => cells.join(","))].join("\n") + "\n")
  const ids = new Set(kept.map((cells) => cells[0]))
  const [sessionHeader, ...sessions] = readFileSync(join(dir, "sessions.csv"), "utf8").trimEnd().split("\n")
  writeFileSync(join(dir, "sessions.csv"), [sessionHeader, ...sessions.filter((row) => ids.has(row.split(",")[0]))].join("\n") + "\n")
  return dir
}
