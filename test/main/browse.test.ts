/**
 * Browsing against the Apple sandbox through the real keys module, token signer and client:
 * stale-while-revalidate from the per-team cache, scoped tokens shared by few signatures, builds
 * in one request then a page at a time or all, app and team switches that cancel what the
 * previous screen had in flight, removal, the rate-limit slow-down and the diagnoses shown in
 * place. Every request and answer is checked against Apple's spec on the way.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { AppsAnswer } from '../../src/shared/contract/apps'
import type { BuildRow } from '../../src/shared/contract/builds'
import { attentionReasons } from '../../src/shared/attention'
import { createAscClient } from '../../src/main/asc'
import { createBrowse, refreshIntervalMs } from '../../src/main/browse'
import type { Browse } from '../../src/main/browse'
import { cacheKey, createBrowseCache } from '../../src/main/cache'
import type { BrowseCache } from '../../src/main/cache'
import { isAppError } from '../../src/main/errors'
import { browseHandlers, teamBrowseHandlers } from '../../src/main/handlers/browse'
import { savedKeyHandlers } from '../../src/main/handlers/teams'
import { createKeys } from '../../src/main/keys'
import type { Keys } from '../../src/main/keys'
import { silentLogger } from '../../src/main/log'
import { createTokenSigner } from '../../src/main/tokens'
import type { TokenSigner } from '../../src/main/tokens'
import { startSandbox } from '../sandbox'
import type { Sandbox, SandboxKey } from '../sandbox'
import { ApiClient } from '../sandbox/support'
import { specCheckingFetch } from './asc/support'
import type { SpecCheck } from './asc/support'
import { browsingPicks, saveSandboxTeams } from './browse-support'
import type { SavedTeams } from './browse-support'
import { createFakeClock, createMemoryClipboard } from './fakes'
import type { FakeClock } from './fakes'

interface SentRequest {
  path: string
  keyId: string
  scope: string[] | undefined
  signal: AbortSignal | undefined
}

function decodePart(part: string | undefined): Record<string, unknown> {
  return JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >
}

/**
 * Called with each answer's request path once its body has arrived, before the client sees it:
 * a test can switch teams at the moment an answer lands.
 */
let onAnswer: ((path: string) => void) | null = null

/**
 * The platform fetch, recording what each request was sent with (never the token itself), through
 * `inner` (the spec check).
 */
function recordingFetch(
  sent: SentRequest[],
  inner: typeof globalThis.fetch,
): typeof globalThis.fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input.toString())
    const headers = new Headers(init?.headers)
    const [header, payload] = (headers.get('authorization') ?? '').replace('Bearer ', '').split('.')
    sent.push({
      path: `${url.pathname}${decodeURIComponent(url.search)}`,
      keyId: String(decodePart(header).kid),
      scope: decodePart(payload).scope as string[] | undefined,
      signal: init?.signal ?? undefined,
    })
    const response = await inner(input, init)
    const hook = onAnswer
    if (!hook) return response
    // The body is read here, so what the hook aborts can no longer cut the answer short.
    const body = await response.text()
    hook(`${url.pathname}${decodeURIComponent(url.search)}`)
    return new Response(body, { status: response.status, headers: response.headers })
  }
}

let sandbox: Sandbox
let saved: SavedTeams
let northwind: SandboxKey
let fabrikam: SandboxKey
let contoso: SandboxKey

beforeAll(async () => {
  sandbox = await startSandbox()
  const picks = browsingPicks(sandbox)
  ;[northwind, fabrikam, contoso] = picks.map((pick) => pick.key) as [
    SandboxKey,
    SandboxKey,
    SandboxKey,
  ]
  saved = await saveSandboxTeams(picks)
})

afterAll(async () => {
  await saved.dispose()
  await sandbox.close()
})

let keys: Keys
let cache: BrowseCache
let clock: FakeClock
let sent: SentRequest[]
let spec: SpecCheck
let tokens: TokenSigner
let browse: Browse

const appsKey = cacheKey<unknown>('apps')
const buildsKey = (appId: string) => cacheKey<unknown>(`builds:${appId}`)

