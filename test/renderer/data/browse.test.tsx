// @vitest-environment happy-dom
/**
 * The browsing hooks (src/renderer/data/browse.ts) in React, against a fake main behind a fake
 * `window.ascent`: what they read, what they show of main's answers, how `browse:changed` and a
 * refresh make them read again, how the builds pages are asked for, and that the minute's re-read
 * waits while the window is hidden.
 */
import { fakeMain, answer, failure } from './fakeMain'
import { renderWithData } from './renderWithData'
import { act, cleanup, waitFor } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { AppRow, BuildRow, ResourceRequest } from '../../../src/shared/contract'
import type { Diagnosis } from '../../../src/shared/diagnosis'
import {
  useBuilds,
  useResource,
  useTeamActivity,
  useTeamAttention,
  useTeamPoll,
} from '../../../src/renderer/data/browse'

const TEAM = 'team-1'

function app(id: string): AppRow {
  return { id, name: `App ${id}`, bundleId: `com.example.${id}`, sku: null, platforms: ['IOS'] }
}

function build(index: number): BuildRow {
  return {
    id: `b${index}`,
    buildNumber: String(1000 - index),
    marketingVersion: '1.0',
    platform: 'IOS',
    uploadedAt: 1_000_000 - index,
    expiresAt: null,
    expired: false,
    processingState: 'VALID',
    usesNonExemptEncryption: false,
    audience: null,
    minOsVersion: null,
    internalState: null,
    externalState: null,
  }
}

const unavailable: Diagnosis = {
  ok: false,
  code: 'apple.unavailable',
  title: 'App Store Connect is having trouble',
  detail: 'Apple answered 503.',
  hints: ['Try again in a few minutes.'],
  facts: {},
}

const readsOf = (resource: string) =>
  fakeMain.reads.filter((request) => request.resource === resource)

beforeEach(() => fakeMain.reset())
afterEach(() => {
  cleanup()
  vi.useRealTimers()
})

describe('useResource', () => {
  it('reads the resource once and shows it with what main says of it', async () => {
    fakeMain.onRead = (request) => answer(request, [app('a')], { refreshing: true })
    const { result } = renderWithData(() => useResource(TEAM, 'apps', {}))
    expect(result.current).toMatchObject({ value: null, loading: true, problem: null })
    await waitFor(() => expect(result.current.value).toEqual([app('a')]))
    expect(result.current).toMatchObject({ loading: false, refreshing: true, fetchedAt: 1_000 })
    expect(fakeMain.reads).toEqual([{ teamId: TEAM, resource: 'apps', params: {} }])
  })

  it('shows the diagnosis in place of data, or beside the data still at hand', async () => {
    fakeMain.onRead = (request) => answer(request, null, { problem: unavailable })
    const missing = renderWithData(() => useResource(TEAM, 'apps', {}))
    await waitFor(() => expect(missing.result.current.problem?.code).toBe('apple.unavailable'))
    expect(missing.result.current).toMatchObject({ value: null, loading: false })
    expect(missing.result.current.problem?.hints).toEqual(['Try again in a few minutes.'])

    fakeMain.onRead = (request) => answer(request, [app('a')], { problem: unavailable })
    const kept = renderWithData(() => useResource('team-2', 'apps', {}))
    await waitFor(() => expect(kept.result.current.value).toEqual([app('a')]))
    expect(kept.result.current.problem?.title).toBe('App Store Connect is having trouble')
  })

  it('shows main’s own error, but says nothing of a read canceled by a team switch', async () => {
    fakeMain.onRead = () => failure('keychain.locked', 'The keychain is locked.')
    const locked = renderWithData(() => useResource(TEAM, 'apps', {}))
    await waitFor(() => expect(locked.result.current.problem?.code).toBe('keychain.locked'))
    expect(locked.result.current.problem?.detail).toBe('The keychain is locked.')

    fakeMain.onRead = () => failure('browse.canceled', 'Another team was opened.')
    const canceled = renderWithData(() => useResource('team-2', 'apps', {}))
    // Still on screen: the read is asked again (it crossed a late read of the team left behind).
    await waitFor(() =>
      expect(readsOf('apps').filter((r) => r.teamId === 'team-2')).toHaveLength(3),
    )
    await waitFor(() => expect(canceled.result.current.problem).toBeNull())
    expect(canceled.result.current.value).toBeNull()
  })

  it('reads again when main says the data changed, and only the data that changed', async () => {
    fakeMain.onRead = (request) =>
      answer(request, { ...build(0), id: (request.params as { buildId: string }).buildId } as never)
    const { result } = renderWithData(() => ({
      one: useResource(TEAM, 'build', { buildId: 'b1' }),
      two: useResource(TEAM, 'build', { buildId: 'b2' }),
    }))
    await waitFor(() => expect(result.current.one.value).not.toBeNull())
    await waitFor(() => expect(result.current.two.value).not.toBeNull())
    const buildReads = () => readsOf('build').map((r) => (r.params as { buildId: string }).buildId)
    expect(buildReads().sort()).toEqual(['b1', 'b2'])

    act(() => fakeMain.changed({ teamId: TEAM, resource: 'build', params: { buildId: 'b1' } }))
    await waitFor(() => expect(buildReads()).toHaveLength(3))
    expect(buildReads()[2]).toBe('b1')
    // Another team's change, or another resource's, reads nothing.
    act(() => fakeMain.changed({ teamId: 'team-2', resource: 'build', params: { buildId: 'b2' } }))
    act(() => fakeMain.changed({ teamId: TEAM, resource: 'apps', params: {} }))
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(buildReads()).toHaveLength(3)
  })

  it('refresh asks main to refresh, then reads at once what main says of it', async () => {
    let refreshing = false
    fakeMain.onRead = (request) => answer(request, [app('a')], { refreshing })
    const { result } = renderWithData(() => useResource(TEAM, 'apps', {}))
    await waitFor(() => expect(result.current.value).not.toBeNull())
    refreshing = true
    act(() => result.current.refresh())
    await waitFor(() => expect(result.current.refreshing).toBe(true))
    expect(fakeMain.refreshes).toEqual([{ teamId: TEAM, resource: 'apps', params: {} }])
    expect(readsOf('apps')).toHaveLength(2)
    refreshing = false
    act(() => fakeMain.changed({ teamId: TEAM, resource: 'apps', params: {} }))
    await waitFor(() => expect(result.current.refreshing).toBe(false))
  })

  it('asks nothing while disabled', async () => {
    fakeMain.onRead = (request) => answer(request, [app('a')])
    let enabled = false
    const { result, rerender } = renderWithData(() => useResource(TEAM, 'apps', {}, { enabled }))
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(fakeMain.reads).toEqual([])
    expect(result.current.loading).toBe(false)
    enabled = true
    rerender()
    await waitFor(() => expect(result.current.value).toEqual([app('a')]))
  })
})

