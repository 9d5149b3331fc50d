import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox } from './index'
import type { Sandbox, SandboxKey } from './index'
import { validateRequest } from './openapi'
import { ApiClient, appleError } from './support'

let sandbox: Sandbox
let client: ApiClient
let admin: SandboxKey
let appManager: SandboxKey
let developer: SandboxKey
let individual: SandboxKey
let fabrikam: SandboxKey
let contoso: SandboxKey

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 11 })
  client = new ApiClient(sandbox)
  admin = sandbox.findKey({ team: 'northwind', role: 'ADMIN' })
  appManager = sandbox.findKey({ team: 'northwind', role: 'APP_MANAGER', type: 'team' })
  developer = sandbox.findKey({ team: 'northwind', role: 'DEVELOPER' })
  individual = sandbox.findKey({ type: 'individual' })
  fabrikam = sandbox.findKey({ team: 'fabrikam', revoked: false })
  contoso = sandbox.findKey({ team: 'contoso' })
})

afterAll(() => sandbox.close())

function northwindApp(): string {
  return sandbox.teams[0]?.appIds[3] ?? ''
}

describe('headers', () => {
  it('every accepted request carries Date, JSON Content-Type and a falling X-Rate-Limit', async () => {
    const before = Date.now()
    const first = await client.get('/v1/apps?limit=1', fabrikam)
    const second = await client.get('/v1/apps/nope', fabrikam)
    for (const response of [first, second]) {
      expect(response.headers.get('content-type')).toBe('application/json')
      const date = Date.parse(response.headers.get('date') ?? '')
      expect(date).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000)
    }
    const remaining = [first, second].map((response) => {
      const header = response.headers.get('x-rate-limit') ?? ''
      expect(header).toMatch(/^user-hour-lim:3600;user-hour-rem:\d+;$/)
      return Number(/rem:(\d+)/.exec(header)?.[1])
    })
    expect(remaining[1]).toBe((remaining[0] ?? 0) - 1)
  })
})

describe('roles', () => {
  it('lets only Admin keys list users', async () => {
    const listed = await client.get('/v1/users', admin)
    expect(listed.status).toBe(200)
    expect(listed.json.data.length).toBeGreaterThan(0)
    for (const key of [appManager, developer, individual, fabrikam]) {
      const response = await client.get('/v1/users', key)
      expect(response.status).toBe(403)
      expect(appleError(response).code).toBe('FORBIDDEN_ERROR')
    }
    const userId = listed.json.data[0]?.id ?? ''
    expect((await client.get(`/v1/users/${userId}`, developer)).status).toBe(403)
    expect((await client.get(`/v1/users/${userId}`, admin)).status).toBe(200)
  })

  it('lets Developer, App Manager and individual keys read apps, builds and TestFlight', async () => {
    const app = sandbox.fixtures.bigApp.id
    const paths = [
      '/v1/apps?limit=1',
      `/v1/apps/${app}`,
      `/v1/builds?filter[app]=${app}&limit=1`,
      `/v1/apps/${app}/builds?limit=1`,
      `/v1/preReleaseVersions?filter[app]=${app}&limit=1`,
      `/v1/apps/${app}/betaGroups`,
      '/v1/betaGroups?limit=1',
      `/v1/apps/${app}/appStoreVersions`,
      '/v1/buildBetaDetails?limit=1',
    ]
    for (const key of [developer, appManager, individual]) {
      for (const path of paths) {
        const response = await client.get(path, key)
        expect([path, response.status]).toEqual([path, 200])
      }
    }
  })

  it('answers writes with 405 after the role check (the sandbox is read-only)', async () => {
    const write = await client.request(`/v1/apps/${northwindApp()}`, {
      key: admin,
      method: 'PATCH',
    })
    expect(write.status).toBe(405)
    expect(appleError(write).code).toBe('METHOD_NOT_ALLOWED')
    const users = await client.request('/v1/users/x', { key: developer, method: 'DELETE' })
    expect(users.status).toBe(403)
  })
})

describe('agreements', () => {
  it('answers every request of a team with unsigned agreements with 403', async () => {
    const app = sandbox.teams.find((team) => team.name.startsWith('Contoso'))?.appIds[0] ?? ''
    for (const path of [
      '/v1/apps',
      `/v1/apps/${app}`,
      '/v1/users',
      '/v1/nothing',
      '/v1/apps?limit=500',
    ]) {
      const response = await client.get(path, contoso)
      expect(response.status).toBe(403)
      expect(appleError(response).code).toBe('FORBIDDEN.REQUIRED_AGREEMENTS_MISSING_OR_EXPIRED')
      expect(response.headers.get('x-rate-limit')).toMatch(/^user-hour-lim:/)
    }
  })
})

