import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // V8's Maglev compiler miscompiled estimates intermittently on Node 24.21 (src/cli/jit-guard.ts)
    execArgv: ["--no-maglev"],
  },
})
