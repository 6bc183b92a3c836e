/**
 * The corpus of malformed and hostile inputs (issue 8): each case is a small study — clients.csv,
 * sessions.csv, a study file — broken in one way, with the exit code and a fragment of the message
 * it must give. Cases that must run (exit 0) are also checked for NaN or `undefined` in every
 * output. corpus.test.ts runs them.
 */

/** 12 clients of 2 therapists at 2 sites, 3 sessions each: a valid study to break. */
export const CLIENT_HEADER = "client_id,therapist_id,site_id,modality,baseline,outcome,dropout"
export const clientRows = (): string[] =>
  Array.from({ length: 12 }, (_, i) => `C${i + 1},T${(i % 2) + 1},S${(i % 3) + 1},CBT,${12 + (i % 7)},${4 + ((i * 5) % 9)},0`)
export const SESSION_HEADER = "client_id,session,alliance"
export const sessionRows = (): string[] =>
  Array.from({ length: 12 }, (_, i) => [1, 2, 3].map((s) => `C${i + 1},${s},${(2.5 + ((i * 7 + s * 3) % 10) / 5).toFixed(1)}`)).flat()

export const csv = (header: string, rows: ReadonlyArray<string>) => [header, ...rows].join("\n") + "\n"
export const CLIENTS = csv(CLIENT_HEADER, clientRows())
export const SESSIONS = csv(SESSION_HEADER, sessionRows())

export interface Case {
  readonly name: string
  readonly clients?: string | Uint8Array
  readonly sessions?: string | Uint8Array
  /** the study file's text (JSON, or not); none when absent */
  readonly study?: string
  /** validate only (default) or the full run */
  readonly mode?: "validate" | "run"
  readonly code: number
  readonly message: RegExp
}

const withClient = (edit: (rows: string[]) => void, header = CLIENT_HEADER) => {
  const rows = clientRows()
  edit(rows)
  return csv(header, rows)
}
const withSession = (edit: (rows: string[]) => void, header = SESSION_HEADER) => {
  const rows = sessionRows()
  edit(rows)
  return csv(header, rows)
}
const replaceCell = (row: string, index: number, value: string) => row.split(",").map((cell, i) => (i === index ? value : cell)).join(",")

