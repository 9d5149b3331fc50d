/**
 * The client's reads against the Apple sandbox: what each screen gets, in how many requests, and
 * how Apple's refusals come back. Every request and answer is checked against the spec on the way.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createAscClient, requests, requestScope, requestTarget } from '../../../src/main/asc'
import type { AscKeyClient, BuildRow } from '../../../src/main/asc'
import { startSandbox } from '../../sandbox/index'
import type { Sandbox, SandboxKey } from '../../sandbox/index'
import { ApiClient } from '../../sandbox/support'
import type { JsonResource } from '../../sandbox/support'
import {
  clientFor,
  expectSpecKept,
  failureOf,
  identityOf,
  signerFor,
  specCheckingFetch,
} from './support'
import type { TestClient } from './support'

let sandbox: Sandbox
let reference: ApiClient
let admin: SandboxKey
let client: TestClient
let api: AscKeyClient
let bigApp: string

beforeAll(async () => {
  sandbox = await startSandbox()
  reference = new ApiClient(sandbox)
  admin = sandbox.findKey({ team: 'northwind', role: 'ADMIN' })
  bigApp = sandbox.fixtures.bigApp.id
  client = clientFor(sandbox)
  api = client.asc.forKey(identityOf(admin))
})

afterAll(() => sandbox.close())

const extraClients: TestClient[] = []

/** Another client on the sandbox, whose requests and answers are checked like the main one's. */
function another(options: Parameters<typeof clientFor>[1] = {}): TestClient {
  const made = clientFor(sandbox, options)
  extraClients.push(made)
  return made
}

let checkedResponses = 0

afterEach(async () => {
  for (const each of [client, ...extraClients]) await expectSpecKept(each.spec)
  for (const each of extraClients.splice(0)) checkedResponses += each.spec.checkedResponses()
})

afterAll(() => {
  // The spec check above saw real answers: it is not passing on nothing.
  expect(checkedResponses + client.spec.checkedResponses()).toBeGreaterThan(50)
})

/** The sandbox's log since the last reset, as `GET /v1/...?...` strings. */
function sent(): string[] {
  return sandbox.admin
    .requestLog()
    .map((entry) => `${entry.method} ${decodeURIComponent(entry.path)}`)
}

function byId(resources: JsonResource[]): Map<string, JsonResource> {
  return new Map(resources.map((resource) => [`${resource.type}:${resource.id}`, resource]))
}

function related(
  resource: JsonResource,
  name: string,
  included: Map<string, JsonResource>,
): JsonResource | undefined {
  const ref = resource.relationships?.[name]?.data as { type: string; id: string } | null
  return ref ? included.get(`${ref.type}:${ref.id}`) : undefined
}

describe('apps', () => {
  it("lists a 30-app team's apps in one request, with sparse fields and platforms", async () => {
    sandbox.admin.resetRequestLog()
    const apps = await api.listApps()
    const log = sent()
    expect(log).toHaveLength(1)
    expect(log[0]).toContain('limit=200')
    expect(log[0]).toContain('fields[apps]=name,bundleId,sku,primaryLocale,appStoreVersions')
    expect(log[0]).toContain('include=appStoreVersions')

    const team = sandbox.teams.find((candidate) => candidate.name === 'Northwind Labs')
    expect(apps.map((app) => app.id).sort()).toEqual([...(team?.appIds ?? [])].sort())
    expect(apps.map((app) => app.name)).toEqual(
      [...apps.map((app) => app.name)].sort((a, b) => a.localeCompare(b, 'en')),
    )
    const big = apps.find((app) => app.id === bigApp)
    expect(big?.name).toBe(sandbox.fixtures.bigApp.name)
    expect(big?.bundleId).toBe(sandbox.fixtures.bigApp.bundleId)
    expect(big?.platforms).toEqual(['IOS', 'MAC_OS', 'TV_OS', 'VISION_OS'])
    expect(big?.latestVersions.map((version) => version.platform)).toEqual(big?.platforms)
    expect(apps.every((app) => app.platforms.length > 0)).toBe(true)
  })

  it('follows links.next exactly as given when a team has more apps than a page', async () => {
    const paging = another({ pageLimit: 7 })
    sandbox.admin.resetRequestLog()
    const apps = await paging.asc.forKey(identityOf(admin)).listApps()
    expect(apps).toHaveLength(30)
    expect(new Set(apps.map((app) => app.id)).size).toBe(30)
    const log = sandbox.admin.requestLog()
    expect(log).toHaveLength(5)
    expect(log.slice(1).every((entry) => entry.path.startsWith('/v1/apps?cursor='))).toBe(true)
  })

  it('gets one app', async () => {
    const app = await api.getApp(bigApp)
    expect(app).toMatchObject({ id: bigApp, name: sandbox.fixtures.bigApp.name })
    expect(app.platforms).toContain('IOS')
  })

  it("shows only an individual key's apps", async () => {
    const individual = sandbox.findKey({ team: 'northwind', type: 'individual' })
    const apps = await client.asc.forKey(identityOf(individual)).listApps()
    expect(apps.map((app) => app.id).sort()).toEqual([...sandbox.fixtures.individualAppIds].sort())
  })
})

