/**
 * The Electron entry: wires the real platform (Keychain, clipboard, dialogs, shell, network) into
 * the main-process modules, serves the renderer from `app://ascent`, routes IPC through the one
 * dispatcher, and owns what only a Mac app has: the menu, the single instance, the Dock, About,
 * the log file and updates. test/main/index.test.ts drives it through a mock of Electron.
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  app,
  type BrowserWindow,
  clipboard,
  dialog,
  ipcMain,
  Menu,
  net,
  Notification,
  powerMonitor,
  type MenuItemConstructorOptions,
  nativeTheme,
  protocol,
  session,
  shell,
  systemPreferences,
} from 'electron'
import { channels, type AppCommand, type Channel, type TeamsState } from '../shared/contract'
import { TEAM_MENU } from '../shared/menus'
import { resolveApiBase } from './api-base'
import { APP_ORIGIN, APP_SCHEME, appResponseHeaders, resolveAppRequest } from './app-protocol'
import { createAscent } from './ascent'
import { dataDirOverride } from './data-dir'
import { createDispatcher, senderOfFrame } from './ipc'
import { KEY_FILE_EXTENSIONS } from './keys'
import { createLogFile, createLogger, type Logger } from './log'
import {
  nodeTimer,
  type DesktopNotifications,
  type Platform,
  type SystemConditions,
  type SystemState,
} from './platform'
import { createKeyringSecretStore, resolveKeychainService } from './secrets'
import { createUpdates, type UpdateEngine, type UpdatePrompts } from './updates'
import { createMainWindow, lockDownContents } from './window'
import { loadWindowBounds, windowBoundsSaver } from './window-state'

const rendererDir = join(import.meta.dirname, '../renderer')
const preloadPath = join(import.meta.dirname, '../preload/index.cjs')
/** The Dock icon of a development build; a packaged app shows the one in its bundle. */
const developmentIcon = join(import.meta.dirname, '../../assets/icon.png')

const logFile = createLogFile({
  dir: join(app.getPath('userData'), 'logs'),
  now: () => Date.now(),
})
const log = createLogger((line) => {
  console.error(line)
  logFile.write(line)
})

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
])
app.enableSandbox()

let mainWindow: BrowserWindow | null = null

const TEAM_CHANGING_CHANNELS = new Set<Channel>([
  'keys:save',
  'teams:activate',
  'teams:rename',
  'teams:remove',
  'teams:adoptOrphan',
])

/** What the menu's items do; set once the app is ready. */
interface MenuActions {
  checkForUpdates(): void
  revealLogs(): void
}

function sendCommand(command: AppCommand): void {
  mainWindow?.webContents.send('app:command', command)
}

/** Clear Cached Data from the menu: set once main's modules exist. */
let clearCachedData: () => void = () => undefined

/** A second launch (the Dock, Finder, `open -a Ascent`) or a clicked notification brings this window forward. */
function focusMainWindow(): void {
  if (!mainWindow) return
  if (mainWindow.isMinimized()) mainWindow.restore()
  mainWindow.show()
  mainWindow.focus()
}

/** How often main asks whether the Mac is online (Electron's net has no event for it). */
const ONLINE_CHECK_MS = 30_000
/** How often main asks the battery's level while the Mac runs on battery. */
const BATTERY_CHECK_MS = 5 * 60_000
/** At or below this charge, on battery, the radar rests. */
const LOW_BATTERY_LEVEL = 0.2
/** How long quitting waits for the cleanup (wiping drafts, writing the cache) at most. */
const QUIT_CLEANUP_MS = 5_000

/**
 * Sleep and power from powerMonitor, the network from net (asked now and then). Electron tells
 * main whether the Mac runs on battery, not how full it is: the window's Battery Status API says
 * (a read of `navigator.getBattery()`; without it the battery counts as fine).
 */
