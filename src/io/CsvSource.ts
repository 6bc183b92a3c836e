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
import { createReadStream } from "node:fs"
import { CsvReadError } from "../errors.ts"
import type { FileDigest } from "./hashing.ts"
import { CsvScanner, recordCells, type RecordView, ScannerUndecided } from "../ingest/csv-scanner.ts"

/** Receives the records of one file, header first. */
export interface CsvConsumer {
  readonly record: (line: number, cells: ReadonlyArray<string>) => void
  /**
   * Optional: the fast scanner offers each record as bytes here instead of `record`, so that a
   * consumer can skip making strings (the view is valid only during the call).
   */
  readonly view?: (view: RecordView) => void
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
  ) => Effect.Effect<{ readonly consumer: C; readonly reader: CsvReader; readonly digest: FileDigest }, CsvReadError>
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
      .pipe(parse({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true }))
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

/** The fast reader: byte chunks through the scanner; Undecided when it cannot decide. */
const readWithScanner = <C extends CsvConsumer>(path: string, consumer: C, onBytes?: (bytes: number) => void) =>
  Effect.tryPromise({
    try: async () => {
      let read = 0
      const hash = createHash("sha256")
      const onView = consumer.view
      const scanner = new CsvScanner(onView ?? ((view) => consumer.record(view.line, recordCells(view))))
      for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES })) {
        scanner.push(chunk as Uint8Array)
        hash.update(chunk as Uint8Array)
        read += (chunk as Uint8Array).length
        onBytes?.(read)
      }
      scanner.end()
      return { consumer, reader: "fast-scanner" as CsvReader, digest: { sha256: hash.digest("hex"), bytes: read } }
    },
    catch: (error) => {
      if (error instanceof ScannerUndecided) return new Undecided()
      const { message, line } = describe(error)
      return new CsvReadError({ path, line, message })
    },
  })

export class CsvSource extends Context.Service<CsvSource, CsvSourceShape>()("alliance-outcome/CsvSource") {
  /** Fast scanner, with csv-parse for files it does not decide on. */
  static readonly layer = Layer.succeed(
    CsvSource,
    CsvSource.of({
      read: (path, make, onBytes) =>
        readWithScanner(path, make(), onBytes).pipe(
          Effect.catchTag("Undecided", () => readWithCsvParse(path, make(), onBytes)),
        ),
    }),
  )

  /** csv-parse only: the parser of record. */
  static readonly csvParseLayer = Layer.succeed(
    CsvSource,
    CsvSource.of({ read: (path, make, onBytes) => readWithCsvParse(path, make(), onBytes) }),
  )
}
