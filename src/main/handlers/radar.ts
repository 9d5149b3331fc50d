import type { HandlersOf } from '../ipc'
import type { Radar } from '../radar'

/** How every team stands in the background, and Clear Cached Data. */
export function radarHandlers(
  radar: Pick<Radar, 'overview'>,
  clearCache: (teamId: string | null) => Promise<void>,
): HandlersOf<'radar'> & HandlersOf<'cache'> {
  return {
    'radar:overview': () => radar.overview(),
    'cache:clear': async ({ teamId }) => {
      await clearCache(teamId)
      return null
    },
  }
}
