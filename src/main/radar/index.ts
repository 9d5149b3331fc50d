/**
 * The radar: every saved team refreshed in the background, cheapest requests first, within a
 * share of each key's hourly allowance, so the sidebar's counts, the Dock badge and notifications
 * follow App Store Connect while Ascent stays open.
 *
 *   const radar = createRadar({ asc, keys, cache, guard, notifier, settings, system, timer, ... })
 *   radar.start()            // the first pass of every team a few seconds after launch
 *   await radar.overview()   // per team: attention count, last refresh, why it failed
 *
 * A pass of a team is a quick look or a sweep. The quick look reads two team-wide lists (builds
 * being processed, the 50 newest builds) and, when a build it watched left processing and is in
 * neither, the newest page of builds still in TestFlight: 2–3 requests whatever the number of
 * apps. A sweep reads the team's apps and every build still in TestFlight, page by page: a team's
 * first pass, then every 6 hours when the budget allows. From the builds it remembers (./watch.ts)
 * the radar works out each app's activity and the team's attention count without asking Apple per
 * app, and what is news: builds that finished processing or need export compliance, builds that
 * expire within 3 days. A key that Apple refuses (401/403) is news too, once.
 *
 * Requests go in the background lane (the user's requests go first), never retried (a 429 slows
 * the key's radar instead), all under one token scope (one signature per key per 19 minutes), and
 * only while the key's last `X-Rate-Limit` shows more than a fifth of its hour left: the radar
 * never takes what the user's own browsing needs. It pauses while the Mac is offline, asleep or
 * on low battery, or when background refresh is switched off, and resumes with one pass of every
 * team. Everything it stores is checked against the team's guard (../browse/guard.ts) first, so a
 * team removed, cleared or given another key meanwhile gets nothing of it.
 */
import { z } from 'zod'
import { HOUR_MS } from '../../shared/attention'
import type { AppActivity } from '../../shared/contract/apps'
import type { ResourceChange } from '../../shared/contract/browse'
import type { RadarOverview, RadarPause, TeamRadar } from '../../shared/contract/radar'
import type { TeamSummary } from '../../shared/contract/teams'
import type { Diagnosis } from '../../shared/diagnosis'
import type { IpcError } from '../../shared/result'
import type { AscClient, CallOptions } from '../asc'
import { isAscError } from '../asc'
import { refreshState, type TeamGuard } from '../browse'
import type { StoredApps } from '../browse/apps'
import { toAppRow } from '../browse/rows'
import type { BrowseCache } from '../cache'
import { diagnoseFailure } from '../diagnosis'
import { isAppError } from '../errors'
import type { Keys } from '../keys'
import type { Logger } from '../log'
import type { Notifier, RadarEvent } from '../notifications'
import type { SystemState, Timer } from '../platform'
import type { SigningIdentity } from '../tokens'
import { createRadarBudget, RATE_LIMITED_PAUSE_MS, type RadarBudget } from './budget'
import { RADAR_SCOPE, radarBuildSchema, radarRequests, toWatched } from './requests'
import type { BackgroundSettings, SettingsSource } from './settings'
import {
  activityFrom,
  attentionTotal,
  eventsOf,
  mergeBuilds,
  type RadarMemory,
  type WatchedBuild,
} from './watch'

export type { BackgroundSettings, SettingsSource } from './settings'
export { DEFAULT_BACKGROUND_SETTINGS, fixedSettings } from './settings'
export type { RadarMemory, WatchedBuild } from './watch'

