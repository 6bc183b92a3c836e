/**
 * Collects data problems in the order found, keeping the first `cap` and counting the rest, so a
 * researcher sees every kind of problem at once without a million-line error message.
 */
import type { DataProblem } from "../errors.ts"

export const DEFAULT_PROBLEM_CAP = 100
const MAX_VALUE_LENGTH = 40

/** Shortens a cell value for display in an error message. */
export const shorten = (value: string): string =>
  value.length > MAX_VALUE_LENGTH ? value.slice(0, MAX_VALUE_LENGTH - 1) + "…" : value

export class ProblemLog {
  private readonly kept: DataProblem[] = []
  private count = 0

  constructor(private readonly cap: number = DEFAULT_PROBLEM_CAP) {}

  add(problem: DataProblem): void {
    this.count++
    if (this.kept.length < this.cap) {
      this.kept.push(problem.value === null ? problem : { ...problem, value: shorten(problem.value) })
    }
  }

  /** Appends another log's problems (its kept ones, then its uncounted rest), respecting the cap. */
  absorb(other: ProblemLog): void {
    for (const problem of other.problems) this.add(problem)
    this.count += other.total - other.problems.length
  }

  /** Whether a problem added now would be kept (shown); beyond the cap it is only counted. */
  get keeping(): boolean {
    return this.kept.length < this.cap
  }

  get total(): number {
    return this.count
  }

  get problems(): ReadonlyArray<DataProblem> {
    return this.kept
  }
}
