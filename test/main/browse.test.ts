/**
 * Browsing against the Apple sandbox through the real keys module, token signer and client:
 * stale-while-revalidate from the per-team cache, scoped tokens shared by few signatures, builds
 * in one request then a page at a time or all, app and team switches that cancel what the
 * previous screen had in flight, removal, the rate-limit slow-down and the diagnoses shown in
 * place. Every request and answer is checked against Apple's spec on the way.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { BuildRow } from '../../src/shared/contract/builds'
import type {
  ParamsInputOf,
  ResourceAnswer,
  ResourceChange,
  ResourceName,
} from '../../src/shared/contract/browse'
import { attentionReasons } from '../../src/shared/attention'
import { createAscClient } from '../../src/main/asc'
import { createBrowse, refreshIntervalMs, servedResources } from '../../src/main/browse'
import type { Browse, StoredBuilds } from '../../src/main/browse'
import { createBrowseCache } from '../../src/main/cache'
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
/** Every `browse:changed` main would send, in order. */
let changes: ResourceChange[]
let changeWaiters: (() => void)[]

/** Reads a resource of a team as a screen does. */
function read<R extends ResourceName>(
  teamId: string,
  resource: R,
  params: ParamsInputOf<R>,
): Promise<ResourceAnswer<R>> {
  return browse.read({ teamId, resource, params } as never)
}

const apps = (teamId: string) => read(teamId, 'apps', {})
const builds = (teamId: string, appId: string, from = 0, rest = false) =>
  read(teamId, 'builds', { appId, from, rest })

/** Refreshes a resource now (⌘R) and waits until the refresh has landed or failed. */
async function refreshed<R extends ResourceName>(
  teamId: string,
  resource: R,
  params: ParamsInputOf<R>,
): Promise<void> {
  const { settled } = await browse.refresh({ teamId, resource, params } as never)
  await settled
}

/** Resolves when main announces a change of `resource` for `teamId`. */
function changed(teamId: string, resource: ResourceName): Promise<ResourceChange> {
  const seen = changes.length
  return new Promise((resolve) => {
    const check = () => {
      const found = changes
        .slice(seen)
        .find((change) => change.teamId === teamId && change.resource === resource)
      if (!found) return false
      resolve(found)
      return true
    }
    if (!check()) changeWaiters.push(() => void check())
  })
}

/** When the builds of an app were stored, read through main's public status (null: none). */
async function buildsFetchedAt(teamId: string, appId: string): Promise<number | null> {
  return (await browse.status({ teamId, resource: 'builds', params: { appId } })).fetchedAt
}

async function appsFetchedAt(teamId: string): Promise<number | null> {
  return (await browse.status({ teamId, resource: 'apps', params: {} })).fetchedAt
}

/** The builds resource's own cache slot for an app, for tests that lay a stored list in place. */
const buildsSlot = (appId: string) => servedResources.builds.key({ appId, from: 0, rest: false })

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
  changes = []
  changeWaiters = []
  browse = createBrowse({
    asc,
    keys,
    cache,
    now: clock.now,
    log: silentLogger,
    onChanged: (change) => {
      changes.push(change)
      for (const waiter of changeWaiters) waiter()
    },
  })
  return async () => {
    browse.dispose()
    await keys.dispose()
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
    const cold = await apps(teamId)
    expect(cold).toMatchObject({ teamId, fromCache: false, refreshing: false, problem: null })
    expect(cold.value?.map((app) => app.id).sort()).toEqual([...sandbox.teams[0]!.appIds].sort())
    expect(sent.map((request) => request.path.split('?')[0])).toEqual(['/v1/apps'])
    // The token can do this one request and nothing else.
    expect(sent[0]?.scope).toHaveLength(1)
    expect(sent[0]?.scope?.[0]).toMatch(/^GET \/v1\/apps\?/)

    const warm = await apps(teamId)
    expect(warm).toMatchObject({ teamId, fromCache: true, refreshing: false, value: cold.value })
    expect(sent).toHaveLength(1)
    // A cold load answers with its data; only refreshes are announced.
    expect(changes).toEqual([])
  })

  it('answers from the cache and refreshes quietly once a refresh is due, and always when asked', async () => {
    const teamId = teamOf(northwind)
    await apps(teamId)
    expect(await apps(teamId)).toMatchObject({ fromCache: true, refreshing: false })
    expect(sent).toHaveLength(1)

    clock.advance(refreshIntervalMs(1, null) ?? 0)
    const landed = changed(teamId, 'apps')
    const due = await apps(teamId)
    // The cached apps at once, with a refresh on its way.
    expect(due).toMatchObject({ fromCache: true, refreshing: true })
    expect(await landed).toEqual({ teamId, resource: 'apps', params: {} })
    expect(sent).toHaveLength(2)
    expect(await apps(teamId)).toMatchObject({
      fromCache: true,
      refreshing: false,
      fetchedAt: clock.now(),
    })

    await refreshed(teamId, 'apps', {})
    expect(sent).toHaveLength(3)
    expect(changes.filter((change) => change.resource === 'apps')).toHaveLength(2)
  })

  it('stores only plain JSON, which a cache on disk can keep as it is', async () => {
    const teamId = teamOf(northwind)
    const appId = sandbox.fixtures.bigApp.id
    await apps(teamId)
    await read(teamId, 'activity', {})
    const page = await builds(teamId, appId)
    await read(teamId, 'build', { buildId: page.value!.builds[0]!.id })
    const stored = [
      'apps',
      'activity',
      buildsSlot(appId),
      servedResources.build.key({ buildId: page.value!.builds[0]!.id }),
    ].map((key) => cache.get(teamId, key)?.value)
    expect(stored.every((value) => value !== undefined)).toBe(true)
    expect(JSON.parse(JSON.stringify(stored))).toEqual(stored)
  })
})

