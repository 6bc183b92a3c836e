/**
 * The report's counts as a disclosure model: each count a cell with the table it belongs to and a
 * way to suppress it in a draft of results.json, plus the relations between them
 * (`suppression.ts`). The builders of `clinical-cells.ts` and `strict-cells.ts` fill it in.
 */
import type { Cell, Relation } from "./suppression.ts"

export class DisclosureModel {
  readonly cells: Cell[] = []
  readonly relations: Relation[] = []
  /** the table each published cell belongs to, and how to suppress it */
  readonly published = new Map<string, { readonly table: string; readonly hide: () => void }>()
  private readonly value = new Map<string, number>()

  private add(cell: Cell): string {
    if (this.value.has(cell.id)) throw new Error(`disclosure model: cell ${cell.id} is defined twice`)
    this.cells.push(cell)
    this.value.set(cell.id, cell.value)
    return cell.id
  }

  /** A count the report shows; `hide` sets it (and whatever reveals it) to null in the draft. */
  count(table: string, id: string, value: number, hide: () => void, options: Pick<Cell, "floor" | "linked"> = {}): string {
    this.published.set(id, { table, hide })
    return this.add({ id, value, published: true, ...options })
  }

  /** A count shown elsewhere that must stay (a headline n, a chart's cell of at least min_cell). */
  fixed(id: string, value: number): string {
    return this.add({ id, value, published: true, fixed: true })
  }

  /** A count the report does not show but that the relations define; `sensitive`: must not be revealed as small. */
  implicit(id: string, value: number, sensitive: boolean): string {
    return this.add({ id, value, published: false, sensitive })
  }

  /** `total = parts[0] + parts[1] + …` */
  relate(total: string, parts: ReadonlyArray<string>): void {
    this.relations.push({ total, parts })
  }

  /**
   * `total = parts + rest`, where `rest` is a new implicit count (what the parts leave out of the
   * total), sensitive or not. Returns the id of `rest`.
   */
  relateWithRest(total: string, parts: ReadonlyArray<string>, rest: string, sensitive: boolean): string {
    const sum = parts.reduce((s, p) => s + this.value.get(p)!, 0)
    this.implicit(rest, this.value.get(total)! - sum, sensitive)
    this.relate(total, [...parts, rest])
    return rest
  }
}