/** The newest `count` builds of an app as Apple lists them, by ID (read past the client). */
async function newestIds(appId: string, count: number): Promise<string[]> {
  const walk = await new ApiClient(sandbox).all(
    `/v1/builds?filter[app]=${appId}&sort=-uploadedDate&limit=200&fields[builds]=version`,
    northwind,
  )
  return walk.data.slice(0, count).map((build) => build.id)
}

function idsOf(builds: readonly BuildRow[] | null): string[] {
  return (builds ?? []).map((build) => build.id)
}

function isNewestFirst(builds: readonly BuildRow[]): boolean {
  return builds.every(
    (build, index) => index === 0 || builds[index - 1]!.uploadedAt >= build.uploadedAt,
  )
}

function teamOf(key: SandboxKey): string {
  const team = saved.teams.find((candidate) => candidate.keyId === key.keyId)
  if (!team) throw new Error(`no saved team for ${key.keyId}`)
  return team.id
}

function sentFor(key: SandboxKey): SentRequest[] {
  return sent.filter((request) => request.keyId === key.keyId)
}

beforeEach(() => {
  sandbox.admin.clearFaults()
  sandbox.admin.resetRateLimits()
  sandbox.admin.setHourlyLimit(3600)
  for (const key of [northwind, fabrikam, contoso]) sandbox.admin.unrevokeKey(key.keyId)
  keys = createKeys({
    secrets: saved.secrets,
    clipboard: createMemoryClipboard(),
    now: Date.now,
    dataDir: saved.dataDir,
    log: silentLogger,
  })
  tokens = createTokenSigner({ loadKey: keys.loadSigningKey, now: Date.now })
  sent = []
  spec = specCheckingFetch()
  onAnswer = null
  const asc = createAscClient({
    fetch: recordingFetch(sent, spec.fetch),
    baseUrl: sandbox.url,
    tokens,
    retry: { baseDelayMs: 1, maxDelayMs: 4 },
  })
  cache = createBrowseCache()
  clock = createFakeClock(Date.now())
  browse = createBrowse({ asc, keys, cache, now: clock.now, log: silentLogger })
  return () => {
    browse.dispose()
    keys.dispose()
  }
})

afterEach(async () => {
  await spec.settle()
  expect(spec.problems).toEqual([])
})

async function rejection(pending: Promise<unknown>): Promise<unknown> {
  try {
    await pending
  } catch (error) {
    return error
  }
  throw new Error('expected the promise to reject')
}

describe('apps, stale-while-revalidate', () => {
  it('loads the apps in one scoped request, then paints from the cache', async () => {
    const teamId = teamOf(northwind)
    const cold = await browse.apps({ teamId, refresh: 'cached' })
    expect(cold).toMatchObject({ teamId, fromCache: false, stale: false, problem: null })
    expect(cold.apps?.map((app) => app.id).sort()).toEqual([...sandbox.teams[0]!.appIds].sort())
    expect(sent.map((request) => request.path.split('?')[0])).toEqual(['/v1/apps'])
    // The token can do this one request and nothing else.
    expect(sent[0]?.scope).toHaveLength(1)
    expect(sent[0]?.scope?.[0]).toMatch(/^GET \/v1\/apps\?/)

    const warm = await browse.apps({ teamId, refresh: 'cached' })
    expect(warm).toMatchObject({ teamId, fromCache: true, stale: false, apps: cold.apps })
    expect(sent).toHaveLength(1)
  })

  it('refreshes quietly only once a refresh is due, and always when forced', async () => {
    const teamId = teamOf(northwind)
    await browse.apps({ teamId, refresh: 'cached' })
    await browse.apps({ teamId, refresh: 'background' })
    expect(sent).toHaveLength(1)

    clock.advance(refreshIntervalMs(1, null) ?? 0)
    const cached = await browse.apps({ teamId, refresh: 'cached' })
    expect(cached.stale).toBe(true)
    expect(sent).toHaveLength(1)
    const refreshed = await browse.apps({ teamId, refresh: 'background' })
    expect(refreshed).toMatchObject({ fromCache: false, stale: false, fetchedAt: clock.now() })
    expect(sent).toHaveLength(2)

    await browse.apps({ teamId, refresh: 'force' })
    expect(sent).toHaveLength(3)
  })
})

