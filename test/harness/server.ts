/**
 * The browser harness: runs Ascent's real main-process modules, real dispatcher, real preload and
 * real renderer, with Electron's transport and platform APIs (IPC, clipboard, dialog, shell)
 * replaced: by test doubles the tests drive, or, for the demo, by the desktop stand-ins of
 * desktop.ts. Served on 127.0.0.1 behind a random per-run token; used by the e2e tests, the demo
 * and the benchmark. Not part of the app.
 *
 * The page gets the app's Content-Security-Policy, header and meta, with one addition: the app
 * icon at its own path may be loaded as an image, so the harness window shows Ascent's icon.
 */
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { AppCommand, EventName, EventPayload } from '../../src/shared/contract'
import { appResponseHeaders, resolveAppAsset } from '../../src/main/app-protocol'
import { createAscent, type Ascent } from '../../src/main/ascent'
import type { CacheFs } from '../../src/main/disk-cache'
import type { LedgerFs } from '../../src/main/notifications'
import type { SettingsSource } from '../../src/main/radar'
import { createDispatcher } from '../../src/main/ipc'
import { silentLogger, type Logger } from '../../src/main/log'
import {
  nodeTimer,
  type DesktopNotification,
  type Platform,
  type SaveDialogRequest,
  type SystemConditions,
  type Timer,
} from '../../src/main/platform'
import { createKeyringSecretStore, type SecretStore } from '../../src/main/secrets'
import { buildHarnessPreload } from './build-preload'
import { createDesktop, type Desktop, type DesktopOptions } from './desktop'
import { NO_DESKTOP, type IpcEnvelope, type PickerAnswer } from './desktop-protocol'

export interface HarnessOptions {
  apiBase: string
  port?: number
  rendererDir?: string
  dataDir?: string
  secrets?: SecretStore
  /**
   * The keyring goes away with this process (the demo's private one on Linux, whose daemon a
   * terminal's Ctrl+C stops along with the demo): closing leaves the harness's items to it.
   */
  keyringDiscarded?: boolean
  now?: () => number
  log?: Logger
  /**
   * The demo's desktop: a file picker, drops from the key folders, the browser's clipboard and
   * printed links (desktop.ts). Without it, tests drive the doubles below.
   */
  desktop?: DesktopOptions
  /** Timers main sets (the clipboard, the radar, cache writes); default Node's. */
  timer?: Timer
  /** Background refresh and notification settings; the defaults unless given. */
  settings?: SettingsSource
  /** File operations of the cache; tests pass failing ones. */
  cacheFs?: CacheFs & LedgerFs
  /** How long after launch the radar's first passes start. */
  radarLaunchDelayMs?: number
  /** False: the radar waits for `ascent.radar.runNow()` (tests whose request counts it would blur). */
  startRadar?: boolean
}

export interface HarnessNotification extends DesktopNotification {
  /** Runs what a click on it does (main brings the window up and opens what it names). */
  click(): void
}

export interface IpcExchange {
  channel: string
  request: unknown
  response: unknown
}

export interface Harness {
  /** Open this to get the app; it carries the run's token once and sets a cookie. */
  url: string
  origin: string
  token: string
  dataDir: string
  secrets: SecretStore
  /** The fake system clipboard main reads (not with `desktop`: the page's clipboard is). */
  clipboard: { text: string }
  /** Paths the next "Choose File…" dialogs answer with, null for Cancel (not with `desktop`). */
  dialogAnswers: (string | null)[]
  /** Paths the next save dialogs (Export Key…) answer with; null (or none left) is Cancel. */
  saveDialogAnswers: (string | null)[]
  /** What main asked the save dialogs: title, proposed path, filters. */
  saveDialogRequests: SaveDialogRequest[]
  /** Every user-presence (Touch ID) prompt main made, by its reason. */
  presencePrompts: string[]
  /** What the next prompts answer; `confirmed` when none is left. */
  presenceAnswers: ('confirmed' | 'refused' | 'unavailable')[]
  /** The home folder main sees (export dialogs open there): the harness's own. */
  homeDir: string
  openedUrls: string[]
  /** Every IPC request and answer, for tests that prove what crosses the boundary. */
  ipcLog: IpcExchange[]
  /** Every event main pushed to the page, in order. */
  eventLog: { event: string; payload: unknown }[]
  /** The keychain service the harness filed its items under; null when given `secrets`. */
  keychainService: string | null
  /** Every desktop notification main showed, in order. */
  notifications: HarnessNotification[]
  /** The Dock badge as main last set it; null before it did. */
  badge: { count: number | null }
  /** The machine's network, sleep and battery as main sees them; tests change them. */
  system: { set(change: Partial<SystemConditions>): void }
  /** Main's modules: tests run the radar's passes and flush the cache when they need to. */
  ascent: Pick<Ascent, 'radar' | 'cache'>
  sendCommand(command: AppCommand): void
  /** Stops serving and deletes what the harness made: its data folder, its keychain items. */
  close(): Promise<void>
}

