/**
 * The real Electron entry (src/main/index.ts) and the real preload, driven through a mock of
 * Electron (./electron-mock.ts): start-up before and after ready, the app:// protocol, the
 * hardened window, the menu, every contract channel, a second launch, quitting, and the
 * packaged app's update check. Only the keychain is swapped for an in-memory store.
 */
import { EventEmitter } from 'node:events'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { CONTENT_SECURITY_POLICY } from '../../src/main/app-protocol'
import type * as Secrets from '../../src/main/secrets'
import { channels, type AscentApi } from '../../src/shared/contract'
import type { Result } from '../../src/shared/result'
import type { RadarOverview } from '../../src/shared/contract'
import {
  createElectronMock,
  isValidAccelerator,
  type ElectronMock,
  type ElectronMockOptions,
  type MockMenu,
  type MockMenuItem,
} from './electron-mock'
import { createKeys } from '../../src/main/keys'
import { silentLogger } from '../../src/main/log'
import { createMemoryClipboard, createMemorySecretStore, generateAppleKey } from './fakes'

type SecretsModule = typeof Secrets

let userData: string
let mock: ElectronMock
let logged: string[] = []
/** The keychain services the entry opened. */
let services: string[] = []
const platform = Object.getOwnPropertyDescriptor(process, 'platform')!

beforeEach(async () => {
  userData = await mkdtemp(join(tmpdir(), 'ascent-entry-'))
  vi.resetModules()
  // The entry builds the Mac menu on macOS: run it as it runs there.
  Object.defineProperty(process, 'platform', { ...platform, value: 'darwin' })
  vi.stubEnv('ASCENT_API_BASE', 'http://127.0.0.1:9')
  // Main logs to stderr as well as to its file; keep the test output quiet but the lines at hand.
  logged = []
  vi.spyOn(console, 'error').mockImplementation((line: string) => void logged.push(line))
})

afterEach(async () => {
  // Quitting waits for main's cleanup (the cache written, drafts wiped): only then is the
  // data folder free to remove.
  await mock?.quitAndWait()
  Object.defineProperty(process, 'platform', platform)
  vi.unstubAllEnvs()
  vi.restoreAllMocks()
  vi.doUnmock('electron')
  vi.doUnmock('electron-updater')
  vi.doUnmock('../../src/main/secrets')
  await rm(userData, { recursive: true, force: true })
})

/** Loads the entry as Electron would: the module runs, then the app becomes ready. */
async function launch(
  options: Partial<ElectronMockOptions> = {},
  secrets = createMemorySecretStore('macOS Keychain'),
) {
  mock = createElectronMock({ userData, home: join(userData, 'home'), ...options })
  services = []
  vi.doMock('electron', () => mock.electron)
  vi.doMock('../../src/main/secrets', async (importOriginal) => ({
    ...(await importOriginal<SecretsModule>()),
    createKeyringSecretStore: (options: { service?: string }) => {
      services.push(options.service ?? '')
      return secrets
    },
  }))
  await import('../../src/main/index')
  return mock
}

async function launchReady(
  options: Partial<ElectronMockOptions> = {},
  secrets?: ReturnType<typeof createMemorySecretStore>,
) {
  const launched = await launch(options, secrets)
  const created = launched.nextWindow()
  launched.emitReady()
  const window = await created.catch((error: Error) => {
    throw new Error(`${error.message}; main logged:\n${logged.join('\n')}`)
  })
  return { mock: launched, window }
}

/** The real preload, bundled against the same mock: `window.ascent` as the page gets it. */
async function loadPreload(): Promise<AscentApi> {
  await import('../../src/preload/index')
  const api = mock.electron.contextBridge.exposed.get('ascent')
  if (!api) throw new Error('The preload exposed nothing')
  return api as AscentApi
}

function menuItem(menu: MockMenu | null, ...path: string[]): MockMenuItem {
  let items = menu?.items ?? []
  let found: MockMenuItem | undefined
  for (const label of path) {
    found = items.find((item) => item.label === label || item.role === label)
    if (!found) throw new Error(`No menu item "${path.join(' → ')}"`)
    items = found.submenu?.items ?? []
  }
  return found!
}

