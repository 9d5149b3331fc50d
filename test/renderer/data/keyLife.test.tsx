// @vitest-environment happy-dom
/**
 * A saved key's hooks (src/renderer/data/keyLife.ts) against a fake main: the details follow what
 * is done to the key (an export adds to its history, failed or not), and a rotation reads the team
 * list again so every screen shows the new key.
 */
import { fakeMain } from './fakeMain'
import { renderWithData, savedTeam } from './renderWithData'
import { act, cleanup, waitFor } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { useExportKey, useRotateKey, useTeamDetails } from '../../../src/renderer/data/keyLife'
import { errorOf, useTeams } from '../../../src/renderer/data/teams'

const northwind = { ...savedTeam('T1', 'Northwind'), keyId: '2X9R4HXF34' }

const callsOn = (channel: string) => fakeMain.calls.filter((call) => call.channel === channel)

beforeEach(() => {
  fakeMain.reset()
  fakeMain.teams = {
    teams: [structuredClone(northwind)],
    activeTeamId: 'T1',
    orphans: [],
    notices: [],
  }
})
afterEach(cleanup)

describe('useTeamDetails with the actions on the key', () => {
  it('an export is in the details’ history as soon as it is done', async () => {
    const { result } = renderWithData(() => ({
      details: useTeamDetails('T1'),
      exportKey: useExportKey(),
    }))
    await waitFor(() => expect(result.current.details.data?.history).toEqual([]))
    await act(() =>
      result.current.exportKey.mutateAsync({ teamId: 'T1', format: 'p8', destination: 'file' }),
    )
    await waitFor(() =>
      expect(result.current.details.data?.history.map((entry) => entry.summary)).toEqual([
        'saved to /Users/me/p8',
      ]),
    )
  })

  it('a failed export carries main’s error, and the details are read again all the same', async () => {
    fakeMain.exportFailure = { code: 'export.file_exists', message: 'That file exists.' }
    const { result } = renderWithData(() => ({
      details: useTeamDetails('T1'),
      exportKey: useExportKey(),
    }))
    await waitFor(() => expect(result.current.details.data).toBeDefined())
    const reads = callsOn('teams:details').length
    await act(() =>
      result.current.exportKey
        .mutateAsync({ teamId: 'T1', format: 'env', destination: 'file' })
        .catch(() => undefined),
    )
    await waitFor(() =>
      expect(errorOf(result.current.exportKey.error)?.code).toBe('export.file_exists'),
    )
    await waitFor(() => expect(callsOn('teams:details').length).toBe(reads + 1))
  })
})

describe('useRotateKey', () => {
  it('reads the teams and the details again: both show the new key', async () => {
    const { result } = renderWithData(() => ({
      teams: useTeams(),
      details: useTeamDetails('T1'),
      rotate: useRotateKey(),
    }))
    await waitFor(() => expect(result.current.details.data?.keyId).toBe('2X9R4HXF34'))
    const answer = await act(() =>
      result.current.rotate.mutateAsync({ checkId: 'C1', teamId: 'T1' }),
    )
    expect(answer.previousKeyId).toBe('2X9R4HXF34')
    await waitFor(() => expect(result.current.teams.state?.teams[0]?.keyId).toBe(answer.team.keyId))
    await waitFor(() => expect(result.current.details.data?.keyId).toBe(answer.team.keyId))
    expect(answer.team.keyId).not.toBe('2X9R4HXF34')
  })
})