describe('teams and visible apps', () => {
  it("answers 404 for another team's app, build and related resources", async () => {
    const app = sandbox.fixtures.bigApp.id
    const build = (await client.get(`/v1/builds?filter[app]=${app}&limit=1`, admin)).json.data[0]
      ?.id
    for (const path of [`/v1/apps/${app}`, `/v1/builds/${build}`, `/v1/apps/${app}/builds`]) {
      const response = await client.get(path, fabrikam)
      expect(response.status).toBe(404)
      expect(appleError(response).code).toBe('NOT_FOUND')
    }
    const listed = await client.get(`/v1/builds?filter[app]=${app}`, fabrikam)
    expect(listed.status).toBe(200)
    expect(listed.json.data).toEqual([])
  })

  it("lists only the team's own apps", async () => {
    const fabrikamApps = await client.get('/v1/apps', fabrikam)
    const team = sandbox.teams.find((candidate) => candidate.name.startsWith('Fabrikam'))
    expect(fabrikamApps.json.data.map((app) => app.id).sort()).toEqual(
      [...(team?.appIds ?? [])].sort(),
    )
  })

  it("limits an individual key to its user's apps", async () => {
    const apps = await client.get('/v1/apps?limit=200', individual)
    expect(apps.json.data.map((app) => app.id).sort()).toEqual(
      [...sandbox.fixtures.individualAppIds].sort(),
    )
    expect(sandbox.fixtures.individualAppIds).toContain(sandbox.fixtures.bigApp.id)
    const hidden = sandbox.teams[0]?.appIds.find(
      (id) => !sandbox.fixtures.individualAppIds.includes(id),
    )
    expect((await client.get(`/v1/apps/${hidden}`, individual)).status).toBe(404)
    expect((await client.get(`/v1/apps/${hidden}`, admin)).status).toBe(200)
    const builds = await client.get(`/v1/builds?limit=200&include=app`, individual)
    for (const app of builds.json.included ?? []) {
      expect(sandbox.fixtures.individualAppIds).toContain(app.id)
    }
  })
})

