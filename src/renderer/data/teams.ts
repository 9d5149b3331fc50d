/**
 * The saved teams: their list (TanStack Query over `teams:list`) and the actions on them. Each
 * action reads the list again when it succeeds; removing a team also drops everything the
 * renderer held of it.
 */
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query'
import { useCallback, useState } from 'react'
import type { Diagnosis } from '../../shared/diagnosis'
import type { TeamsState, TeamSummary } from '../../shared/contract'
import type { IpcError, Result } from '../../shared/result'
import { ascent } from './bridge'
import { prefetchApps } from './browse'
import { KEY_LIFE, keyLifeKey, teamBrowseKey, teamsKey, usageKey } from './queryKeys'

/** A failed call to main, carrying its typed error. */
export class IpcFailure extends Error {
  constructor(readonly error: IpcError) {
    super(error.message)
    this.name = 'IpcFailure'
  }
}

/** The value of main's answer, or an `IpcFailure` carrying its error. */
export async function valueOf<T>(pending: Promise<Result<T>>): Promise<T> {
  const result = await pending
  if (!result.ok) throw new IpcFailure(result.error)
  return result.value
}

/** The typed error of a failed action or query, for the screen to show. */
export function errorOf(failure: unknown): IpcError | null {
  if (!failure) return null
  return failure instanceof IpcFailure
    ? failure.error
    : { code: 'internal', message: 'Something went wrong inside Ascent. Please try again.' }
}

export interface Teams {
  state: TeamsState | undefined
  error: IpcError | null
  /** The team on screen; switches at once, before main has confirmed. */
  activeTeamId: string | null
  activate: (teamId: string) => void
  /** Reads the list again (a team's status may have changed in main). */
  reload: () => void
}

/**
 * `teams:list`, one query for every screen that reads the teams. The first read also starts the
 * opening team's apps list, rather than waiting for its screen to render and ask.
 */
const teamsQuery = {
  queryKey: teamsKey,
  queryFn: async ({ client }: { client: QueryClient }) => {
    const state = await valueOf(ascent.teams.list())
    const opening = state.teams.find((team) => team.id === state.activeTeamId) ?? state.teams[0]
    if (opening && client.getQueryData(teamsKey) === undefined) prefetchApps(client, opening.id)
    return state
  },
}

export function useTeams(): Teams {
  const client = useQueryClient()
  const query = useQuery(teamsQuery)
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
  const reload = useCallback(() => void client.invalidateQueries({ queryKey: teamsKey }), [client])

  return { state: query.data, error: errorOf(query.error), activeTeamId, activate, reload }
}

/** The saved teams as last read (empty before the first read), for screens that look one up. */
export function useSavedTeams(): TeamSummary[] {
  return useQuery(teamsQuery).data?.teams ?? []
}

/** An action on teams that reads the list again once it succeeded. */
function useTeamsAction<Request, Answer>(
  call: (request: Request) => Promise<Result<Answer>>,
  after?: (client: QueryClient, request: Request) => void,
) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (request: Request) => valueOf(call(request)),
    // The list first: a removed team's screens go before what they showed is dropped.
    onSuccess: async (_answer, request) => {
      await client.invalidateQueries({ queryKey: teamsKey })
      // A team's details (its name, last validated, history) follow the list.
      void client.invalidateQueries({ queryKey: [KEY_LIFE] })
      after?.(client, request)
    },
    onError: () => client.invalidateQueries({ queryKey: teamsKey }),
  })
}

export function useRenameTeam() {
  return useTeamsAction((request: { teamId: string; name: string }) => ascent.teams.rename(request))
}

/** Removes the team in main (keychain item, metadata, cache) and everything held of it here. */
export function useRemoveTeam() {
  return useTeamsAction(
    (request: { teamId: string }) => ascent.teams.remove(request),
    (client, { teamId }) => {
      client.removeQueries({ queryKey: teamBrowseKey(teamId) })
      client.removeQueries({ queryKey: usageKey(teamId) })
      client.removeQueries({ queryKey: keyLifeKey(teamId) })
    },
  )
}

/** Checks a saved team's key with Apple again; its status may change, so the list is read again. */
export function useRecheckTeam() {
  return useTeamsAction<{ teamId: string }, Diagnosis>((request) => ascent.teams.recheck(request))
}

export function useAdoptOrphan() {
  return useTeamsAction<{ account: string; name: string }, TeamSummary>((request) =>
    ascent.teams.adoptOrphan(request),
  )
}

export function useForgetOrphan() {
  return useTeamsAction((request: { account: string }) => ascent.teams.forgetOrphan(request))
}
