/**
 * The counts of the clinical section as a disclosure model (`model.ts`): the subgroup tables of
 * clients by outcome or process, in both privacy modes.
 *
 *   jacobson_truax   the four categories, which sum to n; early alliance by category (each group
 *                    part of its category); the trajectory chart's n per category and session
 *                    (each part of its category, suppressed with it)
 *   talking_therapies finished ⊂ courses, cases ⊂ finished, recovered ⊂ cases, reliable
 *                    improvement + deterioration ⊂ finished, reliable recovery ⊂ recovered
 *   ruptures         clients with a rupture ⊂ clients rated; ruptures by session, which sum to all
 *                    ruptures with the sessions not listed; repaired ⊂ ruptures; the improvement
 *                    groups (no rupture / all repaired / one unrepaired) part of those clients
 *   sudden_gains     clients with a gain ⊂ clients with session scores; the improvement groups
 *
 * Each complement (e.g. cases not recovered) is a sensitive implicit cell: "all but 2 recovered"
 * is as disclosive as "2 did not". A suppressed group in a comparison also withholds the
 * comparison's F tests, whose degrees of freedom would give its n away. A group shown with its mean
 * has at least min_cell clients, and one without fewer: the attacker knows both.
 */
import type { ClinicalResults } from "../../../data-schemas/clinical-results.ts"
import type { DisclosureModel } from "./model.ts"

type Estimated<T> = Extract<T, { status: "estimated" }>
type JacobsonTruax = Estimated<ClinicalResults["jacobson_truax"]>
type Category = keyof JacobsonTruax["counts"]
type Comparison = JacobsonTruax["early_alliance"]

export const WITHHELD_TESTS = "withheld by disclosure control: a group's n is suppressed, and the tests' degrees of freedom would reveal it"

/** A count of the fresh analysis (never null before disclosure control). */
export const known = (x: number | null, what: string): number => {
  if (x === null) throw new Error(`disclosure control: ${what} is already suppressed`)
  return x
}

/**
 * The groups of a comparison: one cell per group, by category. Suppressing a group tested in the
 * F tests withholds the tests (`set` replaces the comparison in the draft).
 */
const groupCells = (model: DisclosureModel, table: string, key: string, minCell: number, get: () => Comparison, set: (c: Comparison) => void): Map<string, string> => {
  const ids = new Map<string, string>()
  for (const group of get().groups) {
    const category = group.category
    const shown = group.mean !== null
    const hide = () => {
      const c = get()
      c.groups.find((g) => g.category === category)!.n = null
      if (c.status === "estimated" && shown) set({ status: "not_estimable", reason: WITHHELD_TESTS, groups: c.groups })
    }
    // a group shown with its mean has at least min_cell clients; one without, fewer
    const id = model.count(table, `${key}.${category}`, known(group.n, `${key} n`), hide, shown ? { floor: minCell } : {})
    if (!shown) model.relateWithRest(model.fixed(`${id}.below_min_cell`, minCell - 1), [id], `${id}.to_min_cell`, false)
    ids.set(category, id)
  }
  return ids
}

export const clinicalCells = (model: DisclosureModel, clinical: ClinicalResults, minCell: number): void => {
  jacobsonTruaxCells(model, clinical, minCell)
  talkingTherapiesCells(model, clinical)
  ruptureCells(model, clinical, minCell)
  suddenGainCells(model, clinical, minCell)
}

const jacobsonTruaxCells = (model: DisclosureModel, clinical: ClinicalResults, minCell: number): void => {
  const jt = clinical.jacobson_truax
  if (jt.status !== "estimated") return
  // the trajectory chart: clients of a category rated at a session (at least min_cell), each part
  // of its category; suppressed with the category's count, which they would otherwise bound
  const trajectories = new Map<string, string[]>()
  for (const t of clinical.trajectories) {
    const id = model.count("clinical.trajectories", `jt.trajectory.${t.category}.${t.session}`, known(t.n, "a trajectory n"), () => void (t.n = null), { floor: minCell })
    trajectories.set(t.category, [...(trajectories.get(t.category) ?? []), id])
  }
  const n = model.fixed("jt.n", jt.n)
  const categories = Object.keys(jt.counts) as Category[]
  const category = new Map<string, string>(
    categories.map((c) => [
      c,
      model.count("clinical.jacobson_truax", `jt.${c}`, known(jt.counts[c], `jt ${c}`), () => void (jt.counts[c] = null), { linked: trajectories.get(c) ?? [] }),
    ]),
  )
  model.relate(n, [...category.values()])
  for (const [c, ids] of trajectories) {
    const total = category.get(c)
    if (total !== undefined) for (const id of ids) model.relateWithRest(total, [id], `${id}.unrated`, false)
  }
  // early alliance by category: each group is the part of its category with early alliance
  const ea = groupCells(model, "clinical.jacobson_truax.early_alliance", "jt.early_alliance", minCell, () => jt.early_alliance, (c) => void (jt.early_alliance = c))
  for (const [c, id] of ea) {
    const total = category.get(c)
    if (total !== undefined) model.relateWithRest(total, [id], `${id}.without`, false)
  }
}

