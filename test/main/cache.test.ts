import { describe, expect, it } from 'vitest'
import { createBrowseCache } from '../../src/main/cache'

const apps = 'apps'
const builds = (appId: string) => `builds:${appId}`

describe('the browse cache', () => {
  it('keeps each team’s entries apart', () => {
    const cache = createBrowseCache()
    cache.set('team-a', apps, ['A1', 'A2'], 1_000)
    cache.set('team-b', apps, ['B1'], 2_000)
    expect(cache.get('team-a', apps)).toEqual({ value: ['A1', 'A2'], fetchedAt: 1_000 })
    expect(cache.get('team-b', apps)).toEqual({ value: ['B1'], fetchedAt: 2_000 })
    expect(cache.get('team-c', apps)).toBeUndefined()
  })

  it('replaces an entry with a newer one', () => {
    const cache = createBrowseCache()
    cache.set('team-a', apps, ['old'], 1_000)
    cache.set('team-a', apps, ['new'], 5_000)
    expect(cache.get('team-a', apps)).toEqual({ value: ['new'], fetchedAt: 5_000 })
    expect(cache.stats()).toEqual({ teams: 1, entries: 1 })
  })

  it('clears one team and nothing else', () => {
    const cache = createBrowseCache()
    cache.set('team-a', apps, ['A1'], 1)
    cache.set('team-a', builds('1'), [1, 2, 3], 1)
    cache.set('team-b', apps, ['B1'], 1)
    cache.clearTeam('team-a')
    expect(cache.get('team-a', apps)).toBeUndefined()
    expect(cache.get('team-a', builds('1'))).toBeUndefined()
    expect(cache.get('team-b', apps)?.value).toEqual(['B1'])
    expect(cache.stats()).toEqual({ teams: 1, entries: 1 })
  })

  it('forgets a team’s least recently used entries past its limit', () => {
    const cache = createBrowseCache({ entriesPerTeam: 3 })
    cache.set('team-a', builds('1'), [1], 1)
    cache.set('team-a', builds('2'), [2], 1)
    cache.set('team-a', builds('3'), [3], 1)
    // Reading app 1 makes app 2 the least recently used.
    cache.get('team-a', builds('1'))
    cache.set('team-a', builds('4'), [4], 1)
    expect(cache.get('team-a', builds('2'))).toBeUndefined()
    expect(cache.get('team-a', builds('1'))?.value).toEqual([1])
    expect(cache.get('team-a', builds('4'))?.value).toEqual([4])
    // Another team has its own limit.
    cache.set('team-b', builds('1'), [9], 1)
    expect(cache.stats()).toEqual({ teams: 2, entries: 4 })
  })
})
