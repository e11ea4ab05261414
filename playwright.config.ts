// End-to-end tests: real headless peers on 127.0.0.1, driven through their UI in the system Chromium
// (and in Electron, when its binary is installed). Never downloads browsers.
import { defineConfig } from '@playwright/test'

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
]

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  // One worker: two (each spec file starts its own peers on its own network name, so they could) measured
  // no faster on 2 cores — 3.6 min against 3.7 — Chromium and the peers keep both cores busy.
  workers: 1,
  fullyParallel: false,
  reporter: 'list',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  forbidOnly: process.env.CI != null,
  outputDir: 'test-results',
  use: {
    headless: true,
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.TIDEPOOL_CHROMIUM ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS
    },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure'
  }
})
