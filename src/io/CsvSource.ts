/**
 * CsvSource: reads a CSV file record by record into a consumer, never holding the file or its
 * rows in memory.
 *
 * Two readers, one contract (records as arrays of cell strings, each with csv-parse's line
 * number: the line on which the record ends):
 *   - `CsvSource.layer`: the fast byte scanner (src/ingest/csv-scanner.ts) for the common case,
 *     falling back to csv-parse for the whole file when the scanner cannot decide;
 *   - `CsvSource.csvParseLayer`: csv-parse only — the parser of record, kept as the reference the
 *     fast path is tested against (results must be identical either way).
 *
 * Because a fallback re-reads the file from the start, a consumer is made by a factory and a fresh
 * one is made for the second reading. A malformed file ends the reading with a CsvReadError naming
 * the line.
 */
import { parse } from "csv-parse"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import { createHash } from "node:crypto"
import { closeSync, createReadStream, openSync, readSync, statSync } from "node:fs"
import { open } from "node:fs/promises"
import { CsvReadError } from "../errors.ts"
import type { FileDigest } from "./hashing.ts"
import { CsvScanner, type LineHandler, recordCells, ScannerUndecided } from "../ingest/csv-scanner.ts"
import type { LineBytes, SpeculativePart } from "../ingest/plain-sessions.ts"
import { samePlan, type SessionLinePlan } from "../ingest/session-line.ts"
import { MAX_PART_BYTES, readRange, speculate, type SpeculationRun, startSpeculation } from "../ingest/session-speculation.ts"

/** Receives the records of one file, header first. */
export interface CsvConsumer {
  readonly record: (line: number, cells: ReadonlyArray<string>) => void
  /**
   * Optional: the fast scanner offers each line here first (see LineHandler), so that a consumer
   * can read plain records from bytes, without strings; a line it does not take goes to `record`.
   */
  readonly line?: LineHandler
  /** Optional: lets the fast reader hand a big file's tail to a worker thread (see CsvSpeculation). */
  readonly speculation?: CsvSpeculation
  /** Optional: the cell delimiter, a comma unless said (another goes to csv-parse, the scanner reads commas) */
  readonly delimiter?: string
}

/**
 * A consumer's side of reading a big file on two cores (src/ingest/session-speculation.ts):
 * asked for its line plan once the header has been read, and given the worker's part to replay
 * after the head.
 */
export interface CsvSpeculation {
  /** the line decoder's plan, or undefined to read the whole file on this thread */
  readonly plan: () => SessionLinePlan | undefined
  /** takes the tail's records, the worker's line numbers shifted by `lineOffset`; `lineBytes` reads the part again */
  readonly replay: (part: SpeculativePart, lineOffset: number, lineBytes: LineBytes) => void
}

/** A worker started on a file's tail ahead of the reading (CsvSource.startTail). */
export interface EarlyTail {
  readonly split: number
  readonly plan: SessionLinePlan
  readonly run: SpeculationRun
}

/** When the fast reader uses a worker thread for a file's tail. */
export interface SpeculationSettings {
  /** files smaller than this are read on one thread (a worker takes a few hundred ms to start) */
  readonly minBytes: number
  /** the share of the file the main thread reads itself, before the worker's part */
  readonly headShare: number
  /** the same when the worker starts before the file is read (startTail): the main thread is busy first */
  readonly earlyHeadShare: number
  /** whether startTail starts workers (otherwise a worker starts once the file's header is read) */
  readonly startEarly: boolean
  /** decode the tail on this thread instead (for tests of the replay: the same result, no worker) */
  readonly inProcess?: boolean
}

/**
 * Worth it for files of tens of MB. The shares balance the two threads, measured on the 1M-client
 * benchmark (2 cores): started early, the worker decodes its 85% while this thread reads clients.csv
 * and the first 15% of sessions.csv; the replay, mostly column copies, then costs this thread a
 * small part of what decoding would.
 */
export const DEFAULT_SPECULATION: SpeculationSettings = {
  minBytes: 48 * 1024 * 1024,
  headShare: 0.45,
  earlyHeadShare: 0.15,
  startEarly: true,
}

/** Which reader produced the records. */
export type CsvReader = "fast-scanner" | "csv-parse"

export interface CsvSourceShape {
  /**
   * Reads `path` into a consumer from `make`; returns the consumer that saw the whole file and the
   * file's SHA-256, computed from the same bytes (for the manifest, without reading it again).
   */
  readonly read: <C extends CsvConsumer>(
    path: string,
    make: () => C,
    /** told the number of bytes read so far, after each chunk */
    onBytes?: (bytes: number) => void,
    /** a worker already decoding the file's tail (startTail), used if the consumer's plan is the same */
    early?: EarlyTail,
  ) => Effect.Effect<{ readonly consumer: C; readonly reader: CsvReader; readonly digest: FileDigest }, CsvReadError>
  /**
   * Starts a worker on the tail of a big file before it is read, so that it works while other
   * files are read; undefined when the file is too small, or with csv-parse alone. `planFor` makes
   * the plan from the file's header record (read here); `read` checks it against the consumer's own.
   */
  readonly startTail: (path: string, planFor: (header: ReadonlyArray<string>) => SessionLinePlan | undefined) => EarlyTail | undefined
}

