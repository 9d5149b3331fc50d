/**
 * A mock of the Electron APIs src/main/index.ts and src/preload/index.ts use, faithful where the
 * entry depends on Electron's rules: `protocol.registerSchemesAsPrivileged` and
 * `app.enableSandbox` only before ready, windows and `protocol.handle` only after,
 * `ipcMain.handle` refuses a second handler for a channel, a menu template item needs a label, a
 * role or a type, roles and accelerators must be ones Electron knows, every new web contents is
 * announced by `web-contents-created`, and `ipcRenderer.invoke` reaches only a channel main
 * handles. Each test gets a fresh one (`createElectronMock`) through `vi.doMock('electron')`.
 */
import { EventEmitter } from 'node:events'

export interface ElectronMockOptions {
  userData: string
  packaged?: boolean
  /** What `requestSingleInstanceLock` answers: false when another Ascent holds the lock. */
  singleInstance?: boolean
  clipboardText?: string
  /** The button index `dialog.showMessageBox` answers with. */
  messageBoxResponse?: number
  /** The user's home folder (`app.getPath('home')`). */
  home?: string
  /** Whether this Mac can ask for Touch ID (`systemPreferences.canPromptTouchID`). */
  touchId?: boolean
}

/** Roles Electron's MenuItem accepts (Electron.MenuItemConstructorOptions['role']). */
const MENU_ROLES = new Set<string>([
  'undo', 'redo', 'cut', 'copy', 'paste', 'pasteAndMatchStyle', 'delete', 'selectAll', 'reload',
  'forceReload', 'toggleDevTools', 'resetZoom', 'zoomIn', 'zoomOut', 'toggleSpellChecker',
  'togglefullscreen', 'window', 'minimize', 'close', 'help', 'about', 'services', 'hide',
  'hideOthers', 'unhide', 'quit', 'showSubstitutions', 'toggleSmartQuotes', 'toggleSmartDashes',
  'toggleTextReplacement', 'startSpeaking', 'stopSpeaking', 'zoom', 'front', 'appMenu',
  'fileMenu', 'editMenu', 'viewMenu', 'shareMenu', 'recentDocuments', 'toggleTabBar',
  'selectNextTab', 'selectPreviousTab', 'showAllTabs', 'mergeAllWindows',
  'clearRecentDocuments', 'moveTabToNewWindow', 'windowMenu',
]) // prettier-ignore

const MODIFIERS = new Set([
  'Command', 'Cmd', 'Control', 'Ctrl', 'CommandOrControl', 'CmdOrCtrl', 'Alt', 'Option',
  'AltGr', 'Shift', 'Super', 'Meta',
]) // prettier-ignore

const NAMED_KEYS = new Set([
  'Plus', 'Space', 'Tab', 'Capslock', 'Numlock', 'Scrolllock', 'Backspace', 'Delete', 'Insert',
  'Return', 'Enter', 'Up', 'Down', 'Left', 'Right', 'Home', 'End', 'PageUp', 'PageDown',
  'Escape', 'Esc', 'PrintScreen',
]) // prettier-ignore

/** Electron's accelerator grammar: modifiers joined by `+`, then exactly one key. */
export function isValidAccelerator(accelerator: string): boolean {
  const parts = accelerator.split('+')
  const key = parts.pop() ?? ''
  if (!parts.every((part) => MODIFIERS.has(part))) return false
  if (new Set(parts).size !== parts.length) return false
  return (
    /^[A-Z0-9]$/.test(key) ||
    /^F([1-9]|1[0-9]|2[0-4])$/.test(key) ||
    /^[)!@#$%^&*(:;:+=<,_\->.?/~`{\][|\\}"']$/.test(key) ||
    NAMED_KEYS.has(key)
  )
}

export interface MockMenuItem {
  label?: string
  role?: string
  type?: string
  accelerator?: string
  checked?: boolean
  click?: () => void
  submenu?: MockMenu
}

export interface MockMenu {
  items: MockMenuItem[]
  /** A context menu shown (`menu.popup`): `popups` hears it, with the options it was shown with. */
  popup(options?: Electron.PopupOptions): void
}

/** Context menus main pops up, for tests to choose from (`nextPopup`). */
const popups = new EventEmitter()

