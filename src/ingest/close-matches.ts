/**
 * "Did you mean …": the header names closest to a column the study expects, for messages about a
 * missing or mis-mapped column (issue 8). Names are compared case-, space- and punctuation-blind
 * ("Client ID" ~ client_id), by edit distance (Levenshtein 1966), and a name containing the other
 * counts as close (PHQ9_baseline ~ baseline).
 */

const normalise = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, "")

/** Levenshtein distance: insertions, deletions and substitutions, one each. */
export const editDistance = (a: string, b: string): number => {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length]!
}

/**
 * Up to `most` names of `candidates` close to `wanted`, closest first: equal once normalised, one
 * containing the other, or within an edit distance of a third of the longer name (at least 1).
 */
export const closeMatches = (wanted: string, candidates: ReadonlyArray<string>, most = 3): string[] => {
  const w = normalise(wanted)
  if (w === "") return []
  return candidates
    .flatMap((name) => {
      const c = normalise(name)
      if (c === "") return []
      const distance = editDistance(w, c)
      const contains = c.includes(w) || (w.length >= 3 && w.includes(c) && c.length >= 3)
      const limit = Math.max(1, Math.floor(Math.max(w.length, c.length) / 3))
      return distance <= limit || contains ? [{ name, score: contains ? Math.min(distance, 1) : distance }] : []
    })
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name))
    .slice(0, most)
    .map((m) => m.name)
}

/** The suggestion appended to a message: ` — did you mean "a" or "b"?`, or "" with none. */
export const didYouMean = (wanted: string, candidates: ReadonlyArray<string>): string => {
  const matches = closeMatches(wanted, candidates)
  if (matches.length === 0) return ""
  const quoted = matches.map((m) => `"${m}"`)
  return ` — did you mean ${quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(", ")} or ${quoted.at(-1)}`}? (map it in the study file's columns section)`
}
