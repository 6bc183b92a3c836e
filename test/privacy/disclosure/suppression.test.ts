/**
 * Small-cell suppression against an attacker who does not use linear programming: every way of
 * filling in the suppressed counts that agrees with what is shown is enumerated, and the attacker
 * may learn no more of a suppressed or sensitive hidden count than "somewhere from 1 to k − 1".
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { suppressSmallCells, type Cell, type Relation } from "../../../src/privacy/disclosure/suppression.ts"

const published = (id: string, value: number, extra: Partial<Cell> = {}): Cell => ({ id, value, published: true, ...extra })
const implicit = (id: string, value: number, sensitive = true): Cell => ({ id, value, published: false, sensitive })

describe("suppressSmallCells: by hand", () => {
  it("suppresses nothing when every count is 0 or at least k", () => {
    const cells = [published("a", 0), published("b", 5), published("c", 12), published("t", 17, { fixed: true })]
    const out = suppressSmallCells(cells, [{ total: "t", parts: ["a", "b", "c"] }], 5)
    expect([...out.hidden]).toEqual([])
  })

  it("adds the smallest other count when the total would give a lone small count away", () => {
    const cells = [published("a", 3), published("b", 40), published("c", 12), published("t", 55, { fixed: true })]
    const out = suppressSmallCells(cells, [{ total: "t", parts: ["a", "b", "c"] }], 5)
    expect([...out.primary]).toEqual(["a"])
    expect([...out.hidden].sort()).toEqual(["a", "c"])
    expect(out.unresolved).toEqual([])
  })

  it("does not stop at two small counts whose sum is still below k", () => {
    // a = 1 and b = 2 with the total shown: a + b = 3, so each is known to be below 5
    const cells = [published("a", 1), published("b", 2), published("c", 30), published("d", 8), published("t", 41, { fixed: true })]
    const out = suppressSmallCells(cells, [{ total: "t", parts: ["a", "b", "c", "d"] }], 5)
    expect([...out.hidden].sort()).toEqual(["a", "b", "d"])
  })

  it("protects a count's complement in its denominator", () => {
    // 48 of 50 recovered: the 2 not recovered are a sensitive implicit cell
    const cells = [published("n", 50, { fixed: true }), published("recovered", 48), implicit("not_recovered", 2)]
    const out = suppressSmallCells(cells, [{ total: "n", parts: ["recovered", "not_recovered"] }], 5)
    expect([...out.hidden]).toEqual(["recovered"])
  })

  it("guards against differencing between a table and its subset in another table", () => {
    // categories of all clients (jt) and of those with an alliance rating (ea), ea ≤ jt:
    // hiding only jt.d and jt.c leaves jt.d ≤ 3, since ea.c = 7 ≤ jt.c
    const cells: Cell[] = [
      published("jt.a", 12), published("jt.b", 9), published("jt.c", 7), published("jt.d", 3), published("jt.n", 31, { fixed: true }),
      published("ea.a", 12), published("ea.b", 9), published("ea.c", 7), published("ea.d", 3),
      ...["a", "b", "c", "d"].map((g) => implicit(`gap.${g}`, 0, false)),
    ]
    const relations: Relation[] = [
      { total: "jt.n", parts: ["jt.a", "jt.b", "jt.c", "jt.d"] },
      ...["a", "b", "c", "d"].map((g) => ({ total: `jt.${g}`, parts: [`ea.${g}`, `gap.${g}`] })),
    ]
    const out = suppressSmallCells(cells, relations, 5)
    expect(out.primary).toEqual(new Set(["jt.d", "ea.d"]))
    expect(out.unresolved).toEqual([])
    // whatever else is hidden, the enumeration below must not pin jt.d
    expect(bruteForceExposed(cells, relations, out.hidden, 5)).toEqual([])
  })

  it("reports a cell it cannot protect instead of pretending", () => {
    const cells = [published("a", 2), published("t", 2, { fixed: true })]
    const out = suppressSmallCells(cells, [{ total: "t", parts: ["a"] }], 5)
    expect(out.unresolved).toEqual(["a"])
  })

  it("rejects a relation that names a cell it does not know", () => {
    expect(() => suppressSmallCells([published("a", 2)], [{ total: "t", parts: ["a"] }], 5)).toThrow(/unknown cell t/)
  })
})

/**
 * Every assignment of the unknown cells (hidden published ≥ 1, implicit ≥ 0, none above the
 * largest count) that satisfies the relations, by depth-first search: a relation with one cell
 * left fixes that cell. Returns the small cells the attacker could pin down.
 */