export const CASES: ReadonlyArray<Case> = [
  // CSV structure
  { name: "a row with too many cells", clients: withClient((r) => (r[3] += ",extra")), code: 3, message: /clients\.csv, line 5: the row has 8 cells but the header has 7 columns/ },
  { name: "a row with too few cells", clients: withClient((r) => (r[4] = "C5,T1,S2")), code: 3, message: /clients\.csv, line 6: the row has 3 cells but the header has 7 columns/ },
  { name: "an unterminated quote", clients: withClient((r) => (r[6] = 'C7,T1,S1,"CBT,12,5,0')), code: 3, message: /clients\.csv.*not valid CSV/s },
  { name: "a header cell without a name", clients: withClient(() => undefined, CLIENT_HEADER + ","), code: 3, message: /clients\.csv.*line 1.*every column needs a name/s },
  { name: "a column name twice", clients: withClient(() => undefined, CLIENT_HEADER.replace("modality", "baseline")), code: 3, message: /clients\.csv.*line 1.*baseline.*unique/s },
  { name: "an empty clients file", clients: "", code: 3, message: /clients\.csv.*empty: a header row is required/s },
  { name: "an empty sessions file", sessions: "", code: 3, message: /sessions\.csv.*empty: a header row is required/s },
  { name: "a header-only study", clients: CLIENT_HEADER + "\n", sessions: SESSION_HEADER + "\n", mode: "run", code: 0, message: /primary correlation not estimable/ },
  { name: "blank and trailing empty lines", clients: CLIENTS.replace("\nC3,", "\n\n\nC3,") + "\n\n\n", mode: "run", code: 0, message: /r\(early alliance, improvement\)/ },
  // values
  { name: "a score that is not a number", clients: withClient((r) => (r[1] = replaceCell(r[1]!, 4, "abc"))), code: 3, message: /clients\.csv.*line 3.*baseline.*abc.*number between 0 and 27/s },
  { name: "a score out of range", clients: withClient((r) => (r[2] = replaceCell(r[2]!, 5, "30"))), code: 3, message: /clients\.csv.*line 4.*outcome.*30.*between 0 and 27/s },
  { name: "NaN as a score", clients: withClient((r) => (r[0] = replaceCell(r[0]!, 5, "NaN"))), code: 3, message: /line 2.*outcome.*NaN.*number/s },
  { name: "Infinity as an alliance rating", sessions: withSession((r) => (r[4] = replaceCell(r[4]!, 2, "Infinity"))), code: 3, message: /sessions\.csv.*line 6.*alliance.*Infinity/s },
  { name: "a dropout code of 2", clients: withClient((r) => (r[3] = replaceCell(r[3]!, 6, "2"))), code: 3, message: /line 5.*dropout.*0 or 1/s },
  { name: "a 5 MB cell", clients: withClient((r) => (r[0] = replaceCell(r[0]!, 3, "x".repeat(5 * 1024 * 1024)))), code: 3, message: /line 2.*modality.*at most 64 characters/s },
  // keys
  { name: "a client twice", clients: withClient((r) => (r[5] = replaceCell(r[5]!, 0, "C1"))), code: 3, message: /clients\.csv.*line 7.*client_id.*C1/s },
  { name: "a session twice", sessions: withSession((r) => r.push("C1,2,3.0")), code: 3, message: /sessions\.csv.*line 38.*session/s },
  { name: "a session of an unknown client", sessions: withSession((r) => r.push("C99,1,3.0")), code: 3, message: /sessions\.csv.*line 38.*C99/s },
  { name: "session number 0", sessions: withSession((r) => (r[0] = "C1,0,3.0")), code: 3, message: /sessions\.csv.*line 2.*session.*whole number ≥ 1/s },
  { name: "a negative session number", sessions: withSession((r) => (r[1] = "C1,-2,3.0")), code: 3, message: /line 3.*session.*whole number ≥ 1/s },
  { name: "a fractional session number", sessions: withSession((r) => (r[2] = "C1,2.5,3.0")), code: 3, message: /line 4.*session.*whole number/s },
  { name: "a missing client code", clients: withClient((r) => (r[7] = replaceCell(r[7]!, 0, ""))), code: 3, message: /line 9.*client_id/s },
  // columns
  { name: "a required column missing, with a close name", clients: withClient(() => undefined, CLIENT_HEADER.replace("baseline", "Baseline PHQ")), code: 3, message: /required column "baseline" is missing.*did you mean "Baseline PHQ"/s },
  { name: "a mapping to a column the file lacks", study: JSON.stringify({ name: "x", columns: { clients: { outcome: "PHQ_end" } } }), code: 3, message: /maps outcome to "PHQ_end", but the file has no such column/ },
  { name: "a column named __proto__", clients: withClient((r) => r.forEach((_, i) => (r[i] += ",1")), CLIENT_HEADER + ",__proto__"), mode: "run", code: 0, message: /r\(early alliance, improvement\)/ },
  { name: "a column named constructor", clients: withClient((r) => r.forEach((_, i) => (r[i] += ",a")), CLIENT_HEADER + ",constructor"), mode: "run", code: 0, message: /r\(early alliance, improvement\)/ },
  {
    name: "10,000 columns",
    clients: withClient((r) => r.forEach((_, i) => (r[i] += "," + Array.from({ length: 10_000 }, (_, k) => k % 5).join(","))), CLIENT_HEADER + "," + Array.from({ length: 10_000 }, (_, k) => `x${k}`).join(",")),
    code: 0,
    message: /valid: clients\.csv \(12 clients\)/,
  },
  // the study as a whole
  { name: "every outcome missing", clients: withClient((r) => r.forEach((row, i) => (r[i] = replaceCell(row, 5, "")))), mode: "run", code: 0, message: /primary correlation not estimable/ },
  { name: "alliance without variance", sessions: withSession((r) => r.forEach((row, i) => (r[i] = replaceCell(row, 2, "3.0")))), mode: "run", code: 0, message: /primary correlation not estimable/ },
  { name: "an e-mail column", clients: withClient((r) => r.forEach((_, i) => (r[i] += `,client${i}@example.org`)), CLIENT_HEADER + ",contact"), code: 4, message: /contact/ },
  // encodings
  { name: "UTF-16 text", clients: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CLIENTS, "utf16le")]), code: 3, message: /clients\.csv.*UTF-16 text \(byte-order mark FF FE\)/s },
  { name: "a binary file", clients: Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]), code: 3, message: /clients\.csv.*NUL bytes/s },
  { name: "Latin-1 text", clients: Buffer.from(CLIENTS.replace("CBT", "Gespr\u00e4ch"), "latin1"), code: 3, message: /clients\.csv.*not valid UTF-8/s },
  // the study file
  { name: "a study file that is not JSON", study: "{ name: x", code: 2, message: /study\.json.*not valid JSON/s },
  { name: "an unknown key in the study file", study: JSON.stringify({ name: "x", analyis: {} }), code: 2, message: /study\.json.*analyis/s },
  { name: "a study file naming a missing data file", study: JSON.stringify({ name: "x", files: { clients: "nope.csv" } }), code: 2, message: /data file not found: .*nope\.csv/ },
  {
    name: "an item response out of range",
    clients: csv("client_id,therapist_id," + [1, 2, 3, 4, 5, 6, 7, 8, 9].map((k) => `pre_${k}`).join(",") + "," + [1, 2, 3, 4, 5, 6, 7, 8, 9].map((k) => `post_${k}`).join(","), [
      "C1,T1," + Array(9).fill(2).join(",") + "," + [1, 1, 1, 7, 1, 1, 1, 1, 1].join(","),
    ]),
    sessions: "client_id,session,alliance\nC1,1,3.5\n",
    study: JSON.stringify({ name: "x", instruments: { outcome: { id: "phq9", baseline_items: "pre_", outcome_items: "post_" } } }),
    code: 3,
    message: /clients\.csv.*line 2.*post_4.*7.*item 4 is out of range/s,
  },
]
