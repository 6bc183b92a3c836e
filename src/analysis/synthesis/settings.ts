/**
 * The settings `synthesize` actually uses: the study file's `synthesis` section, the command-line
 * overrides, and the moderators — as declared, or else every extra column of studies.csv, typed
 * from its values (all numeric → continuous, otherwise categorical).
 */
import type { StudyConfig, SynthesisMethod } from "../../../data-schemas/study-file.ts"
import type { StudiesFile } from "../../ingest/read-studies.ts"

export interface ModeratorSetting {
  readonly column: string
  readonly type: "continuous" | "categorical"
}

export interface SynthesisSettings {
  readonly effect: "correlation" | "generic"
  readonly effectLabel: string
  readonly method: SynthesisMethod
  readonly test: "z" | "knha"
  readonly level: number
  readonly moderators: ReadonlyArray<ModeratorSetting>
  readonly subgroup: string | null
  readonly literatureReference: boolean
}

/** A problem with the synthesis settings (e.g. a declared moderator that is not a column). */
export interface SettingsProblem {
  readonly setting: string
  readonly message: string
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/

/** Whether every present value of `column` is a finite decimal number. */
const isNumericColumn = (file: StudiesFile, column: string): boolean => {
  let present = 0
  for (const e of file.effects) {
    const cell = e.moderators[column]
    if (cell === null || cell === undefined) continue
    if (!NUMBER.test(cell)) return false
    present++
  }
  return present > 0
}

/**
 * Resolves the synthesis settings. Declared moderators and the subgroup column must be columns
 * of the file (and a subgroup column cannot be continuous); otherwise the problems are returned.
 */
export const synthesisSettingsFrom = (
  config: StudyConfig,
  file: StudiesFile,
  overrides: { readonly method: SynthesisMethod | null; readonly test: "z" | "knha" | null },
): { readonly settings: SynthesisSettings } | { readonly problems: ReadonlyArray<SettingsProblem> } => {
  const s = config.synthesis
  const problems: Array<SettingsProblem> = []
  const columns = new Set(file.moderatorColumns)
  const declared = s?.moderators
  for (const [i, m] of (declared ?? []).entries()) {
    if (!columns.has(m.column)) {
      problems.push({ setting: `synthesis.moderators[${i}].column`, message: `"${m.column}" is not a moderator column of the studies file (columns: ${[...columns].join(", ") || "none"})` })
    } else if (m.type === "continuous" && !isNumericColumn(file, m.column)) {
      problems.push({ setting: `synthesis.moderators[${i}].type`, message: `"${m.column}" is declared continuous but has values that are not numbers` })
    }
  }
  const moderators: ReadonlyArray<ModeratorSetting> =
    declared ?? file.moderatorColumns.map((column) => ({ column, type: isNumericColumn(file, column) ? "continuous" : "categorical" }))
  const subgroup = s?.subgroup ?? null
  if (subgroup !== null) {
    if (!columns.has(subgroup)) {
      problems.push({ setting: "synthesis.subgroup", message: `"${subgroup}" is not a column of the studies file` })
    } else if (moderators.some((m) => m.column === subgroup && m.type === "continuous")) {
      problems.push({ setting: "synthesis.subgroup", message: `"${subgroup}" is a continuous moderator; subgroups need a categorical column` })
    }
  }
  if (problems.length > 0) return { problems }
  const withSubgroup =
    subgroup !== null && !moderators.some((m) => m.column === subgroup)
      ? [...moderators, { column: subgroup, type: "categorical" as const }]
      : moderators
  return {
    settings: {
      effect: file.kind,
      effectLabel: s?.effect_label ?? (file.kind === "correlation" ? "correlation (r)" : "effect size (yi)"),
      method: overrides.method ?? s?.method ?? "REML",
      test: overrides.test ?? s?.test ?? "z",
      level: config.analysis.ci_level,
      moderators: withSubgroup,
      subgroup,
      literatureReference: file.kind === "correlation" && (s?.literature_reference ?? true),
    },
  }
}
