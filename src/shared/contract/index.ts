/**
 * The one IPC contract: every channel main answers and every event it sends, with the schema
 * each request must pass. Main registers handlers from it; the preload derives `window.ascent`.
 */
import type { z } from 'zod'
import type { Result } from '../result'
import { appEvents, appOperations } from './app'
import {
  browseEvents,
  browseOperations,
  type ResourceAnswer,
  type ResourceName,
  type ResourceRequest,
} from './browse'
import { keyLifeOperations } from './key-life'
import { keysEvents, keysOperations } from './keys'
import { radarEvents, radarOperations } from './radar'
import { settingsEvents, settingsOperations } from './settings'
import { teamsOperations } from './teams'

export type * from './app'
export type * from './apps'
export type * from './browse'
export type * from './builds'
export type * from './key-life'
export type * from './keys'
export type * from './radar'
export type * from './settings'
export type * from './teams'
export { resources } from './browse'
export { CHANNELS, EVENTS, eventBridgeName, splitChannel } from './channels'

export const operations = {
  ...appOperations,
  ...browseOperations,
  ...keysOperations,
  ...settingsOperations,
  ...teamsOperations,
  ...keyLifeOperations,
  ...radarOperations,
}

export const events = {
  ...appEvents,
  ...browseEvents,
  ...keysEvents,
  ...radarEvents,
  ...settingsEvents,
}

export type Operations = typeof operations
export type Channel = keyof Operations
export type EventName = keyof typeof events

/** What the renderer passes. */
export type RequestOf<C extends Channel> = z.input<Operations[C]['request']>
/** What a handler receives, after the schema has checked (and normalized) it. */
export type ParsedRequestOf<C extends Channel> = z.output<Operations[C]['request']>
export type ResponseOf<C extends Channel> = Operations[C]['response']
export type EventPayload<E extends EventName> = (typeof events)[E]['payload']

export const channels = Object.keys(operations) as Channel[]
export const eventNames = Object.keys(events) as EventName[]

/**
 * Channels whose bridge function takes something other than the wire request; the preload
 * adapts it. A dropped File becomes its path on disk, so main reads the key, never the page.
 */
export interface BridgeArguments {
  'keys:importDropped': File
}

type Namespace<Name extends string> = Name extends `${infer N}:${string}` ? N : never

type BridgeArgument<C extends Channel> = C extends keyof BridgeArguments
  ? BridgeArguments[C]
  : RequestOf<C>

/**
 * Channels whose bridge function is generic: a resource read answers with that resource's value.
 */
export interface BridgeSignatures {
  'browse:read': <R extends ResourceName>(
    request: ResourceRequest<R>,
  ) => Promise<Result<ResourceAnswer<R>>>
}

type BridgeFunction<C extends Channel> = C extends keyof BridgeSignatures
  ? BridgeSignatures[C]
  : undefined extends BridgeArgument<C>
    ? () => Promise<Result<ResponseOf<C>>>
    : (request: BridgeArgument<C>) => Promise<Result<ResponseOf<C>>>

type OperationsOf<N extends string> = {
  [C in Channel as C extends `${N}:${infer Verb}` ? Verb : never]: BridgeFunction<C>
}

type EventsOf<N extends string> = {
  [E in EventName as E extends `${N}:${infer Name}` ? `on${Capitalize<Name>}` : never]: (
    listener: (payload: EventPayload<E>) => void,
  ) => () => void
}

/** `window.ascent`: one namespace per domain, one function per operation, `onX` per event. */
export type AscentApi = {
  [N in Namespace<Channel> | Namespace<EventName>]: OperationsOf<N> & EventsOf<N>
}
