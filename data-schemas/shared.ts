/**
 * Pieces every results schema uses (results.ts, its multilevel section, synthesis-results.ts):
 * an interval and the record of a quantity that could not be estimated.
 */
import { z } from "zod"

export const Interval = z
  .tuple([z.number(), z.number()])
  .describe("[lower, upper] bounds of an interval at the run's confidence level")

/** An estimate that could not be computed, with the plain-language reason. */
export const NotEstimable = z
  .object({
    status: z.literal("not_estimable"),
    n: z.number().int().nonnegative(),
    reason: z.string().describe("why no estimate was produced, in plain language"),
  })
  .describe("A quantity that could not be estimated from these data")
