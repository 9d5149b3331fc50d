import type { HandlersOf } from '../ipc'
import type { Keys } from '../keys'

type SavedKeyChannel =
  | 'teams:list'
  | 'teams:activate'
  | 'teams:rename'
  | 'teams:adoptOrphan'
  | 'teams:forgetOrphan'
  | 'teams:remove'

/** The saved keys as teams: metadata and keychain items, reconciled. */
export function savedKeyHandlers(keys: Keys): Pick<HandlersOf<'teams'>, SavedKeyChannel> {
  return {
    'teams:list': () => keys.state(),
    'teams:activate': async ({ teamId }) => {
      await keys.setActive(teamId)
      return null
    },
    'teams:rename': ({ teamId, name }) => keys.rename(teamId, name),
    'teams:adoptOrphan': ({ account, name }) => keys.adoptOrphan(account, name),
    'teams:remove': async ({ teamId }) => {
      await keys.remove(teamId)
      return null
    },
    'teams:forgetOrphan': async ({ account }) => {
      await keys.forgetOrphan(account)
      return null
    },
  }
}
