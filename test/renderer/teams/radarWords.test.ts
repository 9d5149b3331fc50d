import { describe, expect, it } from 'vitest'
import type { TeamRadar } from '../../../src/shared/contract'
import { teamStatusText } from '../../../src/renderer/teams/radarWords'

const NOW = Date.UTC(2026, 4, 1, 12, 0, 0)
const MINUTE = 60_000

function team(change: Partial<TeamRadar> = {}): TeamRadar {
  return {
    teamId: 't',
    attention: 2,
    lastRefreshAt: NOW - 3 * MINUTE,
    refreshing: false,
    problem: null,
    error: null,
    requestsThisHour: 4,
    ...change,
  }
}

describe('the team status line', () => {
  it('says when the background refresh last got through', () => {
    expect(teamStatusText(team(), null, NOW)).toEqual({
      text: 'Updated 3 min. ago',
      failed: false,
      detail: null,
    })
    expect(teamStatusText(team({ lastRefreshAt: null }), null, NOW)).toBeNull()
    expect(teamStatusText(team({ lastRefreshAt: null, refreshing: true }), null, NOW)?.text).toBe(
      'Refreshing…',
    )
  })

  it('names why nothing moves when the radar is paused', () => {
    expect(teamStatusText(team(), 'offline', NOW)?.text).toBe('Offline · Updated 3 min. ago')
    expect(teamStatusText(team({ lastRefreshAt: null }), 'asleep', NOW)?.text).toBe(
      'Paused while asleep',
    )
    expect(teamStatusText(team(), 'lowBattery', NOW)?.text).toMatch(/^Paused: low battery/)
    expect(teamStatusText(team(), 'disabled', NOW)?.text).toMatch(/^Background refresh off/)
  })

  it('shows a failure with its diagnosis, the detail in the tooltip', () => {
    const status = teamStatusText(
      team({
        problem: {
          ok: false,
          code: 'auth.rejected',
          title: 'Apple rejected the key',
          detail: 'App Store Connect answered 401.',
          hints: [],
          facts: {},
        },
      }),
      null,
      NOW,
    )
    expect(status).toMatchObject({ text: 'Refresh failed: Apple rejected the key', failed: true })
    expect(status?.detail).toContain('App Store Connect answered 401.')
    expect(status?.detail).toContain('Last good refresh: updated 3 min. ago.')
    const error = teamStatusText(
      team({ error: { code: 'keys.secret_missing', message: 'The key is gone.' } }),
      null,
      NOW,
    )
    expect(error).toMatchObject({ text: 'Refresh failed: The key is gone.', failed: true })
  })
})
