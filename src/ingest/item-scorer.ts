/**
 * Item columns scored into totals while a file is read (issue 7): a row transform between the CSV
 * reader and validation. For each item block of the file (instrument-plan.ts) it
 *
 *   - checks the header: every item column <prefix>1 … <prefix>k present, and no column already
 *     holding what the items will be scored into;
 *   - replaces the item columns by the canonical columns they are scored into (the total, and for
 *     WAI-SR its subscales), so validation, the de-identification gate and the analysis see a
 *     canonical file;
 *   - per row, reads each response (a declared missing code, or a number in the item range; else a
 *     problem naming the file, line, item column and value), keys it (reverse-keyed items) and
 *     scores the row by the registry's rules (derive/scoring.ts): prorated over missing items up
 *     to the instrument's limit, or left missing beyond it and counted as an exclusion, with its
 *     line and missing items. A row with every item missing is simply missing (an occasion not
 *     assessed), not an exclusion;
 *   - keeps what the reliability analysis needs: the keyed responses of complete rows — every row
 *     of clients.csv; in sessions.csv, each client's lowest-numbered session with every item
 *     answered (one row per client, so rows are independent);
 *   - keeps the totals in row order (a second outcome such as GAD-7 has no canonical column).
 *
 * A file read this way takes the general path of ingest (not the plain-record fast path).
 */
import { RowScorer, type RowScore } from "../derive/scoring.ts"
import { parseNumber } from "../../data-schemas/cells.ts"
import { GrowableFloat64 } from "./growable.ts"
import { itemColumns, type ItemBlock } from "./instrument-plan.ts"
import type { ProblemLog } from "./problem-log.ts"

/** Exclusions listed with their line; the rest are counted. */
export const LISTED_EXCLUSIONS = 20

export interface ItemBlockResult {
  readonly block: ItemBlock
  /** data rows read */
  readonly rows: number
  /** rows with at least one item answered */
  readonly answered: number
  /** rows whose total was prorated over missing items */
  readonly prorated: number
  /** rows left unscored: more items missing than the instrument allows */
  readonly excluded: number
  /** the first LISTED_EXCLUSIONS of them: line and missing item numbers */
  readonly excludedAt: ReadonlyArray<{ readonly line: number; readonly missing: ReadonlyArray<number> }>
  /** keyed responses of the rows the reliability analysis uses, row-major (rows × items) */
  readonly reliabilityItems: Float64Array
  readonly reliabilityRows: number
  /** the total per data row (NaN when missing) */
  readonly totals: Float64Array
}

interface BlockState {
  readonly block: ItemBlock
  readonly scorer: RowScorer
  readonly names: ReadonlyArray<string>
  /** position of each item column in a record; empty when the header lacks some */
  positions: number[]
  readonly keyed: Float64Array
  readonly score: RowScore
  rows: number
  answered: number
  prorated: number
  excluded: number
  readonly excludedAt: Array<{ line: number; missing: number[] }>
  readonly complete: GrowableFloat64
  /** first_complete_session: client key → lowest complete session and its keyed responses */
  readonly firstSession: Map<string, { session: number; keyed: Float64Array }>
  readonly totals: GrowableFloat64
}

export class ItemScorer {
  private readonly states: ReadonlyArray<BlockState>
  /** positions in the record of the columns kept (all but item columns) */
  private kept: number[] = []
  private clientAt = -1
  private sessionAt = -1
  private readonly missingToken: string

  constructor(
    private readonly file: string,
    blocks: ReadonlyArray<ItemBlock>,
    private readonly missing: ReadonlySet<string>,
    private readonly log: ProblemLog,
    /** the file's names of the columns holding each canonical name (the study file's mapping) */
    private readonly nameOf: (canonical: string) => string,
  ) {
    this.missingToken = [...missing][0] ?? ""
    this.states = blocks.map((block) => {
      const scorer = new RowScorer(block.instrument)
      return {
        block,
        scorer,
        names: itemColumns(block.prefix, block.instrument),
        positions: [],
        keyed: new Float64Array(block.instrument.items),
        score: scorer.blank(),
        rows: 0,
        answered: 0,
        prorated: 0,
        excluded: 0,
        excludedAt: [],
        complete: new GrowableFloat64(),
        firstSession: new Map(),
        totals: new GrowableFloat64(),
      }
    })
  }

  /** The canonical columns the items become, in block order. */
  private targets(state: BlockState): string[] {
    const { total, subscales } = state.block
    return [...(total === null ? [] : [total]), ...state.scorer.subscaleNames.flatMap((name) => (subscales[name] ? [subscales[name]] : []))]
  }