describe('the minute’s re-read', () => {
  function setVisibility(state: 'visible' | 'hidden') {
    Object.defineProperty(document, 'visibilityState', { value: state, configurable: true })
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }))
  }

  afterEach(() => setVisibility('visible'))

  it('lets main start a due refresh every minute, and waits while the window is hidden', async () => {
    vi.useFakeTimers()
    fakeMain.onRead = (request) => answer(request, [app('a')])
    renderWithData(() => {
      useTeamPoll(TEAM)
      return { apps: useResource(TEAM, 'apps', {}), other: useResource(TEAM, 'apps', {}) }
    })
    await vi.advanceTimersByTimeAsync(10)
    expect(readsOf('apps')).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(60_000)
    // Once a minute, however many components show it.
    expect(readsOf('apps')).toHaveLength(2)

    act(() => setVisibility('hidden'))
    await vi.advanceTimersByTimeAsync(5 * 60_000)
    expect(readsOf('apps')).toHaveLength(2)

    // Shown again: what is older than the refresh policy's shortest interval is read at once.
    act(() => setVisibility('visible'))
    await vi.advanceTimersByTimeAsync(10)
    expect(readsOf('apps')).toHaveLength(3)
  })
})

/** Main's list of an app's builds, cut into pages as src/main/browse/builds.ts does. */
function buildsMain(count: number) {
  const rows = Array.from({ length: count }, (_, index) => build(index))
  let loaded = Math.min(200, count)
  fakeMain.onRead = (request: ResourceRequest) => {
    if (request.resource !== 'builds') return failure('internal')
    const { from = 0, rest = false } = request.params
    if (rest) loaded = count
    else if (from >= loaded) loaded = Math.min(count, loaded + 200)
    const complete = loaded === count
    const end = rest || complete ? loaded : Math.min(loaded, from + 200)
    return answer(request, {
      builds: rows.slice(from, end),
      total: count,
      next: end < count ? end : null,
      complete,
    })
  }
}

const buildsAsks = () =>
  readsOf('builds').map((request) => {
    const { from = 0, rest = false } = request.params as { from?: number; rest?: boolean }
    return rest ? `rest from ${from}` : `page from ${from}`
  })