const talkingTherapiesCells = (model: DisclosureModel, clinical: ClinicalResults): void => {
  const t = clinical.talking_therapies
  if (t.status !== "estimated") return
  const table = "clinical.talking_therapies"
  const courses = model.fixed("tt.courses", t.courses)
  type Key = "finished" | "finished_cases" | "recovered" | "reliably_improved" | "reliably_deteriorated" | "reliably_recovered"
  type Rate = "recovery_rate" | "reliable_improvement_rate" | "reliable_deterioration_rate" | "reliable_recovery_rate"
  /** A count, suppressed with the rates it is the numerator or denominator of. */
  const count = (key: Key, rates: ReadonlyArray<Rate>) =>
    model.count(table, `tt.${key}`, known(t[key], key), () => {
      t[key] = null
      for (const rate of rates) t[rate] = null
    })
  const finished = count("finished", ["reliable_improvement_rate", "reliable_deterioration_rate"])
  const cases = count("finished_cases", ["recovery_rate", "reliable_recovery_rate"])
  const recovered = count("recovered", ["recovery_rate"])
  const improved = count("reliably_improved", ["reliable_improvement_rate"])
  const deteriorated = count("reliably_deteriorated", ["reliable_deterioration_rate"])
  const reliablyRecovered = count("reliably_recovered", ["reliable_recovery_rate"])
  model.relateWithRest(courses, [finished], "tt.not_finished", true)
  model.relateWithRest(finished, [cases], "tt.finished_not_cases", true)
  model.relateWithRest(cases, [recovered], "tt.not_recovered", true)
  model.relateWithRest(finished, [improved, deteriorated], "tt.no_reliable_change", true)
  model.relateWithRest(cases, [reliablyRecovered], "tt.not_reliably_recovered", true)
  model.relateWithRest(recovered, [reliablyRecovered], "tt.recovered_without_reliable_improvement", true)
  model.relateWithRest(improved, [reliablyRecovered], "tt.improved_not_reliably_recovered", false)
}

const ruptureCells = (model: DisclosureModel, clinical: ClinicalResults, minCell: number): void => {
  const r = clinical.ruptures
  if (r.status !== "estimated") return
  const table = "clinical.ruptures"
  const rated = model.fixed("rup.clients_rated", r.clients_rated)
  const withRupture = model.count(table, "rup.clients_with_rupture", known(r.clients_with_rupture, "clients with a rupture"), () => void (r.clients_with_rupture = null))
  const without = model.relateWithRest(rated, [withRupture], "rup.clients_without_rupture", true)
  const transitions = model.fixed("rup.transitions", r.transitions)
  const ruptures = model.count(table, "rup.ruptures", known(r.ruptures, "ruptures"), () => {
    r.ruptures = null
    r.rupture_rate = null
    r.repair_rate = null
  })
  const repaired = model.count(table, "rup.repaired", known(r.repaired, "repaired"), () => {
    r.repaired = null
    r.repair_rate = null
  })
  model.relateWithRest(ruptures, [repaired], "rup.unrepaired", true)
  model.relateWithRest(transitions, [ruptures], "rup.transitions_without_rupture", false)

  // by session: ruptures among the transitions into each session listed (clients, one transition each)
  const bySession = r.by_session.map((b) => {
    const t = model.fixed(`rup.session.${b.session}.transitions`, b.transitions)
    const n = model.count("clinical.ruptures.by_session", `rup.session.${b.session}`, known(b.ruptures, "ruptures at a session"), () => void (b.ruptures = null))
    model.relateWithRest(t, [n], `rup.session.${b.session}.none`, true)
    model.relateWithRest(withRupture, [n], `rup.session.${b.session}.other_clients`, false)
    return { t, n }
  })
  const otherRuptures = model.relateWithRest(ruptures, bySession.map((b) => b.n), "rup.sessions_not_listed", true)
  const otherTransitions = model.relateWithRest(transitions, bySession.map((b) => b.t), "rup.sessions_not_listed.transitions", false)
  model.relateWithRest(otherTransitions, [otherRuptures], "rup.sessions_not_listed.none", false)

  const groups = groupCells(model, "clinical.ruptures.improvement", "rup.improvement", minCell, () => r.improvement, (c) => void (r.improvement = c))
  const [none, allRepaired, unrepaired] = [...groups.values()]
  model.relateWithRest(without, [none!], "rup.improvement.none.without_improvement", false)
  model.relateWithRest(withRupture, [allRepaired!, unrepaired!], "rup.improvement.with.without_improvement", false)
}

const suddenGainCells = (model: DisclosureModel, clinical: ClinicalResults, minCell: number): void => {
  const g = clinical.sudden_gains
  if (g.status !== "estimated") return
  const table = "clinical.sudden_gains"
  const series = model.fixed("sg.clients_with_series", g.clients_with_series)
  const withGain = model.count(table, "sg.clients_with_gain", known(g.clients_with_gain, "clients with a gain"), () => void (g.clients_with_gain = null))
  const without = model.relateWithRest(series, [withGain], "sg.clients_without_gain", true)
  const gains = model.count(table, "sg.gains", known(g.gains, "gains"), () => void (g.gains = null))
  model.relateWithRest(gains, [withGain], "sg.further_gains", false)
  if (g.alliance_around_gain.status === "estimated") {
    model.relateWithRest(withGain, [model.fixed("sg.alliance_pairs", g.alliance_around_gain.n)], "sg.gains_without_alliance_pair", false)
  }
  const groups = groupCells(model, "clinical.sudden_gains.improvement", "sg.improvement", minCell, () => g.improvement, (c) => void (g.improvement = c))
  const [noGain, gain] = [...groups.values()]
  model.relateWithRest(without, [noGain!], "sg.improvement.none.without_improvement", false)
  model.relateWithRest(withGain, [gain!], "sg.improvement.gain.without_improvement", false)
}
