/**
 * Per-column profile of a CSV file gathered in the same streaming pass as validation: how many
 * cells are missing, and a sample of raw non-missing values (with their line numbers) for the
 * de-identification gate's content rules.
 */

export interface ColumnProfile {
  readonly file: string
  /** the column as named in the file */
  readonly column: string
  /** its canonical name, when the study file maps it onto one (else the name in the file) */
  readonly canonical: string
  /** rows seen */
  readonly n: number
  readonly nMissing: number
  /** the first `sampleSize` non-missing raw values */
  readonly values: ReadonlyArray<string>
  /** the file line of each sampled value */
  readonly lines: ReadonlyArray<number>
}

export const DEFAULT_SAMPLE_SIZE = 2000

export class ColumnProfiler {
  /** missing cells by column; the plain paths of ingest add to it in place */
  readonly missingCounts: Int32Array
  private readonly values: string[][]
  private readonly lines: number[][]
  /** rows seen; the plain paths of ingest add to it in place */
  rows = 0

  constructor(
    private readonly file: string,
    private readonly names: ReadonlyArray<string>,
    private readonly missing: ReadonlySet<string>,
    private readonly sampleSize: number = DEFAULT_SAMPLE_SIZE,
    /** canonical names by position, where a column is a mapped canonical one */
    private readonly canonical: ReadonlyArray<string | undefined> = [],
  ) {
    this.missingCounts = new Int32Array(names.length)
    this.values = names.map(() => [])
    this.lines = names.map(() => [])
  }

  row(line: number, cells: ReadonlyArray<string>): void {
    this.rows++
    for (let i = 0; i < this.names.length; i++) {
      const cell = (cells[i] ?? "").trim()
      if (this.missing.has(cell)) {
        this.missingCounts[i]!++
      } else if (this.values[i]!.length < this.sampleSize) {
        this.values[i]!.push(cell)
        this.lines[i]!.push(line)
      }
    }
  }

  /**
   * The plain paths' equivalent of `row`, a cell at a time: `rows` and `missingCounts` counted in
   * place, and `sample` for a non-missing cell when `wantsSample` (so values are decoded only
   * while the sample is being filled).
   */
  wantsSample(i: number): boolean {
    return this.values[i]!.length < this.sampleSize
  }

  sample(i: number, value: string, line: number): void {
    this.values[i]!.push(value)
    this.lines[i]!.push(line)
  }

  profiles(): ReadonlyArray<ColumnProfile> {
    return this.names.map((column, i) => ({
      file: this.file,
      column,
      canonical: this.canonical[i] ?? column,
      n: this.rows,
      nMissing: this.missingCounts[i]!,
      values: this.values[i]!,
      lines: this.lines[i]!,
    }))
  }
}
