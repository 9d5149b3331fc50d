import type { Browse } from '../browse'
import type { HandlersOf } from '../ipc'

type SavedKeyHandlers = Pick<HandlersOf<'teams'>, 'teams:activate' | 'teams:remove'>

/** Every browsable resource of the active team, served from the cache first, and its refresh. */
export function browseHandlers(browse: Browse): HandlersOf<'browse'> {
  return {
    'browse:read': (request) => browse.read(request),
    'browse:refresh': async (request) => {
      // Answers once the refresh started: `browse:changed` tells the screens when it has landed.
      await browse.refresh(request)
      return null
    },
  }
}

/**
 * The team channels browsing takes part in: activating a team cancels the previous team's
 * requests at once; removing a team also drops every cached byte of it.
 */
export function teamBrowseHandlers(
  browse: Browse,
  saved: SavedKeyHandlers,
): SavedKeyHandlers & Pick<HandlersOf<'teams'>, 'teams:usage'> {
  return {
    'teams:activate': (request) => {
      browse.activate(request.teamId)
      return saved['teams:activate'](request)
    },
    'teams:remove': async (request) => {
      // Nothing of the team may still be loading while it goes, nor be cached after.
      browse.forget(request.teamId)
      await saved['teams:remove'](request)
      browse.forget(request.teamId)
      return null
    },
    'teams:usage': ({ teamId }) => browse.usage(teamId),
  }
}
