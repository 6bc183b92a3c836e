/**
 * Warnings of the clinical section, for results.json and the report: thresholds used that nobody
 * has checked against their primary source, and item rows left unscored.
 */
import type { ClinicalResults } from "../../../data-schemas/clinical-results.ts"

export const clinicalWarnings = (clinical: ClinicalResults): Array<{ code: string; message: string }> => {
  const warnings: Array<{ code: string; message: string }> = []
  const jt = clinical.jacobson_truax
  if (jt.status === "estimated") {
    const unchecked = [
      ...(jt.reliable_change.verified ? [] : [`reliable change of ${jt.reliable_change.points} points (${jt.reliable_change.source})`]),
      ...(jt.cut_off.verified ? [] : [`cut-off ${jt.cut_off.value} (${jt.cut_off.source})`]),
    ]
    if (unchecked.length > 0) {
      warnings.push({
        code: "unverified_threshold",
        message: `The clinical categories use thresholds not yet checked against their primary source: ${unchecked.join("; ")}. State your own in the study file (instruments.thresholds) if they differ.`,
      })
    }
  }
  if (clinical.talking_therapies.status === "estimated" && !clinical.talking_therapies.thresholds.verified) {
    warnings.push({
      code: "unverified_talking_therapies",
      message: "The NHS Talking Therapies thresholds (caseness PHQ-9 ≥ 10, GAD-7 ≥ 8; reliable change 6 and 4 points) are not verified against the current manual.",
    })
  }
  for (const s of clinical.scoring) {
    const warning = scoringWarning(s)
    if (warning !== null) warnings.push(warning)
  }
  return warnings
}

/**
 * The warning for an item block with rows left unscored; null when none was. After disclosure
 * control the count may be suppressed (null) and the line numbers gone (strict privacy).
 */
export const scoringWarning = (s: ClinicalResults["scoring"][number]): { code: string; message: string } | null => {
  if (s.excluded === 0) return null
  const first = s.excluded_at[0]
  const where = first === undefined ? "." : `, the first at line ${first.line} (items ${first.missing.join(", ")} missing).`
  const what = `more than ${s.proration_limit} of the ${s.items} ${s.instrument} items missing (${s.key})`
  return {
    code: "items_excluded",
    message:
      s.excluded === null
        ? `Rows of ${s.file} with ${what} were left unscored (their number is suppressed: strict privacy).`
        : `${s.excluded} ${s.excluded === 1 ? "row" : "rows"} of ${s.file} had ${what} and ${s.excluded === 1 ? "was" : "were"} left unscored` + where,
  }
}
