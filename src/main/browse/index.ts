/**
 * Browsing a team's apps and builds: every list served from the per-team cache first
 * (stale-while-revalidate), refreshed from App Store Connect with scoped read-only tokens, under
 * the active team's session so a team switch cancels what the previous team had in flight, and
 * asking for another app's builds cancels the loads of the app asked for before.
 *
 *   const browse = createBrowse({ asc, keys, cache, now, log })
 *   await browse.apps({ teamId, refresh: 'cached' })      // AppsAnswer
 *   await browse.builds({ teamId, appId, refresh: 'cached', until: 'more' }) // one page more
 *   browse.activate(teamId)                               // on teams:activate
 *   browse.forget(teamId)                                 // on teams:remove
 */
import type {
  AppActivity,
  AppRow,
  AppsActivityAnswer,
  AppsAnswer,
  Freshness,
  RefreshMode,
} from '../../shared/contract/apps'
import type {
  BuildDetail,
  BuildDetailAnswer,
  BuildRow,
  BuildsAnswer,
} from '../../shared/contract/builds'
import type { TeamUsage } from '../../shared/contract/teams'
import type { Diagnosis } from '../../shared/diagnosis'
import type { AscClient, AscKeyClient } from '../asc'
import { isAscError, requests, requestScope, requestTarget, scopeChunks } from '../asc'
import type { AscRequest } from '../asc'
import type { BrowseCache, CacheEntry, CacheKey } from '../cache'
import { cacheKey } from '../cache'
import { AppError } from '../errors'
import type { Keys } from '../keys'
import type { Logger } from '../log'
import { diagnoseFailure } from '../diagnosis'
import type { SigningIdentity } from '../tokens'
import { isRefreshDue, refreshState } from './policy'
import { appendPage, mergeNewest, toActivity, toAppRow, toBuildDetail, toBuildRow } from './rows'
import { createSessions, type AppLoads, type TeamSession } from './sessions'

export * from './policy'

export interface BrowseOptions {
  asc: Pick<AscClient, 'forKey' | 'usage'>
  keys: Pick<Keys, 'identityOf' | 'state' | 'markRejected' | 'markValidated'>
  cache: BrowseCache
  now: () => number
  log: Logger
  /** App activity loads this many apps at once, leaving the key's other slots to the user. */
  activityParallel?: number
}

export interface Browse {
  apps(request: { teamId: string; refresh: RefreshMode }): Promise<AppsAnswer>
  activity(request: { teamId: string; refresh: RefreshMode }): Promise<AppsActivityAnswer>
  builds(request: {
    teamId: string
    appId: string
    refresh: RefreshMode
    until: 'first' | 'more' | 'complete'
  }): Promise<BuildsAnswer>
  detail(request: {
    teamId: string
    buildId: string
    refresh: RefreshMode
  }): Promise<BuildDetailAnswer>
  usage(teamId: string): Promise<TeamUsage>
  /** The team on screen: every other team's requests are canceled. */
  activate(teamId: string): void
  /** The team is gone: its requests are canceled and its cache cleared. */
  forget(teamId: string): void
  dispose(): void
}

/** One answer's view of its team: the session it runs under, and the key's client. */
interface Team {
  session: TeamSession
  identity: SigningIdentity
  client: AscKeyClient
}

interface CachedBuilds {
  rows: BuildRow[]
  total: number | null
  /** Every build of the app, or only the newest ones so far. */
  complete: boolean
  /**
   * Where the next page starts (Apple's `links.next`, kept for `until: 'more'`); null when
   * complete, or when not known (the next page then starts over from the newest builds). Stays in
   * main: the screens never see it.
   */
  next: string | null
}

const APPS = cacheKey<AppRow[]>('apps')
const ACTIVITY = cacheKey<AppActivity[]>('activity')
const buildsKey = (appId: string) => cacheKey<CachedBuilds>(`builds:${appId}`)
const detailKey = (buildId: string) => cacheKey<BuildDetail>(`build:${buildId}`)

const CANCELED_MESSAGE = 'Another team was opened; this request was canceled.'
const APP_CANCELED_MESSAGE = 'Another app was opened; this request was canceled.'

function scopeOf(...list: AscRequest[]): string[] {
  return list.map((request) => requestScope(request.method, requestTarget(request)))
}

/** The requests the activity may make for an app; an app's first builds screen is among them. */
function activityRequests(appId: string): AscRequest[] {
  return [requests.currentBuilds(appId), requests.builds(appId)]
}

/** Runs `task` over `items`, at most `limit` at a time, in order of start. */
async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T
      await task(item)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}