describe('builds', () => {
  it('loads the first screen of builds in one request: newest first, rows complete', async () => {
    sandbox.admin.resetRequestLog()
    const page = await api.listBuilds(bigApp)
    expect(sent()).toHaveLength(1)
    expect(sent()[0]).toContain('include=preReleaseVersion,buildBetaDetail')
    expect(sent()[0]).toContain('sort=-uploadedDate')
    expect(page.builds).toHaveLength(200)
    expect(page.total).toBe(5000)
    expect(page.hasMore).toBe(true)
    const times = page.builds.map((build) => build.uploadedAt)
    expect(times).toEqual([...times].sort((a, b) => b - a))
    for (const build of page.builds) {
      expect(build.marketingVersion).toMatch(/^\d+\.\d+$/)
      expect(build.platform).not.toBeNull()
      expect(build.internalState).not.toBeNull()
    }
    // The newest build of an attention app is the one still processing.
    expect(sandbox.fixtures.builds.processing).toContain(page.builds[0]?.id)
    expect(page.builds[0]?.processingState).toBe('PROCESSING')
  })

  it('maps every field of a row from the build, its pre-release version and its beta detail', async () => {
    const page = await api.listBuilds(bigApp, { limit: 50 })
    expect(page.builds).toHaveLength(50)
    const walk = await reference.all(
      `/v1/builds?filter[app]=${bigApp}&sort=-uploadedDate&limit=50&include=preReleaseVersion,buildBetaDetail`,
      admin,
    )
    const included = byId(walk.included)
    const expected = walk.data.slice(0, 50).map((build) => {
      const attributes = build.attributes ?? {}
      const version = related(build, 'preReleaseVersion', included)
      const detail = related(build, 'buildBetaDetail', included)
      const icon = attributes.iconAssetToken as { templateUrl: string } | null
      return {
        id: build.id,
        buildNumber: attributes.version,
        marketingVersion: version?.attributes?.version,
        platform: version?.attributes?.platform,
        preReleaseVersionId: version?.id,
        uploadedAt: Date.parse(attributes.uploadedDate as string),
        expiresAt: Date.parse(attributes.expirationDate as string),
        expired: attributes.expired,
        processingState: attributes.processingState,
        usesNonExemptEncryption: attributes.usesNonExemptEncryption,
        buildAudienceType: attributes.buildAudienceType,
        minOsVersion: attributes.minOsVersion,
        internalState: detail?.attributes?.internalBuildState,
        externalState: detail?.attributes?.externalBuildState,
        iconTemplateUrl: icon?.templateUrl ?? null,
      } satisfies Record<keyof BuildRow, unknown>
    })
    expect(page.builds).toEqual(expected)
    const missing = page.builds.filter(
      (build) =>
        build.processingState === 'VALID' &&
        !build.expired &&
        build.usesNonExemptEncryption === null,
    )
    expect(missing.length).toBeGreaterThan(0)
    for (const build of missing)
      expect(sandbox.fixtures.builds.missingCompliance).toContain(build.id)
  })

  it('pages through every build of an app one request at a time, from the cursor it gave', async () => {
    const team = sandbox.teams.find((candidate) => candidate.name === 'Northwind Labs')
    const appId = team?.appIds.find((id) => id !== bigApp) ?? ''
    const walk = await reference.all(
      `/v1/builds?filter[app]=${appId}&limit=200&fields[builds]=version`,
      admin,
    )
    const expectedIds = walk.data.map((build) => build.id).sort()
    const limit = Math.max(1, Math.ceil(expectedIds.length / 4))
    sandbox.admin.resetRequestLog()
    const first = await api.listBuilds(appId, { limit })
    const pages = [first]
    for (let next = first.next; next; next = pages.at(-1)?.next ?? null) {
      expect(next.origin).toBe(new URL(sandbox.url).origin)
      pages.push(await api.listBuildsAfter(next))
    }
    const ids = pages.flatMap((page) => page.builds.map((build) => build.id))
    expect(expectedIds.length).toBeGreaterThan(3)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids.sort()).toEqual(expectedIds)
    // One request a page: the first, then each `links.next` exactly as the sandbox wrote it.
    const log = sent()
    expect(pages.length).toBe(Math.ceil(expectedIds.length / limit))
    expect(log).toHaveLength(pages.length)
    expect(log.slice(1).every((line) => line.startsWith('GET /v1/builds?cursor='))).toBe(true)
    expect(pages.slice(0, -1).every((page) => page.hasMore && page.total === ids.length)).toBe(true)
    expect(pages.at(-1)).toMatchObject({ hasMore: false, next: null })
    const times = pages.flatMap((page) => page.builds.map((build) => build.uploadedAt))
    expect(times).toEqual([...times].sort((a, b) => b - a))
  })

  it('never sends a request for a cursor off the API’s origin', async () => {
    sandbox.admin.resetRequestLog()
    const first = await api.listBuilds(bigApp, { limit: 5 })
    const elsewhere = new URL(first.next?.href ?? '')
    elsewhere.host = 'example.com'
    expect(await failureOf(api.listBuildsAfter(elsewhere))).toMatchObject({
      kind: 'bad_response',
      reason: 'foreign_link',
    })
    expect(sandbox.admin.requestLog()).toHaveLength(1)
  })

  it("lists an app's builds still in TestFlight, every page, newest first", async () => {
    sandbox.admin.resetRequestLog()
    const current = await api.listCurrentBuilds(bigApp)
    const log = sent()
    const walk = await reference.all(
      `/v1/builds?filter[app]=${bigApp}&filter[expired]=false&limit=200&fields[builds]=expired`,
      admin,
    )
    expect(current.map((build) => build.id).sort()).toEqual(
      walk.data.map((build) => build.id).sort(),
    )
    expect(current.length).toBeGreaterThan(0)
    expect(current.every((build) => !build.expired)).toBe(true)
    const times = current.map((build) => build.uploadedAt)
    expect(times).toEqual([...times].sort((a, b) => b - a))
    expect(log).toHaveLength(Math.ceil(walk.data.length / 200))
    expect(log[0]).toContain('filter[expired]=false')
  })

  it('loads all 5,000 builds of the big app: complete, each once, newest first, no N+1', async () => {
    sandbox.admin.resetRequestLog()
    const all = await api.listAllBuilds(bigApp)
    const log = sent()

    const walk = await reference.all(
      `/v1/builds?filter[app]=${bigApp}&limit=200&fields[builds]=version`,
      admin,
    )
    const expectedIds = walk.data.map((build) => build.id).sort()
    expect(expectedIds).toHaveLength(sandbox.fixtures.bigApp.buildCount)
    expect(all).toHaveLength(5000)
    expect(all.map((build) => build.id).sort()).toEqual(expectedIds)
    const times = all.map((build) => build.uploadedAt)
    expect(times).toEqual([...times].sort((a, b) => b - a))
    expect(
      all.every((build) => build.marketingVersion !== null && build.internalState !== null),
    ).toBe(true)

    // One list of pre-release versions, then about 5,000 / 200 pages of builds: never one per row.
    expect(log[0]).toMatch(/^GET \/v1\/preReleaseVersions\?/)
    const buildPages = log.slice(1)
    expect(buildPages.every((line) => /^GET \/v1\/builds\?filter\[app\]=/.test(line))).toBe(true)
    expect(buildPages.length).toBeGreaterThanOrEqual(25)
    expect(buildPages.length).toBeLessThanOrEqual(30)
  })

  it('stays complete when every part has to follow its cursor (small pages)', async () => {
    const paging = another({ pageLimit: 60 })
    sandbox.admin.resetRequestLog()
    const all = await paging.asc.forKey(identityOf(admin)).listAllBuilds(bigApp)
    expect(all).toHaveLength(5000)
    expect(new Set(all.map((build) => build.id)).size).toBe(5000)
    expect(sandbox.admin.requestLog().some((entry) => entry.path.includes('cursor='))).toBe(true)
  })

  it('gets one build with its pre-release version, beta detail and App Store version', async () => {
    const groups = await reference.all(
      `/v1/betaGroups?filter[app]=${bigApp}&limit=200&include=builds&limit[builds]=50`,
      admin,
    )
    const buildId = groups.data
      .flatMap((group) => (group.relationships?.builds?.data as { id: string }[] | undefined) ?? [])
      .at(0)?.id
    expect(buildId).toBeDefined()
    const detail = await api.getBuild(buildId ?? '')
    const answer = await reference.get(
      `/v1/builds/${buildId}?include=appStoreVersion,preReleaseVersion`,
      admin,
    )
    expect(detail.id).toBe(buildId)
    const version = related(answer.json.data, 'preReleaseVersion', byId(answer.json.included ?? []))
    expect(detail.marketingVersion).toBe(version?.attributes?.version)
    expect(detail.autoNotifyEnabled).not.toBeNull()

    const versions = await reference.all(
      `/v1/apps/${bigApp}/appStoreVersions?limit=200&include=build`,
      admin,
    )
    const shipped = versions.data.find((version) => version.relationships?.build?.data)
    const shippedBuild = shipped?.relationships?.build?.data as { id: string } | undefined
    expect(shippedBuild).toBeDefined()
    const withVersion = await api.getBuild(shippedBuild?.id ?? '')
    expect(withVersion.appStoreVersion).toMatchObject({
      id: shipped?.id,
      versionString: shipped?.attributes?.versionString,
    })
  })
})

