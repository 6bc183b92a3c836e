/**
 * The optional baselines: bench/baseline.py (pandas + scipy) and bench/baseline.R (base R, psych,
 * metafor, lme4). Each runs only where its runtime and packages are present; otherwise it is
 * skipped with the reason, never an error.
 */
import { spawnSync } from "node:child_process"
import { join } from "node:path"
import { lastJsonLine, measure, tail, type Measured } from "./measure.ts"

export type BaselineId = "pandas" | "r"

export const BASELINE_IDS: ReadonlyArray<BaselineId> = ["pandas", "r"]

export interface BaselineRunner {
  readonly id: BaselineId
  readonly command: string
  readonly script: string
  /** interpreter and package versions, as detected */
  readonly versions: string
}

export type Detected =
  | { readonly available: true; readonly runner: BaselineRunner }
  | { readonly available: false; readonly id: BaselineId; readonly reason: string }

const DETECT_TIMEOUT_MS = 120_000

const probe = (command: string, args: ReadonlyArray<string>): { ok: true; out: string } | { ok: false; why: string } => {
  const run = spawnSync(command, [...args], { encoding: "utf8", timeout: DETECT_TIMEOUT_MS })
  if (run.error) return { ok: false, why: (run.error as NodeJS.ErrnoException).code === "ENOENT" ? `${command} not found` : run.error.message }
  if (run.status !== 0) return { ok: false, why: tail(run.stderr ?? "", 1) || `${command} exited ${run.status}` }
  return { ok: true, out: (run.stdout ?? "").trim() }
}

/** python3 that can import pandas and scipy: `python3` on the PATH first, then /usr/bin/python3. */
const detectPandas = (benchDir: string): Detected => {
  const reasons: string[] = []
  for (const command of ["python3", "/usr/bin/python3"]) {
    const found = probe(command, ["-c", "import sys, pandas, scipy; print(sys.version.split()[0], pandas.__version__, scipy.__version__)"])
    if (found.ok) {
      const [python, pandas, scipy] = found.out.split(" ")
      return {
        available: true,
        runner: { id: "pandas", command, script: join(benchDir, "baseline.py"), versions: `Python ${python}, pandas ${pandas}, scipy ${scipy}` },
      }
    }
    reasons.push(`${command}: ${found.why}`)
  }
  return { available: false, id: "pandas", reason: `no python3 with pandas and scipy (${reasons.join("; ")})` }
}

/** Rscript with metafor, psych and lme4. */
const detectR = (benchDir: string): Detected => {
  const found = probe("Rscript", [
    "-e",
    "suppressPackageStartupMessages({library(metafor); library(psych); library(lme4)}); " +
      'cat(paste0("R ", R.version$major, ".", R.version$minor, ", metafor ", packageVersion("metafor"), ", psych ", packageVersion("psych"), ", lme4 ", packageVersion("lme4")))',
  ])
  if (!found.ok) return { available: false, id: "r", reason: `no Rscript with metafor, psych and lme4 (${found.why})` }
  return { available: true, runner: { id: "r", command: "Rscript", script: join(benchDir, "baseline.R"), versions: found.out } }
}

export const detectBaseline = (id: BaselineId, benchDir: string): Detected =>
  id === "pandas" ? detectPandas(benchDir) : detectR(benchDir)

/** One baseline run: the timing, and what the script reported (its last JSON line). */
export interface BaselineRun {
  readonly measured: Measured
  readonly output: Record<string, unknown> | null
  /** why the run failed; null when it succeeded */
  readonly error: string | null
}

export const runBaseline = (runner: BaselineRunner, clients: string, sessions: string, useTime: boolean): BaselineRun => {
  const measured = measure(runner.command, [runner.script, clients, sessions], { useTime })
  const output = lastJsonLine(measured.stdout)
  const error =
    measured.status !== 0
      ? `exit ${measured.status ?? measured.signal}: ${tail(measured.stderr)}`
      : output === null
        ? "printed no JSON result"
        : null
  return { measured, output, error }
}
