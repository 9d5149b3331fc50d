/**
 * A browsable resource, declared once (./apps.ts, ./builds.ts) and served by the one serve step
 * (./serve.ts): where its data sits in the team's cache, what a refresh of it costs in requests,
 * how to load it from Apple, and what an answer shows of what is stored. The serve step does the
 * rest for every resource alike: cache first, a refresh when due or asked for, the team's session
 * and cancellation, the diagnosis of a failure, and `browse:changed` when a refresh lands.
 */
import type { ParamsOf, ResourceName, ValueOf } from '../../shared/contract/browse'
import type { AscKeyClient, AscRequest, CallOptions } from '../asc'

export interface LoadContext<Stored> {
  readonly client: AscKeyClient
  /** Aborts with the team's session (or the app's, for app-scoped resources). */
  readonly signal: AbortSignal
  now(): number
  /**
   * Call options for `request`: the load's signal, and a token scoped to the request (shared
   * with the team's other requests when `shareScopes` noted it). `background`: work the user did
   * not ask for, which waits behind what they did.
   */
  call(request: AscRequest, options?: { background?: boolean }): CallOptions
  /** Notes requests about to be made one per app, so they share a few tokens, not one each. */
  shareScopes(requests: readonly AscRequest[]): void
  /** Another resource's value: from the cache, or loaded (and stored) now. */
  need<R extends ResourceName>(resource: R, params: ParamsOf<R>): Promise<ValueOf<R>>
  /** What the cache holds for this data now: another load may have stored since this one began. */
  stored(): Stored | undefined
  /**
   * A part failed (one app of many): what loaded is still stored, and the answer carries this
   * failure, diagnosed. The first failure is the one reported.
   */
  partFailed(error: unknown, appId: string | null): void
}

/** Loading more than what is stored, for a request that asks past it (the next page of builds). */
export interface Extension<R extends ResourceName, Stored> {
  /**
   * Loaded behind the answer instead of before it: the read answers with what is stored and
   * `browse:changed` follows (the rest of a team's apps after the first page).
   */
  background?: boolean
  /**
   * What to load so that `stored` answers `params`: a label (loads with the same label join), or
   * null when it already does.
   */
  needs(stored: Stored, params: ParamsOf<R>, isLoading: (label: string) => boolean): string | null
  load(
    context: LoadContext<Stored>,
    params: ParamsOf<R>,
    stored: Stored,
    label: string,
  ): Promise<Stored>
}

interface Definition<R extends ResourceName, Stored> {
  /** The data's slot in the team's cache: params that pick other data give another key. */
  key(params: ParamsOf<R>): string
  /** Requests one refresh sends: the refresh policy spaces quiet refreshes by it. */
  cost(params: ParamsOf<R>, stored: Stored | undefined): number
  /** Reads the data from Apple, fresh. `stored`: what the cache holds (a list to lay a page over). */
  load(
    context: LoadContext<Stored>,
    params: ParamsOf<R>,
    stored: Stored | undefined,
  ): Promise<Stored>
  extend?: Extension<R, Stored>
  /** Loads run under the app's own signal: reading another app's builds cancels them. */
  app?(params: ParamsOf<R>): string
  /** What of the stored value the cache on disk keeps (a long list: its first pages). */
  persist?: (stored: Stored) => Stored
  /** Kept on disk and in memory whatever else is evicted: what the sidebar paints at launch. */
  pinned?: boolean
}

/** A resource whose answer shows all that is stored. */
type WholeDefinition<R extends ResourceName> = Definition<R, ValueOf<R>> & { view?: undefined }

/** A resource that stores more than an answer shows (a list and its cursor; a page of it). */
type ViewedDefinition<R extends ResourceName, Stored> = Definition<R, Stored> & {
  /** The answer's value: what `stored` shows for `params`, or null when it has nothing for them. */
  view(stored: Stored, params: ParamsOf<R>): ValueOf<R> | null
}

/**
 * A definition as the serve step holds it. What is stored stays between the definition's own
 * functions (the serve step only keeps it in the cache and hands it back), so it is `unknown` here.
 */
export interface Served<R extends ResourceName> {
  readonly resource: R
  key(params: ParamsOf<R>): string
  cost(params: ParamsOf<R>, stored: unknown): number
  load(context: LoadContext<unknown>, params: ParamsOf<R>, stored: unknown): Promise<unknown>
  extend?: Extension<R, unknown>
  app?(params: ParamsOf<R>): string
  persist?: (stored: unknown) => unknown
  pinned?: boolean
  view(stored: unknown, params: ParamsOf<R>): ValueOf<R> | null
}

export function defineResource<R extends ResourceName>(
  resource: R,
  definition: WholeDefinition<R>,
): Served<R>
export function defineResource<R extends ResourceName, Stored>(
  resource: R,
  definition: ViewedDefinition<R, Stored>,
): Served<R>
export function defineResource<R extends ResourceName>(
  resource: R,
  definition: Definition<R, unknown> & { view?: (stored: unknown, params: ParamsOf<R>) => unknown },
): Served<R> {
  const view = definition.view ?? ((stored: unknown) => stored)
  return { ...definition, resource, view: view as Served<R>['view'] }
}

/** Every resource of the contract, served: a resource the contract adds must be defined here. */
export type ServedResources = { [R in ResourceName]: Served<R> }