  /** The file's header with item columns replaced by their targets; problems logged on line 1. */
  header(cells: ReadonlyArray<string>): string[] {
    const position = new Map(cells.map((name, i) => [name, i] as const))
    const items = new Set<number>()
    if (this.missing.size === 0) {
      this.log.add({ file: this.file, line: 1, column: "", value: null, rule: "scoring items needs a missing-value code (missing_values is empty)" })
    }
    for (const state of this.states) {
      const absent = state.names.filter((name) => !position.has(name))
      if (absent.length > 0) {
        const { setting, prefix, instrument } = state.block
        for (const name of absent) {
          this.log.add({
            file: this.file,
            line: 1,
            column: name,
            value: null,
            rule: `${setting} is "${prefix}": column ${name} is missing (${instrument.name} has ${instrument.items} items, ${state.names[0]} … ${state.names.at(-1)})`,
          })
        }
      } else {
        state.positions = state.names.map((name) => position.get(name)!)
        for (const p of state.positions) items.add(p)
      }
      for (const target of this.targets(state)) {
        const own = this.nameOf(target)
        if (position.has(own)) {
          items.add(position.get(own)!) // dropped, so that the header is not also refused for a duplicate name
          this.log.add({
            file: this.file,
            line: 1,
            column: own,
            value: null,
            rule: `column ${own} is also scored from ${state.names[0]} … ${state.names.at(-1)} (${state.block.setting}): keep the items or the column, not both`,
          })
        }
      }
    }
    this.kept = cells.flatMap((_, i) => (items.has(i) ? [] : [i]))
    this.clientAt = position.get(this.nameOf("client_id")) ?? -1
    this.sessionAt = position.get(this.nameOf("session")) ?? -1
    return [...this.kept.map((i) => cells[i]!), ...this.states.flatMap((s) => this.targets(s))]
  }

  /** One data row: its kept cells, then the scores (a missing code where a score is missing). */
  row(line: number, cells: ReadonlyArray<string>): string[] {
    const out = this.kept.map((i) => cells[i] ?? "")
    for (const state of this.states) this.scoreRow(state, line, cells, out)
    return out
  }

  private scoreRow(state: BlockState, line: number, cells: ReadonlyArray<string>, out: string[]): void {
    const { scorer, keyed, score, block } = state
    const cell = (x: number) => (Number.isNaN(x) ? this.missingToken : String(x))
    state.rows++
    if (state.positions.length === 0) {
      state.totals.push(Number.NaN)
      for (let i = 0; i < this.targets(state).length; i++) out.push(this.missingToken)
      return
    }
    let invalid = false
    let answered = 0
    for (let i = 0; i < keyed.length; i++) {
      const text = cells[state.positions[i]!] ?? ""
      if (this.missing.has(text)) {
        keyed[i] = Number.NaN
        continue
      }
      const value = parseNumber(text)
      if (value === undefined || !Number.isFinite(value) || !scorer.inRange(value)) {
        const rule = value === undefined || !Number.isFinite(value) ? "must be a number" : "is out of range"
        this.log.add({
          file: this.file,
          line,
          column: state.names[i]!,
          value: text,
          rule: `${block.instrument.name} item ${i + 1} ${rule}: responses lie in ${scorer.low}–${scorer.high}`,
        })
        invalid = true
        keyed[i] = Number.NaN
        continue
      }
      keyed[i] = scorer.key(i + 1, value)
      answered++
    }
    scorer.score(keyed, invalid, score)
    if (answered > 0) state.answered++
    if (score.prorated) state.prorated++
    if (score.tooManyMissing && answered > 0) {
      state.excluded++
      if (state.excludedAt.length < LISTED_EXCLUSIONS) {
        state.excludedAt.push({ line, missing: Array.from(keyed.keys()).filter((i) => Number.isNaN(keyed[i]!)).map((i) => i + 1) })
      }
    }
    state.totals.push(score.total)
    if (block.total !== null) out.push(cell(score.total))
    state.scorer.subscaleNames.forEach((name, k) => {
      if (block.subscales[name]) out.push(cell(score.subscales[k]!))
    })
    if (invalid || answered < keyed.length) return
    if (block.reliabilityRows === "every_row") {
      for (const v of keyed) state.complete.push(v)
      return
    }
    const client = cells[this.clientAt]
    const session = parseNumber(cells[this.sessionAt] ?? "")
    if (client === undefined || session === undefined) return
    const seen = state.firstSession.get(client)
    if (seen === undefined || session < seen.session) state.firstSession.set(client, { session, keyed: keyed.slice() })
  }

  results(): ReadonlyArray<ItemBlockResult> {
    return this.states.map((state) => {
      const k = state.block.instrument.items
      let reliabilityItems = state.complete.build().slice()
      if (state.block.reliabilityRows === "first_complete_session") {
        reliabilityItems = new Float64Array(state.firstSession.size * k)
        let row = 0
        for (const { keyed } of state.firstSession.values()) reliabilityItems.set(keyed, k * row++)
      }
      return {
        block: state.block,
        rows: state.rows,
        answered: state.answered,
        prorated: state.prorated,
        excluded: state.excluded,
        excludedAt: state.excludedAt,
        reliabilityItems,
        reliabilityRows: reliabilityItems.length / k,
        totals: state.totals.build().slice(),
      }
    })
  }
}
