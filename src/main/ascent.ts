/**
 * The composition root: builds every main-process module from the platform it is given and
 * returns the IPC handlers. The Electron entry, the browser harness and the tests all start here.
 */
import type { AscClientOptions } from './asc'
import { createAscClient } from './asc'
import { createBrowse } from './browse'
import { createBrowseCache } from './cache'
import { createKeyChecks } from './diagnosis'
import { appHandlers } from './handlers/app'
import { browseHandlers, teamBrowseHandlers } from './handlers/browse'
import { keyCheckHandlers, teamCheckHandlers } from './handlers/check'
import { keyIntakeHandlers } from './handlers/keys'
import { settingsHandlers } from './handlers/settings'
import { savedKeyHandlers } from './handlers/teams'
import type { Handlers } from './ipc'
import { createKeys } from './keys'
import type { Platform } from './platform'
import { createSettings, type SettingsStore } from './settings'
import { createTokenSigner } from './tokens'

export interface Ascent {
  handlers: Handlers
  /** For main's own use of the settings (appearance, updates); the window uses the handlers. */
  settings: SettingsStore
  dispose(): Promise<void>
}

export interface AscentOptions {
  /** Client timing; tests pass a short timeout and fast back-off. */
  asc?: Pick<AscClientOptions, 'timeoutMs' | 'retry' | 'sleep'>
}

export function createAscent(platform: Platform, options: AscentOptions = {}): Ascent {
  const settings = createSettings({
    dataDir: platform.dataDir,
    now: () => platform.now(),
    log: platform.log,
  })
  const stopNotifyingSettings = settings.onChange((next) =>
    platform.notify('settings:changed', next),
  )
  const keys = createKeys(platform)
  const tokens = createTokenSigner({ loadKey: keys.loadSigningKey, now: () => platform.now() })
  const stopRetiring = keys.onKeyRetired(tokens.forgetKey)
  const asc = createAscClient({
    fetch: platform.fetch,
    baseUrl: platform.apiBase,
    tokens,
    now: () => platform.now(),
    log: platform.log,
    ...options.asc,
  })
  const checks = createKeyChecks({
    keys,
    asc,
    tokens,
    now: () => platform.now(),
    notify: (event, payload) => platform.notify(event, payload),
  })
  const browse = createBrowse({
    asc,
    keys,
    cache: createBrowseCache(),
    now: () => platform.now(),
    log: platform.log,
  })
  void keys.reconcile().catch((error: unknown) => {
    platform.log.error('reconciling saved keys failed', { error: String(error) })
  })

  const savedKeys = savedKeyHandlers(keys)
  const handlers: Handlers = {
    ...appHandlers(platform),
    ...keyIntakeHandlers(platform, keys),
    ...savedKeys,
    ...keyCheckHandlers(checks),
    ...teamCheckHandlers(checks),
    ...browseHandlers(browse),
    ...teamBrowseHandlers(browse, savedKeys),
    ...settingsHandlers(settings),
  }
  return {
    handlers,
    settings,
    dispose: () => {
      stopNotifyingSettings()
      stopRetiring()
      browse.dispose()
      checks.dispose()
      keys.dispose()
      return Promise.resolve()
    },
  }
}
