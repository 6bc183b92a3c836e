import { describe, expect, it } from "vitest"
import { CLIENT_HEADER, clientHeaderLine, clientLine, fixed, SESSION_HEADER, sessionHeaderLine, sessionLine } from "../../src/synthetic/csv-format.ts"
import { allocate, checkOptions, planStudy, stratifiedOffsets, type StudyOptions } from "../../src/synthetic/design.ts"
import { CountUrn, generateStudy, syntheticStudy } from "../../src/synthetic/generate-study.ts"
import { AGE_BANDS, DEFAULT_MODEL, GENDERS, MODALITIES } from "../../src/synthetic/model.ts"
import { createRng } from "../../src/stats/random/xoshiro.ts"

/** The two CSV files of a study, as text. */
const render = (options: StudyOptions): { clients: string; sessions: string } => {
  const clients: string[] = [clientHeaderLine]
  const sessions: string[] = [sessionHeaderLine]
  for (const c of syntheticStudy(options).clients) {
    clients.push(clientLine(c.client))
    for (const s of c.sessions) sessions.push(sessionLine(s))
  }
  return { clients: clients.join(""), sessions: sessions.join("") }
}

/** Parses canonical CSV text (no quoting) into records keyed by the header; "" stays "". */
const parse = (text: string): Array<Record<string, string>> => {
  const lines = text.split("\n")
  expect(lines.pop()).toBe("") // the file ends with a newline
  const header = (lines.shift() ?? "").split(",")
  return lines.map((line) => {
    const cells = line.split(",")
    expect(cells.length).toBe(header.length)
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ""]))
  })
}

const DEFAULTS: StudyOptions = { clients: 2000, sites: 8, seed: 20260101 }
const study = render(DEFAULTS)
const clients = parse(study.clients)
const sessions = parse(study.sessions)
const num = (x: string | undefined): number => (x === undefined || x === "" ? Number.NaN : Number(x))
const share = (xs: ReadonlyArray<Record<string, string>>, column: string) =>
  xs.filter((r) => r[column] === "").length / xs.length

