/**
 * Writes a synthetic multi-site psychotherapy study as canonical CSV files.
 *
 *   npx tsx scripts/generate-study.ts --out DIR [--clients 2000] [--sites 8] [--seed 20260101] [--therapists N]
 *
 * Writes DIR/clients.csv and DIR/sessions.csv (DIR is created if needed) by streaming: rows are
 * batched into 1 MiB chunks and written with backpressure, so memory stays bounded for a
 * million clients. Prints a one-line summary to stderr. Exit codes: 0 done, 2 usage error,
 * 1 I/O failure. The data-generating model is documented in src/synthetic/model.ts.
 */
import { once } from "node:events"
import { createWriteStream, mkdirSync, type WriteStream } from "node:fs"
import { join } from "node:path"
import { commandLine, stringOptions, UsageError } from "./command-line.ts"
import { clientHeaderLine, clientLine, sessionHeaderLine, sessionLine } from "../src/synthetic/csv-format.ts"
import { checkOptions, planStudy, type StudyOptions } from "../src/synthetic/design.ts"
import { generateStudy } from "../src/synthetic/generate-study.ts"
import { DEFAULT_MODEL } from "../src/synthetic/model.ts"

const USAGE =
  "usage: npx tsx scripts/generate-study.ts --out DIR [--clients 2000] [--sites 8] [--seed 20260101] [--therapists N]"
const CHUNK_BYTES = 1024 * 1024
/** the write stream's buffer: large enough that generation overlaps with the disk writes */
const HIGH_WATER_MARK = 4 * 1024 * 1024

const parseCount = (name: string, text: string | undefined, fallback: number | undefined): number | undefined => {
  if (text === undefined) return fallback
  if (!/^\d+$/.test(text)) throw new UsageError(`--${name} must be a whole number, got "${text}"`)
  return Number(text)
}

/** Reads the command line into options and the output folder, or throws a UsageError. */
const parseCommandLine = (argv: ReadonlyArray<string>): { readonly out: string; readonly options: StudyOptions } | "help" => {
  const values = stringOptions(argv, ["out", "clients", "sites", "seed", "therapists"])
  if (values === "help") return "help"
  const str = (k: string): string | undefined => values[k]
  const out = str("out")
  if (out === undefined || out === "") throw new UsageError("--out DIR is required")
  const therapists = parseCount("therapists", str("therapists"), undefined)
  const options: StudyOptions = {
    clients: parseCount("clients", str("clients"), 2000) ?? 2000,
    sites: parseCount("sites", str("sites"), 8) ?? 8,
    seed: parseCount("seed", str("seed"), 20260101) ?? 20260101,
    ...(therapists === undefined ? {} : { therapists }),
  }
  const problems = checkOptions(options, DEFAULT_MODEL)
  if (problems.length > 0) throw new UsageError(problems.join("\n"))
  return { out, options }
}

/**
 * Batches lines into ~1 MiB byte chunks and writes them to a file stream with backpressure.
 * All generated text is ASCII, so it is encoded as latin1 (one byte per character) straight into
 * the chunk, without building large intermediate strings.
 */
class ChunkedFileWriter {
  private chunk = Buffer.allocUnsafe(CHUNK_BYTES)
  private used = 0
  private readonly full: Buffer[] = []
  private failure: Error | undefined

  constructor(private readonly stream: WriteStream) {
    stream.on("error", (error) => {
      this.failure = error
    })
  }

  /** Appends `text`; true when a chunk is ready and the caller should `await flush()`. */
  add(text: string): boolean {
    if (this.used + text.length > this.chunk.length) {
      this.full.push(this.chunk.subarray(0, this.used))
      this.chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, text.length))
      this.used = 0
    }
    this.used += this.chunk.write(text, this.used, "latin1")
    return this.full.length > 0
  }

  /** Writes the completed chunks, waiting for 'drain' when the stream's buffer is full. */
  async flush(): Promise<void> {
    if (this.failure) throw this.failure
    for (const buffer of this.full.splice(0)) {
      // events.once rejects if the stream emits 'error' while we wait
      if (!this.stream.write(buffer)) await once(this.stream, "drain")
    }
  }

  /** Writes everything left, ends the stream and waits until the file is complete. */
  async close(): Promise<void> {
    this.full.push(this.chunk.subarray(0, this.used))
    this.used = 0
    await this.flush()
    this.stream.end()
    await once(this.stream, "finish")
    if (this.failure) throw this.failure
  }
}

const main = async (argv: ReadonlyArray<string>): Promise<number> => {
  const parsed = commandLine("generate-study", USAGE, parseCommandLine, argv)
  if (typeof parsed === "number") return parsed
  const { out, options } = parsed
  const started = performance.now()
  const design = planStudy(options, DEFAULT_MODEL)
  mkdirSync(out, { recursive: true })
  const clients = new ChunkedFileWriter(createWriteStream(join(out, "clients.csv"), { highWaterMark: HIGH_WATER_MARK }))
  const sessions = new ChunkedFileWriter(createWriteStream(join(out, "sessions.csv"), { highWaterMark: HIGH_WATER_MARK }))
  clients.add(clientHeaderLine)
  sessions.add(sessionHeaderLine)
  let sessionCount = 0
  let dropouts = 0
  for (const { client, sessions: rows } of generateStudy(design)) {
    if (clients.add(clientLine(client))) await clients.flush()
    let ready = false
    for (const row of rows) ready = sessions.add(sessionLine(row)) || ready
    if (ready) await sessions.flush()
    sessionCount += rows.length
    dropouts += client.dropout
  }
  await Promise.all([clients.close(), sessions.close()])
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  process.stderr.write(
    `generate-study: wrote ${options.clients} clients, ${sessionCount} sessions ` +
      `(${design.sites.length} sites, ${design.therapists.length} therapists, ` +
      `${((100 * dropouts) / options.clients).toFixed(1)}% dropout, seed ${options.seed}) to ${out} in ${seconds}s\n`,
  )
  return 0
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(`generate-study: failed: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 1
  },
)
