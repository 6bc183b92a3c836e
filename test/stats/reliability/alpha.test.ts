/**
 * Cronbach's α and its item analysis (src/stats/reliability/alpha.ts) against psych::alpha on the
 * five Big Five scales of psych's `bfi` (test/reference/reliability.R): every scale statistic, the
 * Feldt interval, every item statistic and every alpha-if-item-deleted statistic — closed forms to
 * 1e-10 relative, the Feldt bounds (an F quantile) to 1e-9.
 */
import { describe, expect, it } from "vitest"
import { cronbachAlpha } from "../../../src/stats/reliability/alpha.ts"
import { readFixture } from "../../reference/read-fixture.ts"
import { relativeError, tolerance } from "../../tolerances.ts"

interface Scale {
  items: number[][]
  names: string[]
  n: number
  total: { raw_alpha: number; std_alpha: number; G6: number; average_r: number; sn: number; ase: number; mean: number; sd: number; median_r: number; var_r: number }
  feldt: [number, number]
  item_stats: { raw_r: number[]; std_r: number[]; r_cor: number[]; r_drop: number[]; mean: number[]; sd: number[] }
  alpha_drop: { raw_alpha: number[]; std_alpha: number[]; G6: number[]; average_r: number[]; sn: number[]; se: number[]; var_r: number[]; median_r: number[] }
}
const fixture = readFixture<{ scales: Record<string, Scale> }>("reliability")

const close = (actual: number, expected: number, what: string, limit: number = tolerance.closedForm) =>
  expect(relativeError(actual, expected, 1e-12), `${what}: ${actual} vs psych ${expected}`).toBeLessThanOrEqual(limit)

for (const [name, s] of Object.entries(fixture.scales)) {
  describe(`cronbachAlpha on bfi ${name} (${s.names.join(", ")})`, () => {
    const a = cronbachAlpha(s.items, 0.95)

    it("gives psych's raw and standardized alpha, G6, average r, S/N, ase, the total's mean and SD, and r's median and variance", () => {
      expect([a.n, a.items]).toEqual([s.n, s.names.length])
      const t = s.total
      close(a.raw, t.raw_alpha, "raw alpha")
      close(a.standardized, t.std_alpha, "std alpha")
      close(a.guttmanLambda6, t.G6, "G6(smc)")
      close(a.averageR, t.average_r, "average r")
      close(a.signalToNoise, t.sn, "S/N")
      close(a.se, t.ase, "ase")
      close(a.totalMean, t.mean, "mean")
      close(a.totalSd, t.sd, "sd")
      close(a.medianR, t.median_r, "median r")
      close(a.varianceR, t.var_r, "var r")
    })

    it("gives psych's Feldt interval", () => {
      close(a.feldt[0], s.feldt[0], "Feldt lower", tolerance.distribution)
      close(a.feldt[1], s.feldt[1], "Feldt upper", tolerance.distribution)
    })

    it("gives psych's item statistics and the statistics with each item dropped", () => {
      a.itemStatistics.forEach((item, i) => {
        const what = `${s.names[i]}`
        close(item.rawR, s.item_stats.raw_r[i]!, `${what} raw.r`)
        close(item.stdR, s.item_stats.std_r[i]!, `${what} std.r`)
        close(item.rCor, s.item_stats.r_cor[i]!, `${what} r.cor`)
        close(item.rDrop, s.item_stats.r_drop[i]!, `${what} r.drop`)
        close(item.mean, s.item_stats.mean[i]!, `${what} mean`)
        close(item.sd, s.item_stats.sd[i]!, `${what} sd`)
        const d = item.ifDeleted!
        const e = s.alpha_drop
        close(d.raw, e.raw_alpha[i]!, `${what} dropped: raw alpha`)
        close(d.standardized, e.std_alpha[i]!, `${what} dropped: std alpha`)
        close(d.guttmanLambda6, e.G6[i]!, `${what} dropped: G6`)
        close(d.averageR, e.average_r[i]!, `${what} dropped: average r`)
        close(d.signalToNoise, e.sn[i]!, `${what} dropped: S/N`)
        close(d.se, e.se[i]!, `${what} dropped: se`)
        close(d.varianceR, e.var_r[i]!, `${what} dropped: var r`)
        close(d.medianR, e.median_r[i]!, `${what} dropped: median r`)
      })
    })
  })
}

describe("cronbachAlpha on a hand-worked case", () => {
  // Sylvester's 8 × 8 Hadamard matrix: its columns other than the first are centred and mutually
  // orthogonal with equal variance v. Items x + e_j (x and the e_j such columns) have variance 2v
  // and covariance v, so r = ½ and α = k/(k − 1) · (1 − 2kv / (2kv + k(k − 1)v)) = k/(k + 1)
  const hadamard = (row: number, column: number) => ((row & column).toString(2).split("1").length % 2 === 1 ? 1 : -1)
  const column = (j: number) => Array.from({ length: 8 }, (_, i) => hadamard(i, j))
  const items = (k: number) => Array.from({ length: k }, (_, j) => column(1).map((x, i) => x + column(j + 2)[i]!))

  it("is k/(k + 1) for k items that share half their variance, raw and standardized", () => {
    for (const k of [2, 3, 5]) {
      const a = cronbachAlpha(items(k))
      expect(a.raw).toBeCloseTo(k / (k + 1), 12)
      expect(a.standardized).toBeCloseTo(k / (k + 1), 12)
      expect(a.averageR).toBeCloseTo(0.5, 12)
      expect(a.signalToNoise).toBeCloseTo(k, 12)
    }
  })

  it("leaves out the alpha-if-deleted statistics with two items, and refuses fewer than 2 items or rows", () => {
    expect(cronbachAlpha(items(2)).itemStatistics.map((i) => i.ifDeleted)).toEqual([null, null])
    expect(() => cronbachAlpha(items(1))).toThrow(RangeError)
    expect(() => cronbachAlpha([[1], [2]])).toThrow(RangeError)
  })
})
