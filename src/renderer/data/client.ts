/**
 * The renderer's server state: one TanStack Query client over `window.ascent`. Main owns the
 * data and its freshness (its cache, the refresh policy, `browse:changed` when a refresh lands),
 * so the client mostly mirrors it: nothing is retried here (main retries Apple), and the minute's
 * re-read that lets main start a due refresh (`useTeamPoll`) pauses while the window is hidden.
 */
import { QueryClient, type Query } from '@tanstack/react-query'
import type { RadarOverview, ResourceChange } from '../../shared/contract'
import { ascent } from './bridge'
import { BROWSE, radarKey, TEAMS, USAGE } from './queryKeys'

/** Main's refresh policy never refreshes a list sooner than this: reading it sooner changes nothing. */
export const STALE_MS = 30_000

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: STALE_MS,
        retry: false,
        // TanStack's focus follows the page's visibility: a hidden window polls nothing.
        refetchIntervalInBackground: false,
      },
      mutations: { retry: false },
    },
  })
}

/** Whether a query shows the data `change` is about: same team and resource, same params. */
function showsChange(query: Query, change: ResourceChange): boolean {
  const [scope, teamId, resource, params] = query.queryKey as [string, string, string, object?]
  if (scope !== BROWSE || teamId !== change.teamId || resource !== change.resource) return false
  return Object.entries(params ?? {}).every(([name, value]) => change.params[name] === value)
}

/**
 * Follows main: a resource that changed is read again by the screens showing it, and the key's
 * rate-limit figures with it; how the teams stand in the background is taken as main sends it;
 * cached data main cleared is read again from the start. Returns the unsubscribe.
 */
export function followMain(client: QueryClient): () => void {
  const stops = [
    ascent.browse.onChanged((change) => {
      void client.invalidateQueries({ predicate: (query) => showsChange(query, change) })
      void client.invalidateQueries({ queryKey: [USAGE, change.teamId] })
    }),
    ascent.radar.onChanged((overview) => {
      const before = client.getQueryData<RadarOverview>(radarKey)
      client.setQueryData(radarKey, overview)
      // A background refresh that failed anew may have marked a team's key rejected.
      const problems = (value: RadarOverview | undefined) =>
        JSON.stringify(value?.teams.map((team) => team.problem?.code ?? null) ?? [])
      if (before && problems(before) !== problems(overview)) {
        void client.invalidateQueries({ queryKey: [TEAMS] })
      }
    }),
    ascent.cache.onCleared(({ teamId }) => {
      void client.resetQueries({ queryKey: teamId ? [BROWSE, teamId] : [BROWSE] })
    }),
  ]
  return () => {
    for (const stop of stops) stop()
  }
}
