/**
 * The real Electron app, driven by Playwright's Electron support: the macOS CI job runs it with a
 * temporary default keychain (.github/workflows/ci.yml). It needs the Electron binary
 * (`npx --no install-electron`); without one every test reports itself skipped and why.
 *
 * The app talks to the Apple sandbox and files its keys under a keychain service of its own
 * (ASCENT_KEYCHAIN_SERVICE, honoured by development builds only), so a run on a developer's Mac
 * never touches the user's own Ascent items; the items it made are deleted at the end.
 */
import {
  _electron as electron,
  expect,
  test,
  type ElectronApplication,
  type Page,
} from '@playwright/test'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createKeyringSecretStore } from '../../src/main/secrets'
import { startSandbox, type Sandbox } from '../sandbox'
import { screenshot } from '../e2e/screenshots'

const electronDir = fileURLToPath(new URL('../../node_modules/electron', import.meta.url))

function electronBinary(): string | null {
  const pathFile = `${electronDir}/path.txt`
  if (!existsSync(pathFile)) return null
  const binary = `${electronDir}/dist/${readFileSync(pathFile, 'utf8').trim()}`
  return existsSync(binary) ? binary : null
}

const binary = electronBinary()
const skipReason =
  'No Electron binary here (it cannot be downloaded on the build machines); run on macOS after `npx --no install-electron`.'

test.describe('the Electron app', () => {
  test.skip(binary === null, skipReason)
  test.describe.configure({ mode: 'serial' })

  let app: ElectronApplication
  let page: Page
  let userData: string
  let sandbox: Sandbox
  const keychainService = `Ascent-electron-test-${randomBytes(4).toString('hex')}`
  const keychain = () => createKeyringSecretStore({ service: keychainService })

  test.beforeAll(async () => {
    sandbox = await startSandbox({ keyFiles: true })
    userData = mkdtempSync(join(tmpdir(), 'ascent-electron-'))
    app = await electron.launch({
      executablePath: binary ?? undefined,
      args: [
        fileURLToPath(new URL('../../out/main/index.js', import.meta.url)),
        `--user-data-dir=${userData}`,
      ],
      env: {
        ...process.env,
        ASCENT_API_BASE: sandbox.url,
        ASCENT_KEYCHAIN_SERVICE: keychainService,
      },
    })
    page = await app.firstWindow()
    await expect(page.getByRole('navigation', { name: 'Teams' })).toBeVisible()
  })

  test.afterAll(async () => {
    await app?.close()
    for (const account of await keychain().accounts()) await keychain().delete(account)
    await sandbox?.close()
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
    await screenshot(page, 'electron-first-run')
  })

  test('serves the page with the strict Content-Security-Policy, Trusted Types enforced', async () => {
    const policy = await page.evaluate(async () => {
      const response = await fetch('app://ascent/')
      return response.headers.get('content-security-policy')
    })
    expect(policy).toContain("script-src 'self'")
    expect(policy).toContain("connect-src 'self'")
    expect(policy).toContain("require-trusted-types-for 'script'")
    const sink = await page.evaluate(() => {
      try {
        document.createElement('div').innerHTML = '<b>not allowed</b>'
        return 'assigned'
      } catch (error) {
        return (error as Error).name
      }
    })
    expect(sink).toBe('TypeError')
  })

  test('answers a missing file with 404, not a failed load', async () => {
    const status = await page.evaluate(
      async () => (await fetch('app://ascent/no-such-file.js')).status,
    )
    expect(status).toBe(404)
  })

  test('trusts its own top frame: IPC answers through the dispatcher', async () => {
    const info = await page.evaluate(() => window.ascent.app.info())
    const electronVersion = await app.evaluate(() => process.versions.electron)
    expect(info).toMatchObject({ ok: true, value: { apiBase: sandbox.url, electronVersion } })
  })

  test('has the Mac menu with Check for Updates…, and a log file', async () => {
    const labels = await app.evaluate(({ Menu }) =>
      (Menu.getApplicationMenu()?.items ?? []).map((item) => item.label),
    )
    expect(labels).toEqual(['Ascent', 'File', 'Edit', 'View', 'Teams', 'Window', 'Help'])
    const appMenu = await app.evaluate(({ Menu }) =>
      (Menu.getApplicationMenu()?.items[0]?.submenu?.items ?? []).map((item) => item.label),
    )
    expect(appMenu).toContain('Check for Updates…')
    expect(readFileSync(join(userData, 'logs', 'ascent.log'), 'utf8')).toMatch(/Ascent \S+ started/)
  })

  test('follows the appearance setting', async () => {
    await page.evaluate(() => window.ascent.settings.update({ appearance: 'dark' }))
    expect(await app.evaluate(({ nativeTheme }) => nativeTheme.themeSource)).toBe('dark')
    await expect
      .poll(() => page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches))
      .toBe(true)
    await screenshot(page, 'electron-first-run-dark')
    await page.evaluate(() => window.ascent.settings.update({ appearance: 'system' }))
  })

  test('adds a key: the clipboard, the live check against the sandbox, the keychain', async () => {
    const key = sandbox.findKey({ team: 'northwind', role: 'ADMIN', type: 'team' })
    await app.evaluate(({ clipboard }, pem) => clipboard.writeText(pem), key.privateKeyPem)
    await page.keyboard.press('Meta+n')
    const wizard = page.getByRole('dialog', { name: 'Add API Key' })
    await wizard.getByRole('button', { name: 'Paste from Clipboard' }).click()
    await expect(wizard.getByRole('region', { name: 'Imported key' })).toBeVisible()
    await wizard.getByRole('button', { name: 'Continue' }).click()
    await wizard.getByLabel('Issuer ID').fill(key.issuerId ?? '')
    await wizard.getByLabel('Key ID').fill(key.keyId)
    await wizard.getByRole('button', { name: 'Check Key' }).click()
    await expect(wizard.getByRole('button', { name: 'Continue' })).toBeEnabled()
    await screenshot(page, 'electron-wizard-check')
    await wizard.getByRole('button', { name: 'Continue' }).click()
    await wizard.getByRole('textbox', { name: 'Name', exact: true }).fill('Northwind (CI)')
    await page.keyboard.press('Enter')
    await expect(wizard).toHaveCount(0)
    await screenshot(page, 'electron-apps')

    expect(await keychain().accounts()).toEqual([`${key.issuerId}/${key.keyId}`])
    // The menu now names the team, with ⌘1.
    const teams = await app.evaluate(({ Menu }) =>
      (
        Menu.getApplicationMenu()?.items.find((item) => item.label === 'Teams')?.submenu?.items ??
        []
      )
        .filter((item) => item.type === 'radio')
        .map((item) => ({ label: item.label, accelerator: item.accelerator })),
    )
    expect(teams).toEqual([{ label: 'Northwind (CI)', accelerator: 'CmdOrCtrl+1' }])
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
