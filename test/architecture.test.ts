/**
 * The functional core stays pure (STYLE.md): estimators and domain derivations import no Effect,
 * zod, Node built-ins or Vega, and never use Math.random, so that they can be tested against R.
 */
import { readdirSync, readFileSync, statSync } from "node:fs"
import { join, relative } from "node:path"
import { describe, expect, it } from "vitest"
import { ROOT } from "./e2e/run-cli.ts"

const PURE = ["src/stats", "src/derive", "src/privacy", "src/synthetic", "src/analysis"]
const FORBIDDEN = /from\s+["'](effect(\/[^"']*)?|zod(\/[^"']*)?|node:[^"']+|vega(-lite)?|@effect\/[^"']+)["']/

const tsFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? tsFiles(path) : path.endsWith(".ts") ? [path] : []
  })

describe("the functional core", () => {
  for (const folder of PURE) {
    it(`${folder} imports no effect, zod, node:* or vega and has no Math.random`, () => {
      const offenders = tsFiles(join(ROOT, folder)).flatMap((file) => {
        const text = readFileSync(file, "utf8")
        const problems = []
        if (FORBIDDEN.test(text)) problems.push(`${relative(ROOT, file)}: ${text.match(FORBIDDEN)?.[0]}`)
        if (/Math\.random\s*\(/.test(text)) problems.push(`${relative(ROOT, file)}: Math.random`)
        return problems
      })
      expect(offenders).toEqual([])
    })
  }

  it("keeps every source file under about 400 lines", () => {
    const long = ["src", "pipelines", "data-schemas"].flatMap((folder) =>
      tsFiles(join(ROOT, folder))
        .map((file) => ({ file: relative(ROOT, file), lines: readFileSync(file, "utf8").split("\n").length }))
        .filter((f) => f.lines > 420),
    )
    expect(long).toEqual([])
  })
})
