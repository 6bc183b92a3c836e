/** Small helpers for selecting complete cases from aligned columns. */

/** Indices i where every column has a non-NaN value. */
export const completeCases = (...columns: ReadonlyArray<ArrayLike<number>>): Int32Array => {
  const n = columns[0]?.length ?? 0
  const keep: number[] = []
  outer: for (let i = 0; i < n; i++) {
    for (const column of columns) if (Number.isNaN(column[i]!)) continue outer
    keep.push(i)
  }
  return Int32Array.from(keep)
}

/** `column[indices[j]]` for each j. */
export const take = (column: ArrayLike<number>, indices: Int32Array): Float64Array => {
  const out = new Float64Array(indices.length)
  for (let j = 0; j < indices.length; j++) out[j] = column[indices[j]!]!
  return out
}

/** `codes[indices[j]]` for each j: {@link take} for a column of group codes. */
export const takeCodes = (codes: Int32Array, indices: Int32Array): Int32Array => {
  const out = new Int32Array(indices.length)
  for (let j = 0; j < indices.length; j++) out[j] = codes[indices[j]!]!
  return out
}

/** How many rows carry each code (codes 0 ≤ c < levels). */
export const codeCounts = (codes: Int32Array, levels: number): Int32Array => {
  const counts = new Int32Array(levels)
  // an index loop: for…of over a typed array is several times slower before the JIT warms up
  for (let i = 0; i < codes.length; i++) counts[codes[i]!]!++
  return counts
}

/** Number of session rows per client. */
export const sessionsPerClient = (nClients: number, client: Int32Array): Float64Array => Float64Array.from(codeCounts(client, nClients))
