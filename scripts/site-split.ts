/**
 * A study cut down to one site, as that site's own study folder: the clients of the site and their
 * sessions, with the study file and README copied as they are. Used by scripts/split-by-site.ts
 * (to try `summarize` and `pool` on the bundled example) and by the tests of issue 10.
 *
 * For the canonical files that scripts/generate-study.ts writes: a header line, then one record per
 * line with no quoted field, client_id first in both files and site_id the third column of
 * clients.csv. A file with a quote in it is refused rather than split wrongly.
 */
import { cpSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { compareSiteLabels } from "../src/analysis/sites.ts"

const lines = (file: string): string[] => {
  const text = readFileSync(file, "utf8")
  if (text.includes('"')) throw new Error(`${file} has quoted fields; this splitter reads only the unquoted files of scripts/generate-study.ts`)
  return text.trimEnd().split("\n")
}

/** The sites of `study`'s clients.csv, in label order (S2 before S10). */
export const sitesOf = (study: string): string[] => {
  const [header, ...rows] = lines(join(study, "clients.csv"))
  if (header?.split(",")[2] !== "site_id") throw new Error(`${study}/clients.csv: site_id is not its third column`)
  return [...new Set(rows.map((row) => row.split(",")[2]!))].sort(compareSiteLabels)
}

/**
 * Copies `study` to `root/site`, keeping the clients of `site` and their sessions; `edit` may change
 * a kept client's cells (clients.csv's columns, in order). Returns the new study's folder.
 */
export const splitSite = (study: string, root: string, site: string, edit: (cells: string[]) => void = () => {}): string => {
  const dir = join(root, site)
  cpSync(study, dir, { recursive: true })
  const [header, ...rows] = lines(join(dir, "clients.csv"))
  const kept = rows.map((row) => row.split(",")).filter((cells) => cells[2] === site)
  for (const cells of kept) edit(cells)
  writeFileSync(join(dir, "clients.csv"), [header, ...kept.map((cells) => cells.join(","))].join("\n") + "\n")
  const ids = new Set(kept.map((cells) => cells[0]))
  const [sessionHeader, ...sessions] = lines(join(dir, "sessions.csv"))
  writeFileSync(join(dir, "sessions.csv"), [sessionHeader, ...sessions.filter((row) => ids.has(row.split(",")[0]))].join("\n") + "\n")
  return dir
}
