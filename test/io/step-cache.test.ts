import { chmodSync, existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { keyOf, openStepCache, type StepCache } from "../../src/io/step-cache.ts"
import { tempDir } from "../e2e/run-cli.ts"

const opened = (dir: string, scope = "/studies/a"): StepCache => {
  const cache = openStepCache(dir, scope)
  if ("problem" in cache) throw new Error(cache.problem)
  return cache
}

const components = { "the code": "c1", "data file clients.csv": "d1", "setting analysis.ci_level": "s1" }
const product = { estimate: 0.281, ci: [0.24, 0.32], p: Number.NaN, note: undefined }

describe("the step cache", () => {
  it("gives back a stored product under the same components, whatever their order", () => {
    const cache = opened(tempDir("cache"))
    expect(cache.store("sites", components, product)).toBeNull()
    const reordered = Object.fromEntries(Object.entries(components).reverse())
    const found = cache.lookup("sites", reordered)
    expect(found.hit).toBe(true)
    expect(found.hit && found.product).toEqual(product)
    expect(found.key).toBe(keyOf(components))
  })

  it("misses when a component differs, and names what changed since this study's last run", () => {
    const cache = opened(tempDir("cache"))
    expect(cache.lookup("sites", components)).toMatchObject({ hit: false, reason: "no earlier run in the cache" })
    cache.store("sites", components, product)
    const changed = { ...components, "data file clients.csv": "d2", "setting analysis.ci_level": "s2" }
    expect(cache.lookup("sites", changed)).toMatchObject({
      hit: false,
      reason: "changed since the last run: data file clients.csv; setting analysis.ci_level",
    })
    // a component that appears or disappears counts as a change too
    const { "the code": _code, ...withoutCode } = components
    expect(cache.lookup("sites", withoutCode)).toMatchObject({ hit: false, reason: "changed since the last run: the code" })
    // another step, or another study's scope, has no last run to compare with
    expect(cache.lookup("clinical", changed)).toMatchObject({ hit: false, reason: "no earlier run in the cache" })
    expect(opened(cache.dir, "/studies/b").lookup("sites", changed)).toMatchObject({ hit: false, reason: "no earlier run in the cache" })
  })

  it("treats a damaged, foreign or half-written entry as a miss and says so", () => {
    const dir = tempDir("cache")
    const cache = opened(dir)
    cache.store("sites", components, product)
    const entry = join(dir, "sites", `${keyOf(components)}.entry`)
    const text = readFileSync(entry, "utf8")

    writeFileSync(entry, text.replace("0.281", "0.282")) // one digit of the product
    expect(cache.lookup("sites", components)).toMatchObject({ hit: false, reason: "its cache entry was unreadable (damaged)" })

    writeFileSync(entry, text.replace('"format":1', '"format":2'))
    expect(cache.lookup("sites", components)).toMatchObject({ hit: false, reason: "its cache entry was unreadable (another format)" })

    writeFileSync(entry, text.slice(0, 40))
    expect(cache.lookup("sites", components).hit).toBe(false)

    // storing again mends it
    cache.store("sites", components, product)
    expect(cache.lookup("sites", components).hit).toBe(true)
  })

  it("leaves no temporary files and marks its folder for git and backup tools", () => {
    const dir = tempDir("cache")
    const cache = opened(dir)
    cache.store("sites", components, product)
    expect(readdirSync(join(dir, "sites")).filter((name) => name.endsWith(".tmp"))).toEqual([])
    expect(readFileSync(join(dir, ".gitignore"), "utf8")).toMatch(/^\*$/m)
    expect(readFileSync(join(dir, "CACHEDIR.TAG"), "utf8")).toMatch(/^Signature: 8a477f597d28d172789f06886806bc55/)
  })

  it("keeps each step's most recently used entries", () => {
    const dir = tempDir("cache")
    const cache = opened(dir)
    const variant = (i: number) => ({ ...components, "setting analysis.ci_level": `s${i}` })
    for (let i = 0; i < 12; i++) {
      cache.store("sites", variant(i), { i })
      // strictly increasing use times, whatever the file system's clock resolution
      const at = new Date(Date.UTC(2026, 0, 1, 0, 0, i))
      utimesSync(join(dir, "sites", `${keyOf(variant(i))}.entry`), at, at)
    }
    cache.lookup("sites", variant(0)) // used now: kept
    cache.store("sites", variant(12), { i: 12 }) // the 13th
    const entries = readdirSync(join(dir, "sites")).filter((name) => name.endsWith(".entry"))
    expect(entries).toHaveLength(12)
    expect(cache.lookup("sites", variant(0)).hit).toBe(true)
    expect(cache.lookup("sites", variant(12)).hit).toBe(true)
    expect(cache.lookup("sites", variant(1)).hit).toBe(false) // the least recently used went first
  })

  it("says why a product cannot be stored, and stores nothing half-way", () => {
    const dir = tempDir("cache")
    const cache = opened(dir)
    expect(cache.store("sites", components, { values: new Float64Array(3) })).toBe("could not store step sites: product.values: a Float64Array cannot be cached")
    expect(existsSync(join(dir, "sites", `${keyOf(components)}.entry`))).toBe(false)
  })

  it.skipIf(process.getuid?.() === 0)("reports a folder it cannot write", () => {
    const parent = tempDir("cache")
    chmodSync(parent, 0o500)
    try {
      const cache = openStepCache(join(parent, "cache"), "/studies/a")
      expect("problem" in cache && cache.problem).toMatch(/^could not use .*cache: EACCES/)
    } finally {
      chmodSync(parent, 0o700)
    }
  })

  it("reports a cache path that is a file", () => {
    const file = join(tempDir("cache"), "not-a-folder")
    writeFileSync(file, "")
    const cache = openStepCache(file, "/studies/a")
    expect("problem" in cache && cache.problem).toMatch(/^could not use .*not-a-folder: EEXIST/)
  })
})
