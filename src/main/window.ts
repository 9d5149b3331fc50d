/**
 * The app window, locked down: sandboxed renderer with context isolation, no Node, no navigation,
 * no new windows, no permissions, no webviews. Links leave only through `app:openExternal`.
 */
import { BrowserWindow, type Rectangle, type WebContents } from 'electron'

export interface WindowOptions {
  preloadPath: string
  url: string
  bounds: Partial<Rectangle>
  onBoundsChanged(bounds: Rectangle): void
}

export function createMainWindow(options: WindowOptions): BrowserWindow {
  const isMac = process.platform === 'darwin'
  const window = new BrowserWindow({
    width: 1100,
    height: 720,
    ...options.bounds,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Ascent',
    titleBarStyle: isMac ? 'hiddenInset' : 'default',
    vibrancy: isMac ? 'sidebar' : undefined,
    visualEffectState: 'followWindow',
    backgroundColor: isMac ? '#00000000' : '#ececec',
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
    },
  })

  window.once('ready-to-show', () => window.show())
  const saveBounds = () => options.onBoundsChanged(window.getBounds())
  window.on('resized', saveBounds)
  window.on('moved', saveBounds)
  void window.loadURL(options.url)
  return window
}

/** Applied to every web contents the app creates, including any a page might try to open. */
export function lockDownContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault())
  contents.on('will-redirect', (event) => event.preventDefault())
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
}