const COOKIE = 'ascent_harness'
const APP_IMAGES = 'img-src https://*.mzstatic.com'
const defaultRendererDir = fileURLToPath(new URL('../../out/renderer', import.meta.url))
const desktopStyles = fileURLToPath(new URL('./page-desktop.css', import.meta.url))
/** The app icon, as the harness window's icon (the demo's Chromium app window shows it). */
const iconPath = fileURLToPath(new URL('../../assets/icon.png', import.meta.url))
const ICON_PATH = '/__harness/icon.png'

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const rendererDir = options.rendererDir ?? defaultRendererDir
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`No built renderer in ${rendererDir}: run \`npm run build\` first.`)
  }
  const preloadScript = await buildHarnessPreload()
  const ownsDataDir = options.dataDir === undefined
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'ascent-harness-')))
  const token = randomBytes(24).toString('hex')
  const keychain = harnessKeychain(options.secrets, options.keyringDiscarded ?? false)
  const secrets = keychain.secrets
  const log = options.log ?? silentLogger

  const eventStreams = new Set<ServerResponse>()
  const clipboard = { text: '' }
  const dialogAnswers: (string | null)[] = []
  const saveDialogAnswers: (string | null)[] = []
  const saveDialogRequests: SaveDialogRequest[] = []
  const presencePrompts: string[] = []
  const presenceAnswers: ('confirmed' | 'refused' | 'unavailable')[] = []
  const homeDir = await mkdtemp(join(tmpdir(), 'ascent-harness-home-'))
  const openedUrls: string[] = []
  const ipcLog: IpcExchange[] = []
  const eventLog: Harness['eventLog'] = []
  const notifications: HarnessNotification[] = []
  const badge: Harness['badge'] = { count: null }
  let conditions: SystemConditions = { online: true, asleep: false, lowBattery: false }
  const systemListeners = new Set<() => void>()

  const sendToPages = (event: string, payload: unknown): number => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`
    for (const stream of eventStreams) stream.write(frame)
    return eventStreams.size
  }
  const notify = <E extends EventName>(event: E, payload: EventPayload<E>) => {
    eventLog.push({ event, payload })
    sendToPages(event, payload)
  }
  const desktop: Desktop | null = options.desktop
    ? createDesktop(options.desktop, sendToPages)
    : null

  const server = createServer()
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject)
        resolve()
      })
    })
  } catch (error) {
    if (ownsDataDir) await rm(dataDir, { recursive: true, force: true })
    await rm(homeDir, { recursive: true, force: true })
    throw error
  }
  const port = (server.address() as AddressInfo).port
  const origin = `http://127.0.0.1:${port}`

  const platform: Platform = {
    secrets,
    clipboard: desktop?.platform.clipboard ?? {
      readText: () => Promise.resolve(clipboard.text),
      writeText: (text) => {
        clipboard.text = text
        return Promise.resolve()
      },
      clear: () => {
        clipboard.text = ''
      },
    },
    dialog: desktop?.platform.dialog ?? {
      chooseKeyFile: () => Promise.resolve(dialogAnswers.shift() ?? null),
      chooseSavePath: (request) => {
        saveDialogRequests.push(request)
        return Promise.resolve(saveDialogAnswers.shift() ?? null)
      },
    },
    shell: {
      openExternal: (url) => {
        openedUrls.push(url)
        return desktop?.platform.shell.openExternal(url) ?? Promise.resolve()
      },
    },
    fetch: globalThis.fetch,
    now: options.now ?? (() => Date.now()),
    dataDir,
    apiBase: options.apiBase,
    appVersion: '0.0.0-harness',
    notify,
    log,
    userPresence: {
      confirm: (reason) => {
        presencePrompts.push(reason)
        return Promise.resolve(presenceAnswers.shift() ?? 'confirmed')
      },
    },
    timer: options.timer ?? nodeTimer,
    homeDir,
    system: {
      current: () => ({ ...conditions }),
      onChange(listener) {
        systemListeners.add(listener)
        return () => systemListeners.delete(listener)
      },
    },
    notifications: {
      show: (notification, onClick) => notifications.push({ ...notification, click: onClick }),
    },
    badge: {
      set: (count) => {
        badge.count = count
      },
    },
  }
  const ascent = createAscent(platform, {
    settings: options.settings,
    cacheFs: options.cacheFs,
    radarLaunchDelayMs: options.radarLaunchDelayMs,
    startRadar: options.startRadar,
  })
  const dispatch = createDispatcher({ trustedOrigin: origin, handlers: ascent.handlers, log })

  const hasToken = (request: IncomingMessage) =>
    (request.headers.cookie ?? '').split(/;\s*/).includes(`${COOKIE}=${token}`)

  server.on('request', (request, response) => {
    void handle(request, response).catch((error: unknown) => {
      log.error('harness request failed', { error: String(error) })
      if (!response.headersSent) response.writeHead(500)
      response.end()
    })
  })

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', origin)
    if (url.searchParams.get('token') === token) {
      response.writeHead(303, {
        'Set-Cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: url.pathname,
      })
      response.end()
      return
    }
    // The window's icon: the browser may ask for it without the run's cookie; it is no secret.
    if (url.pathname === ICON_PATH) {
      response.writeHead(200, { 'Content-Type': 'image/png', 'Cache-Control': 'max-age=3600' })
      response.end(await readFile(iconPath))
      return
    }
    if (!hasToken(request)) {
      response.writeHead(403, { 'Content-Type': 'text/plain' })
      response.end('Open the URL the harness printed (it carries this run’s token).')
      return
    }

    if (url.pathname === '/__ipc' && request.method === 'POST') {
      const envelope = JSON.parse(await readBody(request)) as IpcEnvelope
      const { channel, request: body } = envelope
      desktop?.receiveClipboard(String(channel), envelope.clipboard)
      const sender = {
        url: request.headers.origin ?? '',
        isTopFrame: request.headers['x-ascent-frame'] === 'top',
      }
      const result = await dispatch(String(channel), body, sender)
      ipcLog.push({ channel: String(channel), request: body, response: result })
      response.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
      response.end(JSON.stringify(result))
      return
    }

    if (url.pathname === '/__events') {
      response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' })
      response.write(': connected\n\n')
      eventStreams.add(response)
      desktop?.pageOpened()
      request.on('close', () => {
        eventStreams.delete(response)
        if (eventStreams.size === 0) desktop?.pagesGone()
      })
      return
    }

    if (url.pathname === '/__harness/desktop') {
      const config = desktop ? await desktop.config() : NO_DESKTOP
      response.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
      response.end(JSON.stringify(config))
      return
    }

    if (url.pathname === '/__harness/picker' && request.method === 'POST') {
      const answer = JSON.parse(await readBody(request)) as PickerAnswer
      const taken =
        desktop !== null &&
        request.headers.origin === origin &&
        typeof answer.id === 'string' &&
        (answer.path === null || typeof answer.path === 'string') &&
        desktop.answerPicker(answer)
      response.writeHead(taken ? 204 : 409)
      response.end()
      return
    }

    if (url.pathname === '/__harness/desktop.css') {
      response.writeHead(200, appResponseHeaders('text/css; charset=utf-8'))
      response.end(await readFile(desktopStyles))
      return
    }

    if (url.pathname === '/__harness/preload.js') {
      response.writeHead(200, pageHeaders('text/javascript; charset=utf-8'))
      response.end(preloadScript)
      return
    }

    const asset = resolveAppAsset(rendererDir, url.pathname)
    if (!asset || !existsSync(asset.filePath)) {
      response.writeHead(404, { 'Content-Type': 'text/plain' })
      response.end('Not found')
      return
    }
    let body: Buffer | string = await readFile(asset.filePath)
    if (asset.filePath.endsWith('index.html')) {
      // In Electron the preload runs before the page; a classic script at the top of <head> does too.
      body = withIconAllowed(body.toString('utf8')).replace(
        '<head>',
        `<head>\n    <script src="/__harness/preload.js"></script>\n    <link rel="icon" href="${ICON_PATH}" />`,
      )
    }
    response.writeHead(200, pageHeaders(asset.contentType))
    response.end(body)
  }

  /** The app's policy, plus the app icon at its own path as the one image of this origin. */
  function withIconAllowed(policy: string): string {
    return policy.replace(APP_IMAGES, `${APP_IMAGES} ${origin}${ICON_PATH}`)
  }

  function pageHeaders(contentType: string): Record<string, string> {
    const headers = appResponseHeaders(contentType)
    return {
      ...headers,
      'Content-Security-Policy': withIconAllowed(headers['Content-Security-Policy'] ?? ''),
    }
  }

  let closing: Promise<void> | null = null
  async function closeOnce(): Promise<void> {
    for (const stream of eventStreams) stream.end()
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
    await ascent.dispose()
    try {
      await keychain.deleteOwnItems()
    } finally {
      if (ownsDataDir) await rm(dataDir, { recursive: true, force: true })
      await rm(homeDir, { recursive: true, force: true })
    }
  }

  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    dataDir,
    secrets,
    clipboard,
    dialogAnswers,
    saveDialogAnswers,
    saveDialogRequests,
    presencePrompts,
    presenceAnswers,
    homeDir,
    openedUrls,
    ipcLog,
    eventLog,
    keychainService: keychain.service,
    notifications,
    badge,
    system: {
      set(change) {
        conditions = { ...conditions, ...change }
        for (const listener of [...systemListeners]) listener()
      },
    },
    ascent,
    sendCommand: (command) => notify('app:command', command),
    // Once: a test that relaunches closes the harness itself before its fixture does.
    close: () => (closing ??= closeOnce()),
  }
}

