/**
 * Browsing a team's apps and builds: every resource the screens show, declared once (./apps.ts,
 * ./builds.ts) and served by one serve step (./serve.ts) from the per-team cache first, refreshed
 * from App Store Connect with scoped read-only tokens, under the active team's session.
 *
 *   const browse = createBrowse({ asc, keys, cache, now, log, onChanged })
 *   await browse.read({ teamId, resource: 'apps', params: {} })             // ResourceAnswer<'apps'>
 *   await browse.read({ teamId, resource: 'builds', params: { appId, from: 200 } }) // the next page
 *   await browse.refresh({ teamId, resource: 'apps', params: {} })          // ⌘R; onChanged follows
 *   await browse.status({ teamId, resource: 'activity', params: {} })       // cost, age, due
 *   browse.activate(teamId)                                                 // on teams:activate
 *   browse.forget(teamId)                                                   // on teams:remove
 */
import {
  resources as contractResources,
  type ParsedResourceRequest,
  type ResourceAnswer,
  type ResourceChange,
  type ResourceName,
  type ResourceRequest,
} from '../../shared/contract/browse'
import type { TeamUsage } from '../../shared/contract/teams'
import type { AscClient } from '../asc'
import type { BrowseCache } from '../cache'
import type { Keys } from '../keys'
import type { Logger } from '../log'
import type { Timer } from '../platform'
import { appsResources } from './apps'
import { buildsResources } from './builds'
import { createTeamGuard, type TeamGuard } from './guard'
import { refreshState } from './policy'
import type { ServedResources } from './resource'
import { createServe, type ResourceStatus } from './serve'

export * from './policy'
export { createTeamGuard, type TeamGuard } from './guard'
export type { ResourceStatus } from './serve'
export type { StoredBuilds } from './builds'

/** Every resource of the contract, served; the type check fails until a new one is added here. */
export const servedResources = {
  ...appsResources,
  ...buildsResources,
} satisfies ServedResources

export interface BrowseOptions {
  asc: Pick<AscClient, 'forKey' | 'usage'>
  keys: Pick<Keys, 'identityOf' | 'state' | 'markRejected' | 'markValidated' | 'onKeyRetired'>
  cache: BrowseCache
  now: () => number
  log: Logger
  /** A refresh landed or failed (main sends `browse:changed`). */
  onChanged?: (change: ResourceChange) => void
  /** Shared with whatever else stores under a team (the radar); one of its own by default. */
  guard?: TeamGuard
  /** Data restored from disk is refreshed this long after launch, not before the first paint. */
  launch?: { timer: Timer; graceMs: number }
}

export interface Browse {
  read<R extends ResourceName>(request: ResourceRequest<R>): Promise<ResourceAnswer<R>>
  /**
   * Starts a refresh from Apple now (or joins one running). `settled` resolves once it has landed,
   * failed or been canceled, after `onChanged`; the IPC handler answers without waiting for it.
   */
  refresh(request: ResourceRequest): Promise<{ settled: Promise<void> }>
  /** What a refresh of the data costs, how old it is, whether one is due or running. */
  status(request: ResourceRequest): Promise<ResourceStatus>
  usage(teamId: string): Promise<TeamUsage>
  /** The team on screen: every other team's requests are canceled. */
  activate(teamId: string): void
  /** The team is gone: its requests are canceled and its cache cleared. */
  forget(teamId: string): void
  /** Clear Cached Data: what is cached of the team goes; its screens read from Apple again. */
  clear(teamId: string): void
  dispose(): void
}

/** Fills in the params' defaults, as the IPC dispatcher's check does for the renderer. */
function parsed<R extends ResourceName>(request: ResourceRequest<R>): ParsedResourceRequest<R> {
  const params: unknown = contractResources[request.resource].params.parse(request.params)
  return { ...request, params } as ParsedResourceRequest<R>
}

export function createBrowse(options: BrowseOptions): Browse {
  const { asc, keys } = options
  const guard = options.guard ?? createTeamGuard()
  const stopGuarding = keys.onKeyRetired((fingerprint) => guard.keyRetired(fingerprint))
  const serve = createServe({
    ...options,
    guard,
    resources: servedResources,
    onChanged: options.onChanged ?? (() => undefined),
  })

  return {
    read: async <R extends ResourceName>(request: ResourceRequest<R>) =>
      (await serve.read(parsed(request))) as ResourceAnswer<R>,
    refresh: (request) => serve.refresh(parsed(request)),
    status: (request) => serve.status(parsed(request)),
    async usage(teamId) {
      const usage = asc.usage(await keys.identityOf(teamId))
      return {
        teamId,
        rateLimit: usage.rateLimit,
        clockOffsetSeconds: usage.clockOffsetSeconds,
        backgroundRefresh: refreshState(usage.rateLimit),
      }
    },
    activate: (teamId) => serve.activate(teamId),
    forget: (teamId) => serve.forget(teamId),
    clear: (teamId) => serve.clear(teamId),
    dispose: () => {
      stopGuarding()
      serve.dispose()
    },
  }
}