const bruteForceExposed = (cells: ReadonlyArray<Cell>, relations: ReadonlyArray<Relation>, hidden: ReadonlySet<string>, k: number): string[] => {
  const unknown = cells.filter((c) => !c.published || hidden.has(c.id))
  const cap = Math.max(...cells.map((c) => c.value))
  const floor = (c: Cell) => (c.published ? 1 : 0)
  const lo = new Map(unknown.map((c) => [c.id, Infinity]))
  const hi = new Map(unknown.map((c) => [c.id, -Infinity]))
  const visit = (value: Map<string, number>): void => {
    const v = new Map(value)
    // propagate: a relation with one unassigned cell fixes it
    for (let changed = true; changed; ) {
      changed = false
      for (const r of relations) {
        const missing = [r.total, ...r.parts].filter((id) => !v.has(id))
        const sum = r.parts.filter((p) => v.has(p)).reduce((s, p) => s + v.get(p)!, 0)
        if (missing.length === 0) {
          if (sum !== v.get(r.total)) return
        } else if (missing.length === 1) {
          const id = missing[0]!
          const x = id === r.total ? sum : v.get(r.total)! - sum
          const cell = cells.find((c) => c.id === id)!
          if (x < floor(cell) || x > cap) return
          v.set(id, x)
          changed = true
        }
      }
    }
    const next = unknown.find((c) => !v.has(c.id))
    if (next === undefined) {
      for (const c of unknown) {
        lo.set(c.id, Math.min(lo.get(c.id)!, v.get(c.id)!))
        hi.set(c.id, Math.max(hi.get(c.id)!, v.get(c.id)!))
      }
      return
    }
    for (let x = floor(next); x <= cap; x++) visit(new Map([...v, [next.id, x]]))
  }
  visit(new Map(cells.filter((c) => c.published && !hidden.has(c.id)).map((c) => [c.id, c.value])))
  // pinned: the attacker can say more than "somewhere from 1 to k − 1"
  return unknown
    .filter((c) => c.published || c.sensitive)
    .filter((c) => lo.get(c.id)! >= 1 && lo.get(c.id)! <= k - 1 && hi.get(c.id)! - lo.get(c.id)! < k - 2)
    .map((c) => c.id)
}

describe("suppressSmallCells: property", () => {
  it("leaves no small cell that enumeration can pin down, in a table with its total, its complements and a subset table", () => {
    const table = fc.record({
      counts: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 2, maxLength: 3 }),
      subsetShare: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 3, maxLength: 3 }),
      withSubset: fc.boolean(),
      withComplement: fc.boolean(),
      k: fc.integer({ min: 3, max: 6 }),
    })
    fc.assert(
      fc.property(table, ({ counts, subsetShare, withSubset, withComplement, k }) => {
        const total = counts.reduce((a, b) => a + b, 0)
        const cells: Cell[] = [published("t", total, { fixed: true }), ...counts.map((v, i) => published(`c${i}`, v))]
        const relations: Relation[] = [{ total: "t", parts: counts.map((_, i) => `c${i}`) }]
        if (withComplement) {
          cells.push(implicit("rest0", total - counts[0]!))
          relations.push({ total: "t", parts: ["c0", "rest0"] })
        }
        if (withSubset) {
          counts.forEach((v, i) => {
            const s = Math.min(v, subsetShare[i]!)
            cells.push(published(`s${i}`, s), implicit(`g${i}`, v - s, false))
            relations.push({ total: `c${i}`, parts: [`s${i}`, `g${i}`] })
          })
        }
        const out = suppressSmallCells(cells, relations, k)
        const pinned = bruteForceExposed(cells, relations, out.hidden, k)
        // what the engine could not protect, it says so; everything else is safe
        expect(pinned.filter((id) => !out.unresolved.includes(id))).toEqual([])
        // and it gives up only when the shown total itself is small
        if (out.unresolved.length > 0) expect(total < 2 * k).toBe(true)
        for (const id of out.primary) expect(out.hidden.has(id)).toBe(true)
      }),
      { numRuns: 150, seed: 20261206 },
    )
  })
})