describe('the key check probes and the errors Apple gives', () => {
  it('passes every probe with an Admin key', async () => {
    sandbox.admin.resetRequestLog()
    expect(await api.probeApps()).toEqual({ request: 'GET /v1/apps?limit=1', total: 30 })
    expect((await api.probeTestFlight()).request).toBe('GET /v1/betaGroups?limit=1')
    expect((await api.probeUsers()).total).toBeGreaterThan(0)
    expect(sent()).toEqual([
      'GET /v1/apps?limit=1',
      'GET /v1/betaGroups?limit=1',
      'GET /v1/users?limit=1',
    ])
  })

  it('gives a Developer key 403 FORBIDDEN_ERROR on users, and TestFlight', async () => {
    const developer = client.asc.forKey(
      identityOf(sandbox.findKey({ team: 'northwind', role: 'DEVELOPER' })),
    )
    expect(await developer.probeTestFlight()).toMatchObject({
      request: 'GET /v1/betaGroups?limit=1',
    })
    expect(await failureOf(developer.probeUsers())).toEqual({
      kind: 'http',
      status: 403,
      appleCode: 'FORBIDDEN_ERROR',
      request: 'GET /v1/users?limit=1',
      retryAfterSeconds: null,
    })
  })

  it('tells unsigned agreements apart from a role problem by Apple code', async () => {
    const contoso = client.asc.forKey(identityOf(sandbox.findKey({ team: 'contoso' })))
    expect(await failureOf(contoso.probeApps())).toMatchObject({
      kind: 'http',
      status: 403,
      appleCode: 'FORBIDDEN.REQUIRED_AGREEMENTS_MISSING_OR_EXPIRED',
    })
  })

  it("answers 404 NOT_FOUND for another team's app", async () => {
    const fabrikam = client.asc.forKey(
      identityOf(sandbox.findKey({ team: 'fabrikam', revoked: false })),
    )
    expect(await failureOf(fabrikam.getApp(bigApp))).toMatchObject({
      kind: 'http',
      status: 404,
      appleCode: 'NOT_FOUND',
      request: expect.stringMatching(new RegExp(`^GET /v1/apps/${bigApp}\\?`)) as unknown,
    })
  })

  it('reports a revoked key as 401 NOT_AUTHORIZED after one fresh token, never more', async () => {
    const revoked = sandbox.findKey({ revoked: true })
    sandbox.admin.resetRequestLog()
    const before = client.tokens.counters().signatures
    expect(await failureOf(client.asc.forKey(identityOf(revoked)).probeApps())).toMatchObject({
      kind: 'http',
      status: 401,
      appleCode: 'NOT_AUTHORIZED',
    })
    expect(sent()).toEqual(['GET /v1/apps?limit=1', 'GET /v1/apps?limit=1'])
    expect(client.tokens.counters().signatures - before).toBe(2)
  })

  it('sends a probe that asks only whether a token is accepted once: no fresh token after its 401', async () => {
    const revoked = identityOf(sandbox.findKey({ revoked: true }))
    sandbox.admin.resetRequestLog()
    const before = client.asc.counts(revoked)
    const probe = client.asc.forKey(revoked).probeApps({ refreshAfter401: false })
    expect(await failureOf(probe)).toMatchObject({ kind: 'http', status: 401 })
    expect(sent()).toEqual(['GET /v1/apps?limit=1'])
    expect(client.asc.counts(revoked).requests - before.requests).toBe(1)
    expect(client.asc.counts(revoked).tokenRefreshes).toBe(before.tokenRefreshes)
  })
})

