/**
 * The real Electron app, driven by Playwright's Electron support. Runs where an Electron binary
 * exists (macOS development machines); elsewhere every test reports itself skipped and why.
 */
import {
  _electron as electron,
  expect,
  test,
  type ElectronApplication,
  type Page,
} from '@playwright/test'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const electronDir = fileURLToPath(new URL('../../node_modules/electron', import.meta.url))

function electronBinary(): string | null {
  const pathFile = `${electronDir}/path.txt`
  if (!existsSync(pathFile)) return null
  const binary = `${electronDir}/dist/${readFileSync(pathFile, 'utf8').trim()}`
  return existsSync(binary) ? binary : null
}

const binary = electronBinary()
const skipReason =
  'No Electron binary here (it cannot be downloaded on the build machines); run on macOS after `npx install-electron`.'

test.describe('the Electron app', () => {
  test.skip(binary === null, skipReason)
  test.describe.configure({ mode: 'serial' })

  let app: ElectronApplication
  let page: Page
  let userData: string

  test.beforeAll(async () => {
    userData = mkdtempSync(join(tmpdir(), 'ascent-electron-'))
    app = await electron.launch({
      executablePath: binary ?? undefined,
      args: [
        fileURLToPath(new URL('../../out/main/index.js', import.meta.url)),
        `--user-data-dir=${userData}`,
      ],
      env: { ...process.env, ASCENT_API_BASE: 'http://127.0.0.1:9' },
    })
    page = await app.firstWindow()
  })

  test.afterAll(async () => {
    await app.close()
    rmSync(userData, { recursive: true, force: true })
  })

  test('opens a sandboxed window on app:// with only window.ascent exposed', async () => {
    expect(page.url()).toBe('app://ascent/')
    const globals = await page.evaluate(() => ({
      ascent: Object.keys(window.ascent).sort(),
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
    }))
    expect(globals).toMatchObject({ require: 'undefined', process: 'undefined' })
    expect(globals.ascent).toEqual(['app', 'apps', 'builds', 'keys', 'settings', 'teams'])
    const renderers = await app.evaluate(({ app: electronApp }) =>
      electronApp.getAppMetrics().filter((metric) => metric.type === 'Tab'),
    )
    expect(renderers.length).toBeGreaterThan(0)
    for (const renderer of renderers) expect(renderer.sandboxed).toBe(true)
  })

  test('serves the page with the strict Content-Security-Policy', async () => {
    const policy = await page.evaluate(async () => {
      const response = await fetch('app://ascent/')
      return response.headers.get('content-security-policy')
    })
    expect(policy).toContain("script-src 'self'")
    expect(policy).toContain("connect-src 'self'")
  })

  test('answers a missing file with 404, not a failed load', async () => {
    const status = await page.evaluate(
      async () => (await fetch('app://ascent/no-such-file.js')).status,
    )
    expect(status).toBe(404)
  })

  test('trusts its own top frame: IPC answers through the dispatcher', async () => {
    const info = await page.evaluate(() => window.ascent.app.info())
    expect(info).toMatchObject({ ok: true, value: { apiBase: 'http://127.0.0.1:9' } })
  })

  test('refuses navigation and new windows', async () => {
    await page.evaluate(() => {
      window.location.href = 'https://example.com/'
    })
    await page.waitForTimeout(500)
    expect(page.url()).toBe('app://ascent/')
    const opened = await page.evaluate(() => window.open('https://example.com/') === null)
    expect(opened).toBe(true)
    expect(app.windows()).toHaveLength(1)
  })
})
