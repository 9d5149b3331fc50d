import { chromium, defineConfig } from '@playwright/test'
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'

const macApp = (name: string, binary: string) => `Applications/${name}.app/Contents/MacOS/${binary}`

/**
 * The browser the e2e tests drive: `ASCENT_CHROMIUM` (or `CHROMIUM_PATH`, as the demo reads it),
 * else Debian's Chromium on the build machines, Google Chrome or Chromium on a Mac, and last
 * Playwright's own Chromium if `npx playwright install chromium` fetched it.
 */
function findChromium(): string {
  const override = process.env.ASCENT_CHROMIUM || process.env.CHROMIUM_PATH
  if (override) {
    if (existsSync(override)) return override
    throw new Error(
      `ASCENT_CHROMIUM (or CHROMIUM_PATH) is ${override}, and there is no file there.`,
    )
  }
  const candidates = [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    ...['/', `${homedir()}/`].flatMap((root) => [
      root + macApp('Google Chrome', 'Google Chrome'),
      root + macApp('Chromium', 'Chromium'),
    ]),
    chromium.executablePath(),
  ]
  const found = candidates.find((candidate) => existsSync(candidate))
  if (found) return found
  throw new Error(
    [
      'The end-to-end tests need Chromium or Google Chrome, and none was found.',
      'macOS: install Google Chrome (https://www.google.com/chrome/), or run `npx playwright install chromium`.',
      'Debian/Ubuntu: `sudo apt-get install chromium`.',
      'Or set ASCENT_CHROMIUM to the executable of a Chromium-based browser.',
      `Looked in: ${candidates.join(', ')}`,
    ].join('\n'),
  )
}

export default defineConfig({
  testDir: 'test',
  testMatch: ['e2e/**/*.spec.ts', 'electron/**/*.spec.ts'],
  // A stray test.only would quietly skip the rest of the suite in CI.
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 2,
  reporter: [['./test/skip-reasons-reporter.ts'], ['list']],
  outputDir: 'test-results',
  use: {
    browserName: 'chromium',
    viewport: { width: 1100, height: 720 },
    launchOptions: {
      executablePath: findChromium(),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
})
