/**
 * NHS Talking Therapies metrics (src/stats/clinical-significance/talking-therapies.ts) on courses
 * worked by hand with the default thresholds (PHQ-9 caseness 10, GAD-7 8; reliable change 6 and 4;
 * finished = 2 or more sessions):
 *
 *   course  PHQ-9    GAD-7    sessions  case  recovered  rel. improved  rel. deteriorated
 *   A       18 → 6   12 → 5   8         yes   yes        yes (both)     no        → reliably recovered
 *   B       15 → 11   9 → 7   6         yes   no (11)    no             no
 *   C       12 → 8    6 → 11  5         yes   no (GAD 11) no            yes (GAD +5)
 *   D        8 → 3    6 → 2   4         no    —          yes (GAD −4)   no
 *   E       20 → 9    5 → 10  7         yes   no (GAD 10) no (GAD +5)   no (PHQ −11): mixed
 *   F       16 → 4   10 → 3   1         not finished
 *   G       14 → –    9 → 4   6         not finished (no last PHQ-9)
 *   H       10 → 9    8 → 7   3         yes (at both thresholds)  yes  no  no
 *
 * Finished 6, finished cases 5 (not D): recovery 2/5, reliable improvement 2/6, reliable
 * deterioration 1/6, reliable recovery 1/5.
 */
import { describe, expect, it } from "vitest"
import { courseOutcome, DEFAULT_THRESHOLDS, talkingTherapiesSummary } from "../../../src/stats/clinical-significance/talking-therapies.ts"

const course = (phq9First: number, phq9Last: number, gad7First: number, gad7Last: number, sessions: number) => ({ phq9First, phq9Last, gad7First, gad7Last, sessions })
const courses = [
  course(18, 6, 12, 5, 8),
  course(15, 11, 9, 7, 6),
  course(12, 8, 6, 11, 5),
  course(8, 3, 6, 2, 4),
  course(20, 9, 5, 10, 7),
  course(16, 4, 10, 3, 1),
  course(14, Number.NaN, 9, 4, 6),
  course(10, 9, 8, 7, 3),
]

describe("Talking Therapies metrics on the hand-worked courses", () => {
  it("classifies each course as the table does", () => {
    const flags = courses.map((c) => {
      const o = courseOutcome(c)
      return [o.finished, o.caseAtStart, o.recovered, o.reliablyImproved, o.reliablyDeteriorated, o.reliablyRecovered].map(Number).join("")
    })
    expect(flags).toEqual(["111101", "110000", "110010", "100100", "110000", "010000", "000000", "111000"])
  })

  it("counts and rates them over finished courses and finished cases", () => {
    expect(talkingTherapiesSummary(courses)).toEqual({
      courses: 8,
      finished: 6,
      finishedCases: 5,
      recovered: 2,
      reliablyImproved: 2,
      reliablyDeteriorated: 1,
      reliablyRecovered: 1,
      recoveryRate: 2 / 5,
      reliableImprovementRate: 2 / 6,
      reliableDeteriorationRate: 1 / 6,
      reliableRecoveryRate: 1 / 5,
    })
  })

  it("says its default thresholds are unverified, and takes a study's own", () => {
    expect(DEFAULT_THRESHOLDS.verified).toBe(false)
    // with caseness at 11, course H (10, 8) is not a case and B still is
    const stricter = { ...DEFAULT_THRESHOLDS, phq9Caseness: 11, gad7Caseness: 9 }
    expect(courseOutcome(courses[7]!, stricter).caseAtStart).toBe(false)
    expect(talkingTherapiesSummary([], stricter).recoveryRate).toBeNaN()
  })
})
