/**
 * Reading a study's two CSV files in one streaming pass each: header resolution, per-row
 * validation against the canonical schemas, columnar accumulation, unique keys, referential
 * integrity, missingness counts and the value samples the de-identification gate screens.
 *
 * The result says what was found; deciding what to do about problems (refuse, report, go on) is
 * the pipeline's job, so that the gate can run before any cell value is echoed in an error.
 */
import * as Effect from "effect/Effect"
import type { ColumnSpec, Ranges } from "../../data-schemas/canonical.ts"
import { CLIENT_COLUMNS } from "../../data-schemas/clients.ts"
import { SESSION_COLUMNS } from "../../data-schemas/sessions.ts"
import type { DataProblem } from "../errors.ts"
import type { StudyData } from "../data/study-data.ts"
import { CsvSource } from "../io/CsvSource.ts"
import type { FileDigest } from "../io/hashing.ts"
import { Progress } from "../cli/Progress.ts"
import * as FileSystem from "effect/FileSystem"
import type { ReadableStudy } from "../io/study-loader.ts"
import { ClientTableBuilder } from "./client-table.ts"
import { ColumnProfiler, type ColumnProfile } from "./column-profile.ts"
import { type ResolvedHeader, resolveHeader } from "./header.ts"
import { ProblemLog } from "./problem-log.ts"
import { PlainClients } from "./plain-clients.ts"
import { type LineBytes, PlainSessions, type SpeculativePart } from "./plain-sessions.ts"
import { sessionLinePlan, type SessionLinePlan } from "./session-line.ts"
import { SessionTableBuilder, storedNumberColumns } from "./session-table.ts"
import type { LineHandler } from "./csv-scanner.ts"
import type { CsvSpeculation, EarlyTail } from "../io/CsvSource.ts"
import { ByteDictionary } from "../data/byte-dictionary.ts"
import { type ItemBlockResult, ItemScorer } from "./item-scorer.ts"
import { CANONICAL_DIALECT, DECIMAL_COMMA, type Delimiter, type Dialect, sniffDialect } from "./dialect.ts"

export interface IngestResult {
  /** null when a file could not be read far enough to build tables */
  readonly data: StudyData | null
  readonly profiles: ReadonlyArray<ColumnProfile>
  readonly problems: ReadonlyArray<DataProblem>
  readonly totalProblems: number
  /** each file read to its end: name, SHA-256, bytes and data rows (for the manifest) */
  readonly inputs: ReadonlyArray<{ readonly file: string; readonly sha256: string; readonly bytes: number; readonly rows: number; readonly dialect: Dialect }>
  /** the item blocks scored while reading (study file `instruments`), clients.csv's first */
  readonly items: ReadonlyArray<ItemBlockResult>
}

/** Valid ranges by canonical column, from the study's measures. */
export const rangesOf = (study: ReadableStudy): Ranges => {
  const { outcome, alliance, ranges } = study.config.measures
  const fromSpecs = (specs: ReadonlyArray<ColumnSpec>) =>
    specs.flatMap((spec) =>
      spec.measure === "outcome" ? [[spec.name, outcome.range] as const] : spec.measure === "alliance" ? [[spec.name, alliance.range] as const] : [],
    )
  return Object.fromEntries([...fromSpecs(CLIENT_COLUMNS), ...fromSpecs(SESSION_COLUMNS), ...Object.entries(ranges)])
}

/** A plain path (plain-sessions.ts, plain-clients.ts): takes plain, plainly valid lines from bytes. */
interface PlainPath {
  readonly line: LineHandler
  /** sessions only: the line decoder's plan and the replay of a worker's part (session-speculation.ts) */
  readonly plan?: SessionLinePlan
  readonly replay?: (
    part: SpeculativePart,
    lineOffset: number,
    stringPath: (line: number, cells: ReadonlyArray<string>) => void,
    lineBytes: LineBytes,
  ) => void
}