export function createBrowse(options: BrowseOptions): Browse {
  const { asc, keys, cache, log } = options
  const activityParallel = options.activityParallel ?? 2
  const sessions = createSessions()
  /** Teams whose status this session has already confirmed after a success. */
  const confirmed = new Set<string>()
  /**
   * Per team, the scope of the token each request's scope entry is part of. The activity reads
   * every app in a few tokens, each scoped to the requests of several apps; the builds screens
   * reuse those tokens rather than signing one of their own.
   */
  const scopeBooks = new Map<string, Map<string, string[]>>()

  async function withKey(session: TeamSession): Promise<Team> {
    const identity = await keys.identityOf(session.teamId)
    return { session, identity, client: asc.forKey(identity) }
  }

  function open(teamId: string): Promise<Team> {
    return withKey(sessions.enter(teamId))
  }

  /** The scope of the token for `request`: a shared one when the activity made one. */
  function scopeFor(team: Team, request: AscRequest): string[] {
    const [entry] = scopeOf(request) as [string]
    return scopeBooks.get(team.session.teamId)?.get(entry) ?? [entry]
  }

  /** Splits the activity's requests into the scopes of a few tokens, and notes them. */
  function shareScopes(team: Team, apps: readonly AppRow[]): void {
    const entries = scopeOf(...apps.flatMap((app) => activityRequests(app.id)))
    const book = new Map<string, string[]>()
    for (const chunk of scopeChunks(entries)) for (const entry of chunk) book.set(entry, chunk)
    scopeBooks.set(team.session.teamId, book)
  }

  /** Stores only while the session lives: a canceled team's late answer never lands. */
  function store<T>(team: Team, key: CacheKey<T>, value: T): void {
    if (!team.session.signal.aborted) cache.set(team.session.teamId, key, value, options.now())
  }

  function isDue(team: Team, entry: CacheEntry<unknown> | undefined, cost: number): boolean {
    if (!entry) return true
    return isRefreshDue({
      fetchedAt: entry.fetchedAt,
      now: options.now(),
      cost,
      rateLimit: asc.usage(team.identity).rateLimit,
    })
  }

  /** Whether to answer from the cache without asking Apple. */
  function servesCache(refresh: RefreshMode, due: boolean): boolean {
    return refresh === 'cached' || (refresh === 'background' && !due)
  }

  function freshness(
    team: Team,
    entry: CacheEntry<unknown> | undefined,
    fromCache: boolean,
    stale: boolean,
    problem: Diagnosis | null = null,
  ): Freshness {
    const { teamId } = team.session
    return { teamId, fetchedAt: entry?.fetchedAt ?? null, fromCache, stale, problem }
  }

  /**
   * What a failure means for the answer: canceled → the caller's request is canceled too; an
   * Apple failure → the diagnosis shown in place (a 401 also marks the team rejected); anything
   * else (the keychain lost the key) → the IPC error it already is.
   */
  async function problemOf(
    team: Team,
    error: unknown,
    appId: string | null = null,
    loads: AppLoads | null = null,
  ) {
    const { session, identity } = team
    if (session.signal.aborted) throw new AppError('browse.canceled', CANCELED_MESSAGE)
    if (loads?.signal.aborted) throw new AppError('browse.canceled', APP_CANCELED_MESSAGE)
    if (isAscError(error) && error.kind === 'canceled') {
      throw new AppError('browse.canceled', CANCELED_MESSAGE)
    }
    if (!isAscError(error) || error.failure.kind === 'canceled') throw error
    const diagnosis = diagnoseFailure(error.failure, {
      keyType: identity.keyType,
      usage: asc.usage(identity),
      appId,
    })
    if (diagnosis.code === 'auth.rejected') {
      confirmed.delete(session.teamId)
      const detail = `${diagnosis.title}. ${diagnosis.hints[0] ?? ''}`.trim()
      await keys.markRejected(session.teamId, detail).catch((reason: unknown) => {
        log.warn('could not mark a team rejected', { error: String(reason) })
      })
    }
    return diagnosis
  }

  /** Apple accepted the key: a team marked rejected earlier is verified again. */
  async function accepted(team: Team): Promise<void> {
    const { teamId } = team.session
    if (confirmed.has(teamId)) return
    confirmed.add(teamId)
    try {
      const saved = (await keys.state()).teams.find((candidate) => candidate.id === teamId)
      if (saved?.status === 'rejected' || saved?.status === 'blocked_agreements') {
        await keys.markValidated(teamId, options.now())
      }
    } catch (error) {
      log.warn('could not mark a team verified', { error: String(error) })
    }
  }

  function loadApps(team: Team): Promise<AppRow[]> {
    const { session, client } = team
    return session.join('apps', async () => {
      const apps = await client.listApps({
        signal: session.signal,
        scope: scopeOf(requests.apps()),
      })
      const rows = apps.map(toAppRow)
      store(team, APPS, rows)
      return rows
    })
  }

  async function activityOf(team: Team, appId: string): Promise<AppActivity> {
    const { session, client } = team
    const current = await client.listCurrentBuilds(appId, {
      signal: session.signal,
      scope: scopeFor(team, requests.currentBuilds(appId)),
    })
    if (current.length > 0) return toActivity(appId, current, options.now())
    const newest = await client.listBuilds(appId, {
      signal: session.signal,
      limit: 1,
      scope: scopeFor(team, requests.builds(appId)),
    })
    return toActivity(appId, newest.builds, options.now())
  }

  /** Every app's activity; an app that fails keeps what was known of it before. */
  function loadActivity(team: Team, apps: readonly AppRow[], previous: readonly AppActivity[]) {
    const { session } = team
    return session.join('activity', async () => {
      shareScopes(team, apps)
      const known = new Map(previous.map((item) => [item.appId, item]))
      const found = new Map<string, AppActivity>()
      let failure: { error: unknown; appId: string } | null = null
      await eachLimited(apps, activityParallel, async (app) => {
        if (session.signal.aborted) return
        try {
          found.set(app.id, await activityOf(team, app.id))
        } catch (error) {
          failure ??= { error, appId: app.id }
          const before = known.get(app.id)
          if (before) found.set(app.id, before)
        }
      })
      const activity = apps.flatMap((app) => found.get(app.id) ?? [])
      if (failure === null) store(team, ACTIVITY, activity)
      return { activity, failure }
    })
  }

  const buildsOf = (team: Team, appId: string) => cache.get(team.session.teamId, buildsKey(appId))

  function loadAllBuilds(team: Team, loads: AppLoads, appId: string): Promise<void> {
    return loads.join('all', async () => {
      const all = await team.client.listAllBuilds(appId, {
        signal: loads.signal,
        scope: scopeOf(requests.preReleaseVersions(appId)),
      })
      const rows = all.map(toBuildRow)
      store(team, buildsKey(appId), { rows, total: rows.length, complete: true, next: null })
    })
  }

  /**
   * The newest page, laid over what is loaded (the rest and its cursor stay); when the two do not
   * meet, the page alone, with its own cursor.
   */
  function loadFirst(team: Team, loads: AppLoads, appId: string): Promise<void> {
    return loads.join('first', async () => {
      const page = await team.client.listBuilds(appId, {
        signal: loads.signal,
        scope: scopeFor(team, requests.builds(appId)),
      })
      const rows = page.builds.map(toBuildRow)
      const loaded = buildsOf(team, appId)?.value
      const merged = loaded ? mergeNewest(loaded.rows, rows, page.hasMore) : null
      const value: CachedBuilds =
        loaded && merged
          ? { ...loaded, rows: merged, total: page.total ?? loaded.total }
          : {
              rows,
              total: page.total,
              complete: page.next === null,
              next: page.next?.href ?? null,
            }
      store(team, buildsKey(appId), value)
    })
  }

  /** One more page after what is loaded, from the kept cursor (or the newest page without one). */
  function loadMore(team: Team, loads: AppLoads, appId: string): Promise<void> {
    return loads.join('more', async () => {
      const loaded = buildsOf(team, appId)?.value
      if (!loaded || loaded.complete) return
      const call = { signal: loads.signal, scope: scopeFor(team, requests.builds(appId)) }
      const page = loaded.next
        ? await team.client.listBuildsAfter(new URL(loaded.next), call)
        : await team.client.listBuilds(appId, call)
      const latest = buildsOf(team, appId)?.value
      // A refresh or a full load that stored meanwhile moved the cursor: this page may not follow.
      if (!latest || latest.complete || latest.next !== loaded.next) return
      store(team, buildsKey(appId), {
        rows: appendPage(latest.rows, page.builds.map(toBuildRow)),
        total: page.total ?? latest.total,
        complete: page.next === null,
        next: page.next?.href ?? null,
      })
    })
  }

  function buildsAnswer(
    team: Team,
    appId: string,
    entry: CacheEntry<CachedBuilds> | undefined,
    fromCache: boolean,
    stale: boolean,
    problem: Diagnosis | null = null,
  ): BuildsAnswer {
    return {
      ...freshness(team, entry, fromCache, stale, problem),
      appId,
      builds: entry?.value.rows ?? null,
      complete: entry?.value.complete ?? false,
      total: entry?.value.total ?? null,
    }
  }

  /** Loads what `until` asks for; false when the cache already had it. */
  async function loadBuilds(
    team: Team,
    loads: AppLoads,
    appId: string,
    refresh: RefreshMode,
    until: 'first' | 'more' | 'complete',
    due: boolean,
  ): Promise<boolean> {
    const entry = buildsOf(team, appId)
    const loadingAll = loads.isLoading('all')
    if (until === 'complete' || (until === 'more' && loadingAll)) {
      if (entry?.value.complete && !loadingAll && refresh !== 'force') return false
      await loadAllBuilds(team, loads, appId)
    } else if (until === 'more' && entry) {
      if (entry.value.complete) return false
      await loadMore(team, loads, appId)
    } else {
      if (entry && until === 'first' && servesCache(refresh, due)) return false
      await loadFirst(team, loads, appId)
      await accepted(team)
    }
    return true
  }

  return {
    async apps({ teamId, refresh }) {
      const team = await open(teamId)
      const entry = cache.get(teamId, APPS)
      const due = isDue(team, entry, 1)
      if (entry && servesCache(refresh, due)) {
        return { ...freshness(team, entry, true, due), apps: entry.value }
      }
      try {
        const apps = await loadApps(team)
        await accepted(team)
        return { ...freshness(team, cache.get(teamId, APPS), false, false), apps }
      } catch (error) {
        const problem = await problemOf(team, error)
        return { ...freshness(team, entry, true, false, problem), apps: entry?.value ?? null }
      }
    },

    async activity({ teamId, refresh }) {
      const team = await open(teamId)
      const entry = cache.get(teamId, ACTIVITY)
      const due = isDue(team, entry, (entry?.value.length ?? 0) + 1)
      if (entry && servesCache(refresh, due)) {
        return { ...freshness(team, entry, true, due), activity: entry.value }
      }
      try {
        const apps = cache.get(teamId, APPS)?.value ?? (await loadApps(team))
        const loaded = await loadActivity(team, apps, entry?.value ?? [])
        if (loaded.failure) {
          const { error, appId } = loaded.failure
          const problem = await problemOf(team, error, appId)
          return { ...freshness(team, entry, true, false, problem), activity: loaded.activity }
        }
        const stored = cache.get(teamId, ACTIVITY)
        return { ...freshness(team, stored, false, false), activity: loaded.activity }
      } catch (error) {
        const problem = await problemOf(team, error)
        return {
          ...freshness(team, entry, true, false, problem),
          activity: entry?.value ?? null,
        }
      }
    },

    async builds({ teamId, appId, refresh, until }) {
      const session = sessions.enter(teamId)
      // Before any wait, so asks answered out of order never cancel the app asked for last.
      const loads = session.focus(appId)
      const team = await withKey(session)
      const entry = buildsOf(team, appId)
      const due = isDue(team, entry, 1)
      try {
        const loaded = await loadBuilds(team, loads, appId, refresh, until, due)
        if (!loaded) return buildsAnswer(team, appId, entry, true, due)
        return buildsAnswer(team, appId, buildsOf(team, appId), false, false)
      } catch (error) {
        const problem = await problemOf(team, error, appId, loads)
        return buildsAnswer(team, appId, buildsOf(team, appId) ?? entry, true, false, problem)
      }
    },

    async detail({ teamId, buildId, refresh }) {
      const team = await open(teamId)
      const key = detailKey(buildId)
      const entry = cache.get(teamId, key)
      const due = isDue(team, entry, 1)
      if (entry && servesCache(refresh, due)) {
        return { ...freshness(team, entry, true, due), buildId, detail: entry.value }
      }
      try {
        const detail = await team.session.join(`build:${buildId}`, async () => {
          const build = await team.client.getBuild(buildId, {
            signal: team.session.signal,
            scope: scopeOf(requests.build(buildId)),
          })
          const value = toBuildDetail(build)
          store(team, key, value)
          return value
        })
        return { ...freshness(team, cache.get(teamId, key), false, false), buildId, detail }
      } catch (error) {
        const problem = await problemOf(team, error)
        return {
          ...freshness(team, entry, true, false, problem),
          buildId,
          detail: entry?.value ?? null,
        }
      }
    },

    async usage(teamId) {
      const usage = asc.usage(await keys.identityOf(teamId))
      return {
        teamId,
        rateLimit: usage.rateLimit,
        clockOffsetSeconds: usage.clockOffsetSeconds,
        backgroundRefresh: refreshState(usage.rateLimit),
      }
    },

    activate(teamId) {
      sessions.enter(teamId)
    },

    forget(teamId) {
      sessions.end(teamId)
      cache.clearTeam(teamId)
      confirmed.delete(teamId)
      scopeBooks.delete(teamId)
    },

    dispose() {
      const current = sessions.current()
      if (current) sessions.end(current.teamId)
    },
  }
}
