/**
 * Every channel main answers and every event it sends, by name alone: the preload builds
 * `window.ascent` from these lists, and must not carry zod's request schemas into the page's
 * process. test/shared/contract.test.ts proves they match the contract (`./index.ts`) exactly:
 * a channel or event added there is added here too.
 */
import type { Channel, EventName } from './index'

export const CHANNELS = [
  'app:info',
  'app:openExternal',
  'menu:app',
  'menu:build',
  'menu:team',
  'browse:read',
  'browse:refresh',
  'keys:chooseFile',
  'keys:importDropped',
  'keys:pasteClipboard',
  'keys:clearClipboard',
  'keys:discardDraft',
  'keys:check',
  'keys:cancelCheck',
  'keys:save',
  'teams:list',
  'teams:activate',
  'teams:rename',
  'teams:recheck',
  'teams:remove',
  'teams:adoptOrphan',
  'teams:forgetOrphan',
  'teams:usage',
  'teams:details',
  'keys:rotate',
  'teams:exportOptions',
  'teams:export',
  'teams:copyToken',
  'radar:overview',
  'cache:clear',
  'settings:get',
  'settings:update',
] as const satisfies readonly Channel[]

export const EVENTS = [
  'app:command',
  'browse:changed',
  'keys:checkProgress',
  'radar:changed',
  'cache:cleared',
  'settings:changed',
] as const satisfies readonly EventName[]

/** `keys:importDropped` → `['keys', 'importDropped']`. */
export function splitChannel(channel: string): [namespace: string, verb: string] {
  const at = channel.indexOf(':')
  return [channel.slice(0, at), channel.slice(at + 1)]
}

/** `keys:checkProgress` → `['keys', 'onCheckProgress']`. */
export function eventBridgeName(name: EventName): [namespace: string, member: string] {
  const [namespace, verb] = splitChannel(name)
  return [namespace, `on${verb.charAt(0).toUpperCase()}${verb.slice(1)}`]
}
