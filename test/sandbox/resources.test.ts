import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox } from './index'
import type { Sandbox, SandboxKey } from './index'
import { seedData } from './seed'
import { ApiClient, appleError, isP256Pkcs8Pem } from './support'
import type { JsonResource } from './support'

let sandbox: Sandbox
let client: ApiClient
let admin: SandboxKey
let bigApp: string

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' })

function attr(resource: JsonResource | undefined, name: string): unknown {
  return resource?.attributes?.[name]
}

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 5 })
  client = new ApiClient(sandbox)
  admin = sandbox.findKey({ team: 'northwind', role: 'ADMIN' })
  bigApp = sandbox.fixtures.bigApp.id
})

afterAll(() => sandbox.close())

describe('apps', () => {
  it('lists all 30 apps of Northwind Labs in one request of limit=200', async () => {
    const response = await client.get('/v1/apps?limit=200', admin)
    expect(response.json.data).toHaveLength(30)
    expect(response.json.links.next).toBeUndefined()
    expect(response.json.meta?.paging).toEqual({ total: 30, limit: 200 })
    expect(response.json.data.map((app) => app.id).sort()).toEqual(
      [...(sandbox.teams[0]?.appIds ?? [])].sort(),
    )
  })

  it('gets one app with its attributes', async () => {
    const response = await client.get(`/v1/apps/${bigApp}`, admin)
    expect(response.json.data).toMatchObject({
      type: 'apps',
      id: bigApp,
      attributes: { name: 'Northwind Mail', bundleId: 'com.northwind.mail' },
    })
    expect(response.json.links.self).toBe(`${sandbox.url}/v1/apps/${bigApp}`)
  })

  it.each(['name', '-name', 'bundleId', '-bundleId', 'sku', '-sku'])(
    'sorts by %s',
    async (sort) => {
      const response = await client.get(`/v1/apps?limit=200&sort=${sort}`, admin)
      const field = sort.replace('-', '')
      const values = response.json.data.map((app) => attr(app, field) as string)
      const expected = [...values].sort(collator.compare)
      expect(values).toEqual(sort.startsWith('-') ? expected.reverse() : expected)
    },
  )

  it('filters by bundleId, name, sku and id', async () => {
    const all = (await client.get('/v1/apps?limit=200', admin)).json.data
    const sample = all[7]
    for (const field of ['bundleId', 'name', 'sku']) {
      const value = attr(sample, field) as string
      const response = await client.get(
        `/v1/apps?filter[${field}]=${encodeURIComponent(value)}`,
        admin,
      )
      expect(response.json.data.map((app) => app.id)).toEqual([sample?.id])
    }
    const two = [all[2]?.id, all[9]?.id]
    const byId = await client.get(`/v1/apps?filter[id]=${two.join(',')}`, admin)
    expect(byId.json.data.map((app) => app.id).sort()).toEqual([...two].sort())
  })

  it('includes related resources with limit[...] per relationship', async () => {
    const response = await client.get(
      `/v1/apps?filter[id]=${bigApp}&include=appStoreVersions,betaGroups,preReleaseVersions,builds&limit[builds]=5`,
      admin,
    )
    const app = response.json.data[0]
    const builds = app?.relationships?.builds
    expect((builds?.data as unknown[]).length).toBe(5)
    expect(builds?.meta?.paging).toEqual({ total: 5000, limit: 5 })
    const types = new Set((response.json.included ?? []).map((resource) => resource.type))
    expect([...types].sort()).toEqual([
      'appStoreVersions',
      'betaGroups',
      'builds',
      'preReleaseVersions',
    ])
  })
})