describe('builds', () => {
  it('paints the first screen with one request, then has every build, newest first', async () => {
    const teamId = teamOf(northwind)
    const appId = sandbox.fixtures.bigApp.id
    const first = await browse.builds({ teamId, appId, refresh: 'cached', until: 'first' })
    expect(first).toMatchObject({ teamId, appId, complete: false, total: 5000 })
    expect(first.builds).toHaveLength(200)
    expect(sent[0]?.path).toMatch(/^\/v1\/builds\?filter\[app\]=/)
    const requestsAtFirstPaint = sent.length

    const all = await browse.builds({ teamId, appId, refresh: 'cached', until: 'complete' })
    expect(requestsAtFirstPaint).toBe(1)
    expect(all.complete).toBe(true)
    const builds = all.builds ?? []
    expect(builds).toHaveLength(sandbox.fixtures.bigApp.buildCount)
    expect(new Set(builds.map((build) => build.id)).size).toBe(builds.length)
    expect(
      builds.every(
        (build, index) => index === 0 || builds[index - 1]!.uploadedAt >= build.uploadedAt,
      ),
    ).toBe(true)
    // Every request of the full load ran on a token scoped to the requests it made.
    expect(sent.every((request) => request.scope && request.scope.length > 0)).toBe(true)

    const again = await browse.builds({ teamId, appId, refresh: 'cached', until: 'first' })
    expect(again).toMatchObject({ fromCache: true, complete: true })
    expect(again.builds).toHaveLength(builds.length)
  })

  it('a quiet refresh reads the newest page only and keeps the rest', async () => {
    const teamId = teamOf(northwind)
    const appId = sandbox.fixtures.bigApp.id
    await browse.builds({ teamId, appId, refresh: 'cached', until: 'complete' })
    const before = sent.length
    clock.advance(refreshIntervalMs(1, null) ?? 0)
    const refreshed = await browse.builds({ teamId, appId, refresh: 'background', until: 'first' })
    expect(sent.length - before).toBe(1)
    expect(refreshed).toMatchObject({ fromCache: false, complete: true })
    expect(refreshed.builds).toHaveLength(sandbox.fixtures.bigApp.buildCount)
  })

  it('finds every needs-attention case the sandbox seeds in the big app', async () => {
    const teamId = teamOf(northwind)
    const appId = sandbox.fixtures.bigApp.id
    const all = await browse.builds({ teamId, appId, refresh: 'cached', until: 'complete' })
    const now = Date.now()
    const builds = all.builds ?? []
    const ids = new Set(builds.map((build) => build.id))
    const flagged = (reason: string) =>
      builds
        .filter((build: BuildRow) => attentionReasons(build, now).includes(reason as never))
        .map((build) => build.id)
        .sort()
    const seeded = (list: string[]) => list.filter((id) => ids.has(id)).sort()
    const { builds: cases } = sandbox.fixtures
    const expired = new Set(cases.expired)
    expect(flagged('expiring')).toEqual(seeded(cases.expiringSoon))
    expect(flagged('stuck')).toEqual(seeded(cases.stuckProcessing))
    expect(flagged('compliance')).toEqual(seeded(cases.missingCompliance))
    expect(flagged('failed')).toEqual(
      seeded([...cases.failed, ...cases.invalid].filter((id) => !expired.has(id))),
    )
    for (const reason of ['expiring', 'stuck', 'compliance', 'failed']) {
      expect(flagged(reason).length).toBeGreaterThan(0)
    }
  })

  it('shows a build with its beta groups and App Store version', async () => {
    const teamId = teamOf(northwind)
    const appId = sandbox.fixtures.bigApp.id
    const all = await browse.builds({ teamId, appId, refresh: 'cached', until: 'complete' })
    const valid = (all.builds ?? []).find(
      (build) =>
        build.processingState === 'VALID' &&
        !build.expired &&
        build.usesNonExemptEncryption !== null,
    )
    const answer = await browse.detail({ teamId, buildId: valid!.id, refresh: 'cached' })
    expect(answer).toMatchObject({ teamId, buildId: valid!.id, problem: null })
    expect(answer.detail?.betaGroups.map((group) => group.name)).toContain('Internal Testers')
    expect(sent.at(-1)?.scope?.[0]).toMatch(new RegExp(`^GET /v1/builds/${valid!.id}\\?`))
  })
})

