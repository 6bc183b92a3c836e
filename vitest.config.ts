import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // V8's Maglev compiler miscompiled estimates intermittently on Node 24.21 (src/cli/jit-guard.ts)
    execArgv: ["--no-maglev"],
    // every run in the tests computes every step, unless a test gives --cache DIR (test/e2e/step-cache.test.ts)
    env: { ALLIANCE_NO_CACHE: "1" },
  },
})
