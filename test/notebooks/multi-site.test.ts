import { spawnSync } from "node:child_process"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { ROOT } from "../e2e/run-cli.ts"

describe("notebooks/02-multi-site.ts", () => {
  it("runs top to bottom: 8 site summaries, the two-stage pool equal to the one-process pool, the one-stage regression", () => {
    const result = spawnSync(join(ROOT, "node_modules", ".bin", "tsx"), [join(ROOT, "notebooks", "02-multi-site.ts")], { cwd: ROOT, encoding: "utf8", timeout: 120_000 })
    expect(result.status, result.stderr).toBe(0)
    expect(result.stdout.match(/^S0\d: n = \d+, r = 0\.\d{3}, withheld: /gm)).toHaveLength(8)
    const two = /two-stage pooled r = (0\.\d{4})/.exec(result.stdout)?.[1]
    const one = /one process, all rows: pooled r = (0\.\d{4}); difference (\S+)/.exec(result.stdout)
    expect(two).toBe(one?.[1])
    expect(Number(one?.[2])).toBeLessThan(1e-10)
    expect(result.stdout).toMatch(/early_alliance: b = \d\.\d{4}, SE 0\.\d{4}/)
    expect(result.stdout).toContain("one-stage n = 1789")
  })
})
