/**
 * The one serve step every browsable resource goes through (./resource.ts declares them):
 *
 *   read     the cache answers at once when it holds the data; a refresh starts in the background
 *            when the rate-limit policy says one is due (the answer says `refreshing`); with
 *            nothing stored, or a page asked past what is stored, Apple is asked and the answer
 *            waits for it
 *   refresh  asks Apple now (⌘R, Retry) and returns at once
 *   status   what a refresh of the data costs, how old it is, whether one is due or running: what
 *            a scheduler needs to spend a request budget well
 *
 * A refresh that lands, or fails, is stored (the data, or the diagnosis beside the data still at
 * hand) and announced through `onChanged`. Everything runs under the active team's session: a
 * team switch cancels the previous team's loads, and nothing they were loading is stored after.
 */
import type {
  Freshness,
  ParsedResourceRequest,
  ResourceAnswer,
  ResourceChange,
  ResourceName,
} from '../../shared/contract/browse'
import type { Diagnosis } from '../../shared/diagnosis'
import type { IpcError } from '../../shared/result'
import type { AscClient, AscKeyClient, AscRequest } from '../asc'
import { isAscError, requestScope, requestTarget, scopeChunks } from '../asc'
import type { BrowseCache, CacheEntry, EntryOptions } from '../cache'
import { diagnoseFailure } from '../diagnosis'
import { AppError, isAppError } from '../errors'
import type { Keys } from '../keys'
import type { Logger } from '../log'
import type { Timer } from '../platform'
import type { SigningIdentity } from '../tokens'
import type { TeamGuard } from './guard'
import { isRefreshDue } from './policy'
import type { LoadContext, Served, ServedResources } from './resource'
import { createSessions, type Loads, type TeamSession } from './sessions'

export interface ServeOptions {
  resources: ServedResources
  asc: Pick<AscClient, 'forKey' | 'usage'>
  keys: Pick<Keys, 'identityOf' | 'state' | 'markRejected' | 'markValidated'>
  cache: BrowseCache
  now: () => number
  log: Logger
  /** A refresh landed or failed: the screens showing that data read it again. */
  onChanged: (change: ResourceChange) => void
  /** Tells loads whose team was removed, cleared or given another key not to store. */
  guard: TeamGuard
  /**
   * Data read from disk at launch is shown at once and refreshed only after this grace period,
   * so the window paints before anything is asked of Apple. Timers through `timer`.
   */
  launch?: { timer: Timer; graceMs: number }
}

/** What a scheduler needs to know of one resource's data before spending requests on it. */
export interface ResourceStatus {
  /** Requests one refresh sends. */
  cost: number
  /** When the data came from Apple; null when nothing is stored. */
  fetchedAt: number | null
  /** A quiet refresh is due by the rate-limit policy (always, when nothing is stored). */
  due: boolean
  refreshing: boolean
}

export interface Serve {
  read(request: ParsedResourceRequest): Promise<ResourceAnswer>
  /** Starts a refresh; `settled` resolves once it has landed, failed or been canceled. */
  refresh(request: ParsedResourceRequest): Promise<{ settled: Promise<void> }>
  status(request: ParsedResourceRequest): Promise<ResourceStatus>
  /** The team on screen: every other team's loads are canceled. */
  activate(teamId: string): void
  /** The team is gone: its loads are canceled and everything of it forgotten. */
  forget(teamId: string): void
  /** Forgets what is cached of the team (Clear Cached Data); its screens read from Apple again. */
  clear(teamId: string): void
  dispose(): void
}

/** One request's view of its team: the session and loads it runs under, and the key's client. */
interface Target {
  teamId: string
  session: TeamSession
  /** The session, or the app's loads for a resource scoped to an app. */
  loads: Loads
  identity: SigningIdentity
  client: AscKeyClient
  /** What the load may store under (see ./guard.ts). */
  ticket: number
}

/** Why the last refresh of a piece of data failed: at Apple, or inside Ascent. */
type Failure = { problem: Diagnosis; error: null } | { problem: null; error: IpcError }

const TEAM_CANCELED = 'Another team was opened; this request was canceled.'
const APP_CANCELED = 'Another app was opened; this request was canceled.'
const STALE =
  'The team was removed, its cached data cleared or its key replaced meanwhile; this request was canceled.'

