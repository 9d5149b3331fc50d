import type { Browse } from '../browse'
import type { HandlersOf } from '../ipc'

type SavedKeyHandlers = Pick<HandlersOf<'teams'>, 'teams:activate' | 'teams:remove'>

/** Apps and builds of the active team, served from the cache first; the team's rate-limit meter. */
export function browseHandlers(browse: Browse): HandlersOf<'apps'> & HandlersOf<'builds'> {
  return {
    'apps:list': (request) => browse.apps(request),
    'apps:activity': (request) => browse.activity(request),
    'builds:list': (request) => browse.builds(request),
    'builds:detail': (request) => browse.detail(request),
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
