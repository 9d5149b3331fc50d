/**
 * How every saved team stands in the background (main's radar): its attention count, when it was
 * last refreshed and why that failed, and whether the radar is paused. Main answers from its cache
 * on disk at launch, without asking Apple, and sends `radar:changed` whenever it changes (./client.ts
 * puts that straight into the query). Clear Cached Data is here too.
 */
import { useMutation, useQuery } from '@tanstack/react-query'
import type { RadarOverview, TeamRadar } from '../../shared/contract'
import { ascent } from './bridge'
import { radarKey } from './queryKeys'
import { IpcFailure } from './teams'

async function overview(): Promise<RadarOverview> {
  const result = await ascent.radar.overview()
  if (!result.ok) throw new IpcFailure(result.error)
  return result.value
}

/** The radar's overview; null until main has answered. */
export function useRadar(): RadarOverview | null {
  const query = useQuery({ queryKey: radarKey, queryFn: overview, staleTime: Infinity })
  return query.data ?? null
}

/** One team's line of the overview. */
export function useTeamRadar(teamId: string): TeamRadar | null {
  return useRadar()?.teams.find((team) => team.teamId === teamId) ?? null
}

/**
 * Clear Cached Data: what main has cached of one team (or, with null, of every team) goes; the
 * screens showing it read from Apple again when main says it is done (`cache:cleared`).
 */
export function useClearCachedData() {
  return useMutation({
    mutationFn: async (teamId: string | null) => {
      const result = await ascent.cache.clear({ teamId })
      if (!result.ok) throw new IpcFailure(result.error)
    },
  })
}