describe("generateStudy", () => {
  it("writes byte-identical files for the same seed", () => {
    const again = render(DEFAULTS)
    expect(again.clients).toBe(study.clients)
    expect(again.sessions).toBe(study.sessions)
  })

  it("writes different files for a different seed", () => {
    const other = render({ ...DEFAULTS, seed: 20260102 })
    expect(other.clients).not.toBe(study.clients)
    expect(other.sessions).not.toBe(study.sessions)
  })

  it("keeps the sites of a seed when only the number of clients changes", () => {
    const small = planStudy({ ...DEFAULTS, clients: 300 }, DEFAULT_MODEL)
    const large = planStudy(DEFAULTS, DEFAULT_MODEL)
    expect(small.sites).toEqual(large.sites)
  })

  it("writes the canonical headers, in order, in plain ASCII", () => {
    expect(study.clients.slice(0, study.clients.indexOf("\n")).split(",")).toEqual([...CLIENT_HEADER])
    expect(study.sessions.slice(0, study.sessions.indexOf("\n")).split(",")).toEqual([...SESSION_HEADER])
    expect(/^[\x20-\x7e\n]*$/.test(study.clients) && /^[\x20-\x7e\n]*$/.test(study.sessions)).toBe(true)
  })

  it("gives unique, well-formed pseudonymous codes of growing width", () => {
    const ids = clients.map((c) => c.client_id)
    expect(new Set(ids).size).toBe(2000)
    expect(ids[0]).toBe("C000001")
    expect(ids.every((id) => /^C\d{6}$/.test(id ?? ""))).toBe(true)
    expect(clients.every((c) => /^T\d{4}$/.test(c.therapist_id ?? "") && /^S0[1-8]$/.test(c.site_id ?? ""))).toBe(true)
    const big = planStudy({ clients: 1_234_567, sites: 120, seed: 1 }, DEFAULT_MODEL)
    expect(big.clientIdWidth).toBe(7)
    expect(big.sites[0]?.id).toBe("S001")
    expect(big.therapists[0]?.id).toBe("T000001")
  })

  it("nests about 170 therapists in 8 sites, each therapist in one site, with varying caseloads", () => {
    const siteOf = new Map<string, Set<string>>()
    const caseload = new Map<string, number>()
    for (const c of clients) {
      const t = c.therapist_id ?? ""
      siteOf.set(t, (siteOf.get(t) ?? new Set()).add(c.site_id ?? ""))
      caseload.set(t, (caseload.get(t) ?? 0) + 1)
    }
    expect(siteOf.size).toBe(170)
    expect([...siteOf.values()].every((s) => s.size === 1)).toBe(true)
    expect(new Set(clients.map((c) => c.site_id)).size).toBe(8)
    const loads = [...caseload.values()]
    expect(Math.min(...loads)).toBeGreaterThanOrEqual(DEFAULT_MODEL.minCaseload)
    expect(Math.max(...loads)).toBeGreaterThan(2 * Math.min(...loads))
  })

  it("writes 3–20 contiguous sessions 1..k per client, k = sessions_attended, every session's client known", () => {
    const attended = new Map(clients.map((c) => [c.client_id ?? "", num(c.sessions_attended)]))
    const seen = new Map<string, number[]>()
    for (const s of sessions) {
      const id = s.client_id ?? ""
      expect(attended.has(id)).toBe(true)
      seen.set(id, [...(seen.get(id) ?? []), num(s.session)])
    }
    const pairs = new Set(sessions.map((s) => `${s.client_id}#${s.session}`))
    expect(pairs.size).toBe(sessions.length)
    for (const [id, k] of attended) {
      expect(k).toBeGreaterThanOrEqual(3)
      expect(k).toBeLessThanOrEqual(20)
      expect(seen.get(id)).toEqual(Array.from({ length: k }, (_, i) => i + 1))
    }
    const ks = [...attended.values()].sort((a, b) => a - b)
    const median = ks[Math.floor(ks.length / 2)] ?? 0
    expect(median).toBeGreaterThanOrEqual(7)
    expect(median).toBeLessThanOrEqual(10)
  })

  it("keeps every value in its range, with the fixed number of decimals", () => {
    const inRange = (x: string | undefined, lo: number, hi: number, pattern: RegExp) =>
      x === "" || (pattern.test(x ?? "") && num(x) >= lo && num(x) <= hi)
    const int = /^\d+$/
    const one = /^\d\.\d$/
    const two = /^\d\.\d\d$/
    const badClients = clients.filter(
      (c) =>
        !(MODALITIES as ReadonlyArray<string>).includes(c.modality ?? "") ||
        !(AGE_BANDS as ReadonlyArray<string>).includes(c.age_band ?? "") ||
        !(GENDERS as ReadonlyArray<string>).includes(c.gender ?? "") ||
        !inRange(c.baseline, 0, 27, int) ||
        !inRange(c.outcome, 0, 27, int) ||
        !inRange(c.expectancy, 1, 9, one) ||
        !inRange(c.empathy, 1, 7, one) ||
        !inRange(c.positive_regard, 1, 7, one) ||
        !inRange(c.congruence, 1, 7, one) ||
        !["0", "1"].includes(c.dropout ?? ""),
    )
    expect(badClients).toEqual([])
    const ratings = ["alliance", "alliance_goal", "alliance_task", "alliance_bond", "alliance_therapist"]
    const badSessions = sessions.filter((s) => !ratings.every((k) => inRange(s[k], 1, 5, two)) || !inRange(s.symptom, 0, 27, int))
    expect(badSessions).toEqual([])
  })

  it("makes alliance the mean of the goal, task and bond subscales present", () => {
    const mismatched = sessions.filter((s) => {
      const parts = [s.alliance_goal, s.alliance_task, s.alliance_bond].filter((x) => x !== "").map(num)
      if (parts.length === 0) return s.alliance !== ""
      return !(Math.abs(num(s.alliance) - parts.reduce((a, b) => a + b, 0) / parts.length) <= 0.005 + 1e-9)
    })
    expect(mismatched).toEqual([])
  })

  it("leaves a plausible share of values missing (blank cells, never missing rows)", () => {
    expect(share(clients, "baseline")).toBeGreaterThan(0.002)
    expect(share(clients, "baseline")).toBeLessThan(0.025)
    expect(share(clients, "outcome")).toBeGreaterThan(0.07)
    expect(share(clients, "outcome")).toBeLessThan(0.14)
    for (const k of ["expectancy", "empathy", "positive_regard", "congruence"]) {
      expect(share(clients, k)).toBeGreaterThan(0.01)
      expect(share(clients, k)).toBeLessThan(0.06)
    }
    for (const k of ["alliance", "alliance_therapist", "symptom"]) {
      expect(share(sessions, k)).toBeGreaterThan(0.015)
      expect(share(sessions, k)).toBeLessThan(0.08)
    }
    const dropouts = clients.filter((c) => c.dropout === "1")
    expect(dropouts.length / clients.length).toBeGreaterThan(0.12)
    expect(dropouts.length / clients.length).toBeLessThan(0.3)
    expect(share(dropouts, "outcome")).toBeGreaterThan(share(clients, "outcome"))
  })

  it("contains alliance ruptures: drops of at least 1 point from one session to the next", () => {
    const previous = new Map<string, number>()
    const ruptured = new Set<string>()
    for (const s of sessions) {
      const id = s.client_id ?? ""
      const a = num(s.alliance)
      const before = previous.get(id)
      if (before !== undefined && !Number.isNaN(a) && before - a >= 1) ruptured.add(id)
      if (!Number.isNaN(a)) previous.set(id, a)
    }
    expect(ruptured.size / clients.length).toBeGreaterThan(0.05)
    expect(ruptured.size / clients.length).toBeLessThan(0.4)
  })

  it("shows an early-alliance–improvement correlation near the documented .25–.30", () => {
    const early = new Map<string, number[]>()
    for (const s of sessions) {
      if (num(s.session) <= 3 && s.alliance !== "") early.set(s.client_id ?? "", [...(early.get(s.client_id ?? "") ?? []), num(s.alliance)])
    }
    const xs: number[] = []
    const ys: number[] = []
    for (const c of clients) {
      const e = early.get(c.client_id ?? "")
      const improvement = num(c.baseline) - num(c.outcome)
      if (e && e.length > 0 && !Number.isNaN(improvement)) {
        xs.push(e.reduce((a, b) => a + b, 0) / e.length)
        ys.push(improvement)
      }
    }
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length
    const my = ys.reduce((a, b) => a + b, 0) / ys.length
    let sxy = 0
    let sxx = 0
    let syy = 0
    xs.forEach((x, i) => {
      const y = ys[i] ?? 0
      sxy += (x - mx) * (y - my)
      sxx += (x - mx) ** 2
      syy += (y - my) ** 2
    })
    const r = sxy / Math.sqrt(sxx * syy)
    expect(r).toBeGreaterThan(0.2)
    expect(r).toBeLessThan(0.36)
  })

  it("streams lazily: the first client arrives without simulating the rest", () => {
    const design = planStudy({ clients: 1_000_000, sites: 8, seed: 3 }, DEFAULT_MODEL)
    const first = generateStudy(design).next()
    expect(first.done).toBe(false)
  })
})

