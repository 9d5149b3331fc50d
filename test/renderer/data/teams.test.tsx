// @vitest-environment happy-dom
/**
 * The teams hooks (src/renderer/data/teams.ts) against a fake main: the list, the team on screen,
 * and actions that read the list again (and, for a removed team, drop what was held of it).
 */
import { answer, fakeMain } from './fakeMain'
import { renderWithData, savedTeam } from './renderWithData'
import { act, cleanup, waitFor } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { useResource } from '../../../src/renderer/data/browse'
import { browseKey } from '../../../src/renderer/data/queryKeys'
import { useRemoveTeam, useRenameTeam, useTeams } from '../../../src/renderer/data/teams'

const listReads = () => fakeMain.calls.filter((call) => call.channel === 'teams:list').length

beforeEach(() => {
  fakeMain.reset()
  fakeMain.teams = {
    teams: [savedTeam('T1', 'Northwind'), savedTeam('T2', 'Fabrikam')],
    activeTeamId: 'T2',
    orphans: [],
    notices: [],
  }
})
afterEach(cleanup)

describe('useTeams', () => {
  it('opens the team main remembers, and switches at once when asked', async () => {
    const { result } = renderWithData(() => useTeams())
    await waitFor(() => expect(result.current.activeTeamId).toBe('T2'))
    act(() => result.current.activate('T1'))
    expect(result.current.activeTeamId).toBe('T1')
    expect(fakeMain.calls).toContainEqual({ channel: 'teams:activate', request: { teamId: 'T1' } })
  })

  it('asks for the opening team’s apps as soon as the teams are known, before its screen does', async () => {
    const { result } = renderWithData(() => useTeams())
    await waitFor(() => expect(result.current.state).toBeDefined())
    await waitFor(() =>
      expect(fakeMain.reads).toEqual([{ teamId: 'T2', resource: 'apps', params: {} }]),
    )
  })

  it('a team that is gone is never the one on screen', async () => {
    fakeMain.teams.activeTeamId = 'T9'
    const { result } = renderWithData(() => useTeams())
    await waitFor(() => expect(result.current.activeTeamId).toBe('T1'))
  })
})

describe('team actions', () => {
  it('renaming reads the list again, which shows the new name', async () => {
    const { result } = renderWithData(() => ({ teams: useTeams(), rename: useRenameTeam() }))
    await waitFor(() => expect(result.current.teams.state).toBeDefined())
    const before = listReads()
    await act(() => result.current.rename.mutateAsync({ teamId: 'T1', name: 'Northwind Labs' }))
    await waitFor(() => expect(listReads()).toBe(before + 1))
    await waitFor(() =>
      expect(result.current.teams.state?.teams.map((saved) => saved.name)).toContain(
        'Northwind Labs',
      ),
    )
  })

  it('a failed action says why, and reads the list again all the same', async () => {
    const { result } = renderWithData(() => ({ teams: useTeams(), rename: useRenameTeam() }))
    await waitFor(() => expect(result.current.teams.state).toBeDefined())
    const before = listReads()
    await act(async () => {
      await expect(
        result.current.rename.mutateAsync({ teamId: 'T9', name: 'Nobody' }),
      ).rejects.toMatchObject({ error: { code: 'keys.team_not_found' } })
    })
    await waitFor(() => expect(listReads()).toBe(before + 1))
  })

  it('removing a team drops everything held of it, and nothing of the other teams', async () => {
    fakeMain.onRead = (request) => answer(request, [])
    const { result, client } = renderWithData(() => ({
      remove: useRemoveTeam(),
      shown: useResource('T2', 'apps', {}),
    }))
    // What the renderer still holds of T1 from when it was on screen.
    await act(() =>
      client.prefetchQuery({
        queryKey: browseKey('T1', 'apps'),
        queryFn: () => answer({ teamId: 'T1', resource: 'apps', params: {} }, []),
      }),
    )
    await waitFor(() => expect(client.getQueryData(browseKey('T2', 'apps'))).toBeDefined())
    expect(client.getQueryData(browseKey('T1', 'apps'))).toBeDefined()
    await act(() => result.current.remove.mutateAsync({ teamId: 'T1' }))
    expect(client.getQueryCache().findAll({ queryKey: ['browse', 'T1'] })).toEqual([])
    expect(client.getQueryData(browseKey('T2', 'apps'))).toBeDefined()
    expect(fakeMain.teams.teams.map((saved) => saved.id)).toEqual(['T2'])
  })
})