function electronSystem(): SystemState {
  let conditions: SystemConditions = { online: net.isOnline(), asleep: false, lowBattery: false }
  const listeners = new Set<() => void>()
  const update = (change: Partial<SystemConditions>) => {
    const next = { ...conditions, ...change }
    if (JSON.stringify(next) === JSON.stringify(conditions)) return
    conditions = next
    for (const listener of [...listeners]) listener()
  }
  const checkBattery = async () => {
    if (!powerMonitor.isOnBatteryPower() || !mainWindow) {
      update({ lowBattery: false })
      return
    }
    const level = (await mainWindow.webContents
      .executeJavaScript('navigator.getBattery ? navigator.getBattery().then((b) => b.level) : 1')
      .catch(() => 1)) as unknown
    update({ lowBattery: typeof level === 'number' && level <= LOW_BATTERY_LEVEL })
  }
  powerMonitor.on('suspend', () => update({ asleep: true }))
  powerMonitor.on('resume', () => update({ asleep: false, online: net.isOnline() }))
  powerMonitor.on('on-ac', () => update({ lowBattery: false }))
  powerMonitor.on('on-battery', () => void checkBattery())
  setInterval(() => update({ online: net.isOnline() }), ONLINE_CHECK_MS).unref()
  setInterval(() => void checkBattery(), BATTERY_CHECK_MS).unref()
  return {
    current: () => ({ ...conditions }),
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}

/** Notification Center; each notification is kept until clicked or closed, so its click arrives. */
function electronNotifications(): DesktopNotifications {
  const live = new Set<Notification>()
  return {
    show({ title, body }, onClick) {
      if (!Notification.isSupported()) return
      const notification = new Notification({ title, body })
      live.add(notification)
      notification.on('click', () => {
        live.delete(notification)
        focusMainWindow()
        onClick()
      })
      notification.on('close', () => live.delete(notification))
      notification.show()
    },
  }
}

/**
 * The Teams menu's actions on the team on screen: the team menu's own items (src/shared/menus.ts),
 * but for renaming and removing, which want the team in view in the sidebar.
 */
const ON_SCREEN_TEAM_ACTIONS = TEAM_MENU.flatMap((entry) =>
  entry.kind === 'teamAction' && entry.action !== 'rename' && entry.action !== 'remove'
    ? [entry]
    : [],
)
/** In the menu bar, Details… says whose, and takes ⌘I as Get Info does in the Finder. */
const MENU_BAR_DETAILS = { label: 'Team Details…', accelerator: 'CmdOrCtrl+I' }

/** The Teams menu names the saved teams, so ⌘1…⌘9 read as they work. */
function buildMenu(teams: TeamsState, actions: MenuActions): void {
  const isMac = process.platform === 'darwin'
  const teamItems: MenuItemConstructorOptions[] = teams.teams.slice(0, 9).map((team, index) => ({
    label: team.name,
    type: 'radio',
    checked: team.id === teams.activeTeamId,
    accelerator: `CmdOrCtrl+${index + 1}`,
    click: () => sendCommand({ type: 'selectTeam', index }),
  }))
  const checkForUpdates: MenuItemConstructorOptions = {
    label: 'Check for Updates…',
    click: () => actions.checkForUpdates(),
  }
  const settings: MenuItemConstructorOptions = {
    label: isMac ? 'Settings…' : 'Preferences…',
    accelerator: 'CmdOrCtrl+,',
    click: () => sendCommand({ type: 'settings' }),
  }
  const template: MenuItemConstructorOptions[] = [
    ...(isMac
      ? [
          {
            label: app.name,
            submenu: [
              { role: 'about' },
              checkForUpdates,
              { type: 'separator' },
              settings,
              { type: 'separator' },
              { role: 'services' },
              { type: 'separator' },
              { role: 'hide' },
              { role: 'hideOthers' },
              { role: 'unhide' },
              { type: 'separator' },
              { role: 'quit' },
            ] satisfies MenuItemConstructorOptions[],
          },
        ]
      : []),
    {
      label: 'File',
      submenu: [
        {
          label: 'Add Key…',
          accelerator: 'CmdOrCtrl+N',
          click: () => sendCommand({ type: 'addKey' }),
        },
        { type: 'separator' },
        ...(isMac ? [] : [settings, { type: 'separator' as const }]),
        { role: 'close' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { label: 'Find', accelerator: 'CmdOrCtrl+F', click: () => sendCommand({ type: 'find' }) },
        {
          label: 'Refresh',
          accelerator: 'CmdOrCtrl+R',
          click: () => sendCommand({ type: 'refresh' }),
        },
        { label: 'Clear Cached Data', click: () => clearCachedData() },
        { type: 'separator' },
        {
          // One item both ways: the page decides whether the sidebar shows (it hides itself in
          // a narrow window), so main cannot know which of Hide and Show to say.
          label: 'Toggle Sidebar',
          accelerator: isMac ? 'Control+Command+S' : 'Control+Super+S',
          click: () => sendCommand({ type: 'toggleSidebar' }),
        },
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: 'Teams',
      submenu: [
        ...teamItems,
        ...(teamItems.length ? [{ type: 'separator' as const }] : []),
        // The team on screen (teamId null): the window knows which one that is.
        ...ON_SCREEN_TEAM_ACTIONS.map(({ label, action }) => ({
          ...(action === 'details' ? MENU_BAR_DETAILS : { label }),
          enabled: teamItems.length > 0,
          click: () => sendCommand({ type: 'teamAction', action, teamId: null }),
        })),
        { type: 'separator' },
        { label: 'Add Key…', click: () => sendCommand({ type: 'addKey' }) },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: 'Reveal Logs', click: () => actions.revealLogs() },
        ...(isMac ? [] : [checkForUpdates]),
      ],
    },
  ]
  Menu.setApplicationMenu(Menu.buildFromTemplate(template))
}

/** electron-updater, loaded only in a packaged app: development builds never update themselves. */
async function electronUpdater(logger: Logger): Promise<UpdateEngine> {
  const { autoUpdater } = (await import('electron-updater')).default
  autoUpdater.autoDownload = true
  autoUpdater.autoInstallOnAppQuit = true
  autoUpdater.logger = {
    info: (message?: unknown) => logger.info(`updater: ${String(message)}`),
    warn: (message?: unknown) => logger.warn(`updater: ${String(message)}`),
    error: (message?: unknown) => logger.error(`updater: ${String(message)}`),
  }
  return {
    check: async () => {
      const result = await autoUpdater.checkForUpdates()
      return result?.isUpdateAvailable ? { version: result.updateInfo.version } : null
    },
    onDownloaded: (listener) => {
      const forward = (event: { version: string }) => listener(event.version)
      autoUpdater.on('update-downloaded', forward)
      return () => {
        autoUpdater.off('update-downloaded', forward)
      }
    },
    restartAndInstall: () => autoUpdater.quitAndInstall(),
  }
}

const updatePrompts: UpdatePrompts = {
  inform: async ({ title, detail }) => {
    const options = { type: 'info' as const, message: title, detail, buttons: ['OK'] }
    await (mainWindow ? dialog.showMessageBox(mainWindow, options) : dialog.showMessageBox(options))
  },
  offerRestart: async (version) => {
    const options = {
      type: 'info' as const,
      message: `Ascent ${version} is ready to install`,
      detail: 'Restart Ascent now to use it, or it will be installed when you quit.',
      buttons: ['Restart Now', 'Later'],
      defaultId: 0,
      cancelId: 1,
    }
    const { response } = mainWindow
      ? await dialog.showMessageBox(mainWindow, options)
      : await dialog.showMessageBox(options)
    return response === 0
  },
}

async function start(): Promise<void> {
  await app.whenReady()
  const dataDir = dataDirOverride(process.env, app.getPath('userData'))
  const electronVersion = process.versions.electron ?? 'unknown'
  log.info(`Ascent ${app.getVersion()} started`, {
    electron: electronVersion,
    platform: `${process.platform} ${process.arch}`,
    packaged: app.isPackaged,
  })

  protocol.handle(APP_SCHEME, async (request) => {
    const asset = resolveAppRequest(rendererDir, request.url)
    const body = asset ? await readFile(asset.filePath).catch(() => null) : null
    if (!asset || !body) return new Response('Not found', { status: 404 })
    return new Response(body, { headers: appResponseHeaders(asset.contentType) })
  })
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false),
  )
  session.defaultSession.setPermissionCheckHandler(() => false)

  app.setAboutPanelOptions({
    applicationName: 'Ascent',
    applicationVersion: app.getVersion(),
    version: `Electron ${electronVersion}`,
    copyright: 'Copyright © 2026 Ascent',
  })
  if (!app.isPackaged && existsSync(developmentIcon)) app.dock?.setIcon(developmentIcon)

  const platform: Platform = {
    secrets: createKeyringSecretStore({
      service: resolveKeychainService({
        packaged: app.isPackaged,
        requested: process.env.ASCENT_KEYCHAIN_SERVICE,
        warn: (message) => log.warn(message),
      }),
    }),
    clipboard: {
      readText: () => clipboard.readText(),
      writeText: (text) => clipboard.writeText(text),
      clear: () => clipboard.clear(),
    },
    dialog: {
      chooseKeyFile: async () => {
        const options: Electron.OpenDialogOptions = {
          title: 'Choose an App Store Connect API key',
          properties: ['openFile'],
          filters: [
            { name: 'API key (.p8) or fastlane JSON', extensions: [...KEY_FILE_EXTENSIONS] },
          ],
        }
        const result = mainWindow
          ? await dialog.showOpenDialog(mainWindow, options)
          : await dialog.showOpenDialog(options)
        return result.canceled ? null : (result.filePaths[0] ?? null)
      },
      chooseSavePath: async ({ title, defaultPath, filters }) => {
        const options: Electron.SaveDialogOptions = {
          title,
          defaultPath,
          filters,
          properties: ['createDirectory', 'showOverwriteConfirmation', 'dontAddToRecent'],
        }
        const result = mainWindow
          ? await dialog.showSaveDialog(mainWindow, options)
          : await dialog.showSaveDialog(options)
        return result.canceled || !result.filePath ? null : result.filePath
      },
    },
    shell: { openExternal: (url) => shell.openExternal(url) },
    contextMenu: {
      popup: (lines) =>
        new Promise((resolve) => {
          const menu = Menu.buildFromTemplate(
            lines.map((line, index) =>
              'separator' in line
                ? { type: 'separator' }
                : { label: line.label, click: () => resolve(index) },
            ),
          )
          // Electron may report the menu closed before the chosen item's click: a choice made
          // in the same turn wins (a resolved promise ignores the later null).
          menu.popup({
            ...(mainWindow ? { window: mainWindow } : {}),
            callback: () => setImmediate(() => resolve(null)),
          })
        }),
    },
    fetch: globalThis.fetch,
    now: () => Date.now(),
    dataDir,
    apiBase: resolveApiBase({
      packaged: app.isPackaged,
      requested: process.env.ASCENT_API_BASE,
      warn: (message) => log.warn(message),
    }),
    appVersion: app.getVersion(),
    notify: (event, payload) => mainWindow?.webContents.send(event, payload),
    log,
    userPresence: {
      confirm: async (reason) => {
        if (process.platform !== 'darwin' || !systemPreferences.canPromptTouchID()) {
          return 'unavailable'
        }
        try {
          await systemPreferences.promptTouchID(reason)
          return 'confirmed'
        } catch {
          return 'refused'
        }
      },
    },
    timer: nodeTimer,
    homeDir: app.getPath('home'),
    system: electronSystem(),
    notifications: electronNotifications(),
    badge: { set: (count) => app.setBadgeCount(count) },
  }

  const ascent = createAscent(platform)
  clearCachedData = () =>
    void Promise.resolve(ascent.handlers['cache:clear']({ teamId: null })).catch((error: unknown) =>
      log.warn('could not clear cached data', { error: String(error) }),
    )

  nativeTheme.themeSource = (await ascent.settings.get()).appearance
  const stopFollowingAppearance = ascent.settings.onChange((settings) => {
    nativeTheme.themeSource = settings.appearance
  })
  const updates = createUpdates({
    engine: app.isPackaged ? await electronUpdater(log) : null,
    currentVersion: app.getVersion(),
    settings: ascent.settings,
    prompts: updatePrompts,
    log,
  })
  const menuActions: MenuActions = {
    checkForUpdates: () => void updates.checkNow(),
    revealLogs: () => shell.showItemInFolder(logFile.path),
  }

  const dispatch = createDispatcher({ trustedOrigin: APP_ORIGIN, handlers: ascent.handlers, log })
  const refreshMenu = () =>
    Promise.resolve(ascent.handlers['teams:list'](undefined))
      .then((teams) => buildMenu(teams, menuActions))
      .catch((error: unknown) =>
        log.warn('could not list teams for the menu', { error: String(error) }),
      )
  for (const channel of channels) {
    ipcMain.handle(channel, async (event, request: unknown) => {
      const result = await dispatch(channel, request, senderOfFrame(event.senderFrame))
      if (result.ok && TEAM_CHANGING_CHANNELS.has(channel)) void refreshMenu()
      return result
    })
  }

  buildMenu({ teams: [], activeTeamId: null, orphans: [], notices: [] }, menuActions)
  void refreshMenu()
  const boundsSaver = windowBoundsSaver(dataDir)
  mainWindow = createMainWindow({
    preloadPath,
    url: `${APP_ORIGIN}/`,
    bounds: await loadWindowBounds(dataDir),
    onBoundsChanged: boundsSaver.save,
  })
  mainWindow.on('closed', () => {
    mainWindow = null
  })
  void updates.start()

  app.on('window-all-closed', () => app.quit())
  let cleanedUp = false
  app.on('before-quit', (event) => {
    if (cleanedUp) return
    // Electron quits as soon as this returns, so the quit waits here until drafts (imported keys
    // not yet saved) are wiped, the clipboard cleared and the cache written, then goes on. A
    // cleanup that hangs (a stuck keychain) must not keep the app open: it gets a few seconds.
    event.preventDefault()
    cleanedUp = true
    updates.dispose()
    stopFollowingAppearance()
    const cleanup = Promise.allSettled([boundsSaver.flush(), ascent.dispose()])
    const deadline = new Promise((resolve) => setTimeout(resolve, QUIT_CLEANUP_MS).unref())
    void Promise.race([cleanup, deadline]).then(() => app.quit())
  })
}

// One Ascent at a time: two would race each other over keys.json, settings.json and the
// Keychain. A second launch hands over to the first and quits.
if (app.requestSingleInstanceLock()) {
  app.on('second-instance', focusMainWindow)
  app.on('web-contents-created', (_event, contents) => lockDownContents(contents))
  start().catch((error: unknown) => {
    log.error('Ascent failed to start', { error: String(error) })
    app.exit(1)
  })
} else {
  app.quit()
}
