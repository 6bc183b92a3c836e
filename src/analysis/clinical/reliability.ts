/**
 * Reliability of the instruments a study gives item by item: for each item block scored at ingest
 * (src/ingest/item-scorer.ts), Cronbach's α with its Feldt interval and item statistics
 * (stats/reliability/alpha.ts, as psych::alpha) and McDonald's ω total from one minres factor
 * (stats/reliability/omega.ts, as psych::omega(nfactors = 1)), for the total and each subscale.
 *
 * Rows: those with every item of the instrument answered (keyed, reverse-keyed items reversed) —
 * every row of clients.csv; in sessions.csv each client's lowest-numbered complete session, so
 * that the rows are independent. A subscale uses the same rows as its total.
 */
import type { ReliabilityRow } from "../../../data-schemas/clinical-results.ts"
import type { ItemBlockResult } from "../../ingest/item-scorer.ts"
import { cronbachAlpha } from "../../stats/reliability/alpha.ts"
import { itemMatrices } from "../../stats/reliability/alpha.ts"
import { omegaOneFactor } from "../../stats/reliability/omega.ts"

export const ROWS_RULE = {
  every_row: "rows with every item answered",
  first_complete_session: "each client's lowest-numbered session with every item answered (one row per client)",
} as const

/** Column `item` (0-based) of a row-major rows × k matrix. */
const column = (matrix: Float64Array, k: number, item: number): Float64Array => {
  const rows = matrix.length / k
  const out = new Float64Array(rows)
  for (let row = 0; row < rows; row++) out[row] = matrix[row * k + item]!
  return out
}

/** α and ω of the items `itemNumbers` (1-based) of a block; null with fewer than 2 items or rows or no variance. */
export const scaleReliability = (result: ItemBlockResult, scale: string, itemNumbers: ReadonlyArray<number>, level: number): ReliabilityRow | null => {
  const k = result.block.instrument.items
  const n = result.reliabilityRows
  if (itemNumbers.length < 2 || n < 3) return null
  const items = itemNumbers.map((item) => column(result.reliabilityItems, k, item - 1))
  if (items.some((item) => item.every((v) => v === item[0]))) return null
  const alpha = cronbachAlpha(items, level)
  const omega = itemNumbers.length >= 3 ? omegaOneFactor(itemMatrices(items).r, itemNumbers.length).omegaTotal : null
  return {
    key: result.block.key,
    scale,
    instrument: result.block.instrument.name,
    rows: ROWS_RULE[result.block.reliabilityRows],
    n,
    items: [...itemNumbers],
    alpha: {
      raw: alpha.raw,
      standardized: alpha.standardized,
      guttman_lambda6: alpha.guttmanLambda6,
      average_r: alpha.averageR,
      se: alpha.se,
      feldt: [alpha.feldt[0], alpha.feldt[1]],
    },
    omega_total: omega !== null && Number.isFinite(omega) ? omega : null,
    item_statistics: alpha.itemStatistics.map((s, i) => ({
      item: itemNumbers[i]!,
      mean: s.mean,
      sd: s.sd,
      r_drop: s.rDrop,
      r_cor: s.rCor,
      alpha_if_deleted: s.ifDeleted?.raw ?? null,
    })),
  }
}

/** Reliability of every scored block, total first, then its subscales in the registry's order. */
export const reliabilityOf = (blocks: ReadonlyArray<ItemBlockResult>, level: number): ReliabilityRow[] =>
  blocks.flatMap((result) => {
    const instrument = result.block.instrument
    const all = Array.from({ length: instrument.items }, (_, i) => i + 1)
    const scales: Array<[string, ReadonlyArray<number>]> = [["total", all], ...Object.entries(instrument.subscales?.value ?? {})]
    return scales.flatMap(([scale, items]) => scaleReliability(result, scale, items, level) ?? [])
  })
