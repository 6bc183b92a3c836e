/**
 * "At least" for thresholds on decimal data: a rating of 3.0 after 2.6 dropped by 0.4, though
 * 3.0 − 2.6 is 0.3999999999999999 in binary floating point. Differences within 1e-9 of the bound
 * (relative, for bounds above 1) count as reaching it.
 */
export const atLeast = (value: number, bound: number): boolean => value >= bound - 1e-9 * Math.max(1, Math.abs(bound))