/**
 * One file's reading: header resolution, validation into a table builder, the column profile and
 * the problems found. Made afresh for each reading of the file (see CsvSource on fallback).
 */
class FileReader<B extends { row(line: number, cells: ReadonlyArray<string>): void }> {
  readonly log = new ProblemLog()
  /** records seen, header included */
  records = 0
  /** the file's hash, once it has been read to its end */
  digest: FileDigest | undefined
  header: ResolvedHeader | undefined
  builder: B | undefined
  profiler: ColumnProfiler | undefined
  private plain: PlainPath | undefined

  constructor(
    private readonly file: string,
    private readonly specs: ReadonlyArray<ColumnSpec>,
    private readonly mapping: Readonly<Record<string, string | undefined>>,
    private readonly missing: ReadonlySet<string>,
    private readonly makeBuilder: (header: ResolvedHeader, log: ProblemLog) => B,
    /** false when rows cannot be checked (e.g. sessions without a usable clients file) */
    private readonly checkRows: boolean,
    /** the file's plain path, made once the header is known */
    private readonly makePlainPath: (header: ResolvedHeader, builder: B, profiler: ColumnProfiler) => PlainPath,
    options: {
      /** item columns scored into canonical ones (item-scorer.ts); the file then takes the general path */
      readonly makeScorer?: ((log: ProblemLog) => ItemScorer) | undefined
      /** how the file is written (dialect.ts); other than comma and decimal point, the general path */
      readonly dialect?: Dialect
    } = {},
  ) {
    this.scorer = options.makeScorer?.(this.log)
    this.dialect = options.dialect ?? CANONICAL_DIALECT
    this.delimiter = this.dialect.delimiter
  }

  readonly scorer: ItemScorer | undefined
  readonly dialect: Dialect
  /** for the CSV reader */
  readonly delimiter: string
  /** decimal commas: the positions of text columns (IDs, categories), whose cells are kept as they are */
  private textColumns: ReadonlySet<number> = new Set()

  /** Cells with a decimal comma (3,5) as numbers are written here (3.5), except in text columns. */
  private decimalPoints(cells: ReadonlyArray<string>): ReadonlyArray<string> {
    if (this.dialect.decimal !== ",") return cells
    return cells.map((cell, i) => (this.textColumns.has(i) || !DECIMAL_COMMA.test(cell) ? cell : cell.replace(",", ".")))
  }

  /**
   * Offered to the reader once the header is read: a worker may decode the file's tail when the
   * plain path can replay it (sessions.csv, rows checked).
   */
  readonly speculation: CsvSpeculation = {
    plan: () => this.plain?.plan,
    replay: (part, lineOffset, lineBytes) => this.plain!.replay!(part, lineOffset, this.record, lineBytes),
  }

  /** Lines the plain path takes never reach `record`. */
  readonly line: LineHandler = (bytes, start, limit, line, crlf) => {
    const next = this.plain === undefined ? -1 : this.plain.line(bytes, start, limit, line, crlf)
    if (next >= 0) this.records++
    return next
  }

  readonly record = (line: number, record: ReadonlyArray<string>): void => {
    this.records++
    // Every rule looks at cells without surrounding spaces: trim each cell once, here.
    const trimmed = record.map((cell) => cell.trim())
    if (this.header === undefined) {
      const textNames = new Set(this.specs.filter((s) => s.kind === "id" || s.kind === "category").map((s) => this.mapping[s.name] ?? s.name))
      this.textColumns = new Set(trimmed.flatMap((name, i) => (textNames.has(name) ? [i] : [])))
      const cells = this.scorer === undefined ? trimmed : this.scorer.header(trimmed)
      this.header = resolveHeader(this.file, cells, this.specs, this.mapping, this.log)
      this.builder = this.makeBuilder(this.header, this.log)
      const canonical = this.header.names.map((_, i) => this.header!.columns.find((c) => c.index === i)?.spec.name)
      this.profiler = new ColumnProfiler(this.file, this.header.names, this.missing, undefined, canonical)
      const plainDialect = this.dialect.delimiter === "," && this.dialect.decimal === "."
      if (this.checkRows && this.scorer === undefined && plainDialect) this.plain = this.makePlainPath(this.header, this.builder, this.profiler)
      return
    }
    const points = this.decimalPoints(trimmed)
    const cells = this.scorer === undefined ? points : this.scorer.row(line, points)
    this.profiler!.row(line, cells)
    if (this.checkRows) this.builder!.row(line, cells)
  }

