import type * as Keyring from '@napi-rs/keyring'
import type { CodesOf } from '../shared/errors'
import { AppError } from './errors'

/**
 * Where private keys live: the macOS Keychain, or the Secret Service on Linux. Everything else
 * about a key is metadata in the data folder. Modules take a SecretStore as an argument; tests
 * pass the in-memory one from test/main/fakes.
 */
export interface SecretStore {
  /** A name for the user: `macOS Keychain`, `Secret Service`. */
  readonly backend: string
  get(account: string): Promise<string | null>
  set(account: string, secret: string): Promise<void>
  /** True when an item was deleted, false when there was none. */
  delete(account: string): Promise<boolean>
  /** Every account stored under Ascent's service. */
  accounts(): Promise<string[]>
}

/**
 * Error codes a SecretStore throws (as `AppError`):
 * - `keychain.unavailable`: no keychain to talk to (no Secret Service or D-Bus, the native module
 *   failed to load, any other platform failure).
 * - `keychain.locked`: the keychain is locked and was not unlocked.
 * - `keychain.denied`: the user (or the system) refused Ascent access to the item.
 */
export type KeychainErrorCode = CodesOf<'keychain'>

/**
 * A keychain failure. `platformMessage` is the platform's own words, for the redacting log only:
 * the user sees `message`. Neither ever holds a secret (platform errors name the failure, not the
 * item's data).
 */
export class KeychainError extends AppError {
  constructor(
    code: KeychainErrorCode,
    message: string,
    readonly platformMessage: string,
  ) {
    super(code, message)
    this.name = 'KeychainError'
  }
}

/** The keychain service of the app's items. */
export const KEYCHAIN_SERVICE = 'Ascent'

/**
 * The keychain service the app files its keys under: always `Ascent` in a packaged app. A
 * development build may be given its own (ASCENT_KEYCHAIN_SERVICE, `Ascent-…`), so the tests of
 * the real app on a Mac never read or write the user's own Ascent items.
 */
export function resolveKeychainService(options: {
  packaged: boolean
  requested: string | undefined
  warn: (message: string) => void
}): string {
  const { packaged, requested, warn } = options
  if (!requested) return KEYCHAIN_SERVICE
  if (packaged) {
    warn('ASCENT_KEYCHAIN_SERVICE is ignored in a packaged build.')
    return KEYCHAIN_SERVICE
  }
  if (!/^Ascent-[A-Za-z0-9._-]{1,64}$/.test(requested)) {
    throw new Error(
      'ASCENT_KEYCHAIN_SERVICE must be "Ascent-" and up to 64 letters, digits, ".", "_" or "-".',
    )
  }
  return requested
}

export interface KeyringSecretStoreOptions {
  /** The keychain service every item is filed under. Tests use a unique one per file. */
  service?: string
}

type KeyringModule = typeof Keyring

/**
 * A SecretStore over `@napi-rs/keyring`. Only the async calls are used, so the main thread never
 * waits on the keychain. On Linux every entry is pinned to the Secret Service: the library would
 * otherwise fall back silently to the kernel keyring, which forgets everything at reboot.
 */
export function createKeyringSecretStore(options: KeyringSecretStoreOptions = {}): SecretStore {
  const service = options.service ?? KEYCHAIN_SERVICE
  const backend = backendName(process.platform)
  const entryOptions = { linux: { store: 'secret-service' as const } }
  let keyring: Promise<KeyringModule> | null = null

  // Loaded on first use, so a missing native binary is a keychain error, not a crash at start-up.
  function loadKeyring(): Promise<KeyringModule> {
    keyring ??= import('@napi-rs/keyring').catch((error: unknown) => {
      keyring = null
      throw error
    })
    return keyring
  }

  async function withKeychain<T>(operation: (module: KeyringModule) => Promise<T>): Promise<T> {
    try {
      // `new AsyncEntry(...)` throws synchronously when D-Bus is missing: it runs inside here.
      return await operation(await loadKeyring())
    } catch (error) {
      throw toKeychainError(error, backend)
    }
  }

  return {
    backend,
    get: (account) =>
      withKeychain((module) => new module.AsyncEntry(service, account, entryOptions).getPassword()),
    set: (account, secret) =>
      withKeychain((module) =>
        new module.AsyncEntry(service, account, entryOptions).setPassword(secret),
      ),
    delete: (account) =>
      withKeychain((module) =>
        new module.AsyncEntry(service, account, entryOptions).deleteCredential(),
      ),
    accounts: () =>
      withKeychain(async (module) => {
        // The library lists passwords along with accounts; only the account names leave here.
        const credentials = await module.findCredentialsAsync(service)
        return [...new Set(credentials.map((credential) => credential.account))].sort()
      }),
  }
}

function backendName(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'macOS Keychain'
  if (platform === 'win32') return 'Windows Credential Manager'
  return 'Secret Service'
}

// Patterns over the platform's error text (the library gives every failure the same `code`).
// Linux (gnome-keyring over D-Bus) and macOS (Security framework messages, or `error code -N`).
const LOCKED = [
  /is ?locked/i,
  /unlock prompt/i,
  /interaction (is )?not allowed/i,
  /code -25308\b/,
  /keychain.*could not be unlocked/i,
]
const DENIED = [
  /user cancel+ed/i,
  /code -128\b/,
  /passphrase you entered is not correct/i,
  /code -25293\b/,
  /access (was )?denied/i,
  /not authori[sz]ed/i,
  /AccessDenied/,
]

/** Turns whatever the keyring library threw into a KeychainError with a clear message. */
export function toKeychainError(error: unknown, backend: string): KeychainError {
  if (error instanceof KeychainError) return error
  const platformMessage = error instanceof Error ? error.message : String(error)
  const code = classify(platformMessage)
  return new KeychainError(code, keychainMessage(code, backend), platformMessage)
}

function classify(platformMessage: string): KeychainErrorCode {
  if (LOCKED.some((pattern) => pattern.test(platformMessage))) return 'keychain.locked'
  if (DENIED.some((pattern) => pattern.test(platformMessage))) return 'keychain.denied'
  return 'keychain.unavailable'
}

function keychainMessage(code: KeychainErrorCode, backend: string): string {
  switch (code) {
    case 'keychain.locked':
      return `The ${backend} is locked. Unlock it, then try again.`
    case 'keychain.denied':
      return `Access to the ${backend} was denied. Try again and choose Allow when asked for Ascent's keys.`
    case 'keychain.unavailable':
      return backend === 'Secret Service'
        ? 'Ascent cannot reach the Secret Service, where it keeps private keys. Make sure a keyring such as GNOME Keyring is running in your session, then try again.'
        : `Ascent cannot reach the ${backend}, where it keeps private keys. Try again; if it keeps failing, restart your Mac.`
  }
}
