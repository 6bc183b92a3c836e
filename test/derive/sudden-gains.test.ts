/**
 * Sudden gains (src/derive/sudden-gains.ts) on series a reader can check by hand, with the
 * Tang & DeRubeis (1999) criteria: PHQ-9-like scores (lower is better, 0–27), a gain of at least 5
 * points and 25% of the pre-gain score, and the pre/post means apart by more than
 * t_crit(0.975, n₁ + n₂ − 2) · pooled SD.
 *
 *   client 0   18 17 18 | 9 8 9 8    gain at session 3: 9 points, 50%; means 17.67 vs 8.67,
 *                                     pooled SD √(4/3 / 4) = .577, 2.776 · .577 = 1.60 < 9 → sudden
 *   client 1   20 19 21 | 14 20 21   7 points at 3, but means 20 vs 18.33, pooled SD 2.77,
 *                                     2.776 · 2.77 = 7.69 > 1.67 → not sudden (a one-session dip)
 *   client 2   10 9 10 | 6 5 6       4 points < 5 → not sudden
 *   client 3   26 25 26 | 20 19 20   6 points < 25% of 26 = 6.5 → not sudden
 *   client 4   16 – 16 | 8 7 8       session 2 missing: 2 sessions before, 3 after, t_crit(3) =
 *                                     3.182, pooled SD √(2/3 / 3) = .471, 1.50 < 8.33 → sudden
 *   client 5   24 23 24 | 16 15 16 | 8 7 8   two sudden gains, at 3 and 6; the first marked
 *   client 6   20 19 20 (no 4) 10 9 10      sessions 3 and 5 are not consecutive → none
 */
import { describe, expect, it } from "vitest"
import { type SuddenGainCriteria, suddenGains } from "../../src/derive/sudden-gains.ts"

const NA = Number.NaN
const series: ReadonlyArray<ReadonlyArray<readonly [number, number]>> = [
  [[1, 18], [2, 17], [3, 18], [4, 9], [5, 8], [6, 9], [7, 8]],
  [[1, 20], [2, 19], [3, 21], [4, 14], [5, 20], [6, 21]],
  [[1, 10], [2, 9], [3, 10], [4, 6], [5, 5], [6, 6]],
  [[1, 26], [2, 25], [3, 26], [4, 20], [5, 19], [6, 20]],
  [[1, 16], [2, NA], [3, 16], [4, 8], [5, 7], [6, 8]],
  [[1, 24], [2, 23], [3, 24], [4, 16], [5, 15], [6, 16], [7, 8], [8, 7], [9, 8]],
  [[1, 20], [2, 19], [3, 20], [5, 10], [6, 9], [7, 10]],
]
// rows in reverse order, to show that the order of the rows does not matter
const rows = series.flatMap((s, client) => s.map(([session, score]) => ({ client, session, score }))).reverse()
const sessions = (transform: (score: number) => number = (s) => s) => ({
  client: Int32Array.from(rows, (r) => r.client),
  session: Int32Array.from(rows, (r) => r.session),
  score: Float64Array.from(rows, (r) => transform(r.score)),
})
const phq: SuddenGainCriteria = { minimum: 5, relative: 0.25, direction: "lower_is_better", range: [0, 27] }

describe("suddenGains", () => {
  it("finds the gains of the hand-worked table, and only those", () => {
    expect(suddenGains(series.length, sessions(), phq)).toEqual([
      { client: 0, session: 3, preGain: 18, postGain: 9, magnitude: 9, first: true },
      { client: 4, session: 3, preGain: 16, postGain: 8, magnitude: 8, first: true },
      { client: 5, session: 3, preGain: 24, postGain: 16, magnitude: 8, first: true },
      { client: 5, session: 6, preGain: 16, postGain: 8, magnitude: 8, first: false },
    ])
  })

  it("finds the same gains on the mirrored higher-is-better scale", () => {
    const mirrored = suddenGains(series.length, sessions((s) => 27 - s), { ...phq, direction: "higher_is_better" })
    expect(mirrored.map((g) => [g.client, g.session, g.magnitude, g.first])).toEqual([
      [0, 3, 9, true],
      [4, 3, 8, true],
      [5, 3, 8, true],
      [5, 6, 8, false],
    ])
  })

  it("applies each criterion: a 4-point minimum admits client 2, a 20% share client 3", () => {
    const found = (criteria: SuddenGainCriteria) => suddenGains(series.length, sessions(), criteria).map((g) => g.client)
    expect(found({ ...phq, minimum: 4 })).toContain(2)
    expect(found({ ...phq, relative: 0.2 })).toContain(3)
    expect(found({ ...phq, minimum: 4 })).not.toContain(1) // the dip stays out: criterion 3
  })
})