describe("planStudy", () => {
  it("gives the sites true correlations around meanR with Fisher-z SD exactly tauZ", () => {
    const { sites } = planStudy(DEFAULTS, DEFAULT_MODEL)
    const z = sites.map((s) => Math.atanh(s.targetR))
    const mean = z.reduce((a, b) => a + b, 0) / z.length
    const sd = Math.sqrt(z.reduce((a, b) => a + (b - mean) ** 2, 0) / z.length)
    expect(mean).toBeCloseTo(Math.atanh(DEFAULT_MODEL.meanR), 12)
    expect(sd).toBeCloseTo(DEFAULT_MODEL.tauZ, 12)
  })
})

describe("checkOptions", () => {
  it("accepts the defaults and explains what is wrong otherwise", () => {
    expect(checkOptions(DEFAULTS, DEFAULT_MODEL)).toEqual([])
    expect(checkOptions({ clients: 10, sites: 8, seed: 1 }, DEFAULT_MODEL).join()).toMatch(/at least 2 × --sites/)
    expect(checkOptions({ clients: 100, sites: 0, seed: 1 }, DEFAULT_MODEL).join()).toMatch(/--sites/)
    expect(checkOptions({ clients: 100, sites: 2, seed: -4 }, DEFAULT_MODEL).join()).toMatch(/--seed/)
    expect(checkOptions({ clients: 100, sites: 2, seed: 1, therapists: 80 }, DEFAULT_MODEL).join()).toMatch(/--therapists/)
  })
})

describe("allocate", () => {
  it("splits a total exactly, in proportion, with a minimum per part", () => {
    const parts = allocate(100, [1, 1, 2], 5)
    expect(parts.reduce((a, b) => a + b, 0)).toBe(100)
    expect(Math.min(...parts)).toBeGreaterThanOrEqual(5)
    expect(parts).toEqual([26, 26, 48])
  })
})

describe("stratifiedOffsets", () => {
  it("has mean 0 and population SD 1", () => {
    const o = stratifiedOffsets(8)
    const mean = o.reduce((a, b) => a + b, 0) / 8
    expect(mean).toBeCloseTo(0, 14)
    expect(Math.sqrt(o.reduce((a, b) => a + b * b, 0) / 8)).toBeCloseTo(1, 14)
    expect(stratifiedOffsets(1)).toEqual([0])
  })
})

describe("CountUrn", () => {
  it("draws every unit exactly once", () => {
    const counts = [3, 0, 5, 1, 2]
    const urn = new CountUrn(counts)
    const rng = createRng(5)
    const drawn = [0, 0, 0, 0, 0]
    while (urn.total > 0) {
      const i = urn.take(Math.floor(rng.nextFloat() * urn.total))
      drawn[i] = (drawn[i] ?? 0) + 1
    }
    expect(drawn).toEqual(counts)
    expect(() => urn.take(0)).toThrow(RangeError)
  })
})

describe("fixed", () => {
  it("writes a fixed number of decimals and blanks for missing values", () => {
    expect(fixed(3.5, 2)).toBe("3.50")
    expect(fixed(1, 2)).toBe("1.00")
    expect(fixed(6.1, 1)).toBe("6.1")
    expect(fixed(12, 0)).toBe("12")
    expect(fixed(123.45, 2)).toBe("123.45")
    expect(fixed(null, 1)).toBe("")
  })
})