describe('paths and parameters', () => {
  it('answers 404 NOT_FOUND for an unknown path and for spec paths the sandbox does not serve', async () => {
    for (const path of ['/v1/nothing', '/v1/bundleIds', '/v2/inAppPurchases/1', '/']) {
      const response = await client.get(path, admin)
      expect(response.status).toBe(404)
      expect(appleError(response).code).toBe('NOT_FOUND')
    }
  })

  it('rejects limit above 200 and limit[relationship] above 50 with PARAMETER_ERROR.INVALID', async () => {
    for (const path of [
      '/v1/apps?limit=201',
      '/v1/builds?limit=1000',
      '/v1/apps?limit=0',
      '/v1/apps?limit=ten',
      '/v1/builds?include=betaGroups&limit[betaGroups]=51',
    ]) {
      const response = await client.get(path, admin)
      expect([path, response.status]).toEqual([path, 400])
      expect(appleError(response).code).toBe('PARAMETER_ERROR.INVALID')
    }
    expect((await client.get('/v1/apps?limit=200', admin)).status).toBe(200)
    expect(
      (await client.get('/v1/betaGroups?include=builds&limit[builds]=1000', admin)).status,
    ).toBe(200)
  })

  it('rejects an undeclared parameter with PARAMETER_ERROR.ILLEGAL naming it', async () => {
    for (const [path, parameter] of [
      ['/v1/apps?foo=1', 'foo'],
      ['/v1/apps?filter[platform]=IOS', 'filter[platform]'],
      [`/v1/apps/${northwindApp()}/builds?sort=-uploadedDate`, 'sort'],
      [`/v1/apps/${northwindApp()}?limit=5`, 'limit'],
    ] as const) {
      const response = await client.get(path, admin)
      expect(response.status).toBe(400)
      const error = appleError(response) as { code: string; source?: { parameter: string } }
      expect(error.code).toBe('PARAMETER_ERROR.ILLEGAL')
      expect(error.source).toEqual({ parameter })
    }
  })

  it('rejects values outside the enums of filter, sort, include and fields', async () => {
    for (const path of [
      '/v1/builds?filter[processingState]=VALID,DONE',
      '/v1/builds?sort=name',
      '/v1/builds?include=app,owner',
      '/v1/builds?fields[builds]=version,colour',
      '/v1/apps?exists[gameCenterEnabledVersions]=maybe',
      '/v1/builds?filter[app]=',
      '/v1/apps?limit=2&limit=3',
      '/v1/builds?cursor=bm90LWEtY3Vyc29y',
    ]) {
      const response = await client.get(path, admin)
      expect([path, response.status]).toEqual([path, 400])
      expect(appleError(response).code).toBe('PARAMETER_ERROR.INVALID')
    }
  })

  it('refuses exactly the queries Apple’s spec refuses, judged apart with ajv', async () => {
    const app = sandbox.fixtures.bigApp.id
    const queries = [
      `/v1/apps?filter[bundleId]=com.example.a,com.example.b&sort=-name&fields[apps]=name,bundleId&limit=200`,
      `/v1/apps?include=appStoreVersions,betaGroups&limit[appStoreVersions]=50&exists[gameCenterEnabledVersions]=false`,
      `/v1/apps/${app}?fields[apps]=name,sku&include=preReleaseVersions&limit[preReleaseVersions]=50`,
      `/v1/apps/${app}/builds?fields[builds]=version,uploadedDate&limit=1`,
      `/v1/builds?filter[app]=${app}&filter[preReleaseVersion.platform]=IOS,MAC_OS&sort=-version`,
      `/v1/builds?filter[processingState]=PROCESSING,FAILED,INVALID,VALID&filter[expired]=false`,
      `/v1/builds?fields[buildBetaDetails]=externalBuildState&include=buildBetaDetail`,
      `/v1/builds?include=preReleaseVersion,app,buildBetaDetail,betaGroups,icons,appStoreVersion`,
      `/v1/preReleaseVersions?sort=-version&filter[platform]=TV_OS`,
      `/v1/apps/${app}/appStoreVersions?filter[appVersionState]=READY_FOR_DISTRIBUTION`,
      `/v1/users?filter[roles]=ADMIN&sort=lastName`,
      `/v1/betaGroups?filter[isInternalGroup]=true&sort=-createdDate`,
      `/v1/buildBetaDetails?filter[build]=x&limit=200`,
      // Refused by the spec:
      `/v1/apps?foo=1`,
      `/v1/apps?filter[platform]=IOS`,
      `/v1/apps/${app}?limit=5`,
      `/v1/apps?limit=201`,
      `/v1/apps?limit=ten`,
      `/v1/apps?limit=2&limit=3`,
      `/v1/apps?include=appStoreVersions&limit[appStoreVersions]=51`,
      `/v1/apps?exists[gameCenterEnabledVersions]=maybe`,
      `/v1/apps/${app}/builds?sort=-uploadedDate`,
      `/v1/builds?filter[preReleaseVersion.platform]=WATCH_OS`,
      `/v1/builds?filter[processingState]=VALID,DONE`,
      `/v1/builds?sort=name`,
      `/v1/builds?include=app,owner`,
      `/v1/builds?include=app&include=icons`,
      `/v1/builds?fields[buildBetaDetails]=colour`,
      `/v1/preReleaseVersions?sort=platform`,
      `/v1/apps/${app}/appStoreVersions?filter[appVersionState]=READY_FOR_SALE`,
      `/v1/users?filter[roles]=OWNER`,
    ]
    const verdicts = { valid: 0, invalid: 0 }
    for (const path of queries) {
      const spec = validateRequest('GET', path)
      const response = await client.get(path, admin)
      const refused = response.status === 400 && appleError(response).code.startsWith('PARAMETER')
      expect([path, refused, spec.errors]).toEqual([path, !spec.valid, spec.errors])
      verdicts[spec.valid ? 'valid' : 'invalid'] += 1
    }
    // Both answers occur, so agreeing is not the same verdict every time.
    expect(verdicts).toEqual({ valid: 13, invalid: 18 })
  })

  it('refuses, beyond the spec and on purpose (see query.ts), a limit below 1 and an empty value', async () => {
    for (const path of [
      '/v1/apps?limit=0',
      '/v1/apps?limit=-1',
      '/v1/builds?filter[app]=',
      '/v1/builds?filter[version]=1,,2',
    ]) {
      expect([path, validateRequest('GET', path).valid]).toEqual([path, true])
      const response = await client.get(path, admin)
      expect([path, response.status]).toEqual([path, 400])
      expect(appleError(response).code).toBe('PARAMETER_ERROR.INVALID')
    }
  })
})
