/**
 * The composition root: builds every main-process module from the platform it is given and
 * returns the IPC handlers. The Electron entry, the browser harness and the tests all start here.
 */
import { AppError } from './errors'
import { appHandlers } from './handlers/app'
import { keyIntakeHandlers } from './handlers/keys'
import { savedKeyHandlers } from './handlers/teams'
import type { Handlers } from './ipc'
import { createKeys } from './keys'
import type { Platform } from './platform'
import { createTokenSigner } from './tokens'

export interface Ascent {
  handlers: Handlers
  dispose(): Promise<void>
}

const pending = (): never => {
  throw new AppError('not_ready', 'This part of Ascent is not available yet.')
}

export function createAscent(platform: Platform): Ascent {
  const keys = createKeys(platform)
  const tokens = createTokenSigner({ loadKey: keys.loadSigningKey, now: () => platform.now() })
  const stopRetiring = keys.onKeyRetired(tokens.forgetKey)
  void keys.reconcile().catch((error: unknown) => {
    platform.log.error('reconciling saved keys failed', { error: String(error) })
  })

  const handlers: Handlers = {
    ...appHandlers(platform),
    ...keyIntakeHandlers(platform, keys),
    ...savedKeyHandlers(keys),
    'keys:check': pending,
    'keys:cancelCheck': pending,
    'keys:save': pending,
    'teams:recheck': pending,
    'teams:usage': pending,
  }
  return {
    handlers,
    dispose: () => {
      stopRetiring()
      keys.dispose()
      return Promise.resolve()
    },
  }
}
