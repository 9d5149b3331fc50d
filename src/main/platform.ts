import type { EventName, EventPayload } from '../shared/contract'
import type { Logger } from './log'
import type { SecretStore } from './secrets'

/**
 * Everything the main-process modules need from the machine, passed in as arguments. The Electron
 * entry passes the real ones; the browser harness and the tests pass their own.
 */
export interface Platform {
  secrets: SecretStore
  clipboard: {
    /** Electron's clipboard reads asynchronously (as `navigator.clipboard` does). */
    readText(): Promise<string>
    /** Puts text on the clipboard (an exported key, a token: main clears it again). */
    writeText(text: string): Promise<void>
    /** Empties the clipboard. */
    clear(): void
  }
  dialog: {
    /** Shows an open dialog for a .p8 or fastlane .json file; null when the user cancels. */
    chooseKeyFile(): Promise<string | null>
    /** Shows a save dialog opening at `defaultPath`; the chosen path, or null on Cancel. */
    chooseSavePath(options: SaveDialogRequest): Promise<string | null>
  }
  shell: {
    openExternal(url: string): Promise<void>
  }
  /** Native context menus; absent in the browser harness (the page draws its own there). */
  contextMenu?: ContextMenuHost
  fetch: typeof globalThis.fetch
  /** Milliseconds since the epoch; tests pass a skewed or fixed clock. */
  now(): number
  /** The app's own folder for metadata and cache files. */
  dataDir: string
  /** App Store Connect API base URL: Apple's, or the sandbox in demo and tests. */
  apiBase: string
  appVersion: string
  /** Sends an event to the app's window. */
  notify<E extends EventName>(event: E, payload: EventPayload<E>): void
  log: Logger
  /** Asks for the user's presence before a private key leaves the keychain (Touch ID on a Mac). */
  userPresence: UserPresence
  /** Timers main sets (clearing the clipboard again); tests pass one they drive. */
  timer: Timer
  /** The user's home folder, where export dialogs open (`~/.appstoreconnect/private_keys`). */
  homeDir: string
  /** Whether background work may run now: the network, sleep, the battery. */
  system: SystemState
  /** Desktop notifications (macOS Notification Center). */
  notifications: DesktopNotifications
  /** The number on the app's Dock icon; 0 removes it. */
  badge: { set(count: number): void }
}

/** What the machine says about running background work now. */
export interface SystemConditions {
  online: boolean
  /** The Mac is going to sleep or asleep: nothing may be sent. */
  asleep: boolean
  /** Running on a battery that is low: nothing is sent that the user did not ask for. */
  lowBattery: boolean
}

export interface SystemState {
  current(): SystemConditions
  /** Called after every change of the conditions; returns the unsubscribe. */
  onChange(listener: () => void): () => void
}

/** The machine as always fine, for tools that run no background work (the command line). */
export const steadySystem: SystemState = {
  current: () => ({ online: true, asleep: false, lowBattery: false }),
  onChange: () => () => undefined,
}

export interface DesktopNotification {
  title: string
  body: string
}

export interface DesktopNotifications {
  /**
   * Shows a notification; `onClick` runs when the user clicks it, after the app's window has
   * been brought to the front.
   */
  show(notification: DesktopNotification, onClick: () => void): void
}

/** One line of a native context menu: an item to choose, or a separator. */
export type NativeMenuLine = { label: string } | { separator: true }

export interface ContextMenuHost {
  /**
   * Shows a menu at the pointer in the app's window; resolves with the index of the line chosen,
   * or null when the menu closed without a choice.
   */
  popup(lines: NativeMenuLine[]): Promise<number | null>
}

export interface SaveDialogRequest {
  title: string
  /** Folder and file name the dialog proposes. */
  defaultPath: string
  filters: { name: string; extensions: string[] }[]
}

export interface UserPresence {
  /**
   * `confirmed` (Touch ID passed), `refused` (canceled or failed), or `unavailable` (no Touch
   * ID here: the renderer's own confirmation is then all there is). `reason` completes "Ascent is
   * trying to …".
   */
  confirm(reason: string): Promise<'confirmed' | 'refused' | 'unavailable'>
}

export interface Timer {
  /** Calls `callback` once after `ms`; the returned function cancels it. Never keeps the process alive. */
  after(ms: number, callback: () => void): () => void
}

/** Node's timers, unref'd: a pending clear never keeps the app (or a test) running. */
export const nodeTimer: Timer = {
  after(ms, callback) {
    const timeout = setTimeout(callback, ms)
    timeout.unref()
    return () => clearTimeout(timeout)
  },
}

export const APPLE_API_BASE = 'https://api.appstoreconnect.apple.com'