/** The radar's memory of a team, in the team's cache (pinned, so never evicted). */
export const RADAR_KEY = 'radar'
/** Requests of a quick look, as planned: builds in flight and the newest builds. */
const QUICK_COST = 2
/** Quick looks may use this share of the budget; sweeps and catch-ups the rest. */
const QUICK_SHARE = 0.5
export const MIN_INTERVAL_MS = 2 * 60_000
export const MAX_INTERVAL_MS = 30 * 60_000
export const SWEEP_INTERVAL_MS = 6 * HOUR_MS
/** After a failure that says nothing of the key (the network, Apple's trouble). */
const RETRY_AFTER_FAILURE_MS = 5 * 60_000
/** The first passes wait this long after launch: the window paints from disk first. */
export const DEFAULT_LAUNCH_DELAY_MS = 3_000
/** Passes of different teams (different keys) that run at once. */
const PARALLEL_TEAMS = 3

export interface RadarOptions {
  asc: Pick<AscClient, 'forKey' | 'usage'>
  keys: Pick<Keys, 'state' | 'identityOf' | 'markRejected'>
  cache: BrowseCache
  guard: TeamGuard
  notifier: Pick<Notifier, 'post' | 'forget'>
  settings: SettingsSource
  system: SystemState
  timer: Timer
  now: () => number
  log: Logger
  /** A team's apps or activity changed: main sends `browse:changed`. */
  onChanged: (change: ResourceChange) => void
  /** How the teams stand changed: main sends `radar:changed` and sets the Dock badge. */
  onOverview: (overview: RadarOverview) => void
  launchDelayMs?: number
}

export interface Radar {
  start(): void
  overview(): Promise<RadarOverview>
  /** Something of the team changed in the cache (a screen's refresh landed): counts may differ. */
  touched(teamId: string): void
  /** The team is gone, or its cached data was cleared: its memory goes too. */
  forget(teamId: string): void
  /** Runs one pass of every team now, whatever the schedule (tests; `start` waits for it). */
  runNow(): Promise<void>
  /** Resolves once no pass is running (the bench, which drives the radar's clock, waits on it). */
  idle(): Promise<void>
  dispose(): void
}

interface TeamState {
  nextAt: number
  running: AbortController | null
}

const problemSchema = z.looseObject({ code: z.string(), title: z.string() })
const errorSchema = z.object({ code: z.string(), message: z.string() })
const watchedSchema = z.object({
  id: z.string(),
  appId: z.string(),
  appName: z.string().nullable(),
  buildNumber: z.string(),
  marketingVersion: z.string().nullable(),
  platform: z.string().nullable(),
  processingState: z.string(),
  uploadedAt: z.number(),
  expiresAt: z.number().nullable(),
  expired: z.boolean(),
  usesNonExemptEncryption: z.boolean().nullable(),
  iconTemplateUrl: z.string().nullable(),
})
const memorySchema = z.object({
  since: z.number(),
  lastRefreshAt: z.number().nullable(),
  lastAttemptAt: z.number().nullable(),
  problem: problemSchema.nullable(),
  error: errorSchema.nullable(),
  sweptAt: z.number().nullable(),
  builds: z.array(watchedSchema),
})

/** What stops a key from working, as opposed to the network or Apple having trouble. */
function keyRefused(problem: Diagnosis | null): boolean {
  return problem?.code === 'auth.rejected' || problem?.code.startsWith('access.') === true
}

function keyRef(identity: SigningIdentity): string {
  return identity.fingerprint
}

