/**
 * Reading a CSV file's dialect from its first bytes (src/ingest/dialect.ts): delimiter, decimal
 * separator, byte-order mark, line endings, and the refusal of what is not UTF-8 text.
 */
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { sniffDialect } from "../../src/ingest/dialect.ts"
import { tempDir } from "../e2e/run-cli.ts"

const dir = tempDir("dialect")
let n = 0
const file = (contents: string | Uint8Array) => {
  const path = join(dir, `f${n++}.csv`)
  writeFileSync(path, contents)
  return path
}

describe("sniffDialect", () => {
  it("finds the delimiter the header uses most, outside quotes", () => {
    expect(sniffDialect(file("a,b,c\n1,2,3\n"))).toMatchObject({ dialect: { delimiter: ",", decimal: ".", lineEnding: "LF", bom: false } })
    expect(sniffDialect(file("a;b;\"c,d,e\"\n1;2;3\n"))).toMatchObject({ dialect: { delimiter: ";" } })
    expect(sniffDialect(file("a\tb\tc\n1\t2\t3\n"))).toMatchObject({ dialect: { delimiter: "\t" } })
    expect(sniffDialect(file("single\n1\n"))).toMatchObject({ dialect: { delimiter: "," } })
  })

  it("finds decimal commas only where the delimiter is not a comma", () => {
    expect(sniffDialect(file("a;b\nC1;3,5\n"))).toMatchObject({ dialect: { delimiter: ";", decimal: "," } })
    expect(sniffDialect(file("a;b\nC1;\"-0,25\"\n"))).toMatchObject({ dialect: { decimal: "," } })
    expect(sniffDialect(file("a;b\nC1;3\n"))).toMatchObject({ dialect: { decimal: "." } })
    expect(sniffDialect(file("a;b\nC1;3,5\n"), { decimal: "." })).toMatchObject({ dialect: { decimal: "." } })
  })

  it("records a byte-order mark and CRLF, LF or mixed line endings", () => {
    expect(sniffDialect(file("\uFEFFa;b\r\n1;2\r\n"))).toMatchObject({ dialect: { bom: true, lineEnding: "CRLF", delimiter: ";" } })
    expect(sniffDialect(file("a,b\r\n1,2\n"))).toMatchObject({ dialect: { lineEnding: "mixed" } })
  })

  it("refuses UTF-16, UTF-32, NUL bytes and invalid UTF-8, saying what was found", () => {
    expect(sniffDialect(file(Uint8Array.from([0xfe, 0xff, 0, 0x61])))).toEqual({ refused: expect.stringMatching(/UTF-16 text \(byte-order mark FE FF\)/) })
    expect(sniffDialect(file(Uint8Array.from([0xff, 0xfe, 0, 0, 0x61, 0, 0, 0])))).toEqual({ refused: expect.stringMatching(/UTF-32/) })
    expect(sniffDialect(file(Uint8Array.from([0x61, 0x2c, 0x00, 0x62])))).toEqual({ refused: expect.stringMatching(/NUL bytes \(the first at byte 3\)/) })
    expect(sniffDialect(file(Uint8Array.from([0x61, 0x2c, 0x62, 0x0a, 0x4d, 0xfc, 0x6c, 0x6c])))).toEqual({ refused: expect.stringMatching(/not valid UTF-8 \(near byte 6: FC 6C\)/) })
  })

  it("does not refuse a multi-byte character cut by the end of the sample", () => {
    // "ü" (C3 BC) straddles byte 65,536, where the sample ends
    const head = "a,b\n" + "x".repeat(65536 - 4 - 1)
    expect(sniffDialect(file(head + "ü,1\n"))).toMatchObject({ dialect: { delimiter: "," } })
  })
})
