/**
 * Reading the tail of a big sessions.csv on the second core. The reader splits the file at a line
 * break: the main thread reads the head as usual while a worker thread decodes the tail's lines
 * with the plain path's line decoder (plain-sessions.ts). The worker cannot finish the job — it
 * has neither the clients nor the sessions before its part — so it returns what it decoded as
 * columns, client codes as local numbers, and the records it could not decode as cells. The main
 * thread then replays the part in file order (PlainSessions.replay), exactly as a serial reading
 * would have taken each line, and hashes the part's bytes after its own.
 *
 * `speculate` is the worker's work as a plain function (tested in-process); `startSpeculation`
 * runs it in a worker thread (session-worker.mjs).
 */
import { closeSync, openSync, readSync, statSync } from "node:fs"
import { Worker } from "node:worker_threads"
import { ABSENT, ByteDictionary } from "../data/byte-dictionary.ts"
import { afterLineBreak, CsvScanner, recordCells, ScannerUndecided } from "./csv-scanner.ts"
import { RowBlock } from "./growable.ts"
import type { SpeculativePart } from "./plain-sessions.ts"
import { SessionLineDecoder, type SessionLinePlan } from "./session-line.ts"

/** The worker's answer: its part, or why the fast scanner could not decide on the tail. */
export type Speculation = { readonly part: SpeculativePart } | { readonly undecided: string }

/** The longest tail a worker takes: line positions are 32-bit offsets into it. */
export const MAX_PART_BYTES = 2 ** 31 - 1

/** Bytes [start, end) of a file (fewer if it ends sooner). */
export const readRange = (path: string, start: number, end: number): Uint8Array => {
  const fd = openSync(path, "r")
  try {
    const bytes = new Uint8Array(Math.max(0, end - start))
    let read = 0
    while (read < bytes.length) {
      const n = readSync(fd, bytes, read, Math.min(1 << 24, bytes.length - read), start + read)
      if (n === 0) break
      read += n
    }
    return bytes.subarray(0, read)
  } finally {
    closeSync(fd)
  }
}

/** The int columns of a part's row block. */
const CLIENT = 0
const SESSION = 1
const LINE = 2
const MISSING = 3
const LINE_START = 4
const LINE_END = 5

/**
 * Decodes the lines of `path` from byte `from` (a line start) to the end, as a worker would.
 * Every line the decoder takes becomes a row; every other record is kept as csv-parse's cells. The
 * first line is never offered to the decoder (the scanner learns the line ending from it), so it
 * is always a record.
 */
export const speculate = (path: string, from: number, plan: SessionLinePlan): Speculation => {
  const bytes = readRange(path, from, statSync(path).size)
  const decoder = new SessionLineDecoder(plan)
  // a stored row has every column: at least `width` bytes
  const rows = new RowBlock(6, plan.stored, Math.floor(bytes.length / plan.width) + 1)
  const codes = new ByteDictionary()
  let pool = new Uint8Array(1 << 16)
  let starts = new Int32Array(1 << 12)
  let poolUsed = 0
  let lastStart = -1
  let lastEnd = -1
  let lastCode = -1
  const codeOf = (s: number, e: number): number => {
    if (e - s === lastEnd - lastStart) {
      let k = 0
      while (k < e - s && bytes[s + k] === bytes[lastStart + k]) k++
      if (k === e - s) return lastCode
    }
    let code = codes.add(bytes, s, e, codes.size)
    if (code === ABSENT) {
      code = codes.size - 1
      if (poolUsed + (e - s) > pool.length) pool = grow(pool, poolUsed + (e - s))
      if (code + 2 > starts.length) starts = grow(starts, code + 2)
      for (let k = s; k < e; k++) pool[poolUsed + k - s] = bytes[k]!
      starts[code] = poolUsed
      poolUsed += e - s
      starts[code + 1] = poolUsed
    }
    lastStart = s
    lastEnd = e
    lastCode = code
    return code
  }
  const records: Array<{ before: number; line: number; cells: string[] }> = []
  const scanner = new CsvScanner(
    (view) => records.push({ before: rows.length, line: view.line, cells: recordCells(view) }),
    (b, start, limit, line, crlf) => {
      const end = decoder.decodeLine(b, start, limit)
      const next = end < 0 ? -1 : afterLineBreak(b, end, limit, crlf)
      if (next < 0) return -1
      const r = rows.next()
      const ints = rows.ints
      ints[CLIENT]![r] = codeOf(decoder.clientStart, decoder.clientEnd)
      ints[SESSION]![r] = decoder.session
      ints[LINE]![r] = line
      ints[MISSING]![r] = decoder.missingMask
      const floats = rows.floats
      for (let j = 0; j < plan.stored; j++) floats[j]![r] = decoder.values[j]!
      ints[LINE_START]![r] = start
      ints[LINE_END]![r] = end
      return next
    },
  )
  try {
    scanner.push(bytes)
    scanner.end()
  } catch (error) {
    if (error instanceof ScannerUndecided) return { undecided: error.message }
    throw error
  }
  return {
    part: {
      rows: rows.length,
      client: rows.int(CLIENT),
      session: rows.int(SESSION),
      line: rows.int(LINE),
      missing: rows.int(MISSING),
      values: Array.from({ length: plan.stored }, (_, j) => rows.float(j)),
      lineStart: rows.int(LINE_START),
      lineEnd: rows.int(LINE_END),
      codes: { count: codes.size, bytes: pool.subarray(0, poolUsed), starts: starts.subarray(0, codes.size + 1) },
      records,
      style: scanner.lineEnding,
      lines: scanner.nextLine,
    },
  }
}

const grow = <A extends Uint8Array | Int32Array>(array: A, least: number): A => {
  const next = new (array.constructor as new (n: number) => A)(Math.max(array.length * 2, least))
  next.set(array)
  return next
}

/** The buffers of a part, to transfer rather than copy to the main thread. */
export const partBuffers = (part: SpeculativePart): ArrayBuffer[] => {
  const arrays = [part.client, part.session, part.line, part.missing, ...part.values, part.lineStart, part.lineEnd, part.codes.bytes, part.codes.starts]
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))]
}

/** A running worker: its answer, and a way to stop it when the answer is no longer wanted. */
export interface SpeculationRun {
  /** rejects when the worker fails (the reader then reads the tail itself) */
  readonly result: Promise<Speculation>
  readonly cancel: () => void
}

/** Runs `speculate` in a worker thread. */
export const startSpeculation = (path: string, from: number, plan: SessionLinePlan): SpeculationRun => {
  const worker = new Worker(new URL("./session-worker.mjs", import.meta.url), { workerData: { path, from, plan } })
  const result = new Promise<Speculation>((resolve, reject) => {
    worker.once("message", resolve)
    worker.once("error", reject)
    worker.once("exit", (code) => reject(new Error(`the sessions worker stopped (exit code ${code})`)))
  })
  result.catch(() => undefined) // a failure is handled where the result is awaited, or not wanted
  return { result, cancel: () => void worker.terminate() }
}