export function createRadar(options: RadarOptions): Radar {
  const { asc, keys, cache, guard, notifier, system, timer, log } = options
  const budget: RadarBudget = createRadarBudget(options.now)
  const teams = new Map<string, TeamState>()
  const memories = new Map<string, RadarMemory | null>()
  let settings: BackgroundSettings | null = null
  let cancelTick: (() => void) | null = null
  let ticking: Promise<void> | null = null
  let started = false
  let disposed = false
  let wasPaused: RadarPause | null = null
  let lastOverview = ''
  let overviewQueued = false

  function pausedNow(): RadarPause | null {
    const conditions = system.current()
    if (settings && !settings.backgroundRefresh.enabled) return 'disabled'
    if (conditions.asleep) return 'asleep'
    if (!conditions.online) return 'offline'
    if (conditions.lowBattery) return 'lowBattery'
    return null
  }

  async function memoryOf(teamId: string): Promise<RadarMemory | null> {
    if (memories.has(teamId)) return memories.get(teamId) ?? null
    await cache.ready(teamId)
    const parsed = memorySchema.safeParse(cache.get(teamId, RADAR_KEY)?.value)
    const memory = parsed.success ? (parsed.data as RadarMemory) : null
    memories.set(teamId, memory)
    return memory
  }

  function stateOf(teamId: string): TeamState {
    let state = teams.get(teamId)
    if (!state) {
      state = { nextAt: 0, running: null }
      teams.set(teamId, state)
    }
    return state
  }

  function intervalMs(allowance: number): number {
    const spacing = (HOUR_MS * QUICK_COST) / Math.max(1, allowance * QUICK_SHARE)
    return Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, spacing))
  }

  /** Requests a sweep of the team would send, as far as the last one tells. */
  function sweepCost(memory: RadarMemory | null, apps: number): number {
    const builds = memory?.builds.length ?? 0
    return Math.max(1, Math.ceil(apps / 200)) + Math.max(1, Math.ceil((builds + 1) / 200))
  }

  function storedApps(teamId: string): StoredApps | null {
    const value = cache.get(teamId, 'apps')?.value as StoredApps | undefined
    return value && Array.isArray(value.rows) ? value : null
  }

  function storedActivity(teamId: string): AppActivity[] | null {
    const value = cache.get(teamId, 'activity')?.value
    return Array.isArray(value) ? (value as AppActivity[]) : null
  }

  /**
   * One pass of a team: what it read is stored (if the team's guard still allows it), and what is
   * news is returned for the notifier.
   */
  async function pass(team: TeamSummary, state: TeamState): Promise<RadarEvent[]> {
    const now = options.now()
    const controller = new AbortController()
    state.running = controller
    queueOverview()
    let identity: SigningIdentity | null = null
    // Taken first: a team removed or cleared from now on gets nothing of this pass.
    const ticket = guard.ticket(team.id, '')
    const before = await memoryOf(team.id)
    try {
      identity = await keys.identityOf(team.id)
      // Noted too: a key replaced from now on spoils what it read.
      guard.ticket(team.id, identity.fingerprint)
      const key = keyRef(identity)
      const rateLimit = asc.usage(identity).rateLimit
      const allowance = budget.allowance(key, rateLimit, settings!.backgroundRefresh.budgetPercent)
      state.nextAt = now + intervalMs(allowance)
      const resting = budget.restingUntil(key)
      if (resting > 0) {
        state.nextAt = resting
        return []
      }
      // Near the key's hourly limit, what is left is the user's.
      if (refreshState(rateLimit) !== 'normal') {
        state.nextAt = now + MAX_INTERVAL_MS
        return []
      }
      const apps = storedApps(team.id)?.rows.length ?? 0
      const wantsSweep =
        !before || before.sweptAt === null || now - before.sweptAt >= SWEEP_INTERVAL_MS
      const sweep = wantsSweep && budget.waitFor(key, sweepCost(before, apps), allowance) === 0
      if (!sweep && (!before || budget.waitFor(key, QUICK_COST + 1, allowance) > 0)) {
        // Not even a quick look fits the hour now: wait until one does.
        state.nextAt =
          now + Math.max(budget.waitFor(key, QUICK_COST + 1, allowance), MIN_INTERVAL_MS)
        return []
      }
      const call: CallOptions = {
        signal: controller.signal,
        background: true,
        retryTransient: false,
        scope: RADAR_SCOPE,
        onSent: () => {
          budget.record(key)
          // A sweep longer than planned stops at the budget; the next pass finishes it.
          if (budget.spent(key) >= allowance) controller.abort()
        },
      }
      const client = asc.forKey(identity)
      const read = sweep ? await sweepOf(client, call) : await quickLook(client, call, before!)
      const builds = mergeBuilds(before?.builds ?? [], read.builds, now, sweep)
      if (!guard.valid(team.id, ticket) || controller.signal.aborted) return []
      const memory: RadarMemory = {
        since: before?.since ?? now,
        lastRefreshAt: now,
        lastAttemptAt: now,
        problem: null,
        error: null,
        sweptAt: sweep ? now : read.incomplete ? null : (before?.sweptAt ?? null),
        builds,
      }
      store(team.id, memory, read.apps, now)
      if (keyRefused(before?.problem ?? null)) {
        await notifier.forget(`keyStopped:${team.id}:`)
      }
      return eventsOf(before, builds, now, team)
    } catch (error) {
      if (controller.signal.aborted || !guard.valid(team.id, ticket)) {
        // Paused, removed, cleared, or stopped at the budget: nothing to say.
        return []
      }
      return failed(team, state, before, identity, ticket, error, now)
    } finally {
      state.running = null
      queueOverview()
    }
  }

  async function quickLook(
    client: ReturnType<AscClient['forKey']>,
    call: CallOptions,
    before: RadarMemory,
  ): Promise<{ builds: WatchedBuild[]; apps: null; incomplete: boolean }> {
    const page = (request: ReturnType<(typeof radarRequests)['inFlight']>) =>
      client.page(request, radarBuildSchema, toWatched, call)
    const inFlight = await page(radarRequests.inFlight())
    const newest = await page(radarRequests.newest())
    const builds = [...inFlight.items, ...newest.items].filter(
      (build): build is WatchedBuild => build !== null,
    )
    const seen = new Set(builds.map((build) => build.id))
    const left = before.builds.filter(
      (build) => build.processingState === 'PROCESSING' && !seen.has(build.id),
    )
    if (left.length === 0) return { builds, apps: null, incomplete: false }
    // A build left processing, and is not among the newest: the newest in TestFlight tell.
    const current = await page(radarRequests.current())
    for (const build of current.items) if (build) builds.push(build)
    const found = new Set(builds.map((build) => build.id))
    return { builds, apps: null, incomplete: left.some((build) => !found.has(build.id)) }
  }

  async function sweepOf(
    client: ReturnType<AscClient['forKey']>,
    call: CallOptions,
  ): Promise<{ builds: WatchedBuild[]; apps: StoredApps; incomplete: boolean }> {
    const apps = await client.listApps(call)
    const current = await client.collection(
      radarRequests.current(),
      radarBuildSchema,
      toWatched,
      call,
    )
    return {
      builds: current.items.filter((build): build is WatchedBuild => build !== null),
      apps: { rows: apps.map(toAppRow), complete: true, next: null },
      incomplete: false,
    }
  }

  /** Stores a pass: the memory, the activity worked out from it, the apps of a sweep. */
  function store(teamId: string, memory: RadarMemory, apps: StoredApps | null, now: number): void {
    memories.set(teamId, memory)
    cache.set(teamId, RADAR_KEY, memory, now, { pinned: true })
    if (apps) {
      cache.set(teamId, 'apps', apps, now, { pinned: true })
      options.onChanged({ teamId, resource: 'apps', params: {} })
    }
    // Counts are only whole once every build in TestFlight has been read.
    if (memory.sweptAt === null) return
    const known = cache.get(teamId, 'activity')
    const previous = storedActivity(teamId)
    const activity = activityFrom(memory.builds, storedApps(teamId)?.rows ?? null, previous, now)
    const sameAsBefore =
      previous !== null &&
      JSON.stringify(previous.map(({ countedAt: _at, ...rest }) => rest)) ===
        JSON.stringify(activity.map(({ countedAt: _at, ...rest }) => rest))
    if (sameAsBefore) return
    // Not a refresh of the whole list (an app without builds in TestFlight keeps what the apps
    // screen last read of it): its age stays, and a list the radar made is due at once.
    cache.set(teamId, 'activity', activity, known?.fetchedAt ?? 0, { pinned: true })
    options.onChanged({ teamId, resource: 'activity', params: {} })
  }

  async function failed(
    team: TeamSummary,
    state: TeamState,
    before: RadarMemory | null,
    identity: SigningIdentity | null,
    ticket: number,
    error: unknown,
    now: number,
  ): Promise<RadarEvent[]> {
    let problem: Diagnosis | null = null
    let ipcError: IpcError | null = null
    state.nextAt = now + RETRY_AFTER_FAILURE_MS
    if (isAscError(error) && error.failure.kind !== 'canceled' && identity) {
      const failure = error.failure
      problem = diagnoseFailure(failure, {
        keyType: identity.keyType,
        usage: asc.usage(identity),
        appId: null,
      })
      if (failure.kind === 'http' && failure.status === 429) {
        const until = failure.retryAfterSeconds
          ? now + failure.retryAfterSeconds * 1000
          : now + RATE_LIMITED_PAUSE_MS
        budget.slowDown(keyRef(identity), Math.max(until, now + MIN_INTERVAL_MS))
        state.nextAt = budget.restingUntil(keyRef(identity))
      }
      if (keyRefused(problem)) state.nextAt = now + MAX_INTERVAL_MS
    } else if (isAppError(error)) {
      ipcError = { code: error.code, message: error.message }
      state.nextAt = now + MAX_INTERVAL_MS
    } else {
      log.warn('a background refresh failed', { error: String(error) })
      ipcError = { code: 'internal', message: 'Something went wrong inside Ascent.' }
    }
    log.info('background refresh failed', {
      team: team.id,
      code: problem?.code ?? ipcError?.code ?? 'unknown',
    })
    if (!guard.valid(team.id, ticket)) return []
    const memory: RadarMemory = {
      since: before?.since ?? now,
      lastRefreshAt: before?.lastRefreshAt ?? null,
      lastAttemptAt: now,
      problem,
      error: ipcError,
      sweptAt: before?.sweptAt ?? null,
      builds: before?.builds ?? [],
    }
    memories.set(team.id, memory)
    cache.set(team.id, RADAR_KEY, memory, now, { pinned: true })
    if (problem?.code === 'auth.rejected') {
      await keys
        .markRejected(team.id, `${problem.title}. ${problem.hints[0] ?? ''}`.trim())
        .catch((reason: unknown) =>
          log.warn('could not mark a team rejected', { error: String(reason) }),
        )
    }
    // The key worked in the background before, and now Apple refuses it: news, once per key.
    const stopped =
      keyRefused(problem) && before?.lastRefreshAt != null && !keyRefused(before.problem)
    if (!stopped || !identity) return []
    return [
      {
        id: `keyStopped:${team.id}:${identity.fingerprint}`,
        kind: 'keyStopped',
        teamId: team.id,
        teamName: team.name,
        app: null,
        build: null,
        reason: problem?.title ?? null,
      },
    ]
  }

  /** Runs the passes that are due, a few teams at a time, then tells the notifier once. */
  async function tick(force: boolean): Promise<void> {
    if (disposed) return
    settings = await options.settings.get()
    if (pausedNow()) return
    const saved = (await keys.state()).teams.filter((team) => team.status !== 'needs_reimport')
    for (const id of teams.keys()) {
      if (!saved.some((team) => team.id === id)) teams.delete(id)
    }
    const now = options.now()
    const due = saved.filter((team) => {
      const state = stateOf(team.id)
      return !state.running && (force || state.nextAt <= now)
    })
    const events: RadarEvent[] = []
    for (let start = 0; start < due.length; start += PARALLEL_TEAMS) {
      const batch = due.slice(start, start + PARALLEL_TEAMS)
      const found = await Promise.all(batch.map((team) => pass(team, stateOf(team.id))))
      events.push(...found.flat())
      if (pausedNow() || disposed) break
    }
    if (events.length > 0) await notifier.post(events)
  }

  function schedule(): void {
    cancelTick?.()
    cancelTick = null
    if (disposed || !started || pausedNow()) return
    const states = [...teams.values()]
    const next = states.length
      ? Math.min(...states.map((state) => state.nextAt))
      : options.now() + MIN_INTERVAL_MS
    const wait = Math.max(1_000, next - options.now())
    cancelTick = timer.after(wait, () => {
      cancelTick = null
      void run(false)
    })
  }

  function run(force: boolean): Promise<void> {
    if (ticking) return ticking
    ticking = tick(force)
      .catch((error: unknown) => log.warn('the radar stopped a pass', { error: String(error) }))
      .finally(() => {
        ticking = null
        schedule()
        queueOverview()
      })
    return ticking
  }

  function abortAll(): void {
    for (const state of teams.values()) state.running?.abort()
  }

  /** Pause and resume as the machine and the settings say; a resume runs one pass of every team. */
  function reconsider(): void {
    const paused = pausedNow()
    if (paused && !wasPaused) {
      cancelTick?.()
      cancelTick = null
      abortAll()
    } else if (!paused && wasPaused && started) {
      for (const state of teams.values()) state.nextAt = 0
      void run(true)
    }
    wasPaused = paused
    queueOverview()
  }

  const stopSystem = system.onChange(reconsider)
  const stopSettings = options.settings.onChange((next) => {
    settings = next
    reconsider()
    if (!pausedNow()) schedule()
  })

  async function overview(): Promise<RadarOverview> {
    settings ??= await options.settings.get()
    const saved = (await keys.state()).teams
    const rows: TeamRadar[] = []
    for (const team of saved) {
      await cache.ready(team.id)
      const memory = await memoryOf(team.id)
      const activity = storedActivity(team.id)
      const identity = await keys.identityOf(team.id).catch(() => null)
      rows.push({
        teamId: team.id,
        attention: activity ? attentionTotal(activity) : null,
        lastRefreshAt: memory?.lastRefreshAt ?? null,
        refreshing: teams.get(team.id)?.running != null,
        problem: memory?.problem ?? null,
        error: memory?.error ?? null,
        requestsThisHour: identity ? budget.spent(keyRef(identity)) : 0,
      })
    }
    const percent = settings.backgroundRefresh.budgetPercent
    return {
      paused: pausedNow(),
      budget: { percent, requestsPerKeyPerHour: Math.floor((3_600 * percent) / 100) },
      teams: rows,
    }
  }

  /** Tells the window how the teams stand, once per change, after the current work settles. */
  function queueOverview(): void {
    if (overviewQueued || disposed) return
    overviewQueued = true
    queueMicrotask(() => {
      overviewQueued = false
      overview()
        .then((next) => {
          const text = JSON.stringify(next)
          if (text === lastOverview || disposed) return
          lastOverview = text
          options.onOverview(next)
        })
        .catch((error: unknown) =>
          log.warn('could not tell how the teams stand', { error: String(error) }),
        )
    })
  }

  return {
    start() {
      if (started) return
      started = true
      void options.settings.get().then((loaded) => {
        settings = loaded
        wasPaused = pausedNow()
        const first = options.now() + (options.launchDelayMs ?? DEFAULT_LAUNCH_DELAY_MS)
        cancelTick = timer.after(first - options.now(), () => {
          cancelTick = null
          void run(true)
        })
        queueOverview()
      })
    },
    overview,
    touched: () => queueOverview(),
    forget(teamId) {
      teams.get(teamId)?.running?.abort()
      teams.delete(teamId)
      memories.delete(teamId)
      queueOverview()
    },
    runNow: () => run(true),
    idle: () => ticking ?? Promise.resolve(),
    dispose() {
      disposed = true
      cancelTick?.()
      abortAll()
      stopSystem()
      stopSettings()
    },
  }
}