function buildMenu(template: Electron.MenuItemConstructorOptions[]): MockMenu {
  const menu: MockMenu = {
    popup: (options) => {
      popups.emit('popup', { menu, options: options ?? {} })
    },
    items: template.map((item) => {
      if (!item.label && !item.role && item.type !== 'separator') {
        throw new TypeError(
          'Invalid template for MenuItem: must have at least one of label, role or type',
        )
      }
      if (item.role !== undefined && !MENU_ROLES.has(item.role)) {
        throw new TypeError(`Invalid role for MenuItem: ${item.role}`)
      }
      if (item.accelerator !== undefined && !isValidAccelerator(String(item.accelerator))) {
        throw new TypeError(`Invalid accelerator for MenuItem: ${String(item.accelerator)}`)
      }
      const submenu = Array.isArray(item.submenu) ? buildMenu(item.submenu) : undefined
      return {
        label: item.label,
        role: item.role,
        type: item.type,
        accelerator: item.accelerator === undefined ? undefined : String(item.accelerator),
        checked: item.checked,
        click: item.click ? () => item.click?.({} as never, undefined, {}) : undefined,
        submenu,
      }
    }),
  }
  return menu
}

export interface SentMessage {
  channel: string
  payload: unknown
}

class WebContentsMock extends EventEmitter {
  readonly sent: SentMessage[] = []
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null
  private readonly deliver: (channel: string, payload: unknown) => void

  constructor(deliver: (channel: string, payload: unknown) => void) {
    super()
    this.deliver = deliver
  }

  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload })
    this.deliver(channel, payload)
  }

  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler
  }

  /** Emits a cancellable event as Electron does; true when a listener prevented it. */
  emitPreventable(name: string, ...args: unknown[]): boolean {
    let prevented = false
    this.emit(name, { preventDefault: () => (prevented = true) }, ...args)
    return prevented
  }
}

