/**
 * NHS Talking Therapies (formerly IAPT) outcome metrics from PHQ-9 and GAD-7 at the first and last
 * session of a course.
 *
 *   finished course      at least `minimumSessions` treatment sessions (2)
 *   caseness             PHQ-9 ≥ 10 or GAD-7 ≥ 8 (at or above either clinical threshold)
 *   recovery             a case at the start, below both thresholds at the end
 *   reliable improvement a drop of at least the reliable change on one measure or both (PHQ-9 6,
 *                        GAD-7 4) and no reliable deterioration on the other
 *   reliable deterioration an increase of at least the reliable change on one or both, and no
 *                        reliable improvement on the other
 *   reliable recovery    recovery and reliable improvement together
 * Rates are over finished courses: reliable improvement and deterioration over all of them,
 * recovery and reliable recovery over those that were cases at the start.
 *
 * The thresholds are those of REFERENCES.md, which marks them unverified against the current
 * NHS Talking Therapies manual; they are parameters, so a study can state its own, and
 * DEFAULT_THRESHOLDS says so in `verified: false`.
 */

export interface TalkingTherapiesThresholds {
  readonly phq9Caseness: number
  readonly gad7Caseness: number
  readonly phq9ReliableChange: number
  readonly gad7ReliableChange: number
  readonly minimumSessions: number
  /** whether these values were checked against the current manual */
  readonly verified: boolean
}

export const DEFAULT_THRESHOLDS: TalkingTherapiesThresholds = {
  phq9Caseness: 10,
  gad7Caseness: 8,
  phq9ReliableChange: 6,
  gad7ReliableChange: 4,
  minimumSessions: 2,
  verified: false,
}

export interface CourseScores {
  readonly phq9First: number
  readonly phq9Last: number
  readonly gad7First: number
  readonly gad7Last: number
  readonly sessions: number
}

export interface CourseOutcome {
  readonly finished: boolean
  readonly caseAtStart: boolean
  readonly recovered: boolean
  readonly reliablyImproved: boolean
  readonly reliablyDeteriorated: boolean
  readonly reliablyRecovered: boolean
}

/** The metrics of one course (file comment); a course with a score missing is not finished. */
export const courseOutcome = (c: CourseScores, t: TalkingTherapiesThresholds = DEFAULT_THRESHOLDS): CourseOutcome => {
  const scored = [c.phq9First, c.phq9Last, c.gad7First, c.gad7Last].every((v) => !Number.isNaN(v))
  const finished = scored && c.sessions >= t.minimumSessions
  const isCase = (phq9: number, gad7: number) => phq9 >= t.phq9Caseness || gad7 >= t.gad7Caseness
  const caseAtStart = scored && isCase(c.phq9First, c.gad7First)
  const recovered = finished && caseAtStart && !isCase(c.phq9Last, c.gad7Last)
  const phq9Change = c.phq9Last - c.phq9First
  const gad7Change = c.gad7Last - c.gad7First
  const improvedOn = [phq9Change <= -t.phq9ReliableChange, gad7Change <= -t.gad7ReliableChange]
  const worseOn = [phq9Change >= t.phq9ReliableChange, gad7Change >= t.gad7ReliableChange]
  const reliablyImproved = finished && improvedOn.some(Boolean) && !worseOn.some(Boolean)
  const reliablyDeteriorated = finished && worseOn.some(Boolean) && !improvedOn.some(Boolean)
  return { finished, caseAtStart, recovered, reliablyImproved, reliablyDeteriorated, reliablyRecovered: recovered && reliablyImproved }
}

export interface TalkingTherapiesSummary {
  readonly courses: number
  readonly finished: number
  readonly finishedCases: number
  readonly recovered: number
  readonly reliablyImproved: number
  readonly reliablyDeteriorated: number
  readonly reliablyRecovered: number
  /** recovered / finished cases; NaN without finished cases */
  readonly recoveryRate: number
  readonly reliableImprovementRate: number
  readonly reliableDeteriorationRate: number
  readonly reliableRecoveryRate: number
}

/** Counts and rates over courses (file comment). */
export const talkingTherapiesSummary = (courses: ReadonlyArray<CourseScores>, t: TalkingTherapiesThresholds = DEFAULT_THRESHOLDS): TalkingTherapiesSummary => {
  const outcomes = courses.map((c) => courseOutcome(c, t))
  const count = (f: (o: CourseOutcome) => boolean) => outcomes.filter(f).length
  const finished = count((o) => o.finished)
  const finishedCases = count((o) => o.finished && o.caseAtStart)
  const recovered = count((o) => o.recovered)
  const reliablyImproved = count((o) => o.reliablyImproved)
  const reliablyDeteriorated = count((o) => o.reliablyDeteriorated)
  const reliablyRecovered = count((o) => o.reliablyRecovered)
  const rate = (k: number, of: number) => (of === 0 ? Number.NaN : k / of)
  return {
    courses: courses.length,
    finished,
    finishedCases,
    recovered,
    reliablyImproved,
    reliablyDeteriorated,
    reliablyRecovered,
    recoveryRate: rate(recovered, finishedCases),
    reliableImprovementRate: rate(reliablyImproved, finished),
    reliableDeteriorationRate: rate(reliablyDeteriorated, finished),
    reliableRecoveryRate: rate(reliablyRecovered, finishedCases),
  }
}