describe('builds, a page at a time as the user scrolls', () => {
  it('adds one page per ask, each with one request from the cursor, to the end', async () => {
    const teamId = teamOf(northwind)
    const appId = sandbox.fixtures.bigApp.id
    let answer = await browse.builds({ teamId, appId, refresh: 'cached', until: 'first' })
    expect(answer.builds).toHaveLength(200)
    expect(sent).toHaveLength(1)
    let asks = 0
    while (!answer.complete && asks < 30) {
      const before = sent.length
      const loaded = answer.builds?.length ?? 0
      answer = await browse.builds({ teamId, appId, refresh: 'cached', until: 'more' })
      asks += 1
      expect(sent.length - before).toBe(1)
      expect(sent.at(-1)?.path).toMatch(/^\/v1\/builds\?cursor=/)
      expect(answer).toMatchObject({ teamId, appId, fromCache: false, problem: null, total: 5000 })
      expect(answer.builds).toHaveLength(Math.min(loaded + 200, 5000))
    }
    expect(asks).toBe(24)
    const builds = answer.builds ?? []
    expect(new Set(idsOf(builds)).size).toBe(sandbox.fixtures.bigApp.buildCount)
    expect(isNewestFirst(builds)).toBe(true)
    // The cursor stays in main.
    expect(answer).not.toHaveProperty('next')
    expect(JSON.stringify(answer)).not.toContain('cursor')

    const count = sent.length
    const more = await browse.builds({ teamId, appId, refresh: 'cached', until: 'more' })
    const first = await browse.builds({ teamId, appId, refresh: 'cached', until: 'first' })
    for (const again of [more, first]) {
      expect(again).toMatchObject({ fromCache: true, complete: true })
      expect(again.builds).toHaveLength(5000)
    }
    expect(sent).toHaveLength(count)
  })

  it('⌘R refreshes the newest page only; the next page still follows on', async () => {
    const teamId = teamOf(northwind)
    const appId = sandbox.fixtures.bigApp.id
    await browse.builds({ teamId, appId, refresh: 'cached', until: 'first' })
    await browse.builds({ teamId, appId, refresh: 'cached', until: 'more' })
    const loaded = await browse.builds({ teamId, appId, refresh: 'cached', until: 'more' })
    const before = sent.length

    const refreshed = await browse.builds({ teamId, appId, refresh: 'force', until: 'first' })
    expect(sent.length - before).toBe(1)
    expect(sent.at(-1)?.path).toMatch(/^\/v1\/builds\?filter\[app\]=/)
    expect(refreshed).toMatchObject({ fromCache: false, complete: false, problem: null })
    expect(idsOf(refreshed.builds)).toEqual(idsOf(loaded.builds))

    const more = await browse.builds({ teamId, appId, refresh: 'cached', until: 'more' })
    expect(sent.length - before).toBe(2)
    expect(sent.at(-1)?.path).toMatch(/^\/v1\/builds\?cursor=/)
    expect(new Set(idsOf(more.builds))).toEqual(new Set(await newestIds(appId, 800)))
  })

  it('after a refresh that does not meet the loaded rows, pages on from the fresh page', async () => {
    const teamId = teamOf(northwind)
    const appId = sandbox.fixtures.bigApp.id
    const gone: BuildRow[] = [1, 2, 3].map((n) => ({
      id: `gone-${n}`,
      buildNumber: String(n),
      marketingVersion: '0.1',
      platform: 'IOS',
      uploadedAt: n,
      expiresAt: null,
      expired: true,
      processingState: 'VALID',
      usesNonExemptEncryption: false,
      audience: null,
      minOsVersion: null,
      internalState: null,
      externalState: null,
    }))
    // Rows from long ago, and a cursor that would not lead on from today's newest page.
    cache.set(
      teamId,
      buildsKey(appId),
      { rows: gone, total: 3, complete: false, next: `${sandbox.url}/v1/builds?cursor=stale` },
      clock.now(),
    )
    const refreshed = await browse.builds({ teamId, appId, refresh: 'force', until: 'first' })
    expect(refreshed.builds).toHaveLength(200)
    expect(idsOf(refreshed.builds)).not.toContain('gone-1')

    const more = await browse.builds({ teamId, appId, refresh: 'cached', until: 'more' })
    expect(more.problem).toBeNull()
    expect(sent.at(-1)?.path).toMatch(/^\/v1\/builds\?cursor=/)
    expect(sent.at(-1)?.path).not.toContain('cursor=stale')
    expect(new Set(idsOf(more.builds))).toEqual(new Set(await newestIds(appId, 400)))
  })

  it('without a kept cursor, the next page starts over from the newest builds', async () => {
    const teamId = teamOf(northwind)
    const appId = sandbox.fixtures.bigApp.id
    await browse.builds({ teamId, appId, refresh: 'cached', until: 'first' })
    // An entry as it was stored before cursors were kept.
    const stored = { ...(cache.get(teamId, buildsKey(appId))?.value as Record<string, unknown>) }
    Reflect.deleteProperty(stored, 'next')
    cache.set(teamId, buildsKey(appId), stored, clock.now())

    const restarted = await browse.builds({ teamId, appId, refresh: 'cached', until: 'more' })
    expect(sent).toHaveLength(2)
    expect(sent.at(-1)?.path).toMatch(/^\/v1\/builds\?filter\[app\]=/)
    expect(restarted).toMatchObject({ complete: false, problem: null })
    expect(restarted.builds).toHaveLength(200)

    const more = await browse.builds({ teamId, appId, refresh: 'cached', until: 'more' })
    expect(sent.at(-1)?.path).toMatch(/^\/v1\/builds\?cursor=/)
    expect(new Set(idsOf(more.builds))).toEqual(new Set(await newestIds(appId, 400)))
  })
})

