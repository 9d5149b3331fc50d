/**
 * The composition root: builds every main-process module from the platform it is given and
 * returns the IPC handlers. The Electron entry, the browser harness and the tests all start here.
 */
import type { AscClientOptions } from './asc'
import { createAscClient } from './asc'
import { createBrowse, createTeamGuard } from './browse'
import { createContextMenus } from './context-menus'
import { createKeyChecks } from './diagnosis'
import { createDiskCache, type CacheFs, type DiskCache } from './disk-cache'
import { createKeyExport } from './export'
import { appHandlers } from './handlers/app'
import { browseHandlers, teamBrowseHandlers } from './handlers/browse'
import { keyCheckHandlers, teamCheckHandlers } from './handlers/check'
import { rotationHandlers, teamLifeHandlers } from './handlers/key-life'
import { keyIntakeHandlers } from './handlers/keys'
import { radarHandlers } from './handlers/radar'
import { menuHandlers } from './handlers/menus'
import { settingsHandlers } from './handlers/settings'
import { savedKeyHandlers } from './handlers/teams'
import type { Handlers } from './ipc'
import { createKeys } from './keys'
import { createNotifier, type LedgerFs } from './notifications'
import type { Platform } from './platform'
import { createRadar, type Radar, type SettingsSource } from './radar'
import { createSecretClipboard } from './secret-clipboard'
import { createSettings, type SettingsStore } from './settings'
import { createTokenCopy } from './token-copy'
import type { TokenSigner } from './tokens'
import { createTokenSigner } from './tokens'

export interface Ascent {
  handlers: Handlers
  /** The background refresh of every team (tests drive it with `runNow`). */
  radar: Radar
  /** The cache on disk (tests flush it and look at its files). */
  cache: DiskCache
  /** For main's own use of the settings (appearance, updates); the window uses the handlers. */
  settings: SettingsStore
  dispose(): Promise<void>
}

/** Data restored from disk is refreshed this long after launch: the window paints first. */
export const LAUNCH_GRACE_MS = 1_500

export interface AscentOptions {
  /** Client timing; tests pass a short timeout and fast back-off. */
  asc?: Pick<AscClientOptions, 'timeoutMs' | 'retry' | 'sleep'>
  /** Background refresh and notification settings; by default the user's (settings.json). */
  settings?: SettingsSource
  /** File operations of the cache and the notification ledger; tests pass failing ones. */
  cacheFs?: CacheFs & LedgerFs
  /** How long after launch the radar's first passes start (default 3 s). */
  radarLaunchDelayMs?: number
  /**
   * Whether the radar starts on its own after launch (default true). Tests of other modules that
   * count the timers main sets turn it off; the radar's tests drive it with `radar.runNow()`.
   */
  startRadar?: boolean
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
  const cache = createDiskCache({
    dataDir: platform.dataDir,
    timer: platform.timer,
    now: () => platform.now(),
    log: platform.log,
    fs: options.cacheFs,
  })
  const guard = createTeamGuard()
  const background: SettingsSource = options.settings ?? settings
  // Set below: browse tells the radar when a team's counts may have changed.
  let radar: Radar | null = null
  const browse = createBrowse({
    asc,
    keys,
    cache,
    guard,
    now: () => platform.now(),
    log: platform.log,
    launch: { timer: platform.timer, graceMs: LAUNCH_GRACE_MS },
    onChanged: (change) => {
      platform.notify('browse:changed', change)
      if (change.resource === 'activity' || change.resource === 'apps')
        radar?.touched(change.teamId)
    },
  })
  const notifier = createNotifier({
    dataDir: platform.dataDir,
    now: () => platform.now(),
    log: platform.log,
    desktop: platform.notifications,
    settings: background,
    open: (target) => platform.notify('app:command', { type: 'open', ...target }),
    fs: options.cacheFs,
  })
  radar = createRadar({
    asc,
    keys,
    cache,
    guard,
    notifier,
    settings: background,
    system: platform.system,
    timer: platform.timer,
    now: () => platform.now(),
    log: platform.log,
    onChanged: (change) => platform.notify('browse:changed', change),
    onOverview: (overview) => {
      platform.notify('radar:changed', overview)
      const total = overview.teams.reduce((sum, team) => sum + (team.attention ?? 0), 0)
      platform.badge.set(total)
    },
    launchDelayMs: options.radarLaunchDelayMs,
  })
  const backgroundRadar = radar

  /** Clear Cached Data: one team's, or every team's; the keys are not touched. */
  async function clearCache(teamId: string | null): Promise<void> {
    // A team that is not saved is refused (keys.team_not_found).
    if (teamId) await keys.identityOf(teamId)
    const teamIds = teamId ? [teamId] : (await keys.state()).teams.map((team) => team.id)
    for (const id of teamIds) {
      browse.clear(id)
      backgroundRadar.forget(id)
    }
    if (!teamId) await cache.clearAll()
    await cache.flush()
    platform.notify('cache:cleared', { teamId })
  }
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
  void keys
    .reconcile()
    .then(async (state) => {
      // Every saved team's file is read now: the sidebar paints every team's counts at launch.
      await cache.preload(state.teams.map((team) => team.id))
      if (options.startRadar !== false) backgroundRadar.start()
    })
    .catch((error: unknown) => {
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
    ...radarHandlers(backgroundRadar, clearCache),
    ...settingsHandlers(settings),
    ...menuHandlers(menus),
  }
  const listTeams = handlers['teams:list']
  const removeTeam = handlers['teams:remove']
  // The sidebar's quiet notices also say when the cache cannot be saved.
  handlers['teams:list'] = async (request) => {
    const state = await listTeams(request)
    return { ...state, notices: [...state.notices, ...cache.notices()] }
  }
  handlers['teams:remove'] = async (request) => {
    backgroundRadar.forget(request.teamId)
    const answer = await removeTeam(request)
    backgroundRadar.forget(request.teamId)
    return answer
  }
  return {
    handlers,
    radar: backgroundRadar,
    cache,
    settings,
    dispose: async () => {
      backgroundRadar.dispose()
      stopNotifyingSettings()
      stopRetiring()
      browse.dispose()
      checks.dispose()
      await keys.dispose()
      // A key or token main copied must not outlive the app on the clipboard.
      await clipboard.clearNow()
      // What changed since the last write goes to disk before the app quits.
      await cache.dispose()
    },
  }
}