describe('builds', () => {
  it('paints the first screen with one request, then has every build, newest first', async () => {
    const teamId = teamOf(northwind)
    const appId = sandbox.fixtures.bigApp.id
    const first = await builds(teamId, appId)
    expect(first).toMatchObject({ teamId, fromCache: false })
    expect(first.value).toMatchObject({ complete: false, total: 5000, next: 200 })
    expect(first.value?.builds).toHaveLength(200)
    expect(sent[0]?.path).toMatch(/^\/v1\/builds\?filter\[app\]=/)
    const requestsAtFirstPaint = sent.length

    const rest = await builds(teamId, appId, 200, true)
    expect(requestsAtFirstPaint).toBe(1)
    expect(rest.value).toMatchObject({ complete: true, next: null })
    expect(rest.value?.builds).toHaveLength(sandbox.fixtures.bigApp.buildCount - 200)
    // Every request of the full load ran on a token scoped to the requests it made.
    expect(sent.every((request) => request.scope && request.scope.length > 0)).toBe(true)

    // Once all are loaded, the first page is all of them: the rest costs no request.
    const again = await builds(teamId, appId)
    expect(again).toMatchObject({ fromCache: true })
    expect(again.value).toMatchObject({ complete: true, next: null })
    const all = again.value?.builds ?? []
    expect(all).toHaveLength(sandbox.fixtures.bigApp.buildCount)
    expect(new Set(idsOf(all)).size).toBe(all.length)
    expect(isNewestFirst(all)).toBe(true)
    expect(idsOf(all.slice(0, 200))).toEqual(idsOf(first.value?.builds ?? []))
  })

  it('a quiet refresh reads the newest page only and keeps the rest', async () => {
    const teamId = teamOf(northwind)
    const appId = sandbox.fixtures.bigApp.id
    await builds(teamId, appId, 0, true)
    const before = sent.length
    clock.advance(refreshIntervalMs(1, null) ?? 0)
    const landed = changed(teamId, 'builds')
    expect(await builds(teamId, appId)).toMatchObject({ fromCache: true, refreshing: true })
    expect((await landed).params).toMatchObject({ appId })
    expect(sent.length - before).toBe(1)
    const after = await builds(teamId, appId)
    expect(after).toMatchObject({ refreshing: false, fetchedAt: clock.now() })
    expect(after.value?.complete).toBe(true)
    expect(after.value?.builds).toHaveLength(sandbox.fixtures.bigApp.buildCount)
  })

  it('finds every needs-attention case the sandbox seeds in the big app', async () => {
    const teamId = teamOf(northwind)
    const appId = sandbox.fixtures.bigApp.id
    const all = await builds(teamId, appId, 0, true)
    const now = Date.now()
    const rows = all.value?.builds ?? []
    const ids = new Set(rows.map((build) => build.id))
    const flagged = (reason: string) =>
      rows
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

  it('shows a build with the App Store version it ships in', async () => {
    const teamId = teamOf(northwind)
    const appId = sandbox.fixtures.bigApp.id
    const versions = await new ApiClient(sandbox).all(
      `/v1/apps/${appId}/appStoreVersions?include=build&limit=200`,
      northwind,
    )
    const shipping = versions.data.find((version) => version.relationships?.build?.data)
    const buildId = (shipping?.relationships?.build?.data as { id: string }).id
    const answer = await read(teamId, 'build', { buildId })
    expect(answer).toMatchObject({ teamId, problem: null })
    expect(answer.value?.id).toBe(buildId)
    expect(answer.value?.appStoreVersion).toMatchObject({
      id: shipping?.id,
      versionString: shipping?.attributes?.versionString,
      state: shipping?.attributes?.appVersionState,
    })
    expect(sent.at(-1)?.scope?.[0]).toMatch(new RegExp(`^GET /v1/builds/${buildId}\\?`))
  })
})

describe('App Store state of every app', () => {
  it('has each platform’s live version and the one on its way, as Apple lists them', async () => {
    const teamId = teamOf(northwind)
    const answer = await read(teamId, 'appStore', {})
    expect(answer).toMatchObject({ teamId, problem: null })
    const states = answer.value ?? []
    expect(states.map((state) => state.appId).sort()).toEqual([...sandbox.teams[0]!.appIds].sort())

    const api = new ApiClient(sandbox)
    let inFlight = 0
    for (const appId of [sandbox.fixtures.bigApp.id, ...sandbox.teams[0]!.appIds.slice(1, 8)]) {
      const all = await api.all(
        `/v1/apps/${appId}/appStoreVersions?include=build&limit=200`,
        northwind,
      )
      const builds = new Map(all.included.map((build) => [build.id, build.attributes?.version]))
      const state = states.find((item) => item.appId === appId)
      const platforms = [
        ...new Set(all.data.map((version) => String(version.attributes?.platform))),
      ]
      expect(state?.platforms.map((item) => item.platform).sort()).toEqual(platforms.sort())
      for (const platform of state?.platforms ?? []) {
        const mine = all.data
          .filter((version) => version.attributes?.platform === platform.platform)
          .sort(
            (a, b) =>
              Date.parse(String(b.attributes?.createdDate)) -
              Date.parse(String(a.attributes?.createdDate)),
          )
        const live = mine.find(
          (version) => version.attributes?.appVersionState === 'READY_FOR_DISTRIBUTION',
        )
        const newest = mine[0]!
        const next = newest === live ? undefined : newest
        expect(platform.live?.id ?? null).toBe(live?.id ?? null)
        expect(platform.next?.id ?? null).toBe(next?.id ?? null)
        if (next) {
          inFlight += 1
          expect(platform.next?.state).toBe(next.attributes?.appVersionState)
          const build = (next.relationships?.build?.data as { id: string } | null)?.id
          expect(platform.next?.buildNumber ?? null).toBe(build ? builds.get(build) : null)
        }
      }
    }
    expect(inFlight).toBeGreaterThan(0)
    // Only what is live or on its way is read, never the versions the releases replaced.
    const asked = sent.filter((request) => request.path.includes('/appStoreVersions'))
    expect(asked).toHaveLength(30)
    for (const request of asked) {
      expect(request.path).toContain('filter[appVersionState]=')
      expect(request.path).not.toContain('REPLACED_WITH_NEW_VERSION')
    }
  })

  it('costs one request per app, as the refresh policy counts it', async () => {
    const teamId = teamOf(northwind)
    await read(teamId, 'appStore', {})
    const status = await browse.status({ teamId, resource: 'appStore', params: {} })
    expect(status).toMatchObject({ cost: 30, due: false, refreshing: false })
  })
})

describe('TestFlight for a build', () => {
  /** The big app's newest build in its public beta group, as Apple lists them. */
  async function publicBetaBuild(): Promise<{ buildId: string; group: string }> {
    const api = new ApiClient(sandbox)
    const appId = sandbox.fixtures.bigApp.id
    const groups = await api.all(
      `/v1/betaGroups?filter[app]=${appId}&filter[name]=Public Beta&fields[betaGroups]=name`,
      northwind,
    )
    const group = groups.data[0]!.id
    const newest = await api.all(
      `/v1/builds?filter[betaGroups]=${group}&sort=-uploadedDate&limit=1&fields[builds]=version`,
      northwind,
    )
    return { buildId: newest.data[0]!.id, group }
  }

  it('has the groups that have the build, with their testers, and its What to Test notes', async () => {
    const teamId = teamOf(northwind)
    const { buildId, group } = await publicBetaBuild()
    const answer = await read(teamId, 'testFlight', { buildId })
    expect(answer).toMatchObject({ teamId, problem: null, fromCache: false })
    const groups = answer.value?.groups ?? []
    // Internal groups first, then by name.
    expect(groups.map((item) => item.name)).toEqual(
      expect.arrayContaining(['Internal Testers', 'Public Beta']),
    )
    expect(groups[0]?.isInternal).toBe(true)
    expect(groups.findIndex((item) => !item.isInternal)).toBeGreaterThan(0)

    // Tester counts as Apple counts them.
    const api = new ApiClient(sandbox)
    for (const item of groups) {
      const testers = await api.request(`/v1/betaGroups/${item.id}/betaTesters?limit=1`, {
        key: northwind,
      })
      expect(item.testers, item.name).toBe(testers.json.meta?.paging.total)
    }
    const beta = groups.find((item) => item.id === group)
    expect(beta).toMatchObject({ isInternal: false, testers: 640 })
    expect(beta?.publicLink).toMatch(/^https:\/\/testflight\.apple\.com\/join\//)

    const notes = await api.request(`/v1/betaBuildLocalizations?filter[build]=${buildId}`, {
      key: northwind,
    })
    const english = notes.json.data.find((note) => note.attributes?.locale === 'en-US')
    expect(answer.value?.whatToTest).toContainEqual({
      locale: 'en-US',
      text: english?.attributes?.whatsNew,
    })
    // Two requests, side by side, each on a token scoped to it.
    expect(sent.map((request) => request.path.split('?')[0])).toEqual(
      expect.arrayContaining(['/v1/betaGroups', `/v1/builds/${buildId}/betaBuildLocalizations`]),
    )
    expect(sent).toHaveLength(2)
    expect(
      (await browse.status({ teamId, resource: 'testFlight', params: { buildId } })).cost,
    ).toBe(2)
  })

  it('an old build is in no group and has no notes', async () => {
    const teamId = teamOf(northwind)
    const appId = sandbox.fixtures.bigApp.id
    const rest = await builds(teamId, appId, 0, true)
    const oldest = rest.value?.builds.at(-1)
    const answer = await read(teamId, 'testFlight', { buildId: oldest!.id })
    expect(answer.value).toEqual({ groups: [], whatToTest: [] })
  })
})

describe('builds, a page at a time as the user scrolls', () => {
  it('adds one page per ask, each with one request from the cursor, to the end', async () => {
    const teamId = teamOf(northwind)
    const appId = sandbox.fixtures.bigApp.id
    let page = await builds(teamId, appId)
    expect(page.value?.builds).toHaveLength(200)
    expect(sent).toHaveLength(1)
    const loaded: BuildRow[] = [...(page.value?.builds ?? [])]
    let asks = 0
    while (page.value?.next != null && asks < 30) {
      const before = sent.length
      const from = page.value.next
      page = await builds(teamId, appId, from)
      asks += 1
      expect(sent.length - before).toBe(1)
      expect(sent.at(-1)?.path).toMatch(/^\/v1\/builds\?cursor=/)
      expect(page).toMatchObject({ teamId, fromCache: false, problem: null })
      expect(page.value?.total).toBe(5000)
      expect(page.value?.builds).toHaveLength(Math.min(200, 5000 - from))
      loaded.push(...(page.value?.builds ?? []))
    }
    expect(asks).toBe(24)
    expect(page.value).toMatchObject({ next: null, complete: true })
    expect(new Set(idsOf(loaded)).size).toBe(sandbox.fixtures.bigApp.buildCount)
    expect(isNewestFirst(loaded)).toBe(true)
    // The cursor stays in main.
    expect(JSON.stringify(page)).not.toContain('cursor')

    const count = sent.length
    const first = await builds(teamId, appId)
    expect(first).toMatchObject({ fromCache: true })
    expect(first.value).toMatchObject({ complete: true, next: null })
    expect(first.value?.builds).toHaveLength(5000)
    expect(sent).toHaveLength(count)
  })

  it('⌘R refreshes the newest page only; the next page still follows on', async () => {
    const teamId = teamOf(northwind)
    const appId = sandbox.fixtures.bigApp.id
    const pages = [await builds(teamId, appId), await builds(teamId, appId, 200)]
    pages.push(await builds(teamId, appId, 400))
    const loaded = pages.flatMap((page) => page.value?.builds ?? [])
    const before = sent.length

    await refreshed(teamId, 'builds', { appId })
    expect(sent.length - before).toBe(1)
    expect(sent.at(-1)?.path).toMatch(/^\/v1\/builds\?filter\[app\]=/)
    const again = [await builds(teamId, appId), await builds(teamId, appId, 200)]
    again.push(await builds(teamId, appId, 400))
    expect(sent.length - before).toBe(1)
    expect(again.every((page) => page.problem === null && page.value?.complete === false)).toBe(
      true,
    )
    expect(idsOf(again.flatMap((page) => page.value?.builds ?? []))).toEqual(idsOf(loaded))

    const more = await builds(teamId, appId, 600)
    expect(sent.length - before).toBe(2)
    expect(sent.at(-1)?.path).toMatch(/^\/v1\/builds\?cursor=/)
    const all = [...loaded, ...(more.value?.builds ?? [])]
    expect(new Set(idsOf(all))).toEqual(new Set(await newestIds(appId, 800)))
  })

  it('after a refresh that does not meet the stored rows, pages on from the fresh page', async () => {
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
    const stale: StoredBuilds = {
      rows: gone,
      total: 3,
      complete: false,
      next: `${sandbox.url}/v1/builds?cursor=stale`,
    }
    cache.set(teamId, buildsSlot(appId), stale, clock.now())
    await refreshed(teamId, 'builds', { appId })
    const first = await builds(teamId, appId)
    expect(first.value?.builds).toHaveLength(200)
    expect(idsOf(first.value?.builds ?? [])).not.toContain('gone-1')

    const more = await builds(teamId, appId, 200)
    expect(more.problem).toBeNull()
    expect(sent.at(-1)?.path).toMatch(/^\/v1\/builds\?cursor=/)
    expect(sent.at(-1)?.path).not.toContain('cursor=stale')
    const both = [...(first.value?.builds ?? []), ...(more.value?.builds ?? [])]
    expect(new Set(idsOf(both))).toEqual(new Set(await newestIds(appId, 400)))
  })

  it('without a kept cursor, the newest page tells where the next one starts', async () => {
    const teamId = teamOf(northwind)
    const appId = sandbox.fixtures.bigApp.id
    const first = await builds(teamId, appId)
    // A list stored without its cursor (the next page's place is not known).
    const stored = cache.get(teamId, buildsSlot(appId))?.value as StoredBuilds
    cache.set(teamId, buildsSlot(appId), { ...stored, next: null }, clock.now())

    const restarted = await builds(teamId, appId, 200)
    // The newest page again, which tells where the next one starts, then that one.
    expect(
      sent.map((request) => request.path.replace(/\?(filter\[app\]|cursor).*/, '?$1')),
    ).toEqual(['/v1/builds?filter[app]', '/v1/builds?filter[app]', '/v1/builds?cursor'])
    expect(restarted).toMatchObject({ problem: null })
    expect(restarted.value?.complete).toBe(false)
    expect(restarted.value?.builds).toHaveLength(200)

    const more = await builds(teamId, appId, restarted.value!.next!)
    expect(sent).toHaveLength(4)
    expect(sent.at(-1)?.path).toMatch(/^\/v1\/builds\?cursor=/)
    const all = [first, restarted, more].flatMap((page) => page.value?.builds ?? [])
    expect(new Set(idsOf(all))).toEqual(new Set(await newestIds(appId, 600)))
  })

  it('a page that cannot be loaded says why, and keeps what is stored', async () => {
    const teamId = teamOf(northwind)
    const appId = sandbox.fixtures.bigApp.id
    const first = await builds(teamId, appId)
    sandbox.admin.addFaults({ kind: 'error', status: 503, times: 10 })
    const failed = await builds(teamId, appId, 200)
    expect(failed.value).toBeNull()
    expect(failed.problem?.code).toBe('apple.unavailable')
    sandbox.admin.clearFaults()
    // Only the page's answer carried it: the first page is as good as before.
    const again = await builds(teamId, appId)
    expect(again).toMatchObject({ problem: null, fromCache: true })
    expect(idsOf(again.value?.builds ?? [])).toEqual(idsOf(first.value?.builds ?? []))
    const retried = await builds(teamId, appId, 200)
    expect(retried.problem).toBeNull()
    expect(retried.value?.builds).toHaveLength(200)
  })
})

describe('switching apps', () => {
  it('asking for another app’s builds cancels the loads of the app before', async () => {
    const teamId = teamOf(northwind)
    const bigApp = sandbox.fixtures.bigApp.id
    const other = sandbox.teams[0]!.appIds.find((id) => id !== bigApp) ?? ''
    const ofBigApp = () => sent.filter((request) => !request.path.includes(`[app]=${other}`))
    sandbox.admin.addFaults({ kind: 'latency', ms: 400, match: { keyId: northwind.keyId } })
    const loadingAll = rejection(builds(teamId, bigApp, 0, true))
    // The pre-release versions are in; the parts of the full load are on their way.
    await expect
      .poll(() => ofBigApp().filter((r) => r.path.startsWith('/v1/builds?')).length)
      .toBeGreaterThan(0)

    const answer = await builds(teamId, other)

    const error = await loadingAll
    expect(isAppError(error) && error.code).toBe('browse.canceled')
    const parts = ofBigApp().filter((request) => request.path.startsWith('/v1/builds?'))
    expect(parts.every((request) => request.signal?.aborted)).toBe(true)
    expect(answer).toMatchObject({ teamId, problem: null, fromCache: false })
    expect(idsOf(answer.value?.builds ?? [])).toEqual(await newestIds(other, 200))
    // A whole round trip later, nothing more of the big app has been asked for or stored.
    const count = ofBigApp().length
    await refreshed(teamId, 'builds', { appId: other })
    expect(ofBigApp()).toHaveLength(count)
    expect(await buildsFetchedAt(teamId, bigApp)).toBeNull()

    // Back on the big app, its builds load again.
    sandbox.admin.clearFaults()
    const all = await builds(teamId, bigApp, 0, true)
    expect(all).toMatchObject({ problem: null })
    expect(all.value?.complete).toBe(true)
    expect(all.value?.builds).toHaveLength(sandbox.fixtures.bigApp.buildCount)
  })

  it('a page being added is canceled too; the same app’s asks are not', async () => {
    const teamId = teamOf(northwind)
    const bigApp = sandbox.fixtures.bigApp.id
    const other = sandbox.teams[0]!.appIds.find((id) => id !== bigApp) ?? ''
    await builds(teamId, bigApp)
    sandbox.admin.addFaults({ kind: 'latency', ms: 400, match: { keyId: northwind.keyId } })
    const more = rejection(builds(teamId, bigApp, 200))
    const again = builds(teamId, bigApp)
    await expect.poll(() => sent.length).toBe(2)
    expect(await again).toMatchObject({ fromCache: true })
    await builds(teamId, other)
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
    const answer = await read(teamId, 'activity', {})
    expect(answer.problem).toBeNull()
    const activity = answer.value ?? []
    expect(activity.map((item) => item.appId).sort()).toEqual([...sandbox.teams[0]!.appIds].sort())
    const big = activity.find((item) => item.appId === sandbox.fixtures.bigApp.id)
    expect(big?.latestBuild?.buildNumber).toBe(String(sandbox.fixtures.bigApp.buildCount))
    expect(big?.iconTemplateUrl).toMatch(/^https:\/\/[^/]+\.mzstatic\.com\/.*\{w\}x\{h\}bb\.\{f\}$/)
    expect(big?.attention.expiring).toBeGreaterThan(0)
    expect(big?.attention.total).toBeGreaterThanOrEqual(big?.attention.stuck ?? 0)
    // Only builds still in TestFlight are read for it.
    expect(sent.some((request) => request.path.includes('filter[expired]=false'))).toBe(true)
  })

  it('an app that fails keeps what was known of it, and the answer says why', async () => {
    const teamId = teamOf(northwind)
    const first = await read(teamId, 'activity', {})
    const bigApp = sandbox.fixtures.bigApp.id
    sandbox.admin.addFaults({ kind: 'error', status: 500, match: { path: '/v1/builds' } })
    await refreshed(teamId, 'activity', {})
    const after = await read(teamId, 'activity', {})
    expect(after.problem?.code).toBe('apple.unavailable')
    // Every app is still there, as it was known before.
    expect(after.value?.find((item) => item.appId === bigApp)).toEqual(
      first.value?.find((item) => item.appId === bigApp),
    )
    expect(after.value).toHaveLength(30)
  })

  it('a 30-app team’s apps, activity and builds screen take a few tokens, not one per app', async () => {
    const teamId = teamOf(northwind)
    const appId = sandbox.fixtures.bigApp.id
    await apps(teamId)
    const activity = await read(teamId, 'activity', {})
    expect(activity.value).toHaveLength(30)
    const afterActivity = tokens.counters().signatures
    await builds(teamId, appId)
    await builds(teamId, appId, 200)

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

  it('runs in the background lane: a screen the user opens does not wait behind it', async () => {
    const teamId = teamOf(northwind)
    await apps(teamId)
    sandbox.admin.addFaults({ kind: 'latency', ms: 50, match: { keyId: northwind.keyId } })
    const activity = read(teamId, 'activity', {})
    // The activity's first requests are out: two at a time, however many apps there are.
    await expect.poll(() => sent.length).toBe(3)
    const other = sandbox.teams[0]!.appIds.find((id) => id !== sandbox.fixtures.bigApp.id) ?? ''
    const screen = await builds(teamId, other)
    expect(screen.problem).toBeNull()
    const asked = sent.findIndex((request) => request.path.includes(`[app]=${other}&sort`))
    // Sent while the other apps' activity still waited: the user's request went ahead of them.
    const activityBefore = sent
      .slice(0, asked)
      .filter((request) => request.path.includes('filter[expired]'))
    expect(activityBefore.length).toBeLessThanOrEqual(4)
    expect((await activity).value).toHaveLength(30)
  })
})

describe('switching teams', () => {
  it('cancels the previous team’s requests in main and never stores or announces them', async () => {
    const teamA = teamOf(northwind)
    const teamB = teamOf(fabrikam)
    await apps(teamA)
    const warm = await appsFetchedAt(teamA)
    clock.advance(refreshIntervalMs(1, null) ?? 0)
    sent.length = 0
    sandbox.admin.addFaults({ kind: 'latency', ms: 5_000, match: { keyId: northwind.keyId } })
    const refreshA = (await browse.refresh({ teamId: teamA, resource: 'apps', params: {} })).settled
    const buildsA = rejection(builds(teamA, sandbox.fixtures.bigApp.id))
    await expect.poll(() => sentFor(northwind).length).toBe(2)

    const answerB = await apps(teamB)

    const error = await buildsA
    expect(isAppError(error) && error.code).toBe('browse.canceled')
    await refreshA
    expect(sentFor(northwind).every((request) => request.signal?.aborted)).toBe(true)
    expect(answerB.teamId).toBe(teamB)
    const teamAppIds = new Set(sandbox.teams[0]!.appIds)
    expect(answerB.value?.map((app) => app.id).sort()).toEqual(
      [...sandbox.teams.find((team) => team.name.startsWith('Fabrikam'))!.appIds].sort(),
    )
    expect(answerB.value?.some((app) => teamAppIds.has(app.id))).toBe(false)
    // Team A's cache is as it was before the refresh that was canceled, and nothing was announced.
    expect(warm).toBeLessThan(clock.now())
    expect(await appsFetchedAt(teamA)).toBe(warm)
    expect(changes.filter((change) => change.teamId === teamA)).toEqual([])
  })

  it('an answer that lands just as the team is switched is not stored', async () => {
    const teamA = teamOf(northwind)
    const teamB = teamOf(fabrikam)
    await apps(teamA)
    const warm = await appsFetchedAt(teamA)
    clock.advance(refreshIntervalMs(1, null) ?? 0)
    // The whole answer is in, but the client has not read it yet: the user switches to team B.
    onAnswer = () => {
      onAnswer = null
      browse.activate(teamB)
    }
    await refreshed(teamA, 'apps', {})
    expect(sent).toHaveLength(2)
    expect(onAnswer).toBeNull()
    expect(warm).toBeLessThan(clock.now())
    expect(await appsFetchedAt(teamA)).toBe(warm)
    expect(changes).toEqual([])
  })

  it('activating a team aborts the other team’s loads at once', async () => {
    const teamA = teamOf(northwind)
    sandbox.admin.addFaults({ kind: 'latency', ms: 5_000, match: { keyId: northwind.keyId } })
    const pending = rejection(read(teamA, 'activity', {}))
    await expect.poll(() => sentFor(northwind).length).toBeGreaterThan(0)
    browse.activate(teamOf(fabrikam))
    const error = await pending
    expect(isAppError(error) && error.code).toBe('browse.canceled')
    expect(sentFor(northwind).every((request) => request.signal?.aborted)).toBe(true)
  })

  it('a team switched back to paints from its cache without asking Apple', async () => {
    const teamA = teamOf(northwind)
    const teamB = teamOf(fabrikam)
    const first = await apps(teamA)
    await apps(teamB)
    const count = sent.length
    const back = await apps(teamA)
    expect(back).toMatchObject({ teamId: teamA, fromCache: true, value: first.value })
    expect(sent).toHaveLength(count)
  })

  it('asking about a team’s data does not switch to it', async () => {
    const teamA = teamOf(northwind)
    const teamB = teamOf(fabrikam)
    await apps(teamA)
    sandbox.admin.addFaults({ kind: 'latency', ms: 50, match: { keyId: northwind.keyId } })
    const pending = read(teamA, 'activity', {})
    await expect.poll(() => sentFor(northwind).length).toBeGreaterThan(1)
    const status = await browse.status({ teamId: teamB, resource: 'apps', params: {} })
    expect(status).toMatchObject({ cost: 1, fetchedAt: null, due: true, refreshing: false })
    expect((await pending).value).toHaveLength(30)
  })
})

describe('removing a team', () => {
  it('cancels its requests and clears its cache, and leaves other teams’ alone', async () => {
    const teamA = teamOf(northwind)
    const teamB = teamOf(fabrikam)
    await apps(teamB)
    await apps(teamA)
    sandbox.admin.addFaults({ kind: 'latency', ms: 5_000, match: { keyId: northwind.keyId } })
    const pending = rejection(builds(teamA, sandbox.fixtures.bigApp.id))
    await expect.poll(() => sentFor(northwind).length).toBe(2)
    browse.forget(teamA)
    const error = await pending
    expect(isAppError(error) && error.code).toBe('browse.canceled')
    expect(await appsFetchedAt(teamA)).toBeNull()
    expect(await appsFetchedAt(teamB)).not.toBeNull()
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
    const answer = await handlers['browse:read']({
      teamId: team.id,
      resource: 'apps',
      params: {},
    })
    expect(answer.resource === 'apps' && answer.value?.length).toBeGreaterThan(0)
    expect(ownCache.stats().entries).toBeGreaterThan(0)

    await handlers['teams:remove']({ teamId: team.id })

    expect(ownCache.stats()).toEqual({ teams: 0, entries: 0 })
    expect((await own.state()).teams.map((saved) => saved.id)).not.toContain(team.id)
    expect(await saved.secrets.accounts()).not.toContain(`${extra.issuerId}/${extra.keyId}`)
    ownBrowse.dispose()
    await own.dispose()
  })
})

describe('the rate-limit slow-down', () => {
  async function useUp(teamId: string, leave: number): Promise<void> {
    sandbox.admin.setHourlyLimit(100)
    await refreshed(teamId, 'apps', {})
    const used = 100 - leave
    for (let count = 1; count < used; count++) await refreshed(teamId, 'apps', {})
  }

  it('pauses quiet refreshes near the limit, but still does what the user asks', async () => {
    const teamId = teamOf(fabrikam)
    await useUp(teamId, 3)
    expect((await browse.usage(teamId)).rateLimit).toEqual({ limit: 100, remaining: 3 })
    expect((await browse.usage(teamId)).backgroundRefresh).toBe('paused')
    const count = sent.length

    clock.advance(24 * 3_600_000)
    const quiet = await apps(teamId)
    expect(quiet).toMatchObject({ fromCache: true, refreshing: false })
    expect((await browse.status({ teamId, resource: 'apps', params: {} })).due).toBe(false)
    expect(sent).toHaveLength(count)

    await refreshed(teamId, 'apps', {})
    expect(sent).toHaveLength(count + 1)
  })

  it('slows quiet refreshes down tenfold when a fifth of the hour is left', async () => {
    const teamId = teamOf(fabrikam)
    await useUp(teamId, 15)
    expect((await browse.usage(teamId)).backgroundRefresh).toBe('slowed')
    const count = sent.length
    const normal = refreshIntervalMs(1, null) ?? 0

    clock.advance(normal)
    expect(await apps(teamId)).toMatchObject({ refreshing: false })
    expect(sent).toHaveLength(count)

    clock.advance(normal * 9)
    const landed = changed(teamId, 'apps')
    expect(await apps(teamId)).toMatchObject({ refreshing: true })
    await landed
    expect(sent).toHaveLength(count + 1)
  })
})

describe('problems in place', () => {
  it('a team with unsigned agreements gets the agreements diagnosis, and no apps', async () => {
    const teamId = teamOf(contoso)
    const answer = await apps(teamId)
    expect(answer).toMatchObject({ teamId, value: null })
    expect(answer.problem?.code).toBe('access.agreements')
    expect(answer.problem?.hints.length).toBeGreaterThan(0)
  })

  it('a revoked key keeps its cached apps, is marked rejected, and recovers', async () => {
    const teamId = teamOf(fabrikam)
    const loaded = await apps(teamId)
    sandbox.admin.revokeKey(fabrikam.keyId)

    await refreshed(teamId, 'apps', {})
    expect(changes.at(-1)).toEqual({ teamId, resource: 'apps', params: {} })
    const refused = await apps(teamId)
    expect(refused.problem?.code).toBe('auth.rejected')
    expect(refused).toMatchObject({ teamId, fromCache: true, value: loaded.value })
    const rejected = (await keys.state()).teams.find((team) => team.id === teamId)
    expect(rejected?.status).toBe('rejected')

    sandbox.admin.unrevokeKey(fabrikam.keyId)
    await refreshed(teamId, 'apps', {})
    expect((await apps(teamId)).problem).toBeNull()
    const verified = (await keys.state()).teams.find((team) => team.id === teamId)
    expect(verified?.status).toBe('verified')
  })
})
