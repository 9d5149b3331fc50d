import { generateKeyPairSync } from 'node:crypto'
import { isAppError } from '../../src/main/errors'
import { createKeys, type Keys } from '../../src/main/keys'
import { silentLogger } from '../../src/main/log'
import type {
  DesktopNotification,
  DesktopNotifications,
  Platform,
  SaveDialogRequest,
  SystemConditions,
  SystemState,
  Timer,
  UserPresence,
} from '../../src/main/platform'
import type { KeychainErrorCode, SecretStore } from '../../src/main/secrets'
import { KeychainError } from '../../src/main/secrets'

/**
 * Test doubles shared by the main-process tests: an in-memory SecretStore with failure
 * injection, a clipboard, a settable clock, a generator for Apple-style keys, the keys module
 * without a window, and the code of what an action throws.
 */

export type SecretOperation = 'get' | 'set' | 'delete' | 'accounts'

export interface MemorySecretStore extends SecretStore {
  /** The stored items, by account. Tests may read and change it directly. */
  readonly items: Map<string, string>
  /** How often each operation was called (failed calls included). */
  readonly calls: Record<SecretOperation, number>
  /**
   * Makes the given operations (all by default) throw a KeychainError with `code`, as the real
   * store does, until `recover()`. With `times`, only the next `times` matching calls fail.
   */
  fail: (
    code: KeychainErrorCode,
    options?: { operations?: SecretOperation[]; times?: number },
  ) => void
  recover: () => void
}

const MESSAGES: Record<KeychainErrorCode, string> = {
  'keychain.unavailable': 'Ascent cannot reach the Test Keychain, where it keeps private keys.',
  'keychain.locked': 'The Test Keychain is locked. Unlock it, then try again.',
  'keychain.denied': 'Access to the Test Keychain was denied.',
}

export function createMemorySecretStore(backend = 'Test Keychain'): MemorySecretStore {
  const items = new Map<string, string>()
  const calls: Record<SecretOperation, number> = { get: 0, set: 0, delete: 0, accounts: 0 }
  let failure: { code: KeychainErrorCode; operations: SecretOperation[]; times: number } | null =
    null

  function enter(operation: SecretOperation): void {
    calls[operation] += 1
    if (!failure?.operations.includes(operation)) return
    const { code } = failure
    failure.times -= 1
    if (failure.times <= 0) failure = null
    throw new KeychainError(code, MESSAGES[code], `injected ${code}`)
  }

  return {
    backend,
    items,
    calls,
    get(account) {
      enter('get')
      return Promise.resolve(items.get(account) ?? null)
    },
    set(account, secret) {
      enter('set')
      items.set(account, secret)
      return Promise.resolve()
    },
    delete(account) {
      enter('delete')
      return Promise.resolve(items.delete(account))
    },
    accounts() {
      enter('accounts')
      return Promise.resolve([...items.keys()].sort())
    },
    fail(code, options = {}) {
      failure = {
        code,
        operations: options.operations ?? ['get', 'set', 'delete', 'accounts'],
        times: options.times ?? Number.POSITIVE_INFINITY,
      }
    },
    recover() {
      failure = null
    },
  }
}

export interface MemoryClipboard {
  text: string
  clears: number
  /** Every text main put on the clipboard, in order. */
  written: string[]
  readText: () => Promise<string>
  writeText: (text: string) => Promise<void>
  clear: () => void
}

export function createMemoryClipboard(text = ''): MemoryClipboard & Platform['clipboard'] {
  const clipboard: MemoryClipboard = {
    text,
    clears: 0,
    written: [],
    readText: () => Promise.resolve(clipboard.text),
    writeText: (value) => {
      clipboard.text = value
      clipboard.written.push(value)
      return Promise.resolve()
    },
    clear: () => {
      clipboard.text = ''
      clipboard.clears += 1
    },
  }
  return clipboard
}

export interface FakeTimer extends Timer {
  /** Delays of the timers still pending, in ms, in the order they were set. */
  pending: () => number[]
  /** Runs every pending timer due within `ms` from the last run, in order. */
  advance: (ms: number) => void
}

/**
 * Resolves once the work a timer callback started has run on (the clipboard answers
 * asynchronously, as Electron's does): await it after `advance` before looking at the outcome.
 */
