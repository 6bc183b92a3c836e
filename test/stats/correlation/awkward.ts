/**
 * Columns of awkward values for differential tests of the correlation estimators: ratings and
 * scores (with many ties), values on far-off scales (1e±200), infinities, −0 and missing values.
 */
import fc from "fast-check"

const scaled = (scale: number) => fc.double({ min: -1e3, max: 1e3, noNaN: true }).map((v) => v * scale)

export const awkwardCell = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 100, max: 500 }).map((r) => r / 100) },
  { weight: 3, arbitrary: fc.integer({ min: -27, max: 27 }) },
  { weight: 2, arbitrary: fc.constantFrom(1e-200, 1e200, 1).chain(scaled) },
  { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0) },
)

/** `count` aligned columns of 0 to 80 awkward values, as plain arrays. */
export const awkwardColumns = (count: number): fc.Arbitrary<number[][]> =>
  fc.integer({ min: 0, max: 80 }).chain((n) => fc.array(fc.array(awkwardCell, { minLength: n, maxLength: n }), { minLength: count, maxLength: count }))

/** Mostly-complete columns: missing values only now and then, so that estimates are usually made. */
export const ratedColumns = (count: number): fc.Arbitrary<number[][]> => {
  const cell = fc.oneof(
    { weight: 12, arbitrary: fc.integer({ min: 100, max: 500 }).map((r) => r / 100) },
    { weight: 6, arbitrary: fc.integer({ min: -27, max: 27 }) },
    { weight: 1, arbitrary: fc.constant(Number.NaN) },
  )
  return fc.integer({ min: 0, max: 80 }).chain((n) => fc.array(fc.array(cell, { minLength: n, maxLength: n }), { minLength: count, maxLength: count }))
}