describe('preReleaseVersions', () => {
  it('filters by app, platform and version and sorts by version', async () => {
    const all = await client.all(
      `/v1/preReleaseVersions?filter[app]=${bigApp}&limit=200&sort=-version`,
      admin,
    )
    const versions = all.data.map((prv) => attr(prv, 'version') as string)
    expect(versions).toEqual([...versions].sort(collator.compare).reverse())
    const tv = await client.all(
      `/v1/preReleaseVersions?filter[app]=${bigApp}&filter[platform]=TV_OS&limit=200`,
      admin,
    )
    expect(tv.data.length).toBeGreaterThan(0)
    expect(tv.data.length).toBe(all.data.filter((prv) => attr(prv, 'platform') === 'TV_OS').length)
    const one = await client.get(
      `/v1/preReleaseVersions?filter[app]=${bigApp}&filter[version]=5.9`,
      admin,
    )
    expect(one.json.data.length).toBeGreaterThan(1)
    expect(one.json.data.every((prv) => attr(prv, 'version') === '5.9')).toBe(true)
    const same = await client.get(`/v1/apps/${bigApp}/preReleaseVersions?limit=200`, admin)
    expect(same.json.meta?.paging.total).toBe(all.data.length)
  })

  it('lists the builds of a pre-release version', async () => {
    const prv = (await client.get(`/v1/preReleaseVersions?filter[app]=${bigApp}&limit=1`, admin))
      .json.data[0]
    const builds = await client.all(`/v1/preReleaseVersions/${prv?.id}/builds?limit=200`, admin)
    const filtered = await client.all(
      `/v1/builds?filter[preReleaseVersion]=${prv?.id}&limit=200`,
      admin,
    )
    expect(builds.data.length).toBeGreaterThan(0)
    expect(builds.data.map((build) => build.id)).toEqual(filtered.data.map((build) => build.id))
  })
})

describe('TestFlight and App Store', () => {
  it('lists beta groups of an app and across the team', async () => {
    const groups = await client.get(`/v1/apps/${bigApp}/betaGroups`, admin)
    const names = groups.json.data.map((group) => attr(group, 'name'))
    expect(names).toEqual(['Internal Testers', 'QA', 'Public Beta', 'Partners'])
    const publicBeta = groups.json.data.find((group) => attr(group, 'name') === 'Public Beta')
    expect(attr(publicBeta, 'publicLink')).toMatch(
      /^https:\/\/testflight\.apple\.com\/join\/\w{8}$/,
    )
    const team = await client.all('/v1/betaGroups?limit=200', admin)
    expect(team.data.length).toBeGreaterThan(groups.json.data.length)
    const internal = await client.all(
      `/v1/betaGroups?filter[app]=${bigApp}&filter[isInternalGroup]=true`,
      admin,
    )
    expect(internal.data.map((group) => attr(group, 'name'))).toEqual(['Internal Testers', 'QA'])
  })

  it('lists App Store versions with appVersionState and a platform filter', async () => {
    const all = await client.get(`/v1/apps/${bigApp}/appStoreVersions?include=build`, admin)
    const platforms = new Set(all.json.data.map((version) => attr(version, 'platform')))
    expect([...platforms].sort()).toEqual(['IOS', 'MAC_OS', 'TV_OS', 'VISION_OS'])
    const states = all.json.data.map((version) => attr(version, 'appVersionState'))
    expect(states).toContain('REPLACED_WITH_NEW_VERSION')
    const ios = await client.get(`/v1/apps/${bigApp}/appStoreVersions?filter[platform]=IOS`, admin)
    expect(ios.json.data.length).toBeGreaterThan(0)
    expect(ios.json.data.every((version) => attr(version, 'platform') === 'IOS')).toBe(true)
    const builds = (all.json.included ?? []).filter((resource) => resource.type === 'builds')
    expect(builds.length).toBeGreaterThan(0)
  })

  it('reads build beta details by build and from the build', async () => {
    const build = (
      await client.get(`/v1/builds?filter[app]=${bigApp}&sort=-uploadedDate&limit=1`, admin)
    ).json.data[0]
    const detail = await client.get(`/v1/buildBetaDetails?filter[build]=${build?.id}`, admin)
    expect(detail.json.data).toHaveLength(1)
    expect(attr(detail.json.data[0], 'internalBuildState')).toBe('PROCESSING')
    const direct = await client.get(`/v1/builds/${build?.id}/buildBetaDetail`, admin)
    expect(direct.json.data.id).toBe(detail.json.data[0]?.id)
    const back = await client.get(`/v1/buildBetaDetails/${direct.json.data.id}/build`, admin)
    expect(back.json.data.id).toBe(build?.id)
  })

  it('answers a to-one relationship without data with 404, like Apple', async () => {
    const processing = await client.get(
      `/v1/builds?filter[app]=${bigApp}&filter[processingState]=PROCESSING&limit=1`,
      admin,
    )
    const build = processing.json.data[0]?.id
    const missing = await client.get(`/v1/builds/${build}/appStoreVersion`, admin)
    expect(missing.status).toBe(404)
    expect(appleError(missing).detail).toBe(
      `There is no resource of type 'appStoreVersions' with id '${build}'`,
    )
    const versions = await client.get(`/v1/apps/${bigApp}/appStoreVersions?include=build`, admin)
    const shipped = versions.json.data.find((version) => version.relationships?.build?.data)
    const shippedBuild = (shipped?.relationships?.build?.data as { id: string }).id
    const found = await client.get(`/v1/builds/${shippedBuild}/appStoreVersion`, admin)
    expect(found.json.data.id).toBe(shipped?.id)
  })
})