export function settled(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

/** Timers that run only when the test says time has passed. */
export function createFakeTimer(): FakeTimer {
  let elapsed = 0
  let next = 0
  const timers = new Map<number, { due: number; delay: number; callback: () => void }>()
  return {
    after(ms, callback) {
      const id = (next += 1)
      timers.set(id, { due: elapsed + ms, delay: ms, callback })
      return () => timers.delete(id)
    },
    pending: () => [...timers.values()].map((timer) => timer.delay),
    advance(ms) {
      elapsed += ms
      const due = [...timers].filter(([, timer]) => timer.due <= elapsed)
      due.sort(([, a], [, b]) => a.due - b.due)
      for (const [id, timer] of due) {
        timers.delete(id)
        timer.callback()
      }
    },
  }
}

export interface FakeUserPresence extends UserPresence {
  /** The reasons main asked with, in order. */
  asked: string[]
  /** What the next prompts answer (then `confirmed`). */
  answers: ('confirmed' | 'refused' | 'unavailable')[]
}

export function createFakeUserPresence(): FakeUserPresence {
  const presence: FakeUserPresence = {
    asked: [],
    answers: [],
    confirm(reason) {
      presence.asked.push(reason)
      return Promise.resolve(presence.answers.shift() ?? 'confirmed')
    },
  }
  return presence
}

export interface FakeSaveDialog {
  /** What the next save dialogs answer: a path, or null for Cancel. */
  answers: (string | null)[]
  /** What main asked each time. */
  requests: SaveDialogRequest[]
  chooseSavePath: (request: SaveDialogRequest) => Promise<string | null>
}

export function createFakeSaveDialog(): FakeSaveDialog {
  const dialog: FakeSaveDialog = {
    answers: [],
    requests: [],
    chooseSavePath(request) {
      dialog.requests.push(request)
      return Promise.resolve(dialog.answers.shift() ?? null)
    },
  }
  return dialog
}

export interface FakeClock {
  now: () => number
  set: (ms: number) => void
  advance: (ms: number) => void
}

export function createFakeClock(start = Date.UTC(2026, 4, 1, 12, 0, 0)): FakeClock {
  let current = start
  return {
    now: () => current,
    set: (ms) => {
      current = ms
    },
    advance: (ms) => {
      current += ms
    },
  }
}

/** A fresh key of the kind Apple issues: EC P-256, PKCS#8 PEM (as in AuthKey_XXXXXXXXXX.p8). */
export function generateAppleKey(): { pem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  return {
    pem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
  }
}

/** The keys module as a process without a window runs it: no clipboard, the real clock, no log. */
export function createHeadlessKeys(dataDir: string, secrets: SecretStore): Keys {
  return createKeys({
    secrets,
    clipboard: {
      readText: () => Promise.resolve(''),
      writeText: () => Promise.resolve(),
      clear: () => undefined,
    },
    now: Date.now,
    dataDir,
    log: silentLogger,
  })
}

/** The `AppError` code `action` throws; `no error`, or what else it threw, so a test can fail. */
export async function errorCodeOf(action: () => unknown): Promise<string> {
  try {
    await action()
  } catch (error) {
    return isAppError(error) ? error.code : `not an AppError: ${String(error)}`
  }
  return 'no error'
}

/** The armor lines of a PEM block with this label (`PRIVATE KEY`, `EC PRIVATE KEY`, ...). */
export function pemArmor(label: string): { begin: string; end: string } {
  return { begin: `-----BEGIN ${label}-----`, end: `-----END ${label}-----` }
}

/** A PEM block around a base64 body, as a damaged or hand-made input would be. */
export function wrapPem(label: string, body: string): string {
  const { begin, end } = pemArmor(label)
  return `${begin}\n${body}\n${end}\n`
}

export interface FakeSystem extends SystemState {
  /** Changes the conditions and tells the listeners, as the OS would. */
  set(change: Partial<SystemConditions>): void
}

/** The machine's network, sleep and battery, set by the test. Online, awake, plugged in. */
export function createFakeSystem(): FakeSystem {
  let conditions: SystemConditions = { online: true, asleep: false, lowBattery: false }
  const listeners = new Set<() => void>()
  return {
    current: () => ({ ...conditions }),
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    set(change) {
      conditions = { ...conditions, ...change }
      for (const listener of [...listeners]) listener()
    },
  }
}

export interface RecordedNotification extends DesktopNotification {
  click(): void
}

/** Desktop notifications that are recorded, and clicked by the test. */
export function createRecordingNotifications(): DesktopNotifications & {
  shown: RecordedNotification[]
} {
  const shown: RecordedNotification[] = []
  return {
    shown,
    show(notification, onClick) {
      shown.push({ ...notification, click: onClick })
    },
  }
}

/** The Dock badge: every number main set, in order. */
export function createRecordingBadge(): Platform['badge'] & { counts: number[] } {
  const counts: number[] = []
  return { counts, set: (count) => counts.push(count) }
}

/** The background parts of a test platform: a steady machine, recorded notifications and badge. */
export function backgroundPlatform(): Pick<Platform, 'system' | 'notifications' | 'badge'> {
  return {
    system: createFakeSystem(),
    notifications: createRecordingNotifications(),
    badge: createRecordingBadge(),
  }
}
