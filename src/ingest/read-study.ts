/**
 * Reading a study's two CSV files in one streaming pass each: header resolution, per-row
 * validation against the canonical schemas, columnar accumulation, unique keys, referential
 * integrity, missingness counts and the value samples the de-identification gate screens.
 *
 * The result says what was found; deciding what to do about problems (refuse, report, go on) is
 * the pipeline's job, so that the gate can run before any cell value is echoed in an error.
 */
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import type { ColumnSpec, Ranges } from "../../data-schemas/canonical.ts"
import { CLIENT_COLUMNS } from "../../data-schemas/clients.ts"
import { SESSION_COLUMNS } from "../../data-schemas/sessions.ts"
import type { DataProblem } from "../errors.ts"
import type { StudyData } from "../data/study-data.ts"
import { CsvSource } from "../io/CsvSource.ts"
import type { Study } from "../io/study-loader.ts"
import { ClientTableBuilder } from "./client-table.ts"
import { ColumnProfiler, type ColumnProfile } from "./column-profile.ts"
import { type ResolvedHeader, resolveHeader } from "./header.ts"
import { ProblemLog } from "./problem-log.ts"
import { SessionTableBuilder } from "./session-table.ts"

export interface IngestResult {
  /** null when a file could not be read far enough to build tables */
  readonly data: StudyData | null
  readonly profiles: ReadonlyArray<ColumnProfile>
  readonly problems: ReadonlyArray<DataProblem>
  readonly totalProblems: number
}

/** Valid ranges by canonical column, from the study's measures. */
export const rangesOf = (study: Study): Ranges => {
  const { outcome, alliance, ranges } = study.config.measures
  const fromSpecs = (specs: ReadonlyArray<ColumnSpec>) =>
    specs.flatMap((spec) =>
      spec.measure === "outcome" ? [[spec.name, outcome.range] as const] : spec.measure === "alliance" ? [[spec.name, alliance.range] as const] : [],
    )
  return Object.fromEntries([...fromSpecs(CLIENT_COLUMNS), ...fromSpecs(SESSION_COLUMNS), ...Object.entries(ranges)])
}

interface FileSink {
  header(cells: ReadonlyArray<string>): void
  row(line: number, cells: ReadonlyArray<string>): void
}

/** Streams one file into a sink; a read or syntax error becomes a logged problem. */
const streamFile = (path: string, file: string, sink: FileSink, log: ProblemLog) =>
  Effect.gen(function* () {
    const csv = yield* CsvSource
    let sawHeader = false
    yield* csv.records(path).pipe(
      Stream.runForEach((record) =>
        Effect.sync(() => {
          if (!sawHeader) {
            sawHeader = true
            sink.header(record.cells)
          } else {
            sink.row(record.line, record.cells)
          }
        }),
      ),
      Effect.catchTag("CsvReadError", (error) =>
        Effect.sync(() => log.add({ file, line: error.line, column: "", value: null, rule: `the file is not valid CSV: ${error.message}` })),
      ),
    )
    if (!sawHeader) log.add({ file, line: 1, column: "", value: null, rule: "the file is empty: a header row is required" })
  })

export const readStudy = (study: Study, displayName: (absolute: string) => string) =>
  Effect.gen(function* () {
    const log = new ProblemLog()
    const missing = new Set(study.config.missing_values.map((v) => v.trim()))
    const ranges = rangesOf(study)
    const settings = { missing }
    const clientsFile = displayName(study.files.clients)
    const sessionsFile = displayName(study.files.sessions)
    const profilers: ColumnProfiler[] = []

    let clients: ClientTableBuilder | undefined
    let clientsHeader: ResolvedHeader | undefined
    yield* streamFile(
      study.files.clients,
      clientsFile,
      {
        header: (cells) => {
          clientsHeader = resolveHeader(clientsFile, cells, CLIENT_COLUMNS, study.config.columns.clients, log)
          clients = new ClientTableBuilder(clientsHeader, ranges, settings, log)
          profilers.push(new ColumnProfiler(clientsFile, clientsHeader.names, missing))
        },
        row: (line, cells) => {
          profilers[0]?.row(line, cells)
          clients?.row(line, cells)
        },
      },
      log,
    )
    const requiredOk = (header: ResolvedHeader | undefined, specs: ReadonlyArray<ColumnSpec>) =>
      header !== undefined && specs.every((s) => !s.required || header.columns.some((c) => c.spec === s))

    let sessions: SessionTableBuilder | undefined
    let sessionsHeader: ResolvedHeader | undefined
    const clientIndex = clients?.index ?? new Map<string, number>()
    const knownClients = clients?.seen ?? new Set<string>()
    yield* streamFile(
      study.files.sessions,
      sessionsFile,
      {
        header: (cells) => {
          sessionsHeader = resolveHeader(sessionsFile, cells, SESSION_COLUMNS, study.config.columns.sessions, log)
          sessions = new SessionTableBuilder(sessionsHeader, ranges, settings, log, clientIndex, clientsFile, knownClients)
          profilers.push(new ColumnProfiler(sessionsFile, sessionsHeader.names, missing))
        },
        row: (line, cells) => {
          profilers[profilers.length - 1]?.row(line, cells)
          // Without a usable clients file every session would be reported as orphaned.
          if (requiredOk(clientsHeader, CLIENT_COLUMNS)) sessions?.row(line, cells)
        },
      },
      log,
    )

    const complete =
      clients !== undefined && sessions !== undefined && requiredOk(clientsHeader, CLIENT_COLUMNS) && requiredOk(sessionsHeader, SESSION_COLUMNS)
    return {
      data: complete ? { clients: clients!.build(), sessions: sessions!.build() } : null,
      profiles: profilers.flatMap((p) => p.profiles()),
      problems: log.problems,
      totalProblems: log.total,
    } satisfies IngestResult
  })