const CHUNK_BYTES = 1 << 20

interface ParsedRecord {
  readonly record: string[]
  readonly info: { readonly lines: number }
}

const describe = (error: unknown): { message: string; line: number } => {
  if (error !== null && typeof error === "object") {
    const e = error as { code?: unknown; message?: unknown; lines?: unknown }
    const line = typeof e.lines === "number" ? e.lines : 0
    if (e.code === "ENOENT") return { message: "file not found", line: 0 }
    if (e.code === "EACCES") return { message: "permission denied", line: 0 }
    if (e.code === "EISDIR") return { message: "is a folder, not a file", line: 0 }
    if (typeof e.message === "string") return { message: e.message, line }
  }
  return { message: String(error), line: 0 }
}

/** The reference reader: csv-parse, streamed. */
const readWithCsvParse = <C extends CsvConsumer>(path: string, consumer: C, onBytes?: (bytes: number) => void) => {
  const hash = createHash("sha256")
  let read = 0
  return Stream.suspend(() => {
    read = 0
    const parser = createReadStream(path, { highWaterMark: CHUNK_BYTES })
      .on("error", (e) => parser.destroy(e))
      .on("data", (chunk) => {
        read += chunk.length
        hash.update(chunk)
        onBytes?.(read)
      })
      .pipe(parse({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true, delimiter: consumer.delimiter ?? "," }))
    return Stream.fromAsyncIterable(parser as AsyncIterable<ParsedRecord>, (error) => {
      const { message, line } = describe(error)
      return new CsvReadError({ path, line, message })
    })
  }).pipe(
    Stream.runForEach(({ record, info }) => Effect.sync(() => consumer.record(info.lines, record))),
    Effect.map(() => ({ consumer, reader: "csv-parse" as CsvReader, digest: { sha256: hash.digest("hex"), bytes: read } })),
  )
}

class Undecided {
  readonly _tag = "Undecided"
}

/**
 * Bytes [from, end) of a file (to its end when `end` is omitted), in chunks read into one buffer
 * used again for every chunk: a chunk is valid until the next is asked for. (A fresh buffer per
 * chunk, as a read stream makes, costs a full garbage collection every few hundred MB.)
 */
async function* chunks(path: string, from: number, end = Number.POSITIVE_INFINITY): AsyncGenerator<Uint8Array> {
  const file = await open(path, "r")
  try {
    const buffer = new Uint8Array(CHUNK_BYTES)
    for (let pos = from; pos < end; ) {
      const { bytesRead } = await file.read(buffer, 0, Math.min(buffer.length, end - pos), pos)
      if (bytesRead === 0) return
      pos += bytesRead
      yield buffer.subarray(0, bytesRead)
    }
  } finally {
    await file.close()
  }
}

/**
 * Where to split a file for a worker: the start of the first line at or after `at`, or undefined
 * when there is none before the end.
 */
const lineStartAfter = (path: string, at: number, size: number): number | undefined => {
  const fd = openSync(path, "r")
  try {
    const window = new Uint8Array(1 << 16)
    for (let pos = at; pos < size; pos += window.length) {
      const n = readSync(fd, window, 0, window.length, pos)
      const lf = window.subarray(0, n).indexOf(0x0a)
      if (lf >= 0) return pos + lf + 1 < size ? pos + lf + 1 : undefined
      if (n === 0) return undefined
    }
    return undefined
  } finally {
    closeSync(fd)
  }
}

/** Where the worker's part of a file of `size` bytes starts, or undefined to read it all here. */
const splitPoint = (path: string, size: number, settings: SpeculationSettings, share: number): number | undefined =>
  size > 0 && size >= settings.minBytes && size * (1 - share) < MAX_PART_BYTES ? lineStartAfter(path, Math.floor(size * share), size) : undefined

const startRun = (path: string, split: number, plan: SessionLinePlan, settings: SpeculationSettings): SpeculationRun =>
  settings.inProcess === true ? speculateHere(path, split, plan) : startSpeculation(path, split, plan)

/** What changes when a file is written (size, modification time and inode), and its size. */
const fileStamp = (path: string): { readonly stamp: string; readonly size: number } => {
  const info = statSync(path, { bigint: true })
  return { stamp: `${info.size}:${info.mtimeNs}:${info.ino}`, size: Number(info.size) }
}

/** A file's first record (its header), read with the fast scanner from its first 64 KB; undefined if it is not there. */
const firstRecord = (path: string): string[] | undefined => {
  try {
    let first: string[] | undefined
    const scanner = new CsvScanner((view) => (first ??= recordCells(view)))
    scanner.push(readRange(path, 0, 1 << 16))
    return first
  } catch {
    return undefined // undecided: the reading proper will tell
  }
}

/** `startSpeculation` without the worker thread. */
const speculateHere = (path: string, from: number, plan: SessionLinePlan): SpeculationRun => ({
  result: Promise.resolve(speculate(path, from, plan)),
  cancel: () => undefined,
})

