/**
 * A saved key's life in the window: its details (⌘I), Replace Key, Export Key… and Copy Token….
 * Main reads the Keychain, writes the files and fills the clipboard; the page learns only what
 * to show ("saved to …", "copied until …"), never a private key or a token.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { RequestOf } from '../../shared/contract'
import { ascent } from './bridge'
import { keyLifeKey, teamsKey } from './queryKeys'
import { valueOf } from './teams'

/** The team's IDs, fingerprint, dates and history; read again after anything that adds to them. */
export function useTeamDetails(teamId: string) {
  return useQuery({
    queryKey: keyLifeKey(teamId, 'details'),
    queryFn: () => valueOf(ascent.teams.details({ teamId })),
  })
}

/** What Export Key… offers for the team: the formats, file names and the CI snippet. */
export function useExportOptions(teamId: string) {
  return useQuery({
    queryKey: keyLifeKey(teamId, 'exportOptions'),
    queryFn: () => valueOf(ascent.teams.exportOptions({ teamId })),
  })
}

/** Reads the team's details again: an export, a token or a rotation adds to its history. */
function useAfterKeyLife() {
  const client = useQueryClient()
  return (teamId: string) => client.invalidateQueries({ queryKey: keyLifeKey(teamId) })
}

export function useExportKey() {
  const after = useAfterKeyLife()
  return useMutation({
    mutationFn: (request: RequestOf<'teams:export'>) => valueOf(ascent.teams.export(request)),
    onSettled: (_answer, _error, request) => after(request.teamId),
  })
}

export function useCopyToken() {
  const after = useAfterKeyLife()
  return useMutation({
    mutationFn: (request: RequestOf<'teams:copyToken'>) => valueOf(ascent.teams.copyToken(request)),
    onSettled: (_answer, _error, request) => after(request.teamId),
  })
}

/** Saves the key a passed check verified as the team's new key; the team list changes with it. */
export function useRotateKey() {
  const client = useQueryClient()
  const after = useAfterKeyLife()
  return useMutation({
    mutationFn: (request: RequestOf<'keys:rotate'>) => valueOf(ascent.keys.rotate(request)),
    onSettled: async (_answer, _error, request) => {
      await client.invalidateQueries({ queryKey: teamsKey })
      await after(request.teamId)
    },
  })
}
