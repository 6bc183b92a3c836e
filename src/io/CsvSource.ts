/**
 * CsvSource: streams the records of a CSV file with csv-parse, one record (an array of cell
 * strings) at a time, each tagged with its 1-based line number. Nothing is accumulated here: the
 * consumer decides what to keep (see src/ingest/).
 *
 * A malformed file (an unclosed quote, say) ends the stream with a CsvSyntaxError naming the line.
 */
import { parse } from "csv-parse"
import * as Context from "effect/Context"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import { createReadStream } from "node:fs"
import { CsvReadError } from "../errors.ts"

export interface CsvRecord {
  /** 1-based line number in the file where the record starts (the header is line 1) */
  readonly line: number
  readonly cells: ReadonlyArray<string>
}

interface ParsedRecord {
  readonly record: string[]
  readonly info: { readonly lines: number; readonly raw?: string }
}

const describe = (error: unknown): { message: string; line: number } => {
  if (error !== null && typeof error === "object") {
    const e = error as { code?: unknown; message?: unknown; lines?: unknown }
    const line = typeof e.lines === "number" ? e.lines : 0
    if (e.code === "ENOENT") return { message: "file not found", line: 0 }
    if (e.code === "EACCES") return { message: "permission denied", line: 0 }
    if (e.code === "EISDIR") return { message: "is a folder, not a file", line: 0 }
    if (typeof e.message === "string") return { message: e.message.replace(/^Invalid Opening Quote: /, ""), line }
  }
  return { message: String(error), line: 0 }
}

const records = (path: string): Stream.Stream<CsvRecord, CsvReadError> =>
  Stream.suspend(() => {
    const parser = createReadStream(path).on("error", (e) => parser.destroy(e)).pipe(
      parse({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true }),
    )
    return Stream.fromAsyncIterable(parser as AsyncIterable<ParsedRecord>, (error) => {
      const { message, line } = describe(error)
      return new CsvReadError({ path, line, message })
    }).pipe(
      // info.lines counts the lines read up to the end of this record: its line number, for the
      // usual one-line record (a quoted cell containing line breaks reports its last line).
      Stream.map(({ record, info }): CsvRecord => ({ line: info.lines, cells: record })),
    )
  })

export class CsvSource extends Context.Service<
  CsvSource,
  { readonly records: (path: string) => Stream.Stream<CsvRecord, CsvReadError> }
>()("alliance-outcome/CsvSource") {
  /** Reads files from the local file system with csv-parse. */
  static readonly layer = Layer.succeed(CsvSource, CsvSource.of({ records }))
}