describe('useBuilds', () => {
  it('reads the first page, a page per ask, then the rest in one read', async () => {
    buildsMain(900)
    const { result } = renderWithData(() => useBuilds(TEAM, 'app-1'))
    await waitFor(() => expect(result.current.builds).toHaveLength(200))
    expect(result.current).toMatchObject({ total: 900, complete: false, paging: null })

    // Once per length of the list: asking again before it grew asks nothing.
    act(() => {
      result.current.more()
      result.current.more()
    })
    await waitFor(() => expect(result.current.builds).toHaveLength(400))
    expect(buildsAsks()).toEqual(['page from 0', 'page from 200'])
    act(() => result.current.more())
    await waitFor(() => expect(result.current.builds).toHaveLength(600))

    act(() => result.current.all())
    await waitFor(() => expect(result.current.complete).toBe(true))
    expect(result.current.builds).toHaveLength(900)
    expect(result.current.builds?.map((row) => row.id)).toEqual(
      Array.from({ length: 900 }, (_, index) => `b${index}`),
    )
    expect(buildsAsks()).toEqual(['page from 0', 'page from 200', 'page from 400', 'rest from 600'])
  })

  it('says it is paging in all of them while the rest is on its way', async () => {
    buildsMain(600)
    let release = () => undefined as void
    const { result } = renderWithData(() => useBuilds(TEAM, 'app-1'))
    await waitFor(() => expect(result.current.builds).toHaveLength(200))
    const held = fakeMain.onRead
    fakeMain.onRead = (request) =>
      new Promise((resolve) => {
        release = () => resolve(held(request))
      })
    act(() => result.current.all())
    await waitFor(() => expect(result.current.paging).toBe('all'))
    release()
    await waitFor(() => expect(result.current.complete).toBe(true))
    expect(result.current.paging).toBeNull()
  })

  it('reads a whole list again in one page once main holds every build', async () => {
    buildsMain(700)
    const { result } = renderWithData(() => useBuilds(TEAM, 'app-1'))
    await waitFor(() => expect(result.current.builds).toHaveLength(200))
    act(() => result.current.all())
    await waitFor(() => expect(result.current.complete).toBe(true))
    const before = buildsAsks().length

    act(() => fakeMain.changed({ teamId: TEAM, resource: 'builds', params: { appId: 'app-1' } }))
    await waitFor(() => expect(buildsAsks().length).toBe(before + 1))
    expect(buildsAsks().at(-1)).toBe('page from 0')
    expect(result.current.builds).toHaveLength(700)
    expect(result.current.complete).toBe(true)
  })

  it('a page that fails keeps the rows, says why, and Try Again asks for it again', async () => {
    buildsMain(500)
    const { result } = renderWithData(() => useBuilds(TEAM, 'app-1'))
    await waitFor(() => expect(result.current.builds).toHaveLength(200))
    const working = fakeMain.onRead
    fakeMain.onRead = (request) =>
      (request.params as { from?: number }).from
        ? answer(request, null, { problem: unavailable, fromCache: true })
        : working(request)
    act(() => result.current.more())
    await waitFor(() => expect(result.current.pageProblem?.code).toBe('apple.unavailable'))
    expect(result.current.builds).toHaveLength(200)
    expect(result.current.problem).toBeNull()
    // Nothing more is asked by itself.
    act(() => result.current.more())
    expect(buildsAsks()).toEqual(['page from 0', 'page from 200'])

    fakeMain.onRead = working
    act(() => result.current.retryPage())
    await waitFor(() => expect(result.current.builds).toHaveLength(400))
    expect(result.current.pageProblem).toBeNull()
  })

  it('asks nothing until the selection has settled', async () => {
    buildsMain(300)
    let ready = false
    const { result, rerender } = renderWithData(() => useBuilds(TEAM, 'app-1', ready))
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(fakeMain.reads).toEqual([])
    ready = true
    rerender()
    await waitFor(() => expect(result.current.builds).toHaveLength(200))
  })
})

describe('team-wide state', () => {
  it('is busy while something of the team loads or refreshes, and failed when a part failed', async () => {
    let finish = () => undefined as void
    fakeMain.onRead = (request) =>
      new Promise((resolve) => {
        finish = () => resolve(answer(request, [app('a')], { refreshing: true }))
      })
    const { result } = renderWithData(() => ({
      apps: useResource(TEAM, 'apps', {}),
      status: useTeamActivity(TEAM),
    }))
    await waitFor(() => expect(result.current.status).toEqual({ busy: true, failed: false }))
    act(() => finish())
    // Main refreshes what it answered with: still busy.
    await waitFor(() => expect(result.current.apps.value).not.toBeNull())
    expect(result.current.status).toEqual({ busy: true, failed: false })

    fakeMain.onRead = (request) => answer(request, [app('a')], { problem: unavailable })
    act(() => fakeMain.changed({ teamId: TEAM, resource: 'apps', params: {} }))
    await waitFor(() => expect(result.current.status).toEqual({ busy: false, failed: true }))
  })

  it('counts the team’s needs attention from what was read, without asking for anything', async () => {
    const counts = (total: number) => ({
      expiring: 0,
      expired: 0,
      stuck: 0,
      compliance: total,
      failed: 0,
      total,
    })
    fakeMain.onRead = (request) =>
      answer(request, [
        {
          appId: 'a',
          latestBuild: null,
          iconTemplateUrl: null,
          attention: counts(2),
          countedAt: 1,
        },
        {
          appId: 'b',
          latestBuild: null,
          iconTemplateUrl: null,
          attention: counts(3),
          countedAt: 1,
        },
      ])
    const { result } = renderWithData(() => ({
      attention: useTeamAttention(TEAM),
      other: useTeamAttention('team-2'),
      activity: useResource(TEAM, 'activity', {}),
    }))
    await waitFor(() => expect(result.current.attention).toBe(5))
    expect(result.current.other).toBeNull()
    expect(fakeMain.reads).toHaveLength(1)
  })
})
