/**
 * The background radar through the real main process against the Apple sandbox: what a pass
 * costs, a 429 that rests the key's radar and leaves the user's requests alone, and a refresh
 * overlapping the team's removal that stores and announces nothing of it.
 */
import { stat } from 'node:fs/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { createRadarBudget, RATE_LIMITED_PAUSE_MS } from '../../../src/main/radar/budget'
import type { RadarOverview } from '../../../src/shared/contract'
import { useSandboxApps } from '../diagnosis/support'

const { sandbox, appWithTeam } = useSandboxApps()
const admin = () => sandbox().findKey({ team: 'northwind', role: 'ADMIN', type: 'team' })
const requestsOf = (keyId: string) =>
  sandbox()
    .admin.requestLog()
    .filter((entry) => entry.keyId === keyId)

afterEach(() => {
  sandbox().admin.clearFaults()
  sandbox().admin.setHourlyLimit(3600)
  sandbox().admin.resetRateLimits()
})

describe('the radar’s budget', () => {
  it('allows the set share of the hour, counts a rolling hour, and halves after a 429', () => {
    let now = 0
    const budget = createRadarBudget(() => now)
    expect(budget.allowance('K', null, 5)).toBe(180)
    expect(budget.allowance('K', { limit: 1000, remaining: 900 }, 5)).toBe(50)
    for (let sent = 0; sent < 180; sent++) budget.record('K')
    expect(budget.waitFor('K', 1, 180)).toBeGreaterThan(0)
    now += 60 * 60_000 + 1
    expect(budget.spent('K')).toBe(0)
    budget.slowDown('K', now + RATE_LIMITED_PAUSE_MS)
    expect(budget.restingUntil('K')).toBe(now + RATE_LIMITED_PAUSE_MS)
    expect(budget.allowance('K', null, 5)).toBe(90)
  })
})

describe('the radar against Apple', () => {
  it('a pass of a team costs a few requests, counted against the key', async () => {
    const { app, team } = await appWithTeam(admin())
    sandbox().admin.resetRequestLog()
    await app.ascent.radar.runNow()
    const sent = requestsOf(admin().keyId).length
    expect(sent).toBeGreaterThan(0)
    const overview: RadarOverview = await app.call('radar:overview', undefined)
    const mine = overview.teams.find((entry) => entry.teamId === team.id)
    expect(mine?.requestsThisHour).toBe(sent)
    expect(overview.budget).toEqual({ percent: 5, requestsPerKeyPerHour: 180 })
  })

  it('a 429 in the background rests the key’s radar; the user’s own reads still go out', async () => {
    const { app, team } = await appWithTeam(admin())
    await app.ascent.radar.runNow()
    // The key's hour is used up: Apple answers 429 with Retry-After.
    sandbox().admin.setHourlyLimit(1)
    sandbox().admin.resetRequestLog()
    await app.ascent.radar.runNow()
    expect(requestsOf(admin().keyId).map((entry) => entry.status)).toEqual([429])
    sandbox().admin.setHourlyLimit(3600)
    sandbox().admin.resetRateLimits()
    sandbox().admin.resetRequestLog()
    await app.ascent.radar.runNow()
    expect(requestsOf(admin().keyId)).toEqual([])

    const read = await app.invoke('browse:refresh', {
      teamId: team.id,
      resource: 'apps',
      params: {},
    })
    expect(read.ok).toBe(true)
    await sandbox().admin.waitForRequest(
      (entry) => entry.keyId === admin().keyId && entry.path.startsWith('/v1/apps?'),
    )
    const settled = await sandbox().admin.waitUntilSettled()
    expect(
      settled.filter((entry) => entry.path.startsWith('/v1/apps?')).map((entry) => entry.status),
    ).toContain(200)
  })

  it('a pass that overlaps the team’s removal stores and announces nothing of it', async () => {
    const { app, team } = await appWithTeam(admin())
    sandbox().admin.setFaults([{ kind: 'latency', ms: 400, match: { keyId: admin().keyId } }])
    const pass = app.ascent.radar.runNow()
    await sandbox().admin.waitForRequest(
      (entry) => entry.keyId === admin().keyId && entry.state === 'held',
    )
    await app.call('teams:remove', { teamId: team.id })
    const eventsAtRemoval = app.events.length
    await pass
    await app.ascent.cache.flush()
    const later = app.events
      .slice(eventsAtRemoval)
      .filter((entry) => JSON.stringify(entry.payload).includes(team.id))
      .filter((entry) => entry.event === 'browse:changed')
    expect(later).toEqual([])
    await expect(stat(app.ascent.cache.fileOf(team.id))).rejects.toThrow()
  })
})
