/**
 * The benchmark record as Markdown: machine, pipeline figures per size, baselines and ratios,
 * and, when the 1M-client size was run, issue 3's targets.
 */
import type { BaselineId } from "./baselines.ts"
import type { BenchRecord, SizeRecord } from "./record.ts"
import { WITHIN_BETWEEN_PHASE } from "../src/analysis/multilevel/within-between.ts"

const LABEL: Readonly<Record<BaselineId, string>> = { pandas: "pandas + scipy", r: "R (psych, metafor, lme4)" }
const SHORT: Readonly<Record<BaselineId, string>> = { pandas: "pandas", r: "R" }

const fixed = (x: number | null | undefined, digits: number): string => (x === null || x === undefined ? "—" : x.toFixed(digits))
const count = (n: number): string => n.toLocaleString("en-US")
const row = (cells: ReadonlyArray<string>): string => `| ${cells.join(" | ")} |`
const header = (cells: ReadonlyArray<string>): string =>
  [row(cells), row(cells.map((_, i) => (i === 0 ? "---" : "---:")))].join("\n")

const pipelineTable = (sizes: ReadonlyArray<SizeRecord>): string => {
  const lines = sizes.map((s) => {
    const p = s.pipeline
    const st = p.stages_s
    if (p.status === "failed") return row([count(s.clients), count(s.input.sessions_rows), fixed(s.input.mb, 1), `failed: ${p.error?.split("\n")[0] ?? ""}`])
    return row([
      count(s.clients),
      count(s.input.sessions_rows),
      fixed(s.input.mb, 1),
      fixed(p.wall_s, 2),
      fixed(p.in_process_s, 2),
      fixed(p.startup_s, 2),
      fixed(st?.read_validate, 2),
      fixed(st?.derive, 2),
      fixed(st?.estimate, 2),
      fixed(st?.report, 2),
      fixed(p.read_validate_mb_per_s, 1),
      fixed(p.peak_rss_mib, 0),
    ])
  })
  return [
    header(["clients", "sessions", "input MB", "wall s", "in-process s", "startup s", "read+validate s", "derive s", "estimate s", "report s", "read MB/s", "peak RSS MiB"]),
    ...lines,
  ].join("\n")
}

const baselineTable = (record: BenchRecord): string => {
  const ids = record.settings.baselines
  const cells = ids.map((id) => SHORT[id]).flatMap((b) => [`${b} s`, `${b} MiB`, `${b} read MB/s`, `pipeline / ${b}`])
  const lines = record.sizes.map((s) =>
    row([
      count(s.clients),
      fixed(s.pipeline.wall_s, 2),
      ...ids.flatMap((id) => {
        const b = s.baselines[id]
        if (b === undefined || b.status !== "ok") return [b?.status ?? "—", "—", "—", "—"]
        return [fixed(b.wall_s, 2), fixed(b.peak_rss_mib, 0), fixed(b.read_mb_per_s, 1), fixed(s.ratios[id]?.wall, 3)]
      }),
    ]),
  )
  return [header(["clients", "pipeline s", ...cells]), ...lines].join("\n")
}

const agreement = (record: BenchRecord): string => {
  const ids = record.settings.baselines
  const lines = record.sizes.map((s) =>
    row([
      count(s.clients),
      s.pipeline.primary === null ? "—" : `${s.pipeline.primary.r.toPrecision(10)} (n = ${count(s.pipeline.primary.n)})`,
      ...ids.map((id) => {
        const b = s.baselines[id]
        return b?.r === null || b?.r === undefined ? "—" : `${b.r.toPrecision(10)} (n = ${count(b.n ?? 0)})`
      }),
    ]),
  )
  return [header(["clients", "pipeline r", ...ids.map((id) => `${SHORT[id]} r`)]), ...lines].join("\n")
}

/** The largest size's primary analysis against R's, quantity by quantity. */
const rAgreement = (s: SizeRecord): string =>
  [
    header(["quantity", "pipeline", "R", "relative difference", "6 significant digits"]),
    ...s.r_agreement.map((a) =>
      row([
        a.quantity,
        a.pipeline === null ? "—" : String(a.pipeline),
        a.r === null ? "—" : String(a.r),
        a.relative_difference === null ? "—" : a.relative_difference.toExponential(1),
        a.agrees_6_digits ? "agree" : "**differ**",
      ]),
    ),
  ].join("\n")

const readerChecks = (sizes: ReadonlyArray<SizeRecord>): string =>
  [
    header(["clients", "csv-parse run s", "results.json"]),
    ...sizes.flatMap((s) =>
      s.reader_check === null ? [] : [row([count(s.clients), fixed(s.reader_check.wall_s, 2), s.reader_check.detail ?? s.reader_check.status])],
    ),
  ].join("\n")

const rerunChecks = (sizes: ReadonlyArray<SizeRecord>): string =>
  [
    header(["clients", "pipeline s", "first run, filling the cache s", "re-run s", "re-run / pipeline", "report folder"]),
    ...sizes.flatMap((s) => {
      const c = s.rerun_check
      return c === null || c === undefined ? [] : [row([count(s.clients), fixed(s.pipeline.wall_s, 2), fixed(c.fill_s, 2), fixed(c.rerun_s, 2), fixed(c.rerun_ratio, 3), c.detail ?? c.status])]
    }),
  ].join("\n")