describe('switching apps', () => {
  it('asking for another app’s builds cancels the loads of the app before', async () => {
    const teamId = teamOf(northwind)
    const bigApp = sandbox.fixtures.bigApp.id
    const other = sandbox.teams[0]!.appIds.find((id) => id !== bigApp) ?? ''
    const ofBigApp = () => sent.filter((request) => !request.path.includes(`[app]=${other}`))
    sandbox.admin.addFaults({ kind: 'latency', ms: 400, match: { keyId: northwind.keyId } })
    const loadingAll = rejection(
      browse.builds({ teamId, appId: bigApp, refresh: 'cached', until: 'complete' }),
    )
    // The pre-release versions are in; the parts of the full load are on their way.
    await expect
      .poll(() => ofBigApp().filter((r) => r.path.startsWith('/v1/builds?')).length)
      .toBeGreaterThan(0)

    const answer = await browse.builds({ teamId, appId: other, refresh: 'cached', until: 'first' })

    const error = await loadingAll
    expect(isAppError(error) && error.code).toBe('browse.canceled')
    const parts = ofBigApp().filter((request) => request.path.startsWith('/v1/builds?'))
    expect(parts.every((request) => request.signal?.aborted)).toBe(true)
    expect(answer).toMatchObject({ teamId, appId: other, problem: null, fromCache: false })
    expect(idsOf(answer.builds)).toEqual(await newestIds(other, 200))
    // A whole round trip later, nothing more of the big app has been asked for or stored.
    const count = ofBigApp().length
    await browse.builds({ teamId, appId: other, refresh: 'force', until: 'first' })
    expect(ofBigApp()).toHaveLength(count)
    expect(cache.get(teamId, buildsKey(bigApp))).toBeUndefined()

    // Back on the big app, its builds load again.
    sandbox.admin.clearFaults()
    const all = await browse.builds({ teamId, appId: bigApp, refresh: 'cached', until: 'complete' })
    expect(all).toMatchObject({ complete: true, problem: null })
    expect(all.builds).toHaveLength(sandbox.fixtures.bigApp.buildCount)
  })

  it('a page being added is canceled too; the same app’s asks are not', async () => {
    const teamId = teamOf(northwind)
    const bigApp = sandbox.fixtures.bigApp.id
    const other = sandbox.teams[0]!.appIds.find((id) => id !== bigApp) ?? ''
    await browse.builds({ teamId, appId: bigApp, refresh: 'cached', until: 'first' })
    sandbox.admin.addFaults({ kind: 'latency', ms: 400, match: { keyId: northwind.keyId } })
    const more = rejection(
      browse.builds({ teamId, appId: bigApp, refresh: 'cached', until: 'more' }),
    )
    const again = browse.builds({ teamId, appId: bigApp, refresh: 'cached', until: 'first' })
    await expect.poll(() => sent.length).toBe(2)
    expect(await again).toMatchObject({ fromCache: true })
    await browse.builds({ teamId, appId: other, refresh: 'cached', until: 'first' })
    const error = await more
    expect(isAppError(error) && error.code).toBe('browse.canceled')
    expect(isAppError(error) && error.message).toMatch(/another app/i)
    expect(sent[1]?.signal?.aborted).toBe(true)
    expect(sent).toHaveLength(3)
  })
})

