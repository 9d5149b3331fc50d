/**
 * The composition root: builds every main-process module from the platform it is given and
 * returns the IPC handlers. The Electron entry, the browser harness and the tests all start here.
 */
import type { AscClientOptions } from './asc'
import { createAscClient } from './asc'
import { createBrowse } from './browse'
import { createBrowseCache } from './cache'
import { createContextMenus } from './context-menus'
import { createKeyChecks } from './diagnosis'
import { createKeyExport } from './export'
import { appHandlers } from './handlers/app'
import { browseHandlers, teamBrowseHandlers } from './handlers/browse'
import { keyCheckHandlers, teamCheckHandlers } from './handlers/check'
import { rotationHandlers, teamLifeHandlers } from './handlers/key-life'
import { keyIntakeHandlers } from './handlers/keys'
import { menuHandlers } from './handlers/menus'
import { settingsHandlers } from './handlers/settings'
import { savedKeyHandlers } from './handlers/teams'
import type { Handlers } from './ipc'
import { createKeys } from './keys'
import type { Platform } from './platform'
import { createSecretClipboard } from './secret-clipboard'
import { createSettings, type SettingsStore } from './settings'
import { createTokenCopy } from './token-copy'
import type { TokenSigner } from './tokens'
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
  const signer = createTokenSigner({ loadKey: keys.loadSigningKey, now: () => platform.now() })
  // Every request signed with a saved key is that team's last use (written now and then).
  const tokens: TokenSigner = {
    ...signer,
    token: (identity, request) => {
      keys.noteUsed(identity.fingerprint)
      return signer.token(identity, request)
    },
    mint: (identity, request) => {
      keys.noteUsed(identity.fingerprint)
      return signer.mint(identity, request)
    },
  }
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
    onChanged: (change) => platform.notify('browse:changed', change),
  })
  const clipboard = createSecretClipboard({
    clipboard: platform.clipboard,
    timer: platform.timer,
    now: () => platform.now(),
  })
  const exporter = createKeyExport({
    keys,
    clipboard,
    dialog: platform.dialog,
    userPresence: platform.userPresence,
    homeDir: platform.homeDir,
    now: () => platform.now(),
  })
  const tokenCopy = createTokenCopy({ keys, tokens, clipboard, apiBase: platform.apiBase })
  void keys.reconcile().catch((error: unknown) => {
    platform.log.error('reconciling saved keys failed', { error: String(error) })
  })

  const savedKeys = savedKeyHandlers(keys)
  const menus = createContextMenus({
    host: platform.contextMenu,
    clipboard: platform.clipboard,
    openExternal: (url) => platform.shell.openExternal(url),
    sendCommand: (command) => platform.notify('app:command', command),
    apps: async (teamId) => (await browse.read({ teamId, resource: 'apps', params: {} })).value,
    build: async (teamId, buildId) =>
      (await browse.read({ teamId, resource: 'build', params: { buildId } })).value,
    teams: async () => (await keys.state()).teams,
  })
  const handlers: Handlers = {
    ...appHandlers(platform),
    ...keyIntakeHandlers(platform, keys),
    ...savedKeys,
    ...keyCheckHandlers(checks),
    ...teamCheckHandlers(checks),
    ...rotationHandlers(checks),
    ...teamLifeHandlers(keys, exporter, tokenCopy),
    ...browseHandlers(browse),
    ...teamBrowseHandlers(browse, savedKeys),
    ...settingsHandlers(settings),
    ...menuHandlers(menus),
  }
  return {
    handlers,
    settings,
    dispose: async () => {
      stopNotifyingSettings()
      stopRetiring()
      browse.dispose()
      checks.dispose()
      await keys.dispose()
      // A key or token main copied must not outlive the app on the clipboard.
      await clipboard.clearNow()
    },
  }
}
