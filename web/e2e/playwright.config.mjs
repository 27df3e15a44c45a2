// End-to-end browser tests: each spec starts its own switchboard (tests/lib/server.mjs)
// and drives the widget (demo shop) and the agent console in separate browser contexts.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.mjs',
  workers: 1, // 2 cores shared with the server
  fullyParallel: false,
  // One retry: on a loaded 2-core CI box a timing flake would otherwise sink the whole run;
  // a test that needed it is listed as "flaky" in the report (look at those).
  retries: 1,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: 'list',
  outputDir: '/tmp/sb-e2e-results',
  use: {
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
        '--disable-quic',
      ],
    },
    screenshot: 'only-on-failure',
    locale: 'en-GB',
    timezoneId: 'Europe/Rome',
    viewport: { width: 1280, height: 800 },
  },
});