describe('app activity', () => {
  it('has each app’s newest build, icon and attention counts', async () => {
    const teamId = teamOf(northwind)
    const answer = await browse.activity({ teamId, refresh: 'cached' })
    expect(answer.problem).toBeNull()
    const activity = answer.activity ?? []
    expect(activity.map((item) => item.appId).sort()).toEqual([...sandbox.teams[0]!.appIds].sort())
    const big = activity.find((item) => item.appId === sandbox.fixtures.bigApp.id)
    expect(big?.latestBuild?.buildNumber).toBe(String(sandbox.fixtures.bigApp.buildCount))
    expect(big?.iconTemplateUrl).toMatch(/^https:\/\/[^/]+\.mzstatic\.com\/.*\{w\}x\{h\}bb\.\{f\}$/)
    expect(big?.attention.expiring).toBeGreaterThan(0)
    expect(big?.attention.total).toBeGreaterThanOrEqual(big?.attention.stuck ?? 0)
    // Only builds still in TestFlight are read for it.
    expect(sent.some((request) => request.path.includes('filter[expired]=false'))).toBe(true)
  })

  it('a 30-app team’s apps, activity and builds screen take a few tokens, not one per app', async () => {
    const teamId = teamOf(northwind)
    const appId = sandbox.fixtures.bigApp.id
    await browse.apps({ teamId, refresh: 'cached' })
    const activity = await browse.activity({ teamId, refresh: 'cached' })
    expect(activity.activity).toHaveLength(30)
    const afterActivity = tokens.counters().signatures
    await browse.builds({ teamId, appId, refresh: 'cached', until: 'first' })
    await browse.builds({ teamId, appId, refresh: 'cached', until: 'more' })

    expect(sent.length).toBeGreaterThan(31)
    // Every token is scoped, and covers the requests it was sent with.
    expect(sent.every((request) => (request.scope?.length ?? 0) > 0)).toBe(true)
    const distinctScopes = new Set(sent.map((request) => JSON.stringify(request.scope)))
    // One for the apps; the activity's ~400-character scope entries (two per app) shared by
    // tokens of at most ~4 kB of scope: six; the builds screen and its pages reuse one of those.
    expect(tokens.counters().signatures).toBe(distinctScopes.size)
    expect(tokens.counters().signatures).toBeLessThanOrEqual(7)
    expect(tokens.counters().signatures).toBe(afterActivity)
  })
})