describe('users', () => {
  it('lists the team users, filters by role and includes visible apps', async () => {
    const users = await client.get('/v1/users?include=visibleApps&sort=lastName', admin)
    const lastNames = users.json.data.map((user) => attr(user, 'lastName') as string)
    expect(lastNames).toEqual([...lastNames].sort(collator.compare))
    const restricted = users.json.data.find((user) => attr(user, 'allAppsVisible') === false)
    expect((restricted?.relationships?.visibleApps?.data as unknown[]).length).toBeGreaterThan(0)
    const admins = await client.get('/v1/users?filter[roles]=ADMIN', admin)
    expect(admins.json.data.length).toBeGreaterThan(0)
    for (const user of admins.json.data) expect(attr(user, 'roles')).toContain('ADMIN')
  })
})

describe('seeding', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const now = Date.UTC(2025, 0, 1)
    const a = seedData(42, now)
    const b = seedData(42, now)
    const c = seedData(43, now)
    const summary = (seeded: typeof a) =>
      seeded.store
        .all('builds')
        .map((build) => [build.id, build.attributes.version, build.attributes.uploadedDate])
    expect(summary(a)).toEqual(summary(b))
    expect(a.teams.map((team) => team.keys.map((key) => key.keyId))).toEqual(
      b.teams.map((team) => team.keys.map((key) => key.keyId)),
    )
    expect(a.fixtures.bigApp.id).not.toBe(c.fixtures.bigApp.id)
    expect(a.teams[0]?.issuerId).not.toBe(c.teams[0]?.issuerId)
  })

  it('generates fresh P-256 keys at every start', async () => {
    const other = await startSandbox({ seed: 5 })
    try {
      const key = other.findKey({ team: 'northwind', role: 'ADMIN' })
      expect(key.keyId).toBe(admin.keyId)
      expect(isP256Pkcs8Pem(key.privateKeyPem)).toBe(true)
      expect(key.privateKeyPem).not.toBe(admin.privateKeyPem)
      expect(key.p8Path).toBeNull()
    } finally {
      await other.close()
    }
  })

  it('has the teams, roles and keys the app is tested against', () => {
    const summary = sandbox.teams.map((team) => ({
      name: team.name,
      agreementsSigned: team.agreementsSigned,
      keys: team.keys.map((key) => [key.role, key.type, key.revoked]),
    }))
    expect(summary).toEqual([
      {
        name: 'Northwind Labs',
        agreementsSigned: true,
        keys: [
          ['ADMIN', 'team', false],
          ['APP_MANAGER', 'team', false],
          ['DEVELOPER', 'team', false],
          ['APP_MANAGER', 'individual', false],
        ],
      },
      { name: 'Contoso Games', agreementsSigned: false, keys: [['ADMIN', 'team', false]] },
      {
        name: 'Fabrikam Studio',
        agreementsSigned: true,
        keys: [
          ['DEVELOPER', 'team', false],
          ['APP_MANAGER', 'team', true],
        ],
      },
    ])
    for (const key of sandbox.teams.flatMap((team) => team.keys))
      expect(key.keyId).toMatch(/^[A-Z0-9]{10}$/)
    for (const team of sandbox.teams) {
      expect(team.issuerId).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      )
    }
  })
})
