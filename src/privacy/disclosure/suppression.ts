/**
 * Small-cell suppression with an audit against differencing (Hundepool et al. 2012, *Statistical
 * Disclosure Control*, Wiley, ch. 4–5: primary and secondary suppression; the audit is the
 * attacker's linear program of `linear-program.ts`).
 *
 * The report's counts are *cells*, tied together by *relations* `total = part₁ + part₂ + …`
 * (a table and its total, a count and its complement in a denominator, a subgroup that is part of
 * a larger group shown in another table). A cell is
 *   - published: a count the report shows unless it is suppressed, or
 *   - implicit: not shown but defined by the relations (e.g. finished cases − recovered = cases
 *     not recovered). An implicit cell marked sensitive must not be revealed as small either.
 *
 * Rules, for a threshold k:
 *   1. Primary suppression: a published count from 1 to k − 1 is suppressed. Zeros are shown.
 *   2. The audit: an attacker knows every shown count, every relation, that counts are ≥ 0 and
 *      that a suppressed count is ≥ 1 (zeros are shown). For a suppressed or sensitive implicit
 *      cell the linear program finds its smallest and largest possible value [lo, hi]. The cell
 *      is exposed when the attacker can say more than "somewhere from 1 to k − 1": when
 *      1 ≤ lo ≤ k − 1 and the interval is narrower than that, hi − lo < k − 2. (A [c] alone, or
 *      "fewer than min_cell clients" with min_cell = k, says no more than that; an exact value,
 *      or "2 or 3", says more.) Only cells of 1 to 2k − 4 can be exposed so, so only those are
 *      audited.
 *   3. Secondary (complementary) suppression: while a cell is exposed, suppress one more shown
 *      count connected to it: the smallest that ends the exposure on its own, or else the
 *      smallest. Suppressed cells all look alike in the report, so the attacker cannot tell a
 *      primary cell from a complementary one. A cell may name linked cells that are suppressed
 *      with it, and a floor the attacker knows it has (e.g. a group shown with its mean has at
 *      least min_cell clients).
 * If a cell stays exposed with nothing left to suppress (e.g. a total every other table shows),
 * it is reported as unresolved, and the caller withholds the table.
 */
import { variableRange } from "./linear-program.ts"

export interface Cell {
  readonly id: string
  readonly value: number
  /** shown in the report unless suppressed; false for implicit cells */
  readonly published: boolean
  /** implicit cells: a small value must not be revealed (published cells always are) */
  readonly sensitive?: boolean
  /** a published count that may not be suppressed (it is shown elsewhere, e.g. a headline n) */
  readonly fixed?: boolean
  /** what the attacker knows a suppressed count is at least (1 by default; e.g. min_cell for a group whose mean is shown) */
  readonly floor?: number
  /** cells suppressed together with this one (e.g. a category's n in each session of a chart) */
  readonly linked?: ReadonlyArray<string>
}

export interface Relation {
  readonly total: string
  readonly parts: ReadonlyArray<string>
}

export interface Suppression {
  /** every suppressed published cell (with the cells linked to them) */
  readonly hidden: ReadonlySet<string>
  /** of those, the ones below k (primary suppression) */
  readonly primary: ReadonlySet<string>
  /** cells still exposed with nothing left to suppress */
  readonly unresolved: ReadonlyArray<string>
}

const TOLERANCE = 1e-7

const isSmall = (value: number, k: number) => value >= 1 && value <= k - 1