describe('switching teams', () => {
  it('cancels the previous team’s requests in main and never answers with them', async () => {
    const teamA = teamOf(northwind)
    const teamB = teamOf(fabrikam)
    await browse.apps({ teamId: teamA, refresh: 'cached' })
    const warm = cache.get(teamA, appsKey)
    clock.advance(refreshIntervalMs(1, null) ?? 0)
    sent.length = 0
    sandbox.admin.addFaults({ kind: 'latency', ms: 5_000, match: { keyId: northwind.keyId } })
    const appsA = rejection(browse.apps({ teamId: teamA, refresh: 'force' }))
    const buildsA = rejection(
      browse.builds({
        teamId: teamA,
        appId: sandbox.fixtures.bigApp.id,
        refresh: 'cached',
        until: 'first',
      }),
    )
    await expect.poll(() => sentFor(northwind).length).toBe(2)

    const answerB = await browse.apps({ teamId: teamB, refresh: 'cached' })

    for (const pending of [appsA, buildsA]) {
      const error = await pending
      expect(isAppError(error) && error.code).toBe('browse.canceled')
    }
    expect(sentFor(northwind).every((request) => request.signal?.aborted)).toBe(true)
    expect(answerB.teamId).toBe(teamB)
    const teamAppIds = new Set(sandbox.teams[0]!.appIds)
    expect(answerB.apps?.map((app) => app.id).sort()).toEqual(
      [...sandbox.teams.find((team) => team.name.startsWith('Fabrikam'))!.appIds].sort(),
    )
    expect(answerB.apps?.some((app) => teamAppIds.has(app.id))).toBe(false)
    // Team A's cache is as it was before the refresh that was canceled.
    expect(warm?.fetchedAt).toBeLessThan(clock.now())
    expect(cache.get(teamA, appsKey)).toEqual(warm)
  })

  it('an answer that lands just as the team is switched is not stored', async () => {
    const teamA = teamOf(northwind)
    const teamB = teamOf(fabrikam)
    await browse.apps({ teamId: teamA, refresh: 'cached' })
    const warm = cache.get(teamA, appsKey)
    clock.advance(refreshIntervalMs(1, null) ?? 0)
    // The whole answer is in, but the client has not read it yet: the user switches to team B.
    onAnswer = () => {
      onAnswer = null
      browse.activate(teamB)
    }
    await browse.apps({ teamId: teamA, refresh: 'force' }).catch(() => null)
    expect(sent).toHaveLength(2)
    expect(onAnswer).toBeNull()
    expect(warm?.fetchedAt).toBeLessThan(clock.now())
    expect(cache.get(teamA, appsKey)).toEqual(warm)
  })

  it('activating a team aborts the other team’s loads at once', async () => {
    const teamA = teamOf(northwind)
    sandbox.admin.addFaults({ kind: 'latency', ms: 5_000, match: { keyId: northwind.keyId } })
    const pending = rejection(browse.activity({ teamId: teamA, refresh: 'cached' }))
    await expect.poll(() => sentFor(northwind).length).toBeGreaterThan(0)
    browse.activate(teamOf(fabrikam))
    const error = await pending
    expect(isAppError(error) && error.code).toBe('browse.canceled')
    expect(sentFor(northwind).every((request) => request.signal?.aborted)).toBe(true)
  })

  it('a team switched back to paints from its cache without asking Apple', async () => {
    const teamA = teamOf(northwind)
    const teamB = teamOf(fabrikam)
    const first = await browse.apps({ teamId: teamA, refresh: 'cached' })
    await browse.apps({ teamId: teamB, refresh: 'cached' })
    const count = sent.length
    const back = await browse.apps({ teamId: teamA, refresh: 'cached' })
    expect(back).toMatchObject({ teamId: teamA, fromCache: true, apps: first.apps })
    expect(sent).toHaveLength(count)
  })
})

describe('removing a team', () => {
  it('cancels its requests and clears its cache, and leaves other teams’ alone', async () => {
    const teamA = teamOf(northwind)
    const teamB = teamOf(fabrikam)
    await browse.apps({ teamId: teamB, refresh: 'cached' })
    await browse.apps({ teamId: teamA, refresh: 'cached' })
    sandbox.admin.addFaults({ kind: 'latency', ms: 5_000, match: { keyId: northwind.keyId } })
    const pending = rejection(
      browse.builds({
        teamId: teamA,
        appId: sandbox.fixtures.bigApp.id,
        refresh: 'cached',
        until: 'first',
      }),
    )
    await expect.poll(() => sentFor(northwind).length).toBe(2)
    browse.forget(teamA)
    const error = await pending
    expect(isAppError(error) && error.code).toBe('browse.canceled')
    expect(cache.get(teamA, appsKey)).toBeUndefined()
    expect(cache.get(teamB, appsKey)).toBeDefined()
  })

  it('teams:remove takes the keychain item, the metadata and the cache together', async () => {
    // A team saved for this test alone, so the others stay for the rest of the file.
    const extra = sandbox.findKey({ team: 'northwind', role: 'APP_MANAGER' })
    const clipboard = createMemoryClipboard(extra.privateKeyPem)
    const own = createKeys({
      secrets: saved.secrets,
      clipboard,
      now: Date.now,
      dataDir: saved.dataDir,
      log: silentLogger,
    })
    const outcome = await own.importFromClipboard()
    if (outcome.status !== 'imported') throw new Error('intake refused the key')
    const team = await own.save({
      draftId: outcome.draft.draftId,
      keyType: 'team',
      issuerId: extra.issuerId,
      keyId: extra.keyId,
      name: 'Release Automation',
      role: 'APP_MANAGER',
    })
    const tokens = createTokenSigner({ loadKey: own.loadSigningKey, now: Date.now })
    const ownCache = createBrowseCache()
    const ownBrowse = createBrowse({
      asc: createAscClient({ fetch, baseUrl: sandbox.url, tokens }),
      keys: own,
      cache: ownCache,
      now: Date.now,
      log: silentLogger,
    })
    const handlers = {
      ...browseHandlers(ownBrowse),
      ...teamBrowseHandlers(ownBrowse, savedKeyHandlers(own)),
    }
    const answer = await handlers['apps:list']({ teamId: team.id, refresh: 'cached' })
    expect(answer.apps?.length).toBeGreaterThan(0)
    expect(ownCache.stats().entries).toBeGreaterThan(0)

    await handlers['teams:remove']({ teamId: team.id })

    expect(ownCache.get(team.id, appsKey)).toBeUndefined()
    expect(ownCache.stats().teams).toBe(0)
    expect((await own.state()).teams.map((saved) => saved.id)).not.toContain(team.id)
    expect(await saved.secrets.accounts()).not.toContain(`${extra.issuerId}/${extra.keyId}`)
    ownBrowse.dispose()
    own.dispose()
  })
})

