import { spawnSync } from "node:child_process"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { ROOT } from "../e2e/run-cli.ts"

describe("notebooks/01-quickstart.ts", () => {
  it("runs top to bottom on the example study and prints the primary and pooled estimates and the therapist ICC", () => {
    const result = spawnSync(join(ROOT, "node_modules", ".bin", "tsx"), [join(ROOT, "notebooks", "01-quickstart.ts")], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 120_000,
    })
    expect(result.status, result.stderr).toBe(0)
    expect(result.stdout).toContain('study "example": 2000 clients')
    expect(result.stdout).toMatch(/Pearson r = 0\.28\d\d, 95% CI \[0\.2\d+, 0\.3\d+\]/)
    expect(result.stdout).toMatch(/pooled r = 0\.2\d+, tau² = /)
    expect(result.stdout).toMatch(/Knapp–Hartung: 95% CI for r \[/)
    expect(result.stdout).toMatch(/ICC = 0\.0\d+ \[0\.0\d+, 0\.0\d+\]/)
    expect(result.stdout).toMatch(/baseline: b = 0\.\d+, SE 0\.\d+, t\(\d+\.\d\) = \d+\.\d\d \(Satterthwaite df, as lmerTest\)/)
  })
})
