import { describe, expect, it } from "vitest"
import {
  bernoulli,
  categorical,
  integerInRange,
  normal,
  NormalSource,
  shuffleInPlace,
  standardNormal,
  uniform,
  weightedChoice,
} from "../../src/stats/random/distributions.ts"
import { createRng, splitmix32, Xoshiro128StarStar } from "../../src/stats/random/xoshiro.ts"

const meanSd = (xs: ReadonlyArray<number>): { mean: number; sd: number } => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length
  const ss = xs.reduce((a, b) => a + (b - mean) ** 2, 0)
  return { mean, sd: Math.sqrt(ss / (xs.length - 1)) }
}

describe("Xoshiro128StarStar", () => {
  it("matches the reference C implementation (prng.di.unimi.it) from state {1, 2, 3, 4}", () => {
    // values printed by xoshiro128starstar.c compiled with gcc, state s = {1, 2, 3, 4}
    const rng = new Xoshiro128StarStar(1, 2, 3, 4)
    const out = Array.from({ length: 6 }, () => rng.nextUint32())
    expect(out).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492])
  })

  it("rejects the all-zero state", () => {
    expect(() => new Xoshiro128StarStar(0, 0, 0, 0)).toThrow(RangeError)
  })

  it("gives floats in [0, 1)", () => {
    const rng = createRng(7)
    const us = Array.from({ length: 10_000 }, () => rng.nextFloat())
    expect(Math.min(...us)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...us)).toBeLessThan(1)
  })
})

describe("splitmix32", () => {
  it("is a pure function of its state", () => {
    expect(splitmix32(0)).toEqual(splitmix32(0))
    expect(splitmix32(0).value).toBe(1684164658)
    expect(splitmix32(0).state).toBe(0x9e3779b9 | 0)
  })
})

describe("createRng", () => {
  it("replays the same sequence for the same seed and stream", () => {
    const a = createRng(20260101, 3)
    const b = createRng(20260101, 3)
    for (let i = 0; i < 100; i++) expect(a.nextUint32()).toBe(b.nextUint32())
  })

  it("gives different sequences for different seeds or streams", () => {
    const first = (seed: number, stream: number) => {
      const rng = createRng(seed, stream)
      return Array.from({ length: 4 }, () => rng.nextUint32())
    }
    expect(first(1, 0)).not.toEqual(first(2, 0))
    expect(first(1, 0)).not.toEqual(first(1, 1))
  })

  it("rejects seeds that are not 32-bit unsigned integers", () => {
    expect(() => createRng(-1)).toThrow(RangeError)
    expect(() => createRng(1.5)).toThrow(RangeError)
    expect(() => createRng(2 ** 32)).toThrow(RangeError)
  })
})

describe("standardNormal", () => {
  it("has mean ≈ 0 and SD ≈ 1 over 100,000 draws", () => {
    const rng = createRng(11)
    const { mean, sd } = meanSd(Array.from({ length: 100_000 }, () => standardNormal(rng)))
    expect(Math.abs(mean)).toBeLessThan(0.015)
    expect(Math.abs(sd - 1)).toBeLessThan(0.015)
  })
})

describe("normal", () => {
  it("shifts and scales the standard normal", () => {
    const rng = createRng(12)
    const { mean, sd } = meanSd(Array.from({ length: 50_000 }, () => normal(rng, 15.5, 5)))
    expect(Math.abs(mean - 15.5)).toBeLessThan(0.1)
    expect(Math.abs(sd - 5)).toBeLessThan(0.1)
  })
})

describe("NormalSource", () => {
  it("has mean ≈ 0, SD ≈ 1 and is reproducible from the generator's state", () => {
    const a = new NormalSource(createRng(13))
    const b = new NormalSource(createRng(13))
    const xs = Array.from({ length: 100_000 }, () => a.next())
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(xs.slice(0, 100))
    const { mean, sd } = meanSd(xs)
    expect(Math.abs(mean)).toBeLessThan(0.015)
    expect(Math.abs(sd - 1)).toBeLessThan(0.015)
  })

  it("draws pairs whose two halves are uncorrelated", () => {
    const g = new NormalSource(createRng(14))
    const first: number[] = []
    const second: number[] = []
    for (let i = 0; i < 50_000; i++) {
      first.push(g.next())
      second.push(g.next())
    }
    const r = first.reduce((acc, x, i) => acc + x * (second[i] ?? 0), 0) / first.length
    expect(Math.abs(r)).toBeLessThan(0.02)
  })
})

describe("uniform", () => {
  it("stays inside [low, high)", () => {
    const rng = createRng(15)
    const xs = Array.from({ length: 10_000 }, () => uniform(rng, 1.2, 2))
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(1.2)
    expect(Math.max(...xs)).toBeLessThan(2)
  })
})

describe("integerInRange", () => {
  it("covers every value of [3, 20] about equally and nothing else", () => {
    const rng = createRng(16)
    const counts = new Map<number, number>()
    for (let i = 0; i < 36_000; i++) {
      const k = integerInRange(rng, 3, 20)
      counts.set(k, (counts.get(k) ?? 0) + 1)
    }
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 18 }, (_, i) => i + 3))
    for (const c of counts.values()) expect(Math.abs(c - 2000)).toBeLessThan(200)
  })

  it("rejects empty or non-integer ranges", () => {
    const rng = createRng(17)
    expect(() => integerInRange(rng, 5, 4)).toThrow(RangeError)
    expect(() => integerInRange(rng, 0.5, 4)).toThrow(RangeError)
  })
})

describe("bernoulli", () => {
  it("is true with probability p", () => {
    const rng = createRng(18)
    let hits = 0
    for (let i = 0; i < 50_000; i++) if (bernoulli(rng, 0.2)) hits++
    expect(Math.abs(hits / 50_000 - 0.2)).toBeLessThan(0.01)
    expect(bernoulli(rng, 0)).toBe(false)
    expect(bernoulli(rng, 1)).toBe(true)
  })
})

describe("categorical", () => {
  it("picks indices in proportion to the weights and never a zero-weight one", () => {
    const rng = createRng(19)
    const counts = [0, 0, 0, 0]
    for (let i = 0; i < 40_000; i++) {
      const k = categorical(rng, [0.65, 0.33, 0, 0.02])
      counts[k] = (counts[k] ?? 0) + 1
    }
    expect(counts[2]).toBe(0)
    expect(Math.abs((counts[0] ?? 0) / 40_000 - 0.65)).toBeLessThan(0.015)
    expect(Math.abs((counts[3] ?? 0) / 40_000 - 0.02)).toBeLessThan(0.005)
  })

  it("rejects negative or all-zero weights", () => {
    const rng = createRng(20)
    expect(() => categorical(rng, [1, -1])).toThrow(RangeError)
    expect(() => categorical(rng, [0, 0])).toThrow(RangeError)
  })
})

describe("weightedChoice", () => {
  it("returns an item, never one with zero weight", () => {
    const rng = createRng(21)
    const picks = new Set(Array.from({ length: 1000 }, () => weightedChoice(rng, ["a", "b", "c"], [1, 0, 1])))
    expect([...picks].sort()).toEqual(["a", "c"])
  })
})

describe("shuffleInPlace", () => {
  it("returns a permutation of its input", () => {
    const rng = createRng(22)
    const xs = Array.from({ length: 50 }, (_, i) => i)
    const shuffled = shuffleInPlace(rng, [...xs])
    expect([...shuffled].sort((a, b) => a - b)).toEqual(xs)
    expect(shuffled).not.toEqual(xs)
  })
})
