import { existsSync } from 'node:fs'
import { defineConfig, type LaunchOptions } from '@playwright/test'

/**
 * Which Chromium runs the e2e tests:
 * - Debian's /usr/bin/chromium when present (Playwright cannot download its own browsers on the workplace's
 *   machines, see PLATFORM.md), with the flags it needs as root in a container and without background traffic;
 * - Playwright's own Chromium otherwise (`npx playwright install chromium` once).
 */
const DEBIAN_CHROMIUM = '/usr/bin/chromium'
const chromium: LaunchOptions = existsSync(DEBIAN_CHROMIUM)
  ? {
      executablePath: DEBIAN_CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run'
      ]
    }
  : {}

// Run after `npx electron-vite build`: the tests start the built `sandlot serve` (bin/sandlot.js) as a child process.
export default defineConfig({
  testDir: 'tests/e2e',
  globalSetup: './tests/e2e/support/global-setup.ts',
  // Engines stop and start within tests; the waits are generous polls, never timing assertions.
  timeout: 240_000,
  expect: { timeout: 30_000 },
  // Two cores here: the engine restart test starts its own dockerd, which starves anything beside it.
  workers: 1,
  reporter: [['list']],
  use: { viewport: { width: 1280, height: 800 }, trace: 'retain-on-failure' },
  projects: [
    { name: 'chromium', testIgnore: /electron\.spec\.ts/, use: { browserName: 'chromium', launchOptions: chromium } },
    { name: 'electron', testMatch: /electron\.spec\.ts/ }
  ]
})
