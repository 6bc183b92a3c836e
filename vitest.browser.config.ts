import { defineConfig } from "vitest/config"

/** `npm run test:browser`: the report in headless Chromium (test/browser/), apart from `npm test`. */
export default defineConfig({
  test: {
    include: ["test/browser/**/*.browser.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    execArgv: ["--no-maglev"],
    env: { ALLIANCE_NO_CACHE: "1" },
  },
})