  /** Every required column was found. */
  get usable(): boolean {
    const header = this.header
    return header !== undefined && this.specs.every((s) => !s.required || header.columns.some((c) => c.spec === s))
  }
}

/** Reads one file; a read or syntax error becomes a logged problem on the reader. */
const readFile = <B extends { row(line: number, cells: ReadonlyArray<string>): void }>(
  path: string,
  /** makes a reader for a file of `size` bytes */
  make: (size: number) => FileReader<B>,
  file: string,
  /** a worker already decoding the file's tail */
  early?: EarlyTail,
) =>
  Effect.gen(function* () {
    const csv = yield* CsvSource
    const progress = yield* Progress
    const fs = yield* FileSystem.FileSystem
    const size = yield* fs.stat(path).pipe(
      Effect.map((info) => Number(info.size)),
      Effect.orElseSucceed(() => 0),
    )
    const meter = progress.meter(file, size)
    let current: FileReader<B> | undefined
    const fresh = () => (current = make(size))
    const reader = yield* csv.read(path, fresh, (bytes) => meter.update(bytes, current?.records ?? 0), early).pipe(
      Effect.ensuring(Effect.sync(meter.done)),
      Effect.map(({ consumer, digest }) => {
        consumer.digest = digest
        return consumer
      }),
      Effect.catchTag("CsvReadError", (error) =>
        Effect.sync(() => {
          const failed = make(size)
          failed.log.add({ file, line: error.line, column: "", value: null, rule: `the file is not valid CSV: ${error.message}` })
          return failed
        }),
      ),
    )
    if (reader.header === undefined && reader.log.total === 0) {
      reader.log.add({ file, line: 1, column: "", value: null, rule: "the file is empty: a header row is required" })
    }
    return reader
  })

/**
 * @param keep the canonical number columns to store (default: all). Columns not kept are still
 *   validated and profiled, but not materialised, so memory grows only with what is analysed.
 */