describe('the rate-limit slow-down', () => {
  async function useUp(teamId: string, leave: number): Promise<AppsAnswer> {
    sandbox.admin.setHourlyLimit(100)
    await browse.apps({ teamId, refresh: 'force' })
    const used = 100 - leave
    for (let count = 1; count < used; count++) await browse.apps({ teamId, refresh: 'force' })
    return browse.apps({ teamId, refresh: 'cached' })
  }

  it('pauses quiet refreshes near the limit, but still does what the user asks', async () => {
    const teamId = teamOf(fabrikam)
    await useUp(teamId, 3)
    expect((await browse.usage(teamId)).rateLimit).toEqual({ limit: 100, remaining: 3 })
    expect((await browse.usage(teamId)).backgroundRefresh).toBe('paused')
    const count = sent.length

    clock.advance(24 * 3_600_000)
    const quiet = await browse.apps({ teamId, refresh: 'background' })
    expect(quiet).toMatchObject({ fromCache: true, stale: false })
    expect(sent).toHaveLength(count)

    const asked = await browse.apps({ teamId, refresh: 'force' })
    expect(asked.fromCache).toBe(false)
    expect(sent).toHaveLength(count + 1)
  })

  it('slows quiet refreshes down tenfold when a fifth of the hour is left', async () => {
    const teamId = teamOf(fabrikam)
    await useUp(teamId, 15)
    expect((await browse.usage(teamId)).backgroundRefresh).toBe('slowed')
    const count = sent.length
    const normal = refreshIntervalMs(1, null) ?? 0

    clock.advance(normal)
    await browse.apps({ teamId, refresh: 'background' })
    expect(sent).toHaveLength(count)

    clock.advance(normal * 9)
    await browse.apps({ teamId, refresh: 'background' })
    expect(sent).toHaveLength(count + 1)
  })
})

describe('problems in place', () => {
  it('a team with unsigned agreements gets the agreements diagnosis, and no apps', async () => {
    const teamId = teamOf(contoso)
    const answer = await browse.apps({ teamId, refresh: 'cached' })
    expect(answer).toMatchObject({ teamId, apps: null })
    expect(answer.problem?.code).toBe('access.agreements')
    expect(answer.problem?.hints.length).toBeGreaterThan(0)
  })

  it('a revoked key keeps its cached apps, is marked rejected, and recovers', async () => {
    const teamId = teamOf(fabrikam)
    const loaded = await browse.apps({ teamId, refresh: 'cached' })
    sandbox.admin.revokeKey(fabrikam.keyId)

    const refused = await browse.apps({ teamId, refresh: 'force' })
    expect(refused.problem?.code).toBe('auth.rejected')
    expect(refused).toMatchObject({ teamId, fromCache: true, apps: loaded.apps })
    const rejected = (await keys.state()).teams.find((team) => team.id === teamId)
    expect(rejected?.status).toBe('rejected')

    sandbox.admin.unrevokeKey(fabrikam.keyId)
    const again = await browse.apps({ teamId, refresh: 'force' })
    expect(again.problem).toBeNull()
    const verified = (await keys.state()).teams.find((team) => team.id === teamId)
    expect(verified?.status).toBe('verified')
  })
})
