/**
 * The schema of an instrument in the registry (data-schemas/instruments/registry.ts): how item
 * responses are scored into totals and subscales, and what the field's thresholds are — scoring
 * keys only, never item wording (most of these instruments are copyrighted).
 *
 * Every published number or key carries its source and whether this project has confirmed it
 * against that primary source (`verified`); the report shows unverified values as such, and the
 * study file may override them.
 */
import { z } from "zod"

const Sourced = <T extends z.ZodType>(value: T) =>
  z
    .object({
      value,
      source: z.string().min(1).describe("where the value comes from (author, year; or 'project default')"),
      verified: z.boolean().describe("confirmed against the primary source by this project"),
    })
    .strict()

export const Instrument = z
  .object({
    id: z.string().regex(/^[a-z0-9_]+$/).describe("registry key, also the item-column prefix: <id>_1, <id>_2, …"),
    name: z.string().min(1),
    citation: z.string().min(1),
    licence: z.string().min(1).describe("terms of use, in a sentence; scoring keys are shipped, item text never"),
    items: z.number().int().min(1),
    range: z.tuple([z.number(), z.number()]).describe("[lowest, highest] response to one item"),
    scoring: z.enum(["sum", "mean"]),
    direction: z.enum(["lower_is_better", "higher_is_better"]),
    reversed: Sourced(z.array(z.number().int().min(1))).describe("item numbers scored as low + high − response"),
    subscales: Sourced(z.record(z.string(), z.array(z.number().int().min(1)))).nullable().describe("subscale name → item numbers; null when none is shipped"),
    proration: z
      .object({
        max_missing: z.number().int().min(0).describe("most missing items a total is prorated over; more makes the total missing"),
        source: z.string().min(1),
      })
      .strict()
      .describe("a total with some items missing is the mean of the answered items × the number of items (for sum scoring)"),
    cut_off: Sourced(z.number()).nullable().describe("clinical cut-off on the total: scores on the far side of it are in the clinical range"),
    reliable_change: Sourced(z.number()).nullable().describe("smallest change on the total counted as reliable"),
  })
  .strict()
  .superRefine((instrument, context) => {
    const inRange = (n: number) => n >= 1 && n <= instrument.items
    if (!instrument.reversed.value.every(inRange)) context.addIssue({ code: "custom", message: `${instrument.id}: a reversed item is not among items 1–${instrument.items}` })
    for (const [name, items] of Object.entries(instrument.subscales?.value ?? {})) {
      if (!items.every(inRange)) context.addIssue({ code: "custom", message: `${instrument.id}: subscale ${name} names an item outside 1–${instrument.items}` })
    }
    if (instrument.range[0] >= instrument.range[1]) context.addIssue({ code: "custom", message: `${instrument.id}: range must be [low, high] with low < high` })
  })

export type Instrument = z.infer<typeof Instrument>