function allItems(menu: MockMenu | undefined): MockMenuItem[] {
  return (menu?.items ?? []).flatMap((item) => [item, ...allItems(item.submenu)])
}

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`)
  return result.value
}

describe('the Electron entry', () => {
  it('before ready: makes app:// privileged, turns the sandbox on, asks for the single-instance lock', async () => {
    const launched = await launch()
    expect(launched.calls.privilegedSchemes).toEqual([
      [{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }],
    ])
    expect(launched.calls.sandboxEnabled).toBe(true)
    expect(launched.calls.singleInstanceRequests).toBe(1)
    expect(launched.windows).toEqual([])
    expect(launched.ipc.handlers.size).toBe(0)
  })

  it('serves the renderer on app://ascent with the strict CSP, and nothing else', async () => {
    const { mock } = await launchReady()
    const page = await mock.request('app://ascent/')
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
    expect(page.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await page.text()).toContain('<div id="root"></div>')
    for (const url of [
      'app://ascent/no-such-file.js',
      'app://ascent/%2e%2e/main/index.ts',
      'app://evil/index.html',
      'app://ascent/main.tsx',
    ]) {
      expect((await mock.request(url)).status, url).toBe(404)
    }
  })

  it('opens one hardened window on app://ascent/ and locks down every web contents', async () => {
    const { mock, window } = await launchReady()
    expect(mock.windows).toHaveLength(1)
    expect(window.loadedUrl).toBe('app://ascent/')
    expect(window.options.webPreferences).toEqual({
      preload: expect.stringMatching(/[/\\]preload[/\\]index\.cjs$/) as unknown,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
    })
    expect(window.options.show).toBe(false)
    const contents = window.webContents
    expect(contents.emitPreventable('will-navigate', 'https://example.com/')).toBe(true)
    expect(contents.emitPreventable('will-redirect', 'https://example.com/')).toBe(true)
    expect(contents.emitPreventable('will-attach-webview', {}, {})).toBe(true)
    expect(contents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({
      action: 'deny',
    })
    // Permissions: every request and check is refused.
    let granted: boolean | null = null
    mock.permissionHandlers.request?.({}, 'clipboard-read', (answer) => (granted = answer))
    expect(granted).toBe(false)
    expect(mock.permissionHandlers.check?.({}, 'notifications', 'app://ascent', {})).toBe(false)
  })

  it('builds the menu with its accelerators, and each item does what it says', async () => {
    const { mock, window } = await launchReady()
    const menu = mock.applicationMenu()
    expect(menu?.items.map((item) => item.label ?? item.role)).toEqual([
      'Ascent',
      'File',
      'editMenu',
      'View',
      'Teams',
      'windowMenu',
      'help',
    ])
    expect(menuItem(menu, 'File', 'Add Key…').accelerator).toBe('CmdOrCtrl+N')
    expect(menuItem(menu, 'View', 'Find').accelerator).toBe('CmdOrCtrl+F')
    expect(menuItem(menu, 'View', 'Refresh').accelerator).toBe('CmdOrCtrl+R')
    expect(menuItem(menu, 'Ascent', 'about')).toBeDefined()
    expect(menuItem(menu, 'Ascent', 'quit')).toBeDefined()
    const accelerators = allItems(menu ?? undefined).flatMap((item) =>
      item.accelerator ? [item.accelerator] : [],
    )
    expect(accelerators.every(isValidAccelerator)).toBe(true)
    expect(new Set(accelerators).size).toBe(accelerators.length)

    menuItem(menu, 'File', 'Add Key…').click?.()
    menuItem(menu, 'View', 'Find').click?.()
    menuItem(menu, 'View', 'Refresh').click?.()
    menuItem(menu, 'Teams', 'Add Key…').click?.()
    expect(menuItem(menu, 'Teams', 'Team Details…').accelerator).toBe('CmdOrCtrl+I')
    menuItem(menu, 'Teams', 'Team Details…').click?.()
    menuItem(menu, 'Teams', 'Export Key…').click?.()
    expect(menuItem(menu, 'Ascent', 'Settings…').accelerator).toBe('CmdOrCtrl+,')
    expect(menuItem(menu, 'View', 'Toggle Sidebar').accelerator).toBe('Control+Command+S')
    menuItem(menu, 'Ascent', 'Settings…').click?.()
    menuItem(menu, 'View', 'Toggle Sidebar').click?.()
    expect(window.webContents.sent).toEqual([
      { channel: 'app:command', payload: { type: 'addKey' } },
      { channel: 'app:command', payload: { type: 'find' } },
      { channel: 'app:command', payload: { type: 'refresh' } },
      { channel: 'app:command', payload: { type: 'addKey' } },
      { channel: 'app:command', payload: { type: 'teamAction', action: 'details', teamId: null } },
      {
        channel: 'app:command',
        payload: { type: 'teamAction', action: 'exportKey', teamId: null },
      },
      { channel: 'app:command', payload: { type: 'settings' } },
      { channel: 'app:command', payload: { type: 'toggleSidebar' } },
    ])

    menuItem(menu, 'help', 'Reveal Logs').click?.()
    expect(mock.calls.shownInFolder).toEqual([join(userData, 'logs', 'ascent.log')])
    expect(await readFile(join(userData, 'logs', 'ascent.log'), 'utf8')).toMatch(
      /\[info\] Ascent 0\.1\.0 started/,
    )
  })

  it('shows its version and Electron’s in About', async () => {
    const { mock } = await launchReady()
    expect(mock.calls.aboutPanel).toMatchObject({
      applicationName: 'Ascent',
      applicationVersion: '0.1.0',
      version: expect.stringMatching(/^Electron /) as unknown,
    })
  })

  it('registers every contract channel exactly once, each answering through the dispatcher', async () => {
    const { mock } = await launchReady()
    expect([...mock.ipc.handleCalls].sort()).toEqual([...channels].sort())
    for (const channel of channels) {
      expect(mock.ipc.handlers.has(channel), `no handler for ${channel}`).toBe(true)
    }
    // Through the dispatcher: untrusted frames are refused, the app's top frame is answered.
    await expect(
      mock.invokeFrom('teams:list', undefined, 'https://evil.example/'),
    ).resolves.toMatchObject({ ok: false, error: { code: 'ipc.untrusted_sender' } })
    await expect(
      mock.invokeFrom('teams:list', undefined, 'app://ascent/', { parent: true }),
    ).resolves.toMatchObject({ ok: false, error: { code: 'ipc.untrusted_sender' } })
    await expect(mock.invokeFrom('teams:list', undefined, 'app://ascent/')).resolves.toMatchObject({
      ok: true,
      value: { teams: [] },
    })
  })

  it('shows a saved team’s context menu natively, and sends the action chosen to the window', async () => {
    const secrets = createMemorySecretStore('macOS Keychain')
    const { pem } = generateAppleKey()
    const keys = createKeys({
      secrets,
      clipboard: createMemoryClipboard(pem),
      now: Date.now,
      dataDir: userData,
      log: silentLogger,
    })
    const imported = await keys.importFromClipboard()
    if (imported.status !== 'imported') throw new Error('the generated key was refused')
    const team = await keys.save({
      draftId: imported.draft.draftId,
      keyType: 'team',
      issuerId: '57246542-96fe-1a63-e053-0824d011072a',
      keyId: 'ABCDE12345',
      name: 'Northwind Labs',
      role: 'ADMIN',
    })
    await keys.dispose()

    const { mock, window } = await launchReady({}, secrets)
    await expect(mock.invokeFrom('app:info', undefined, 'app://ascent/')).resolves.toMatchObject({
      ok: true,
      value: { nativeMenus: true, dataDir: userData },
    })
    const popped = mock.nextPopup()
    const answer = mock.invokeFrom('menu:team', { teamId: team.id }, 'app://ascent/')
    const { menu, options } = await popped
    expect(options.window).toBe(window)
    const items = menu.items.filter((item) => item.type !== 'separator')
    expect(items.map((item) => item.label)).toContain('Check Now')
    // As on macOS: the menu reports itself closed, then the item chosen is clicked.
    options.callback?.()
    items.find((item) => item.label === 'Check Now')?.click?.()
    await expect(answer).resolves.toEqual({ ok: true, value: null })
    expect(window.webContents.sent).toContainEqual({
      channel: 'app:command',
      payload: { type: 'teamAction', action: 'checkNow', teamId: team.id },
    })

    // Closed without a choice: nothing is sent.
    const again = mock.nextPopup()
    const closed = mock.invokeFrom('menu:team', { teamId: team.id }, 'app://ascent/')
    ;(await again).options.callback?.()
    await expect(closed).resolves.toEqual({ ok: true, value: null })
    expect(
      window.webContents.sent.filter((message) => message.channel === 'app:command'),
    ).toHaveLength(1)
  })

  it('answers the real preload’s window.ascent, events included, and applies the appearance', async () => {
    const { mock } = await launchReady()
    const ascent = await loadPreload()
    expect(Object.keys(ascent).sort()).toEqual([
      'app',
      'browse',
      'cache',
      'keys',
      'menu',
      'radar',
      'settings',
      'teams',
    ])
    expect(value(await ascent.app.info())).toMatchObject({
      version: '0.1.0',
      apiBase: 'http://127.0.0.1:9',
      usesSandbox: true,
      secretStore: 'macOS Keychain',
    })
    expect(services).toEqual(['Ascent'])
    expect(mock.electron.nativeTheme.themeSource).toBe('system')
    const changed: unknown[] = []
    ascent.settings.onChanged((settings) => changed.push(settings))
    const saved = value(await ascent.settings.update({ appearance: 'dark' }))
    expect(saved.appearance).toBe('dark')
    expect(changed).toEqual([saved])
    expect(mock.electron.nativeTheme.themeSource).toBe('dark')
    // A link leaves through the shell, checked and normalised.
    value(await ascent.app.openExternal({ url: 'https://appstoreconnect.apple.com\\@x.example/' }))
    expect(mock.calls.openedExternally).toEqual(['https://appstoreconnect.apple.com/@x.example/'])
  })

  it('tells the radar when the Mac sleeps, wakes and goes offline', async () => {
    const { mock } = await launchReady()
    const paused = async () => {
      const answer = (await mock.invokeFrom('radar:overview', undefined, 'app://ascent/')) as {
        ok: true
        value: RadarOverview
      }
      return answer.value.paused
    }
    expect(await paused()).toBeNull()
    mock.powerMonitor.emit('suspend')
    expect(await paused()).toBe('asleep')
    mock.network.online = false
    mock.powerMonitor.emit('resume')
    expect(await paused()).toBe('offline')
  })

  it('hands a second launch to the first window: restored, shown and focused', async () => {
    const { mock, window } = await launchReady()
    window.minimized = true
    mock.electron.app.emit('second-instance', {}, ['/Applications/Ascent.app'], userData)
    expect(window.minimized).toBe(false)
    expect(window.visible).toBe(true)
    expect(window.focusCount).toBe(1)
    expect(mock.windows).toHaveLength(1)
  })

  it('quits at once when another Ascent holds the lock, starting nothing', async () => {
    const launched = await launch({ singleInstance: false })
    expect(launched.calls.quit).toBe(1)
    launched.emitReady()
    await new Promise((resolve) => setImmediate(resolve))
    expect(launched.windows).toEqual([])
    expect(launched.ipc.handlers.size).toBe(0)
    expect(launched.applicationMenu()).toBeNull()
  })

  it('wipes imported keys that were not saved when it quits', async () => {
    const { pem } = generateAppleKey()
    const { mock } = await launchReady({ clipboardText: pem })
    const ascent = await loadPreload()
    const pasted = value(await ascent.keys.pasteClipboard())
    if (pasted.status !== 'imported') throw new Error(`not imported: ${JSON.stringify(pasted)}`)
    const { draftId } = pasted.draft
    // The key is in memory: the clipboard that held it can be cleared by its draft.
    expect(value(await ascent.keys.clearClipboard({ draftId }))).toEqual({ cleared: true })
    expect(mock.calls.clipboardClears).toBe(1)
    const check = (checkId: string) =>
      ascent.keys.check({
        checkId,
        draftId,
        keyType: 'individual',
        issuerId: '',
        keyId: '2X9R4HXF34',
        role: null,
      })
    const quitted = mock.quitAndWait()
    await expect(check('after-quit')).resolves.toMatchObject({
      ok: false,
      error: { code: 'keys.draft_expired' },
    })
    await quitted
    // The first quit waited for the cleanup; the second, once it was done, went through.
    expect(mock.calls).toMatchObject({ quitRequests: 2, quit: 1 })
  })

  it('in development: no updater; “Check for Updates…” says updates come with the released app', async () => {
    const updater = vi.fn()
    vi.doMock('electron-updater', () => {
      updater()
      return { default: { autoUpdater: new EventEmitter() } }
    })
    vi.stubEnv('ASCENT_KEYCHAIN_SERVICE', 'Ascent-entry-test')
    const { mock } = await launchReady()
    expect(services).toEqual(['Ascent-entry-test'])
    const told = mock.nextMessageBox()
    menuItem(mock.applicationMenu(), 'Ascent', 'Check for Updates…').click?.()
    expect((await told).message).toBe('Updates come with the released app')
    expect(updater).not.toHaveBeenCalled()
    expect(mock.calls.dockIcon).toMatch(/assets[/\\]icon\.png$/)
  })

  it('packaged: checks GitHub quietly at launch, ignores the development overrides, and answers the menu', async () => {
    const updaterCalls = new EventEmitter()
    const autoUpdater = Object.assign(new EventEmitter(), {
      autoDownload: false,
      autoInstallOnAppQuit: false,
      logger: null,
      checks: 0,
      checkForUpdates() {
        autoUpdater.checks += 1
        updaterCalls.emit('check')
        return Promise.resolve({ isUpdateAvailable: false, updateInfo: { version: '0.1.0' } })
      },
      quitAndInstall: () => updaterCalls.emit('install'),
    })
    vi.doMock('electron-updater', () => ({ default: { autoUpdater } }))
    vi.stubEnv('ASCENT_KEYCHAIN_SERVICE', 'Ascent-entry-test')
    const checkedAtLaunch = new Promise((resolve) => updaterCalls.once('check', resolve))
    const { mock } = await launchReady({ packaged: true })
    await checkedAtLaunch
    expect(autoUpdater.checks).toBe(1)
    expect(autoUpdater.autoDownload).toBe(true)
    expect(autoUpdater.autoInstallOnAppQuit).toBe(true)
    expect(mock.calls.dockIcon).toBeNull()
    // A packaged app files its keys under Ascent, whatever the environment says.
    expect(services).toEqual(['Ascent'])
    const ascent = await loadPreload()
    expect(value(await ascent.app.info())).toMatchObject({
      apiBase: 'https://api.appstoreconnect.apple.com',
      usesSandbox: false,
    })

    const told = mock.nextMessageBox()
    menuItem(mock.applicationMenu(), 'Ascent', 'Check for Updates…').click?.()
    expect((await told).message).toBe('Ascent is up to date')
    expect(autoUpdater.checks).toBe(2)

    // A downloaded update: the user is offered a restart (answer 0, Restart Now) and it installs.
    const offered = mock.nextMessageBox()
    const installed = new Promise((resolve) => updaterCalls.once('install', resolve))
    autoUpdater.emit('update-downloaded', { version: '0.2.0' })
    expect((await offered).message).toBe('Ascent 0.2.0 is ready to install')
    await installed
  })
})