describe('tokens and usage', () => {
  it('reads Apple’s clock from a Date header a proxy doubled: the earliest date counts', async () => {
    // This Mac's clock is 5 minutes fast, so is the proxy's, which adds its own `Date`: fetch
    // joins the two with ", ". Apple refuses the first token (dated in its future); Ascent must
    // still read Apple's time from the pair, and its corrected token is accepted.
    const fast = () => Date.now() + 5 * 60_000
    const proxy: typeof fetch = async (input, init) => {
      const answer = await fetch(input, init)
      const headers = new Headers(answer.headers)
      headers.append('Date', new Date(fast()).toUTCString())
      return new Response(answer.body, { status: answer.status, headers })
    }
    const spec = specCheckingFetch(proxy)
    const tokens = signerFor(sandbox, fast)
    const asc = createAscClient({ fetch: spec.fetch, baseUrl: sandbox.url, tokens, now: fast })
    const identity = identityOf(admin)
    sandbox.admin.resetRequestLog()
    expect(await asc.forKey(identity).probeApps()).toMatchObject({ total: 30 })
    expect(sandbox.admin.requestLog().map((entry) => entry.status)).toEqual([401, 200])
    const offset = asc.usage(identity).clockOffsetSeconds ?? 0
    expect(Math.abs(offset + 300)).toBeLessThanOrEqual(2)
    await expectSpecKept(spec)
  })

  it('records the rate limit and clock offset of every answer, per key', async () => {
    const identity = identityOf(admin)
    await api.probeApps()
    const first = client.asc.usage(identity)
    await api.probeApps()
    const second = client.asc.usage(identity)
    expect(first.rateLimit?.limit).toBe(3600)
    expect(second.rateLimit?.remaining).toBe((first.rateLimit?.remaining ?? 0) - 1)
    // Same machine: no offset beyond the Date header's one-second resolution.
    expect(Math.abs(second.clockOffsetSeconds ?? 99)).toBeLessThanOrEqual(1)
    const unused = identityOf(sandbox.findKey({ team: 'fabrikam', revoked: false }))
    expect(client.asc.usage({ ...unused, keyId: 'UNUSEDKEY1' })).toEqual({
      rateLimit: null,
      clockOffsetSeconds: second.clockOffsetSeconds,
    })
    expect(client.asc.counts(identity).requests).toBeGreaterThan(2)
  })

  it('signs once per key for many requests', async () => {
    const fresh = another()
    const northwind = fresh.asc.forKey(identityOf(admin))
    await northwind.listApps()
    await northwind.listBuilds(bigApp)
    await northwind.listAllBuilds(bigApp)
    expect(fresh.asc.counts(identityOf(admin)).requests).toBeGreaterThan(25)
    expect(fresh.tokens.counters()).toEqual({ signatures: 1, keyLoads: 1 })
  })

  it("works with a token scoped to the screen's requests, and only for those", async () => {
    const scoped = another()
    const northwind = scoped.asc.forKey(identityOf(admin))
    const appsScope = [requestScope('GET', requestTarget(requests.apps()))]
    expect(await northwind.listApps({ scope: appsScope })).toHaveLength(30)
    expect(await failureOf(northwind.listBuilds(bigApp, { scope: appsScope }))).toMatchObject({
      kind: 'http',
      status: 401,
    })
    const buildsScope = [requestScope('GET', requestTarget(requests.preReleaseVersions(bigApp)))]
    const signatures = scoped.tokens.counters().signatures
    sandbox.admin.resetRequestLog()
    expect(await northwind.listAllBuilds(bigApp, { scope: buildsScope })).toHaveLength(5000)
    // The parts' requests share a few tokens rather than one each.
    const parts = sandbox.admin.requestLog().length - 1
    const newSignatures = scoped.tokens.counters().signatures - signatures
    expect(newSignatures).toBeGreaterThan(1)
    expect(newSignatures).toBeLessThan(parts / 2)
  })
})

describe('links.next', () => {
  it('is never followed to another origin: the token stays with the API', async () => {
    // The same sandbox under another name: its links point at 127.0.0.1, not localhost.
    const elsewhere = another({
      baseUrl: sandbox.url.replace('127.0.0.1', 'localhost'),
      pageLimit: 10,
    })
    sandbox.admin.resetRequestLog()
    expect(await failureOf(elsewhere.asc.forKey(identityOf(admin)).listApps())).toMatchObject({
      kind: 'bad_response',
      reason: 'foreign_link',
      issues: [expect.stringContaining('leaves http://localhost') as unknown],
    })
    expect(sandbox.admin.requestLog()).toHaveLength(1)
    expect(sandbox.admin.requestLog()[0]?.path).not.toContain('cursor')
  })
})