export const suppressSmallCells = (cells: ReadonlyArray<Cell>, relations: ReadonlyArray<Relation>, k: number): Suppression => {
  const byId = new Map(cells.map((c) => [c.id, c]))
  for (const r of relations) {
    for (const id of [r.total, ...r.parts]) if (!byId.has(id)) throw new Error(`disclosure model: relation names an unknown cell ${id}`)
  }
  const relationsOf = new Map<string, Relation[]>(cells.map((c) => [c.id, []]))
  for (const r of relations) for (const id of new Set([r.total, ...r.parts])) relationsOf.get(id)!.push(r)

  const primary = new Set(cells.filter((c) => c.published && !c.fixed && isSmall(c.value, k)).map((c) => c.id))
  const hidden = new Set<string>()
  const hide = (id: string, into: Set<string>): Set<string> => {
    if (into.has(id)) return into
    into.add(id)
    for (const other of byId.get(id)!.linked ?? []) {
      if (!byId.has(other)) throw new Error(`disclosure model: ${id} links an unknown cell ${other}`)
      if (!byId.get(other)!.fixed) hide(other, into)
    }
    return into
  }
  for (const id of primary) hide(id, hidden)
  const unknown = (c: Cell, hiddenNow: ReadonlySet<string>) => !c.published || hiddenNow.has(c.id)

  /** The cells and relations reachable from `id` through unknown cells. */
  const component = (id: string, hiddenNow: ReadonlySet<string>) => {
    const seen = new Set([id])
    const rels = new Set<Relation>()
    const queue = [id]
    while (queue.length > 0) {
      for (const r of relationsOf.get(queue.pop()!)!) {
        if (rels.has(r)) continue
        rels.add(r)
        for (const other of [r.total, ...r.parts]) {
          if (!seen.has(other)) {
            seen.add(other)
            if (unknown(byId.get(other)!, hiddenNow)) queue.push(other)
          }
        }
      }
    }
    return { cells: [...seen], relations: [...rels] }
  }

  /** The attacker's range for cell `id`, which is unknown to them. */
  const range = (id: string, hiddenNow: ReadonlySet<string>): readonly [number, number] => {
    const { cells: ids, relations: rels } = component(id, hiddenNow)
    const vars = ids.filter((v) => unknown(byId.get(v)!, hiddenNow))
    const index = new Map(vars.map((v, j) => [v, j]))
    const lower = vars.map((v) => (byId.get(v)!.published ? (byId.get(v)!.floor ?? 1) : 0))
    const A: number[][] = []
    const b: number[] = []
    for (const r of rels) {
      const row = new Array<number>(vars.length).fill(0)
      let constant = 0
      const add = (cell: string, sign: number) => {
        const j = index.get(cell)
        if (j === undefined) constant += sign * byId.get(cell)!.value
        else {
          row[j]! += sign
          constant += sign * lower[j]!
        }
      }
      add(r.total, -1)
      for (const p of r.parts) add(p, 1)
      A.push(row)
      b.push(-constant)
    }
    const j = index.get(id)!
    const found = variableRange(A, b, j, vars.length)
    if (found === null) throw new Error(`disclosure model: the relations around ${id} do not hold for the data`)
    return [found[0] + lower[j]!, found[1] + lower[j]!]
  }

  const exposed = (c: Cell, hiddenNow: ReadonlySet<string>): boolean => {
    // hi ≥ value and lo ≤ k − 1 give hi − lo ≥ value − k + 1, so a larger cell is never exposed
    if (c.value < 1 || c.value > 2 * k - 4 || !unknown(c, hiddenNow) || (!c.published && !c.sensitive)) return false
    const [low, high] = range(c.id, hiddenNow)
    return low > 1 - TOLERANCE && low < k - 1 + TOLERANCE && high - low < k - 2 - TOLERANCE
  }

  const unresolved: string[] = []
  for (;;) {
    const cell = cells.find((c) => !unresolved.includes(c.id) && exposed(c, hidden))
    if (cell === undefined) break
    const { cells: near } = component(cell.id, hidden)
    const candidates = near
      .map((id) => byId.get(id)!)
      .filter((c) => c.published && !c.fixed && !hidden.has(c.id) && c.value >= 1)
      .sort((a, b) => a.value - b.value || cells.indexOf(a) - cells.indexOf(b))
    if (candidates.length === 0) {
      unresolved.push(cell.id)
      continue
    }
    const ends = candidates.find((c) => !exposed(cell, hide(c.id, new Set(hidden))))
    hide((ends ?? candidates[0]!).id, hidden)
  }
  return { hidden, primary, unresolved }
}
