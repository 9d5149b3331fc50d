/**
 * The composition root: builds every main-process module from the platform it is given and
 * returns the IPC handlers. The Electron entry, the browser harness and the tests all start here.
 */
import { AppError } from './errors'
import { appHandlers } from './handlers/app'
import type { Handlers } from './ipc'
import type { Platform } from './platform'

export interface Ascent {
  handlers: Handlers
  dispose(): Promise<void>
}

const pending = (): never => {
  throw new AppError('not_ready', 'This part of Ascent is not available yet.')
}

export function createAscent(platform: Platform): Ascent {
  const handlers: Handlers = {
    ...appHandlers(platform),
    'keys:chooseFile': pending,
    'keys:importDropped': pending,
    'keys:pasteClipboard': pending,
    'keys:clearClipboard': pending,
    'keys:discardDraft': pending,
    'keys:check': pending,
    'keys:cancelCheck': pending,
    'keys:save': pending,
    'teams:list': () => ({ teams: [], activeTeamId: null, orphans: [], notices: [] }),
    'teams:activate': pending,
    'teams:rename': pending,
    'teams:recheck': pending,
    'teams:remove': pending,
    'teams:adoptOrphan': pending,
    'teams:forgetOrphan': pending,
    'teams:usage': pending,
  }
  return { handlers, dispose: async () => {} }
}