export function createServe(options: ServeOptions): Serve {
  const { resources, asc, keys, cache, log, guard } = options
  const launchedAt = options.now()
  /** Restored data whose refresh waits for the end of the launch grace period. */
  const deferred = new Set<string>()
  const sessions = createSessions()
  /** Teams whose status this session has already confirmed after a success. */
  const confirmed = new Set<string>()
  /**
   * Per team, the scope of the token each request's scope entry is part of: requests made one per
   * app share a few tokens (a token's scope must fit in a request header), and the screens reuse
   * those tokens rather than signing their own.
   */
  const scopeBooks = new Map<string, Map<string, string[]>>()
  /** Per team, per cache key: the last refresh's failure, until one succeeds. */
  const failures = new Map<string, Map<string, Failure>>()

  const definitionOf = (resource: ResourceName) => resources[resource] as Served<ResourceName>

  async function open(request: ParsedResourceRequest): Promise<Target> {
    const { teamId } = request
    const session = sessions.enter(teamId)
    const definition = definitionOf(request.resource)
    // Before any wait, so reads answered out of order never cancel the app asked for last.
    const loads = definition.app ? session.focus(definition.app(request.params)) : session
    const identity = await keys.identityOf(teamId)
    const ticket = guard.ticket(teamId, identity.fingerprint)
    await cache.ready(teamId)
    return { teamId, session, loads, identity, client: asc.forKey(identity), ticket }
  }

  function entryOptions(resource: ResourceName): EntryOptions {
    const { persist, pinned } = definitionOf(resource)
    return { persist, pinned }
  }

  function scopeFor(teamId: string, request: AscRequest): string[] {
    const entry = requestScope(request.method, requestTarget(request))
    return scopeBooks.get(teamId)?.get(entry) ?? [entry]
  }

  function failuresOf(teamId: string): Map<string, Failure> {
    let map = failures.get(teamId)
    if (!map) {
      map = new Map()
      failures.set(teamId, map)
    }
    return map
  }

  function canceled(target: Target): AppError {
    if (!guard.valid(target.teamId, target.ticket)) return new AppError('browse.canceled', STALE)
    const appCanceled = target.loads !== target.session && !target.session.signal.aborted
    return new AppError('browse.canceled', appCanceled ? APP_CANCELED : TEAM_CANCELED)
  }

  /**
   * What a failure means: canceled → the caller's request is canceled too; an Apple failure →
   * the diagnosis shown in place (a 401 also marks the team rejected); anything else (the
   * keychain lost the key) → the error it already is.
   */
  async function diagnose(target: Target, error: unknown, appId: string | null) {
    if (target.loads.signal.aborted) throw canceled(target)
    if (!isAscError(error)) throw error
    const { failure } = error
    if (failure.kind === 'canceled') throw canceled(target)
    const diagnosis = diagnoseFailure(failure, {
      keyType: target.identity.keyType,
      usage: asc.usage(target.identity),
      appId,
    })
    if (diagnosis.code === 'auth.rejected') {
      confirmed.delete(target.teamId)
      const detail = `${diagnosis.title}. ${diagnosis.hints[0] ?? ''}`.trim()
      await keys.markRejected(target.teamId, detail).catch((reason: unknown) => {
        log.warn('could not mark a team rejected', { error: String(reason) })
      })
    }
    return diagnosis
  }

  /** A failure as it is kept beside the data: Apple's diagnosed, Ascent's own as its IPC error. */
  async function failureOf(target: Target, error: unknown, appId: string | null) {
    try {
      return { problem: await diagnose(target, error, appId), error: null } satisfies Failure
    } catch (thrown) {
      if (isAppError(thrown) && thrown.code !== 'browse.canceled') {
        return { problem: null, error: { code: thrown.code, message: thrown.message } }
      }
      throw thrown
    }
  }

  /** Apple accepted the key: a team marked rejected earlier is verified again. */
  async function accepted(teamId: string): Promise<void> {
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

  /**
   * Runs one load of `key` and stores what it returns, while the loads it runs under live: a
   * canceled team's or app's late answer never lands. A part that failed is kept as the data's
   * failure; a whole success clears it.
   */
  async function loadInto(
    target: Target,
    key: string,
    load: (context: LoadContext<unknown>) => Promise<unknown>,
    stored: EntryOptions,
  ): Promise<void> {
    const parts: { error: unknown; appId: string | null }[] = []
    const value = await load(
      contextFor(target, key, (error, appId) => parts.push({ error, appId })),
    )
    if (target.loads.signal.aborted || !guard.valid(target.teamId, target.ticket)) {
      throw canceled(target)
    }
    cache.set(target.teamId, key, value, options.now(), stored)
    const part = parts[0]
    if (part) failuresOf(target.teamId).set(key, await failureOf(target, part.error, part.appId))
    else {
      failuresOf(target.teamId).delete(key)
      await accepted(target.teamId)
    }
  }

  function contextFor(
    target: Target,
    key: string,
    partFailed: (error: unknown, appId: string | null) => void,
  ): LoadContext<unknown> {
    return {
      client: target.client,
      signal: target.loads.signal,
      now: options.now,
      call: (request, call = {}) => ({
        signal: target.loads.signal,
        scope: scopeFor(target.teamId, request),
        background: call.background,
      }),
      shareScopes: (requests) => {
        const entries = requests.map((request) =>
          requestScope(request.method, requestTarget(request)),
        )
        const book = scopeBooks.get(target.teamId) ?? new Map<string, string[]>()
        for (const chunk of scopeChunks(entries)) for (const entry of chunk) book.set(entry, chunk)
        scopeBooks.set(target.teamId, book)
      },
      need: async (resource, params) => {
        const definition = definitionOf(resource)
        const needKey = definition.key(params)
        const sessionTarget = { ...target, loads: target.session }
        if (!cache.get(target.teamId, needKey)) {
          await target.session.join(needKey, () =>
            loadInto(
              sessionTarget,
              needKey,
              (context) => definition.load(context, params, undefined),
              entryOptions(resource),
            ),
          )
        }
        // What needs it needs all of it: the rest of a list that pages in the background.
        const first = cache.get(target.teamId, needKey)
        const label =
          first &&
          definition.extend?.background &&
          definition.extend.needs(first.value, params, (name) =>
            target.session.isLoading(`${needKey}|${name}`),
          )
        if (label) await extendInto(sessionTarget, resource, params, needKey, label)
        const stored = cache.get(target.teamId, needKey)
        return definition.view(stored?.value, params) as never
      },
      stored: () => cache.get(target.teamId, key)?.value,
      partFailed: (error, appId) => {
        if (!target.loads.signal.aborted) partFailed(error, appId)
      },
    }
  }

  function isDue(identity: SigningIdentity, entry: CacheEntry | undefined, cost: number): boolean {
    if (!entry) return true
    return isRefreshDue({
      fetchedAt: entry.fetchedAt,
      now: options.now(),
      cost,
      rateLimit: asc.usage(identity).rateLimit,
    })
  }

  /**
   * Refreshes `key` in the background and announces the outcome; a refresh already running is
   * joined (and announces its own). Resolves once it has settled.
   */
  function startRefresh(target: Target, request: ParsedResourceRequest, key: string) {
    const definition = definitionOf(request.resource)
    const load = () =>
      loadInto(
        target,
        key,
        (context) => definition.load(context, request.params, cache.get(target.teamId, key)?.value),
        entryOptions(request.resource),
      )
    if (target.loads.isLoading(key)) return target.loads.join(key, load).catch(() => undefined)
    return target.loads
      .join(key, load)
      .catch(async (error: unknown) => {
        failuresOf(target.teamId).set(key, await failureOf(target, error, null))
      })
      .then(
        () => options.onChanged(changeOf(request)),
        // Canceled: the team or app was left, and nothing changed.
        (error: unknown) => {
          if (!isAppError(error) || error.code !== 'browse.canceled') {
            log.warn('a refresh failed', { error: String(error) })
          }
        },
      )
  }

  function changeOf(request: ParsedResourceRequest): ResourceChange {
    return { teamId: request.teamId, resource: request.resource, params: { ...request.params } }
  }

  /** Loads more than is stored (the extension labelled `label`), joining one already running. */
  function extendInto(
    target: Target,
    resource: ResourceName,
    params: ParsedResourceRequest['params'],
    key: string,
    label: string,
  ): Promise<void> {
    const extension = definitionOf(resource).extend!
    return target.loads.join(`${key}|${label}`, () =>
      loadInto(
        target,
        key,
        (context) => extension.load(context, params, context.stored(), label),
        entryOptions(resource),
      ),
    )
  }

  /**
   * The rest of a list that pages in the background (the apps of a team with more than a page):
   * the answer shows what is stored, and `onChanged` tells when the rest is in.
   */
  function extendInBackground(
    target: Target,
    request: ParsedResourceRequest,
    key: string,
    label: string,
  ): void {
    if (target.loads.isLoading(`${key}|${label}`)) return
    extendInto(target, request.resource, request.params, key, label)
      .catch(async (error: unknown) => {
        failuresOf(target.teamId).set(key, await failureOf(target, error, null))
      })
      .then(
        () => options.onChanged(changeOf(request)),
        (error: unknown) => {
          if (!isAppError(error) || error.code !== 'browse.canceled') {
            log.warn('loading the rest of a list failed', { error: String(error) })
          }
        },
      )
  }

  /** Refreshes restored data once the launch grace period is over, if its screen is still up. */
  function refreshAfterLaunch(target: Target, request: ParsedResourceRequest, key: string) {
    const launch = options.launch
    const wait = launch ? launchedAt + launch.graceMs - options.now() : 0
    if (!launch || wait <= 0) {
      void startRefresh(target, request, key)
      return
    }
    const id = `${target.teamId}|${key}`
    if (deferred.has(id)) return
    deferred.add(id)
    launch.timer.after(wait, () => {
      deferred.delete(id)
      if (!target.loads.signal.aborted) void startRefresh(target, request, key)
    })
  }

  function answer(
    target: Target,
    request: ParsedResourceRequest,
    key: string,
    fromCache: boolean,
    extensionFailure: Failure | null = null,
  ): ResourceAnswer {
    const entry = cache.get(target.teamId, key)
    const failure = extensionFailure ?? failuresOf(target.teamId).get(key) ?? null
    const freshness: Freshness = {
      teamId: target.teamId,
      fetchedAt: entry?.fetchedAt ?? null,
      fromCache,
      refreshing: target.loads.isLoading(key),
      problem: failure?.problem ?? null,
      error: failure?.error ?? null,
    }
    const value = entry ? definitionOf(request.resource).view(entry.value, request.params) : null
    return { ...freshness, resource: request.resource, value } as ResourceAnswer
  }

  return {
    async read(request) {
      const target = await open(request)
      const definition = definitionOf(request.resource)
      const key = definition.key(request.params)
      const cached = cache.get(target.teamId, key)
      if (!cached) {
        try {
          await target.loads.join(key, () =>
            loadInto(
              target,
              key,
              (context) => definition.load(context, request.params, undefined),
              entryOptions(request.resource),
            ),
          )
        } catch (error) {
          failuresOf(target.teamId).set(key, {
            problem: await diagnose(target, error, null),
            error: null,
          })
          return answer(target, request, key, false)
        }
      }
      const entry = cache.get(target.teamId, key)
      if (!entry) return answer(target, request, key, false)
      const label = definition.extend?.needs(entry.value, request.params, (name) =>
        target.loads.isLoading(`${key}|${name}`),
      )
      if (!label || definition.extend?.background) {
        const due = isDue(target.identity, entry, definition.cost(request.params, entry.value))
        if (cached && due) {
          if (entry.restored) refreshAfterLaunch(target, request, key)
          else void startRefresh(target, request, key)
        }
        if (label) extendInBackground(target, request, key, label)
        return answer(target, request, key, cached !== undefined)
      }
      try {
        await extendInto(target, request.resource, request.params, key, label)
        return answer(target, request, key, false)
      } catch (error) {
        // Only this answer carries it: what is stored is as good as before.
        const problem = await diagnose(target, error, null)
        return answer(target, request, key, true, { problem, error: null })
      }
    },

    async refresh(request) {
      const target = await open(request)
      return {
        settled: startRefresh(target, request, definitionOf(request.resource).key(request.params)),
      }
    },

    async status(request) {
      // Read only: asking about a team must not make it the active one.
      const { teamId, params } = request
      const definition = definitionOf(request.resource)
      const key = definition.key(params)
      await cache.ready(teamId)
      const entry = cache.get(teamId, key)
      const cost = definition.cost(params, entry?.value)
      const identity = await keys.identityOf(teamId)
      const session = sessions.current()
      const loads =
        session?.teamId !== teamId
          ? null
          : definition.app
            ? session.loadsOf(definition.app(params))
            : session
      return {
        cost,
        fetchedAt: entry?.fetchedAt ?? null,
        due: isDue(identity, entry, cost),
        refreshing: loads?.isLoading(key) ?? false,
      }
    },

    activate(teamId) {
      sessions.enter(teamId)
    },

    forget(teamId) {
      sessions.end(teamId)
      guard.invalidate(teamId)
      cache.clearTeam(teamId)
      confirmed.delete(teamId)
      scopeBooks.delete(teamId)
      failures.delete(teamId)
    },

    clear(teamId) {
      guard.invalidate(teamId)
      cache.clearTeam(teamId)
      failures.delete(teamId)
    },

    dispose() {
      const current = sessions.current()
      if (current) sessions.end(current.teamId)
    },
  }
}
