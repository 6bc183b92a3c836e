/**
 * The in-memory, columnar form of a validated study.
 *
 * Columns are typed arrays (numbers as Float64Array with NaN for missing; codes as Int32Array with
 * −1 for missing), IDs are dictionary-encoded, and sessions point at their client by row index.
 * Nothing here is ever written to a report: client codes stay in memory.
 */

/** A dictionary-encoded text column: `levels[codes[i]]` is row i's value; code −1 means missing. */
export interface Factor {
  readonly codes: Int32Array
  readonly levels: ReadonlyArray<string>
}

export interface ClientTable {
  readonly n: number
  /** client codes in row order (used to link sessions; never reported) */
  readonly ids: ReadonlyArray<string>
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

/** Builds a Factor incrementally, assigning codes in order of first appearance. */
export class FactorBuilder {
  private readonly index = new Map<string, number>()
  private readonly levels: string[] = []
  private codes = new Int32Array(1024)
  private size = 0

  private lastValue: string | null = null
  private lastCode = -1

  push(value: string | null): void {
    if (this.size === this.codes.length) {
      const next = new Int32Array(this.codes.length * 2)
      next.set(this.codes)
      this.codes = next
    }
    let code = -1
    if (value === this.lastValue) {
      code = this.lastCode
    } else if (value !== null) {
      const known = this.index.get(value)
      if (known === undefined) {
        code = this.levels.length
        this.index.set(value, code)
        this.levels.push(value)
      } else {
        code = known
      }
    }
    this.lastValue = value
    this.lastCode = code
    this.codes[this.size++] = code
  }

  build(): Factor {
    return { codes: this.codes.slice(0, this.size), levels: this.levels }
  }
}

/** Counts the distinct non-missing levels actually used. */
export const usedLevels = (factor: Factor): number => {
  const seen = new Uint8Array(factor.levels.length)
  let count = 0
  for (const code of factor.codes) {
    if (code >= 0 && seen[code] === 0) {
      seen[code] = 1
      count++
    }
  }
  return count
}
