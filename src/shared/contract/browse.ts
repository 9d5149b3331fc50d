/**
 * Browsing: every resource a screen shows (src/shared/contract/apps.ts, builds.ts) is read through
 * one channel and served by main through one serve step. Main answers from its per-team cache at
 * once when it can, refreshes from Apple when a refresh is due or asked for, and sends
 * `browse:changed` when a refresh has landed (or failed), so the screens read it again.
 */
import { z } from 'zod'
import type { Diagnosis } from '../diagnosis'
import type { IpcError } from '../result'
import { appsResources } from './apps'
import { buildsResources } from './builds'
import { event, operation } from './define'

/** Every browsable resource, by name. */
export const resources = {
  ...appsResources,
  ...buildsResources,
}

export type Resources = typeof resources
export type ResourceName = keyof Resources
/** What a screen passes to pick one (defaults may be left out). */
export type ParamsInputOf<R extends ResourceName> = z.input<Resources[R]['params']>
/** What main's serve step receives, checked and with defaults filled in. */
export type ParamsOf<R extends ResourceName> = z.output<Resources[R]['params']>
export type ValueOf<R extends ResourceName> = Resources[R]['value']

/** `{ teamId, resource: 'builds', params: { appId } }`. */
export type ResourceRequest<R extends ResourceName = ResourceName> = R extends ResourceName
  ? { teamId: string; resource: R; params: ParamsInputOf<R> }
  : never

export type ParsedResourceRequest<R extends ResourceName = ResourceName> = R extends ResourceName
  ? { teamId: string; resource: R; params: ParamsOf<R> }
  : never

/** What every browsing answer says about its data. Times are ms since the epoch. */
export interface Freshness {
  /** The team the data belongs to; the renderer drops an answer for any other team. */
  teamId: string
  /** When the data came from Apple; null when there is none. */
  fetchedAt: number | null
  /** Answered from main's cache, without waiting for Apple. */
  fromCache: boolean
  /** A refresh of this data is on its way; `browse:changed` tells when it has landed. */
  refreshing: boolean
  /** Why the last load or refresh failed at Apple; the data still at hand is in the answer. */
  problem: Diagnosis | null
  /** Why the last refresh failed inside Ascent (the keychain lost the key), not at Apple. */
  error: IpcError | null
}

export type ResourceAnswer<R extends ResourceName = ResourceName> = R extends ResourceName
  ? Freshness & {
      resource: R
      /** Null when nothing could be loaded (then `problem` says why). */
      value: ValueOf<R> | null
    }
  : never

/** A resource whose data changed: a refresh landed or failed. Read it again. */
export interface ResourceChange {
  teamId: string
  resource: ResourceName
  /** The params of the data that changed; a screen showing the same data reads it again. */
  params: Record<string, unknown>
}

const teamId = z.string().min(1).max(100)

/** One strict schema per resource, told apart by `resource`. */
const resourceRequest = z.discriminatedUnion(
  'resource',
  Object.entries(resources).map(([name, definition]) =>
    z.object({ teamId, resource: z.literal(name), params: definition.params }).strict(),
  ) as unknown as [z.ZodObject, ...z.ZodObject[]],
) as unknown as z.ZodType<ParsedResourceRequest, ResourceRequest>

export const browseOperations = {
  /**
   * A team's resource: from main's cache at once when it holds it (a quiet refresh starts when
   * one is due; `refreshing` says so), else from Apple. Reading another team cancels everything
   * the previous team still had in flight.
   */
  'browse:read': operation<ResourceAnswer>()(resourceRequest),
  /**
   * Refreshes a resource from Apple now (⌘R, Retry) and answers at once; `browse:changed`
   * follows when the refresh has landed or failed.
   */
  'browse:refresh': operation<null>()(resourceRequest),
}

export const browseEvents = {
  'browse:changed': event<ResourceChange>(),
}