/** Issue 3's targets (and issue 5's for the session model), checked on the 1M-client run. */
const targets = (s: SizeRecord): string => {
  const mark = (ok: boolean | null) => (ok === null ? "not measured" : ok ? "met" : "**not met**")
  const p = s.pipeline
  const pandas = s.ratios.pandas?.wall ?? null
  const r = s.ratios.r?.wall ?? null
  const pandasRead = s.baselines.pandas?.read_mb_per_s ?? null
  const readRatio = p.read_validate_mb_per_s === null || pandasRead === null ? null : p.read_validate_mb_per_s / pandasRead
  const withinBetween = p.phases.find((phase) => phase.label.startsWith(WITHIN_BETWEEN_PHASE))
  const items: ReadonlyArray<readonly [string, string, boolean | null]> = [
    ["wall ≤ 20 s", `${fixed(p.wall_s, 2)} s`, p.wall_s === null ? null : p.wall_s <= 20],
    ["peak RSS ≤ 1.5 GB", `${fixed(p.peak_rss_kb === null ? null : (p.peak_rss_kb * 1024) / 1e9, 2)} GB`, p.peak_rss_kb === null ? null : p.peak_rss_kb * 1024 <= 1.5e9],
    ["pipeline / pandas ≤ 1.0", fixed(pandas, 3), pandas === null ? null : pandas <= 1],
    ["pipeline / R ≤ 1/15 (≥ 15× faster)", r === null ? "—" : `${fixed(r, 3)} (R / pipeline = ${fixed(1 / r, 1)}×)`, r === null ? null : r <= 1 / 15],
    ["read + validate ≥ 60 MB/s", `${fixed(p.read_validate_mb_per_s, 1)} MB/s`, p.read_validate_mb_per_s === null ? null : p.read_validate_mb_per_s >= 60],
    [
      // the issue set 60 MB/s where pandas read at ≈ 50 MB/s: the same target against the machine at hand
      "read + validate ≥ 1.2 × pandas' read rate in this run (60 / 50 MB/s, as issue 3 measured them)",
      readRatio === null ? "—" : `${fixed(readRatio, 2)}× (${fixed(p.read_validate_mb_per_s, 1)} / ${fixed(pandasRead, 1)} MB/s)`,
      readRatio === null ? null : readRatio >= 1.2,
    ],
    [
      // issue 5: the session-level model on ≈ 9M session rows (pairs, per-client statistics, REML fit, Satterthwaite df)
      "within/between session model ≤ 10 s (issue 5)",
      withinBetween === undefined ? "—" : `${fixed(withinBetween.s, 2)} s`,
      withinBetween === undefined ? null : withinBetween.s <= 10,
    ],
    [
      "results.json identical with csv-parse alone",
      s.reader_check?.status ?? "not run",
      s.reader_check === null ? null : s.reader_check.status === "identical",
    ],
    [
      "primary analysis agrees with R to 6 significant digits",
      s.r_agreement.length === 0 ? "R not run" : `${s.r_agreement.filter((a) => a.agrees_6_digits).length} of ${s.r_agreement.length} quantities`,
      s.r_agreement.length === 0 ? null : s.r_agreement.every((a) => a.agrees_6_digits),
    ],
  ]
  return [header(["target (issue 3, 1M clients)", "measured", "verdict"]), ...items.map(([t, m, ok]) => row([t, m, mark(ok)]))].join("\n")
}

export const markdown = (record: BenchRecord): string => {
  const m = record.machine
  const gib = (m.total_memory_bytes / 1024 ** 3).toFixed(1)
  const availability = record.settings.baselines.map((id) => {
    const any = record.sizes.map((s) => s.baselines[id]).find((b) => b !== undefined)
    const what = any === undefined ? "not run" : any.status === "ok" ? (any.versions ?? "ran") : `${any.status} — ${any.reason}`
    return `- ${LABEL[id]}: ${what}`
  })
  const million = record.sizes.find((s) => s.clients === 1_000_000)
  const largest = record.sizes.reduce<SizeRecord | undefined>((a, s) => (a === undefined || s.clients > a.clients ? s : a), undefined)
  const checked = record.sizes.some((s) => s.reader_check !== null)
  return [
    `# Benchmark ${record.date}`,
    "",
    `Machine: ${m.cpus} × ${m.cpu_model}, ${gib} GiB memory, ${m.os}; Node ${m.node}. ` +
      `Peak RSS from ${m.peak_rss_source}. Repeats: ${record.settings.repeat} (median wall time). Command: \`${record.command}\``,
    "",
    "## Pipeline (full default run, child process)",
    "",
    pipelineTable(record.sizes),
    "",
    "## Baselines on the same files, same invocation",
    "",
    ...availability,
    "",
    baselineTable(record),
    "",
    "Ratio = pipeline wall / baseline wall (below 1: the pipeline is faster).",
    "",
    "Primary r(early alliance, improvement), as a check that all compute the same thing:",
    "",
    agreement(record),
    ...(largest === undefined || largest.r_agreement.length === 0
      ? []
      : ["", `## Primary analysis against R (${count(largest.clients)} clients)`, "", rAgreement(largest)]),
    ...(checked
      ? ["", "## Results whichever reader", "", "The pipeline run again with csv-parse alone (the parser of record); results.json compared byte for byte with the fast reader's.", "", readerChecks(record.sizes)]
      : []),
    ...(record.sizes.some((s) => s.rerun_check)
      ? [
          "",
          "## Re-running with nothing changed",
          "",
          "The command line run twice on one step cache: the first run fills it, the second reuses every step (wall times include Node's start-up). The re-run's report folder is compared byte for byte with the uncached pipeline run's.",
          "",
          rerunChecks(record.sizes),
        ]
      : []),
    ...(million === undefined ? [] : ["", "## Targets", "", targets(million)]),
    "",
  ].join("\n")
}
