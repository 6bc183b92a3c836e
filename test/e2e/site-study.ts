/** The bundled example cut down to one site, as that site's own study folder (for summarize and pool). */
import { EXAMPLE_STUDY } from "../../pipelines/run.ts"
import { splitSite } from "../../scripts/site-split.ts"

/**
 * Copies the example (its study file included) to `root/site`, keeping the clients of `site` and
 * their sessions; `edit` may change a kept client's cells (clients.csv's columns, in order).
 */
export const siteStudy = (root: string, site: string, edit: (cells: string[]) => void = () => {}): string => splitSite(EXAMPLE_STUDY, root, site, edit)
