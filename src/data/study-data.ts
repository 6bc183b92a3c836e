/**
 * The in-memory, columnar form of a validated study.
 *
 * Columns are typed arrays (numbers as Float64Array with NaN for missing; codes as Int32Array with
 * −1 for missing), IDs are dictionary-encoded, and sessions point at their client by row index.
 * Nothing here is ever written to a report: client codes stay in memory.
 */

import { ABSENT, ByteDictionary, textOf } from "./byte-dictionary.ts"

/** A dictionary-encoded text column: `levels[codes[i]]` is row i's value; code −1 means missing. */
export interface Factor {
  readonly codes: Int32Array
  readonly levels: ReadonlyArray<string>
}

export interface ClientTable {
  /**
   * rows (clients). Client codes are not kept: sessions are linked to their client's row while the
   * files are read, and nothing downstream needs the codes (nor may report them).
   */
  readonly n: number
  readonly therapist: Factor
  /** null when the file has no site column */
  readonly site: Factor | null
  /** canonical numeric columns present in the file, by canonical name */
  readonly numbers: ReadonlyMap<string, Float64Array>
  /** canonical category columns present (modality, age_band, gender) */
  readonly categories: ReadonlyMap<string, Factor>
  /** non-canonical columns, kept as candidate moderators, by their name in the file */
  readonly extras: ReadonlyMap<string, Factor>
}

export interface SessionTable {
  readonly n: number
  /** row index into the client table */
  readonly client: Int32Array
  readonly session: Int32Array
  /** canonical numeric columns present (alliance, alliance_goal, ..., symptom) */
  readonly numbers: ReadonlyMap<string, Float64Array>
}

export interface StudyData {
  readonly clients: ClientTable
  readonly sessions: SessionTable
}

/**
 * Builds a Factor incrementally, assigning codes in order of first appearance. Values come as
 * text (`push`) or, from the plain-record path of ingest, as UTF-8 bytes in the read buffer
 * (`pushBytes`): both look levels up in one byte-keyed dictionary, so they always agree, and a
 * level becomes a string only the first time it is seen.
 */
export class FactorBuilder {
  private readonly index = new ByteDictionary()
  private readonly levels: string[] = []
  private codes = new Int32Array(1024)
  private size = 0

  private lastValue: string | null = null
  private lastCode = -1

  private append(code: number): void {
    if (this.size === this.codes.length) {
      const next = new Int32Array(this.codes.length * 2)
      next.set(this.codes)
      this.codes = next
    }
    this.codes[this.size++] = code
  }

  private newLevel(value: string): number {
    this.levels.push(value)
    return this.levels.length - 1
  }

  push(value: string | null): void {
    let code = -1
    if (value === this.lastValue) {
      code = this.lastCode
    } else if (value !== null) {
      code = this.index.getText(value)
      if (code === ABSENT) {
        code = this.newLevel(value)
        this.index.setText(value, code)
      }
    }
    this.lastValue = value
    this.lastCode = code
    this.append(code)
  }

  /** Appends the value spelled by the UTF-8 bytes[start, end). */
  pushBytes(bytes: Uint8Array, start: number, end: number): void {
    let code = this.index.get(bytes, start, end)
    if (code === ABSENT) {
      code = this.newLevel(textOf(bytes, start, end))
      this.index.set(bytes, start, end, code)
    }
    this.lastValue = this.levels[code]!
    this.lastCode = code
    this.append(code)
  }

  build(): Factor {
    return { codes: this.codes.slice(0, this.size), levels: this.levels }
  }
}

/** Counts the distinct non-missing levels actually used (a Factor, or any codes with their number of levels). */
export const usedLevels = (factor: { readonly codes: Int32Array; readonly levels: { readonly length: number } }): number => {
  const seen = new Uint8Array(factor.levels.length)
  let count = 0
  // an index loop: for…of over a typed array is several times slower before the JIT warms up
  for (let i = 0; i < factor.codes.length; i++) {
    const code = factor.codes[i]!
    if (code >= 0 && seen[code] === 0) {
      seen[code] = 1
      count++
    }
  }
  return count
}
