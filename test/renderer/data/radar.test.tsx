// @vitest-environment happy-dom
/**
 * The radar's hooks (src/renderer/data/radar.ts) against a fake main: every team's attention
 * count from main's overview before any screen has read the team, `radar:changed` taken as it
 * comes, `cache:cleared` making the screens read again, Clear Cached Data's call.
 */
import { emptyRadar, fakeMain, answer } from './fakeMain'
import { renderWithData } from './renderWithData'
import { act, cleanup, waitFor } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AppActivity, RadarOverview, TeamRadar } from '../../../src/shared/contract'
import { useResource, useTeamAttention } from '../../../src/renderer/data/browse'
import { useClearCachedData, useRadar, useTeamRadar } from '../../../src/renderer/data/radar'
import { useTeams } from '../../../src/renderer/data/teams'

function team(
  teamId: string,
  attention: number | null,
  change: Partial<TeamRadar> = {},
): TeamRadar {
  return {
    teamId,
    attention,
    lastRefreshAt: 5_000,
    refreshing: false,
    problem: null,
    error: null,
    requestsThisHour: 3,
    ...change,
  }
}

function overview(teams: TeamRadar[], change: Partial<RadarOverview> = {}): RadarOverview {
  return { ...emptyRadar(), teams, ...change }
}

function activity(appId: string, total: number): AppActivity {
  return {
    appId,
    latestBuild: null,
    iconTemplateUrl: null,
    attention: { expiring: total, stuck: 0, compliance: 0, failed: 0, total },
    countedAt: 1,
  }
}

beforeEach(() => fakeMain.reset())
afterEach(() => cleanup())

describe('every team’s state at launch', () => {
  it('shows each team’s count from main’s overview, without reading any team’s data', async () => {
    fakeMain.radar = overview([team('a', 4), team('b', 0), team('c', null)])
    const { result } = renderWithData(() => [
      useTeamAttention('a'),
      useTeamAttention('b'),
      useTeamAttention('c'),
    ])
    await waitFor(() => expect(result.current).toEqual([4, 0, null]))
    expect(fakeMain.reads).toEqual([])
    // One overview for every row.
    expect(fakeMain.calls.filter((call) => call.channel === 'radar:overview')).toHaveLength(1)
  })

  it('prefers what a screen read of the team, and follows radar:changed for the rest', async () => {
    fakeMain.radar = overview([team('a', 4), team('b', 2)])
    fakeMain.onRead = (request) => answer(request, [activity('x', 1), activity('y', 5)])
    const { result } = renderWithData(() => ({
      screen: useResource('a', 'activity', {}),
      a: useTeamAttention('a'),
      b: useTeamAttention('b'),
      radar: useTeamRadar('b'),
    }))
    await waitFor(() => expect(result.current.a).toBe(6))
    expect(result.current.b).toBe(2)
    act(() => fakeMain.radarChanged(overview([team('a', 4), team('b', 7, { refreshing: true })])))
    await waitFor(() => expect(result.current.b).toBe(7))
    expect(result.current.radar?.refreshing).toBe(true)
    expect(result.current.a).toBe(6)
  })

  it('reads the teams again when a background refresh failed anew (a key may be rejected)', async () => {
    fakeMain.radar = overview([team('a', 1)])
    const { result } = renderWithData(() => ({ radar: useRadar(), teams: useTeams() }))
    await waitFor(() => expect(result.current.radar?.teams).toHaveLength(1))
    const listed = () => fakeMain.calls.filter((call) => call.channel === 'teams:list').length
    await waitFor(() => expect(listed()).toBe(1))
    act(() => fakeMain.radarChanged(overview([team('a', 1, { lastRefreshAt: 9_000 })])))
    await waitFor(() => expect(result.current.radar?.teams[0]?.lastRefreshAt).toBe(9_000))
    expect(listed()).toBe(1)
    const rejected = {
      ok: false as const,
      code: 'auth.rejected' as const,
      title: 'Apple rejected the key',
      detail: '401',
      hints: [],
      facts: {},
    }
    act(() => fakeMain.radarChanged(overview([team('a', 1, { problem: rejected })])))
    await waitFor(() => expect(listed()).toBe(2))
    expect(result.current.radar?.teams[0]?.problem?.code).toBe('auth.rejected')
  })
})

describe('Clear Cached Data', () => {
  it('asks main, and the screens of the team read again when main says it is done', async () => {
    fakeMain.onRead = (request) => answer(request, [activity('x', 1)])
    const { result } = renderWithData(() => ({
      a: useResource('a', 'activity', {}),
      b: useResource('b', 'activity', {}),
      clear: useClearCachedData(),
    }))
    await waitFor(() => expect(result.current.a.value).not.toBeNull())
    await waitFor(() => expect(result.current.b.value).not.toBeNull())
    const reads = (teamId: string) =>
      fakeMain.reads.filter((request) => request.teamId === teamId).length
    expect([reads('a'), reads('b')]).toEqual([1, 1])
    await act(() => result.current.clear.mutateAsync('a'))
    expect(fakeMain.calls).toContainEqual({ channel: 'cache:clear', request: { teamId: 'a' } })
    act(() => fakeMain.cacheCleared({ teamId: 'a' }))
    await waitFor(() => expect(reads('a')).toBe(2))
    expect(reads('b')).toBe(1)
    act(() => fakeMain.cacheCleared({ teamId: null }))
    await waitFor(() => expect([reads('a'), reads('b')]).toEqual([3, 2]))
  })
})