export const readStudy = (study: ReadableStudy, displayName: (absolute: string) => string, keep: (column: string) => boolean = () => true) =>
  Effect.gen(function* () {
    const missing = new Set(study.config.missing_values.map((v) => v.trim()))
    const ranges = rangesOf(study)
    const settings = { missing }
    const clientsFile = displayName(study.files.clients)
    const sessionsFile = displayName(study.files.sessions)
    const scorerFor = (kind: "clients" | "sessions", file: string) => {
      const blocks = study.instruments.blocks.filter((b) => b.file === kind)
      const mapping: Readonly<Record<string, string | undefined>> = study.config.columns[kind]
      return blocks.length === 0 ? undefined : (log: ProblemLog) => new ItemScorer(file, blocks, missing, log, (name) => mapping[name] ?? name)
    }
    const clientScorer = scorerFor("clients", clientsFile)
    const sessionScorer = scorerFor("sessions", sessionsFile)

    // each file's dialect, from its first bytes; a file that is not UTF-8 text is refused here
    const { delimiter, decimal } = study.config.dialect
    const fixed = {
      ...(delimiter === "auto" ? {} : { delimiter: (delimiter === "tab" ? "\t" : delimiter) as Delimiter }),
      ...(decimal === "auto" ? {} : { decimal }),
    }
    const verdicts = [
      { file: clientsFile, verdict: sniffDialect(study.files.clients, fixed) },
      { file: sessionsFile, verdict: sniffDialect(study.files.sessions, fixed) },
    ]
    const refusals = verdicts.flatMap(({ file, verdict }) =>
      "refused" in verdict ? [{ file, line: 0, column: "", value: null, rule: `the file is not UTF-8 text: ${verdict.refused}` }] : [],
    )
    if (refusals.length > 0) return { data: null, profiles: [], problems: refusals, totalProblems: refusals.length, inputs: [], items: [] } satisfies IngestResult
    const [clientsDialect, sessionsDialect] = verdicts.map(({ verdict }) => ("dialect" in verdict ? verdict.dialect : CANONICAL_DIALECT)) as [Dialect, Dialect]
    const plainSessions = sessionsDialect.delimiter === "," && sessionsDialect.decimal === "."

    // A big sessions file's tail is decoded by a worker while the clients file is read.
    const csv = yield* CsvSource
    const early = csv.startTail(study.files.sessions, (record) => {
      if (sessionScorer !== undefined || !plainSessions) return undefined // item columns or another dialect: the general path
      const header = resolveHeader(sessionsFile, record.map((cell) => cell.trim()), SESSION_COLUMNS, study.config.columns.sessions, new ProblemLog())
      return sessionLinePlan(header, ranges, missing, storedNumberColumns(header, keep))
    })
    const clients = yield* readFile(
      study.files.clients,
      () =>
        new FileReader(
          clientsFile,
          CLIENT_COLUMNS,
          study.config.columns.clients,
          missing,
          (header, log) => new ClientTableBuilder(header, ranges, settings, log, keep),
          true,
          (header, builder, profiler) => new PlainClients(header, ranges, missing, builder, profiler),
          { makeScorer: clientScorer, dialect: clientsDialect },
        ),
      clientsFile,
    ).pipe(Effect.onExit((exit) => Effect.sync(() => exit._tag === "Failure" && early?.run.cancel())))
    const clientIndex = clients.builder?.index ?? new ByteDictionary()
    // Without a usable clients file every session would be reported as orphaned.
    const sessions = yield* readFile(
      study.files.sessions,
      (size) =>
        new FileReader(
          sessionsFile,
          SESSION_COLUMNS,
          study.config.columns.sessions,
          missing,
          // a stored row has every column, so at least `width` bytes (commas and a line break)
          (header, log) =>
            new SessionTableBuilder(header, ranges, settings, log, clientIndex, clientsFile, keep, Math.floor(size / header.width) + 1),
          clients.usable,
          (header, builder, profiler) =>
            new PlainSessions(sessionLinePlan(header, ranges, missing, builder.numberColumns), clientIndex, builder, profiler),
          { makeScorer: sessionScorer, dialect: sessionsDialect },
        ),
      sessionsFile,
      early,
    )

    // The two files' problems, in file order, capped as one list.
    const log = new ProblemLog()
    for (const reader of [clients, sessions]) log.absorb(reader.log)
    const complete = clients.usable && sessions.usable && clients.builder !== undefined && sessions.builder !== undefined
    return {
      data: complete ? { clients: clients.builder!.build(), sessions: sessions.builder!.build() } : null,
      profiles: [clients, sessions].flatMap((r) => r.profiler?.profiles() ?? []),
      problems: log.problems,
      totalProblems: log.total,
      inputs: [
        { file: clientsFile, reader: clients },
        { file: sessionsFile, reader: sessions },
      ].flatMap(({ file, reader }) =>
        reader.digest ? [{ file, ...reader.digest, rows: reader.profiler?.profiles()[0]?.n ?? 0, dialect: reader.dialect }] : [],
      ),
      items: [clients, sessions].flatMap((reader) => reader.scorer?.results() ?? []),
    } satisfies IngestResult
  })