export function createElectronMock(options: ElectronMockOptions) {
  let ready = false
  let resolveReady: () => void = () => undefined
  const readyPromise = new Promise<void>((resolve) => (resolveReady = resolve))
  const windows: BrowserWindowMock[] = []
  const windowCreated = new EventEmitter()
  const shown = new EventEmitter()
  const rendererListeners = new Map<string, Set<(event: unknown, payload: unknown) => void>>()
  const calls = {
    privilegedSchemes: [] as Electron.CustomScheme[][],
    sandboxEnabled: false,
    singleInstanceRequests: 0,
    /** `app.quit()` calls, and how many of them went through (no listener cancelled them). */
    quitRequests: 0,
    quit: 0,
    exit: [] as number[],
    aboutPanel: null as Electron.AboutPanelOptionsOptions | null,
    dockIcon: null as string | null,
    openedExternally: [] as string[],
    shownInFolder: [] as string[],
    saveDialogs: [] as Electron.SaveDialogOptions[],
    touchIdPrompts: [] as string[],
    messageBoxes: [] as Electron.MessageBoxOptions[],
    clipboardClears: 0,
    badgeCounts: [] as number[],
    notifications: [] as { title: string; body: string }[],
  }

  const app = Object.assign(new EventEmitter(), {
    name: 'Ascent',
    isPackaged: options.packaged ?? false,
    whenReady: () => readyPromise,
    isReady: () => ready,
    getPath: (name: string) => {
      if (name === 'userData') return options.userData
      if (name === 'home' && options.home) return options.home
      throw new Error(`Failed to get '${name}' path`)
    },
    getVersion: () => '0.1.0',
    enableSandbox: () => {
      if (ready) throw new Error('app.enableSandbox() can only be called before app is ready')
      calls.sandboxEnabled = true
    },
    requestSingleInstanceLock: () => {
      calls.singleInstanceRequests += 1
      return options.singleInstance ?? true
    },
    /** As Electron's: a `before-quit` listener may cancel it (and quit again later). */
    quit: () => {
      calls.quitRequests += 1
      let prevented = false
      app.emit('before-quit', { preventDefault: () => (prevented = true) })
      if (prevented) return
      calls.quit += 1
      app.emit('will-quit', { preventDefault: () => undefined })
      app.emit('quit')
    },
    exit: (code = 0) => {
      calls.exit.push(code)
      windowCreated.emit('exit', code)
    },
    setBadgeCount: (count: number) => {
      calls.badgeCounts.push(count)
      return true
    },
    setAboutPanelOptions: (panel: Electron.AboutPanelOptionsOptions) => {
      calls.aboutPanel = panel
    },
    dock: {
      setIcon: (icon: string) => {
        calls.dockIcon = icon
      },
    },
  })

  let protocolHandler: ((request: Request) => Response | Promise<Response>) | null = null
  const protocol = {
    registerSchemesAsPrivileged: (schemes: Electron.CustomScheme[]) => {
      if (ready) {
        throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready')
      }
      calls.privilegedSchemes.push(schemes)
    },
    handle: (scheme: string, handler: (request: Request) => Response | Promise<Response>) => {
      if (!ready) throw new Error("protocol module can't be used before app is ready")
      if (protocolHandler) throw new Error(`Failed to register protocol: ${scheme}`)
      protocolHandler = handler
    },
  }

  const permissionHandlers = {
    request: null as
      | ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void)
      | null,
    check: null as ((...args: unknown[]) => boolean) | null,
  }
  const session = {
    defaultSession: {
      setPermissionRequestHandler: (handler: typeof permissionHandlers.request) => {
        permissionHandlers.request = handler
      },
      setPermissionCheckHandler: (handler: typeof permissionHandlers.check) => {
        permissionHandlers.check = handler
      },
    },
  }

  class BrowserWindowMock extends EventEmitter {
    readonly options: Electron.BrowserWindowConstructorOptions
    readonly webContents: WebContentsMock
    loadedUrl: string | null = null
    minimized = false
    visible = false
    focusCount = 0

    constructor(windowOptions: Electron.BrowserWindowConstructorOptions = {}) {
      super()
      if (!ready) throw new Error('Cannot create BrowserWindow before app is ready')
      this.options = windowOptions
      this.webContents = new WebContentsMock((channel, payload) => {
        for (const listener of rendererListeners.get(channel) ?? []) listener({}, payload)
      })
      windows.push(this)
      app.emit('web-contents-created', {}, this.webContents)
      windowCreated.emit('created', this)
    }

    loadURL(url: string): Promise<void> {
      this.loadedUrl = url
      return Promise.resolve()
    }

    isMinimized(): boolean {
      return this.minimized
    }

    restore(): void {
      this.minimized = false
    }

    show(): void {
      this.visible = true
    }

    focus(): void {
      this.focusCount += 1
    }

    getBounds(): Electron.Rectangle {
      return { x: 0, y: 0, width: 1100, height: 720 }
    }
  }

  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>()
  const handleCalls: string[] = []
  const ipcMain = {
    handle: (channel: string, listener: (event: unknown, ...args: unknown[]) => unknown) => {
      handleCalls.push(channel)
      if (handlers.has(channel)) {
        throw new Error(`Attempted to register a second handler for '${channel}'`)
      }
      handlers.set(channel, listener)
    },
    removeHandler: (channel: string) => handlers.delete(channel),
  }

  let applicationMenu: MockMenu | null = null
  const Menu = {
    buildFromTemplate: buildMenu,
    setApplicationMenu: (menu: MockMenu | null) => {
      applicationMenu = menu
    },
    getApplicationMenu: () => applicationMenu,
  }

  const clipboardState = { text: options.clipboardText ?? '' }
  const network = { online: true }
  const powerMonitor = Object.assign(new EventEmitter(), { isOnBatteryPower: () => false })
  const shownNotifications: NotificationMock[] = []

  class NotificationMock extends EventEmitter {
    static isSupported = () => true
    constructor(readonly options: { title: string; body: string }) {
      super()
    }
    show() {
      calls.notifications.push({ title: this.options.title, body: this.options.body })
      shownNotifications.push(this)
    }
  }
  const electron = {
    app,
    protocol,
    session,
    BrowserWindow: BrowserWindowMock,
    ipcMain,
    Menu,
    net: { isOnline: () => network.online },
    powerMonitor,
    Notification: NotificationMock,
    nativeTheme: { themeSource: 'system' as 'system' | 'light' | 'dark' },
    clipboard: {
      // Asynchronous since Electron 44, as navigator.clipboard is.
      readText: () => Promise.resolve(clipboardState.text),
      writeText: (text: string) => {
        clipboardState.text = text
        return Promise.resolve()
      },
      clear: () => {
        calls.clipboardClears += 1
        clipboardState.text = ''
      },
    },
    dialog: {
      showOpenDialog: () => Promise.resolve({ canceled: true, filePaths: [] }),
      showSaveDialog: (...args: unknown[]) => {
        calls.saveDialogs.push(args.at(-1) as Electron.SaveDialogOptions)
        return Promise.resolve({ canceled: true, filePath: '' })
      },
      showMessageBox: (...args: unknown[]) => {
        const boxOptions = args.at(-1) as Electron.MessageBoxOptions
        calls.messageBoxes.push(boxOptions)
        shown.emit('messageBox', boxOptions)
        return Promise.resolve({
          response: options.messageBoxResponse ?? 0,
          checkboxChecked: false,
        })
      },
    },
    systemPreferences: {
      canPromptTouchID: () => options.touchId ?? false,
      promptTouchID: (reason: string) => {
        if (!(options.touchId ?? false)) return Promise.reject(new Error('Touch ID unavailable'))
        calls.touchIdPrompts.push(reason)
        return Promise.resolve()
      },
    },
    shell: {
      openExternal: (url: string) => {
        calls.openedExternally.push(url)
        return Promise.resolve()
      },
      showItemInFolder: (path: string) => {
        calls.shownInFolder.push(path)
      },
    },
    // The preload's side: the same process boundary, seen from the page.
    contextBridge: {
      exposed: new Map<string, unknown>(),
      exposeInMainWorld(key: string, api: unknown) {
        this.exposed.set(key, api)
      },
    },
    ipcRenderer: {
      invoke: (channel: string, ...args: unknown[]): Promise<unknown> => {
        const handler = handlers.get(channel)
        if (!handler) return Promise.reject(new Error(`No handler registered for '${channel}'`))
        return Promise.resolve(handler(ipcEvent(APP_TOP_FRAME), ...args))
      },
      on: (channel: string, listener: (event: unknown, payload: unknown) => void) => {
        const listeners = rendererListeners.get(channel) ?? new Set()
        listeners.add(listener)
        rendererListeners.set(channel, listeners)
      },
      removeListener: (channel: string, listener: (event: unknown, payload: unknown) => void) => {
        rendererListeners.get(channel)?.delete(listener)
      },
    },
    webUtils: {
      getPathForFile: (file: File & { path?: string }) => file.path ?? '',
    },
  }

  return {
    electron,
    calls,
    windows,
    permissionHandlers,
    clipboard: clipboardState,
    /** What `net.isOnline()` answers. */
    network,
    /** Emits sleep and power events (`suspend`, `resume`, `on-battery`, `on-ac`). */
    powerMonitor,
    /** Every notification main showed; `emit('click')` on one is the user clicking it. */
    shownNotifications,
    /** The handlers main registered, by channel, and every `ipcMain.handle` call in order. */
    ipc: { handlers, handleCalls },
    applicationMenu: () => applicationMenu,
    /** Resolves with the next context menu main pops up, and the options it gave `popup`. */
    nextPopup(): Promise<{ menu: MockMenu; options: Electron.PopupOptions }> {
      return new Promise((resolve) => popups.once('popup', resolve))
    },
    /** Asks the app to quit and resolves once it has (after whatever it does before quitting). */
    quitAndWait(): Promise<void> {
      const quitted = new Promise<void>((resolve) => app.once('quit', () => resolve()))
      app.quit()
      return quitted
    },
    /** Makes the app ready, as Electron does once it has started. */
    emitReady(): void {
      ready = true
      app.emit('ready')
      resolveReady()
    },
    /** Resolves with the next window created; rejects if the app exits first. */
    nextWindow(): Promise<BrowserWindowMock> {
      return new Promise((resolve, reject) => {
        const exited = (code: number) => reject(new Error(`The app exited (${code}) instead`))
        windowCreated.once('exit', exited)
        windowCreated.once('created', (window: BrowserWindowMock) => {
          windowCreated.off('exit', exited)
          resolve(window)
        })
      })
    },
    /** Resolves with the options of the next message box main shows. */
    nextMessageBox(): Promise<Electron.MessageBoxOptions> {
      return new Promise((resolve) => shown.once('messageBox', resolve))
    },
    /** A request to the app's protocol handler, as the renderer's loads and fetches are. */
    async request(url: string): Promise<Response> {
      if (!protocolHandler) throw new Error('No protocol handler registered')
      return protocolHandler(new Request(url))
    },
    /** An IPC call from a frame at `url` (the app's own top frame unless said otherwise). */
    invokeFrom(channel: string, request: unknown, url: string, parent: object | null = null) {
      const handler = handlers.get(channel)
      if (!handler) throw new Error(`No handler registered for '${channel}'`)
      return handler(ipcEvent(url, parent), request)
    },
  }
}

const APP_TOP_FRAME = 'app://ascent/'

function ipcEvent(url: string, parent: object | null = null): unknown {
  return { senderFrame: { url, parent } }
}

export type ElectronMock = ReturnType<typeof createElectronMock>
