import { useCallback, useState } from 'react'
import type { TeamsState } from '../../shared/contract'
import { ascent } from './bridge'
import { useQuery } from './useQuery'

export interface Teams {
  state: TeamsState | undefined
  error: ReturnType<typeof useQuery<TeamsState>>['error']
  /** The team on screen; switches at once, before main has confirmed. */
  activeTeamId: string | null
  activate: (teamId: string) => void
  reload: () => void
}

export function useTeams(): Teams {
  const query = useQuery('teams', () => ascent.teams.list())
  const [chosen, setChosen] = useState<string | null>(null)
  const teams = query.data?.teams ?? []
  const stored = query.data?.activeTeamId ?? null
  const candidate = chosen ?? stored
  const activeTeamId = teams.some((team) => team.id === candidate)
    ? candidate
    : (teams[0]?.id ?? null)

  const activate = useCallback((teamId: string) => {
    setChosen(teamId)
    void ascent.teams.activate({ teamId })
  }, [])

  return { state: query.data, error: query.error, activeTeamId, activate, reload: query.reload }
}