interface HarnessKeychain {
  secrets: SecretStore
  /** Null when the caller gave its own store (and cleans it up itself). */
  service: string | null
  deleteOwnItems(): Promise<void>
}

/**
 * The store the caller gave, or a keychain service of the harness's own. That one lives in the
 * private keyring run-with-keyring.js starts on Linux, but in the user's login Keychain on a Mac:
 * the harness deletes every item filed under it when it closes (the demo closes it on Ctrl+C too),
 * unless the keyring itself is discarded with the process (the demo's on Linux).
 */
function harnessKeychain(given: SecretStore | undefined, discarded: boolean): HarnessKeychain {
  if (given) return { secrets: given, service: null, deleteOwnItems: () => Promise.resolve() }
  const service = `Ascent-harness-${randomBytes(4).toString('hex')}`
  const store = createKeyringSecretStore({ service })
  let written = false
  return {
    service,
    secrets: {
      ...store,
      set: (account, secret) => {
        written = true
        return store.set(account, secret)
      },
    },
    deleteOwnItems: async () => {
      // A harness that never stored a key (most tests) does not wake the keychain to clean up.
      if (!written || discarded) return
      try {
        for (const account of await store.accounts()) await store.delete(account)
      } catch (error) {
        throw new Error(
          `The harness could not delete its items from the keychain service "${service}" (${String(error)}). Delete them with Keychain Access.`,
          { cause: error },
        )
      }
    },
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    request.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > 1_000_000) {
        reject(new Error('IPC request too large'))
        request.destroy()
        return
      }
      chunks.push(chunk)
    })
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    request.on('error', reject)
  })
}
