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
    /** Empties the clipboard. */
    clear(): void
  }
  dialog: {
    /** Shows an open dialog for a .p8 or fastlane .json file; null when the user cancels. */
    chooseKeyFile(): Promise<string | null>
  }
  shell: {
    openExternal(url: string): Promise<void>
  }
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
}

export const APPLE_API_BASE = 'https://api.appstoreconnect.apple.com'
