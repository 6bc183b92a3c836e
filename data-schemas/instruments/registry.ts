/**
 * The instrument registry: scoring keys and thresholds of the measures the field uses most
 * (schema: instrument.ts). No item wording is shipped.
 *
 * None of the sourced values below has yet been checked against its primary source by this
 * project, so each says `verified: false`; they come from REFERENCES.md and the instruments'
 * usual descriptions, and a study file can override every one. Proration limits are this
 * project's defaults (about a fifth of the items), not the instruments' manuals.
 */
import { Instrument } from "./instrument.ts"

const unverified = <T>(value: T, source: string) => ({ value, source, verified: false })
const projectProration = (maxMissing: number) => ({ max_missing: maxMissing, source: "project default (about a fifth of the items); check the instrument's manual" })

const entries: ReadonlyArray<Instrument> = [
  {
    id: "phq9",
    name: "PHQ-9 (Patient Health Questionnaire, depression)",
    citation: "Kroenke, K., Spitzer, R. L., & Williams, J. B. W. (2001). The PHQ-9. Journal of General Internal Medicine, 16(9), 606–613.",
    licence: "Free to use without permission (Pfizer); reproduce item text only from the official forms.",
    items: 9,
    range: [0, 3],
    scoring: "sum",
    direction: "lower_is_better",
    reversed: unverified([], "Kroenke et al. (2001): all items scored as answered"),
    subscales: null,
    proration: projectProration(1),
    cut_off: unverified(10, "Kroenke et al. (2001); NHS Talking Therapies caseness (REFERENCES.md)"),
    reliable_change: unverified(6, "NHS Talking Therapies manual (REFERENCES.md)"),
  },
  {
    id: "gad7",
    name: "GAD-7 (Generalized Anxiety Disorder scale)",
    citation: "Spitzer, R. L., Kroenke, K., Williams, J. B. W., & Löwe, B. (2006). A brief measure for assessing generalized anxiety disorder: The GAD-7. Archives of Internal Medicine, 166(10), 1092–1097.",
    licence: "Free to use without permission (Pfizer); reproduce item text only from the official forms.",
    items: 7,
    range: [0, 3],
    scoring: "sum",
    direction: "lower_is_better",
    reversed: unverified([], "Spitzer et al. (2006): all items scored as answered"),
    subscales: null,
    proration: projectProration(1),
    cut_off: unverified(8, "NHS Talking Therapies caseness (REFERENCES.md); Spitzer et al. (2006) suggest 10"),
    reliable_change: unverified(4, "NHS Talking Therapies manual (REFERENCES.md)"),
  },
  {
    id: "wai_sr",
    name: "WAI-SR (Working Alliance Inventory, short revised, client form)",
    citation: "Hatcher, R. L., & Gillaspy, J. A. (2006). Development and validation of a revised short version of the Working Alliance Inventory. Psychotherapy Research, 16(1), 12–25.",
    licence: "Copyrighted (Horvath; Hatcher & Gillaspy); free for research with permission. Scoring key only.",
    items: 12,
    range: [1, 5],
    scoring: "mean",
    direction: "higher_is_better",
    reversed: unverified([], "Hatcher & Gillaspy (2006), as secondary sources describe it"),
    subscales: unverified({ task: [1, 2, 10, 12], bond: [3, 5, 7, 9], goal: [4, 6, 8, 11] }, "secondary sources on Hatcher & Gillaspy (2006) (REFERENCES.md: verify)"),
    proration: projectProration(2),
    cut_off: null,
    reliable_change: null,
  },
  {
    id: "ors",
    name: "ORS (Outcome Rating Scale)",
    citation: "Miller, S. D., Duncan, B. L., Brown, J., Sparks, J. A., & Claud, D. A. (2003). The Outcome Rating Scale. Journal of Brief Therapy, 2(2), 91–100.",
    licence: "Proprietary (free licence for individual practitioners); scoring key only.",
    items: 4,
    range: [0, 10],
    scoring: "sum",
    direction: "higher_is_better",
    reversed: unverified([], "Miller et al. (2003)"),
    subscales: null,
    proration: { max_missing: 0, source: "project default: four visual-analogue marks, none prorated" },
    cut_off: unverified(25, "Miller et al. (2003), adults"),
    reliable_change: unverified(5, "Miller et al. (2003)"),
  },
  {
    id: "srs",
    name: "SRS (Session Rating Scale)",
    citation: "Duncan, B. L., Miller, S. D., Sparks, J. A., Claud, D. A., Reynolds, L. R., Brown, J., & Johnson, L. D. (2003). The Session Rating Scale. Journal of Brief Therapy, 3(1), 3–12.",
    licence: "Proprietary (free licence for individual practitioners); scoring key only.",
    items: 4,
    range: [0, 10],
    scoring: "sum",
    direction: "higher_is_better",
    reversed: unverified([], "Duncan et al. (2003)"),
    subscales: null,
    proration: { max_missing: 0, source: "project default: four visual-analogue marks, none prorated" },
    cut_off: unverified(36, "Duncan et al. (2003): totals below 36 flag an alliance concern"),
    reliable_change: null,
  },
  {
    id: "core10",
    name: "CORE-10 (Clinical Outcomes in Routine Evaluation, 10 items)",
    citation: "Barkham, M., Bewick, B., Mullin, T., Gilbody, S., Connell, J., Cahill, J., Mellor-Clark, J., Richards, D., Unsworth, G., & Evans, C. (2013). The CORE-10. Counselling and Psychotherapy Research, 13(1), 3–13.",
    licence: "Free to use unchanged (CORE System Trust); scoring key only.",
    items: 10,
    range: [0, 4],
    scoring: "sum",
    direction: "lower_is_better",
    reversed: unverified([2, 3], "Barkham et al. (2013): the two positively worded items"),
    subscales: null,
    proration: projectProration(1),
    cut_off: unverified(11, "Barkham et al. (2013), clinical cut-off"),
    reliable_change: unverified(6, "Barkham et al. (2013)"),
  },
  {
    id: "oq45",
    name: "OQ-45 (Outcome Questionnaire-45)",
    citation: "Lambert, M. J., et al. (2004). Administration and scoring manual for the OQ-45.2. OQ Measures.",
    licence: "Proprietary (OQ Measures): licence required for use; scoring key only, subscale keys not shipped.",
    items: 45,
    range: [0, 4],
    scoring: "sum",
    direction: "lower_is_better",
    reversed: unverified([1, 12, 13, 20, 21, 24, 31, 37, 43], "OQ-45.2 manual, as secondary sources list the positively worded items"),
    subscales: null,
    proration: projectProration(4),
    cut_off: unverified(64, "OQ-45.2 manual (US norms: 63/64); other countries' norms differ"),
    reliable_change: unverified(14, "OQ-45.2 manual"),
  },
]

/** The registry, validated once, by id. */
export const INSTRUMENTS: ReadonlyMap<string, Instrument> = new Map(entries.map((e) => [e.id, Instrument.parse(e)]))