/**
 * The fast reader: byte chunks through the scanner; Undecided when it cannot decide. A big file
 * whose consumer can replay a worker's part is read on two cores: this thread reads the head, a
 * worker thread decodes the tail from the first line start after `headShare` of the bytes.
 */
const readWithScanner = <C extends CsvConsumer>(
  path: string,
  consumer: C,
  settings: SpeculationSettings,
  onBytes?: (bytes: number) => void,
  early?: EarlyTail,
) =>
  Effect.tryPromise({
    try: async () => {
      let read = 0
      let hash = createHash("sha256")
      const scanner = new CsvScanner((view) => consumer.record(view.line, recordCells(view)), consumer.line)
      const take = (chunk: Uint8Array) => {
        scanner.push(chunk)
        hash.update(chunk)
        read += chunk.length
        onBytes?.(read)
      }
      const done = () => ({ consumer, reader: "fast-scanner" as CsvReader, digest: { sha256: hash.digest("hex"), bytes: read } })
      const speculation = consumer.speculation
      const { stamp, size } = fileStamp(path)
      const split = speculation === undefined ? undefined : (early?.split ?? splitPoint(path, size, settings, settings.headShare))
      let worker: SpeculationRun | undefined
      let asked = false
      try {
        for await (const chunk of chunks(path, 0, split)) {
          take(chunk)
          // once the header is read, the worker can start on the tail (or the early one be kept)
          if (split !== undefined && !asked) {
            const plan = speculation!.plan()
            if (plan === undefined) continue
            asked = true
            if (early === undefined) worker = startRun(path, split, plan, settings)
            else if (samePlan(plan, early.plan)) worker = early.run
          }
        }
        if (split === undefined) {
          scanner.end()
          return done()
        }
        if (worker !== undefined) {
          // While the worker decodes the tail, hash the tail here: the file's hash is of its bytes
          // in order. The worker read the file separately, so the file must not change meanwhile:
          // its size, modification time and inode are compared before and after.
          const head = hash.copy()
          for await (const chunk of chunks(path, split)) hash.update(chunk)
          const outcome = await worker.result.catch(() => undefined)
          if (outcome !== undefined && "undecided" in outcome) throw new ScannerUndecided(scanner.nextLine, outcome.undecided)
          const part = outcome?.part
          if (part !== undefined && !scanner.pending) {
            // the tail's line ending must be the head's, as one scanner would have required
            if (part.style !== 0 && part.style !== scanner.lineEnding) throw new ScannerUndecided(scanner.nextLine, "LF and CRLF line endings mixed")
            speculation!.replay(part, scanner.nextLine - 1, (start, end) => readRange(path, split + start, split + end))
            read = size
            onBytes?.(read)
            if (fileStamp(path).stamp !== stamp) throw new Error("the file changed while it was being read; read it again when nothing is writing to it")
            return done()
          }
          hash = head // the worker failed: the tail is read below, after the head's hash
        }
        // no worker, or it failed: read the tail on this thread
        for await (const chunk of chunks(path, split)) take(chunk)
        scanner.end()
        return done()
      } finally {
        worker?.cancel()
        early?.run.cancel()
      }
    },
    catch: (error) => {
      if (error instanceof ScannerUndecided) return new Undecided()
      const { message, line } = describe(error)
      return new CsvReadError({ path, line, message })
    },
  })

export class CsvSource extends Context.Service<CsvSource, CsvSourceShape>()("alliance-outcome/CsvSource") {
  /** Fast scanner, with csv-parse for files it does not decide on. */
  static readonly layer = CsvSource.layerWith(DEFAULT_SPECULATION)

  /** The fast scanner with other settings for the worker thread (tests force it on small files). */
  static layerWith(settings: SpeculationSettings) {
    return Layer.succeed(
      CsvSource,
      CsvSource.of({
        read: (path, make, onBytes, early) => {
          const consumer = make()
          // the scanner reads commas; another delimiter is csv-parse's
          if ((consumer.delimiter ?? ",") !== ",") return readWithCsvParse(path, consumer, onBytes)
          return readWithScanner(path, consumer, settings, onBytes, early).pipe(
            Effect.catchTag("Undecided", () => readWithCsvParse(path, make(), onBytes)),
          )
        },
        startTail: (path, planFor) => {
          if (!settings.startEarly) return undefined
          const size = statSync(path, { throwIfNoEntry: false })?.size ?? 0
          const split = splitPoint(path, size, settings, settings.earlyHeadShare)
          const header = split === undefined ? undefined : firstRecord(path)
          const plan = header === undefined ? undefined : planFor(header)
          return plan === undefined ? undefined : { split: split!, plan, run: startRun(path, split!, plan, settings) }
        },
      }),
    )
  }

  /** csv-parse only: the parser of record. */
  static readonly csvParseLayer = Layer.succeed(
    CsvSource,
    CsvSource.of({ read: (path, make, onBytes) => readWithCsvParse(path, make(), onBytes), startTail: () => undefined }),
  )
}
