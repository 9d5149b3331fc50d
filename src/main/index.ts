/**
 * The Electron entry: wires the real platform (Keychain, clipboard, dialogs, shell, network) into
 * the main-process modules, serves the renderer from `app://ascent`, and routes IPC through the
 * one dispatcher.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  app,
  type BrowserWindow,
  clipboard,
  dialog,
  ipcMain,
  Menu,
  protocol,
  session,
  shell,
  type MenuItemConstructorOptions,
} from 'electron'
import { channels, type AppCommand, type Channel, type TeamsState } from '../shared/contract'
import { APP_ORIGIN, APP_SCHEME, appResponseHeaders, resolveAppRequest } from './app-protocol'
import { createAscent } from './ascent'
import { createDispatcher, senderOfFrame } from './ipc'
import { createLogger } from './log'
import type { Platform } from './platform'
import { createKeyringSecretStore } from './secrets'
import { resolveApiBase } from './api-base'
import { createMainWindow, lockDownContents } from './window'
import { loadWindowBounds, windowBoundsSaver } from './window-state'

const log = createLogger()
const rendererDir = join(import.meta.dirname, '../renderer')
const preloadPath = join(import.meta.dirname, '../preload/index.cjs')

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
])
app.enableSandbox()

app.on('web-contents-created', (_event, contents) => lockDownContents(contents))

let mainWindow: BrowserWindow | null = null

const TEAM_CHANGING_CHANNELS = new Set<Channel>([
  'keys:save',
  'teams:activate',
  'teams:rename',
  'teams:remove',
  'teams:adoptOrphan',
])

function sendCommand(command: AppCommand): void {
  mainWindow?.webContents.send('app:command', command)
}

/** The Teams menu names the saved teams, so ⌘1…⌘9 read as they work. */
function buildMenu(teams: TeamsState): void {
  const teamItems: MenuItemConstructorOptions[] = teams.teams.slice(0, 9).map((team, index) => ({
    label: team.name,
    type: 'radio',
    checked: team.id === teams.activeTeamId,
    accelerator: `CmdOrCtrl+${index + 1}`,
    click: () => sendCommand({ type: 'selectTeam', index }),
  }))
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        {
          label: 'Add Key…',
          accelerator: 'CmdOrCtrl+N',
          click: () => sendCommand({ type: 'addKey' }),
        },
        { type: 'separator' },
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
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: 'Teams',
      submenu: [
        ...teamItems,
        ...(teamItems.length ? [{ type: 'separator' as const }] : []),
        { label: 'Add Key…', click: () => sendCommand({ type: 'addKey' }) },
      ],
    },
    { role: 'windowMenu' },
  ]
  Menu.setApplicationMenu(Menu.buildFromTemplate(template))
}

async function start(): Promise<void> {
  await app.whenReady()
  const dataDir = app.getPath('userData')

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

  const platform: Platform = {
    secrets: createKeyringSecretStore({ service: 'Ascent' }),
    clipboard: { readText: () => clipboard.readText(), clear: () => clipboard.clear() },
    dialog: {
      chooseKeyFile: async () => {
        const options: Electron.OpenDialogOptions = {
          title: 'Choose an App Store Connect API key',
          properties: ['openFile'],
          filters: [
            { name: 'API key (.p8) or fastlane JSON', extensions: ['p8', 'json', 'pem', 'txt'] },
          ],
        }
        const result = mainWindow
          ? await dialog.showOpenDialog(mainWindow, options)
          : await dialog.showOpenDialog(options)
        return result.canceled ? null : (result.filePaths[0] ?? null)
      },
    },
    shell: { openExternal: (url) => shell.openExternal(url) },
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
  }

  const ascent = createAscent(platform)
  const dispatch = createDispatcher({ trustedOrigin: APP_ORIGIN, handlers: ascent.handlers, log })
  const refreshMenu = () =>
    Promise.resolve(ascent.handlers['teams:list'](undefined))
      .then(buildMenu)
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

  buildMenu({ teams: [], activeTeamId: null, orphans: [], notices: [] })
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

  app.on('window-all-closed', () => app.quit())
  app.on('before-quit', () => {
    void boundsSaver.flush()
    void ascent.dispose()
  })
}

start().catch((error: unknown) => {
  log.error('Ascent failed to start', { error: String(error) })
  app.exit(1)
})
