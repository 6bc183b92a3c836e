/**
 * The synthetic-study generator: a lazy, seeded stream of clients with their sessions.
 *
 * ```ts
 * const design = planStudy({ clients: 2000, sites: 8, seed: 20260101 }, DEFAULT_MODEL)
 * for (const { client, sessions } of generateStudy(design)) { ... }
 * ```
 *
 * Clients are emitted in client_id order (C000001, C000002, …). Each is assigned to a therapist by
 * drawing without replacement from the therapists' remaining caseloads (an urn held in a Fenwick
 * tree, O(log therapists) per client), so therapists' clients are interleaved as in a real
 * registry export, and every therapist ends with exactly their planned caseload. Memory is
 * O(sites + therapists) plus one client's sessions at a time: a million clients stream through
 * in bounded memory. Same design ⇒ same sequence, draw for draw.
 */
import { integerInRange, NormalSource } from "../stats/random/distributions.ts"
import { createRng } from "../stats/random/xoshiro.ts"
import { planStudy, STREAMS, type StudyDesign, type StudyOptions } from "./design.ts"
import { DEFAULT_MODEL, type SyntheticModel } from "./model.ts"
import { makeClientSimulator, type SyntheticClient } from "./simulate-client.ts"

export type { StudyDesign, StudyOptions } from "./design.ts"
export type { ClientRow, SessionRow, SyntheticClient } from "./simulate-client.ts"

/**
 * A Fenwick (binary indexed) tree of non-negative integer counts supporting "find the item holding
 * the k-th unit" and "remove one unit": sampling without replacement in O(log n).
 */
export class CountUrn {
  private readonly tree: Float64Array
  private readonly size: number
  private remaining: number
  private readonly topBit: number

  /** An urn holding `counts[i]` units of item i. */
  constructor(counts: ReadonlyArray<number>) {
    this.size = counts.length
    this.tree = new Float64Array(this.size + 1)
    this.remaining = 0
    counts.forEach((count, i) => {
      this.remaining += count
      for (let j = i + 1; j <= this.size; j += j & -j) this.tree[j] = (this.tree[j] ?? 0) + count
    })
    let bit = 1
    while (bit * 2 <= this.size) bit *= 2
    this.topBit = bit
  }

  /** units left in the urn */
  get total(): number {
    return this.remaining
  }

  /** Removes and returns the item holding unit `k` (0 ≤ k < total), counting units in item order. */
  take(k: number): number {
    if (!(k >= 0 && k < this.remaining)) throw new RangeError(`unit ${k} is not in an urn of ${this.remaining}`)
    let position = 0
    let rest = k
    for (let bit = this.topBit; bit > 0; bit >>= 1) {
      const next = position + bit
      const count = this.tree[next] ?? 0
      if (next <= this.size && count <= rest) {
        position = next
        rest -= count
      }
    }
    for (let j = position + 1; j <= this.size; j += j & -j) this.tree[j] = (this.tree[j] ?? 0) - 1
    this.remaining--
    return position
  }
}

/**
 * Streams the clients of `design` in client_id order, each with their attended sessions.
 * Draws come from stream 3 of the design's seed (stream 1: sites, stream 2: therapists).
 */
export function* generateStudy(design: StudyDesign): Generator<SyntheticClient, void, undefined> {
  const rng = createRng(design.options.seed, STREAMS.clients)
  const urn = new CountUrn(design.therapists.map((t) => t.caseload))
  const simulate = makeClientSimulator(design)
  const gauss = new NormalSource(rng)
  for (let i = 1; i <= design.options.clients; i++) {
    const therapist = urn.take(integerInRange(rng, 0, urn.total - 1))
    yield simulate(therapist, i, gauss)
  }
}

/** Plans and streams a study in one call (the default model unless another is given). */
export const syntheticStudy = (
  options: StudyOptions,
  model: SyntheticModel = DEFAULT_MODEL,
): { readonly design: StudyDesign; readonly clients: Iterable<SyntheticClient> } => {
  const design = planStudy(options, model)
  return { design, clients: { [Symbol.iterator]: () => generateStudy(design) } }
}
