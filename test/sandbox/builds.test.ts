import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox } from './index'
import type { AttentionBuilds, Sandbox, SandboxKey } from './index'
import { ApiClient } from './support'
import type { ApiResponse, JsonResource } from './support'

const DAY = 86_400_000
const NOW = Date.UTC(2025, 2, 9, 18, 45, 10)

let sandbox: Sandbox
let client: ApiClient
let admin: SandboxKey
let bigApp: string
/** Every build of the big app, newest first, with its pre-release version and beta detail. */
let builds: JsonResource[]
let pages: ApiResponse[]
let related: Map<string, JsonResource>

const collator = new Intl.Collator('en', { numeric: true })

function ref(resource: JsonResource, name: string): { type: string; id: string } | null {
  return (resource.relationships?.[name]?.data as { type: string; id: string } | null) ?? null
}

function relatedOf(build: JsonResource, name: string): JsonResource {
  const target = ref(build, name)
  const found = target ? related.get(`${target.type}:${target.id}`) : undefined
  if (!found) throw new Error(`build ${build.id} has no included ${name}`)
  return found
}

function attr(resource: JsonResource, name: string): unknown {
  return resource.attributes?.[name]
}

function ids(resources: JsonResource[]): string[] {
  return resources.map((resource) => resource.id).sort()
}

beforeAll(async () => {
  sandbox = await startSandbox({ now: () => NOW })
  client = new ApiClient(sandbox, () => NOW)
  admin = sandbox.findKey({ team: 'northwind', role: 'ADMIN' })
  bigApp = sandbox.fixtures.bigApp.id
  const walk = await client.all(
    `/v1/builds?filter[app]=${bigApp}&limit=200&include=preReleaseVersion,buildBetaDetail&sort=-uploadedDate`,
    admin,
  )
  builds = walk.data
  pages = walk.pages
  related = new Map(walk.included.map((resource) => [`${resource.type}:${resource.id}`, resource]))
})

afterAll(() => sandbox.close())

async function filtered(query: string): Promise<JsonResource[]> {
  return (await client.all(`/v1/builds?filter[app]=${bigApp}&limit=200&${query}`, admin)).data
}

describe('paging', () => {
  it('walks all 5,000 builds of the big app through links.next, each once', () => {
    expect(sandbox.fixtures.bigApp.buildCount).toBe(5000)
    expect(pages).toHaveLength(25)
    expect(builds).toHaveLength(5000)
    expect(new Set(builds.map((build) => build.id)).size).toBe(5000)
    for (const [index, page] of pages.entries()) {
      expect(page.json.meta?.paging).toEqual({ total: 5000, limit: 200 })
      const next = page.json.links.next
      if (index === pages.length - 1) {
        expect(next).toBeUndefined()
        continue
      }
      const nextUrl = new URL(next ?? '')
      expect(nextUrl.origin).toBe(sandbox.url)
      expect(nextUrl.pathname).toBe('/v1/builds')
      expect(nextUrl.searchParams.get('cursor')).toMatch(/^[A-Za-z0-9_-]+$/)
      expect(nextUrl.searchParams.get('filter[app]')).toBe(bigApp)
      expect(nextUrl.searchParams.get('include')).toBe('preReleaseVersion,buildBetaDetail')
      expect(nextUrl.searchParams.get('sort')).toBe('-uploadedDate')
      expect(nextUrl.searchParams.get('limit')).toBe('200')
    }
    const times = builds.map((build) => Date.parse(attr(build, 'uploadedDate') as string))
    expect(times).toEqual([...times].sort((a, b) => b - a))
  })

  it('pages the related collection /v1/apps/{id}/builds the same way', async () => {
    const walk = await client.all(`/v1/apps/${bigApp}/builds?limit=200`, admin)
    expect(walk.data).toHaveLength(5000)
    expect(ids(walk.data)).toEqual(ids(builds))
  })

  it('defaults to 20 resources and reports the total', async () => {
    const first = await client.get(`/v1/builds?filter[app]=${bigApp}`, admin)
    expect(first.json.data).toHaveLength(20)
    expect(first.json.meta?.paging).toEqual({ total: 5000, limit: 20 })
  })
})

describe('sparse fieldsets and include', () => {
  it('returns only the requested attributes and relationships', async () => {
    const response = await client.get(
      `/v1/builds?filter[app]=${bigApp}&limit=50&fields[builds]=version,processingState`,
      admin,
    )
    for (const build of response.json.data) {
      expect(Object.keys(build.attributes ?? {}).sort()).toEqual(['processingState', 'version'])
      expect(build.relationships).toBeUndefined()
    }
  })

  it('applies fields[...] to included resources and links them from the relationship', async () => {
    const response = await client.get(
      `/v1/builds?filter[app]=${bigApp}&limit=30&fields[builds]=version,app&include=app&fields[apps]=name`,
      admin,
    )
    expect(response.json.included).toEqual([
      {
        type: 'apps',
        id: bigApp,
        attributes: { name: sandbox.fixtures.bigApp.name },
        links: { self: `${sandbox.url}/v1/apps/${bigApp}` },
      },
    ])
    for (const build of response.json.data) {
      expect(Object.keys(build.relationships ?? {})).toEqual(['app'])
      expect(ref(build, 'app')).toEqual({ type: 'apps', id: bigApp })
    }
  })

  it('includes each related resource once, and every reference resolves', async () => {
    const response = await client.get(
      `/v1/builds?filter[app]=${bigApp}&limit=200&sort=-uploadedDate&include=preReleaseVersion,app,buildBetaDetail,icons,betaGroups,appStoreVersion&limit[betaGroups]=2`,
      admin,
    )
    const included = response.json.included ?? []
    const keys = included.map((resource) => `${resource.type}:${resource.id}`)
    expect(new Set(keys).size).toBe(keys.length)
    expect(included.filter((resource) => resource.type === 'apps')).toHaveLength(1)
    for (const build of response.json.data) {
      for (const name of ['preReleaseVersion', 'app', 'buildBetaDetail', 'icons', 'betaGroups']) {
        const data = build.relationships?.[name]?.data
        const refs = (Array.isArray(data) ? data : data ? [data] : []) as {
          type: string
          id: string
        }[]
        for (const target of refs) expect(keys).toContain(`${target.type}:${target.id}`)
      }
      const groups = build.relationships?.betaGroups
      expect((groups?.data as unknown[]).length).toBeLessThanOrEqual(2)
      expect(groups?.meta?.paging.total).toBeGreaterThanOrEqual((groups?.data as unknown[]).length)
    }
    const groupsTotal = response.json.data.map(
      (build) => build.relationships?.betaGroups?.meta?.paging.total ?? 0,
    )
    expect(Math.max(...groupsTotal)).toBeGreaterThan(2)
    const icon = included.find((resource) => resource.type === 'buildIcons')
    expect(attr(icon ?? { type: '', id: '' }, 'iconAsset')).toMatchObject({
      templateUrl: expect.stringMatching(
        /^https:\/\/is1-ssl\.mzstatic\.com\/image\/thumb\/.+\/\{w\}x\{h\}bb\.\{f\}$/,
      ) as unknown,
    })
    expect(included.some((resource) => resource.type === 'appStoreVersions')).toBe(true)
  })
})

describe('filters', () => {
  function expectSame(found: JsonResource[], predicate: (build: JsonResource) => boolean): void {
    const expected = builds.filter(predicate)
    expect(expected.length).toBeGreaterThan(0)
    expect(ids(found)).toEqual(ids(expected))
  }

  it('filter[processingState] with several values', async () => {
    expectSame(await filtered('filter[processingState]=PROCESSING,FAILED'), (build) =>
      ['PROCESSING', 'FAILED'].includes(attr(build, 'processingState') as string),
    )
  })

  it('filter[expired]', async () => {
    expectSame(await filtered('filter[expired]=false'), (build) => attr(build, 'expired') === false)
    expectSame(await filtered('filter[expired]=true'), (build) => attr(build, 'expired') === true)
  })

  it('filter[version] (build number)', async () => {
    const number = attr(builds[1234] ?? builds[0]!, 'version') as string
    expectSame(
      await filtered(`filter[version]=${number}`),
      (build) => attr(build, 'version') === number,
    )
  })

  it('filter[preReleaseVersion.version] and filter[preReleaseVersion.platform]', async () => {
    expectSame(await filtered('filter[preReleaseVersion.version]=4.2,5.0'), (build) =>
      ['4.2', '5.0'].includes(attr(relatedOf(build, 'preReleaseVersion'), 'version') as string),
    )
    expectSame(
      await filtered('filter[preReleaseVersion.platform]=VISION_OS'),
      (build) => attr(relatedOf(build, 'preReleaseVersion'), 'platform') === 'VISION_OS',
    )
  })

  it('filter[preReleaseVersion] (id)', async () => {
    const prv = ref(builds[10]!, 'preReleaseVersion')?.id
    expectSame(
      await filtered(`filter[preReleaseVersion]=${prv}`),
      (build) => ref(build, 'preReleaseVersion')?.id === prv,
    )
  })

  it('filter[buildAudienceType] and filter[usesNonExemptEncryption]', async () => {
    expectSame(
      await filtered('filter[buildAudienceType]=INTERNAL_ONLY'),
      (build) => attr(build, 'buildAudienceType') === 'INTERNAL_ONLY',
    )
    expectSame(
      await filtered('filter[usesNonExemptEncryption]=true'),
      (build) => attr(build, 'usesNonExemptEncryption') === true,
    )
  })

  it('filter[betaGroups] matches the builds of the group', async () => {
    const groups = await client.get(`/v1/apps/${bigApp}/betaGroups`, admin)
    const publicBeta = groups.json.data.find((group) => attr(group, 'name') === 'Public Beta')
    const members = await client.all(`/v1/betaGroups/${publicBeta?.id}/builds?limit=200`, admin)
    const found = await filtered(`filter[betaGroups]=${publicBeta?.id}`)
    expect(found.length).toBeGreaterThan(0)
    expect(ids(found)).toEqual(ids(members.data))
    const byId = new Map(builds.map((build) => [build.id, build]))
    for (const build of found) {
      const full = byId.get(build.id) ?? build
      expect(attr(relatedOf(full, 'buildBetaDetail'), 'externalBuildState')).toBe('IN_BETA_TESTING')
    }
  })

  it('filter[id] and combined filters', async () => {
    const wanted = [builds[3]!.id, builds[4000]!.id]
    expect(ids(await filtered(`filter[id]=${wanted.join(',')}`))).toEqual([...wanted].sort())
    expectSame(
      await filtered(
        'filter[processingState]=VALID&filter[expired]=false&filter[preReleaseVersion.platform]=IOS',
      ),
      (build) =>
        attr(build, 'processingState') === 'VALID' &&
        attr(build, 'expired') === false &&
        attr(relatedOf(build, 'preReleaseVersion'), 'platform') === 'IOS',
    )
  })
})

describe('sort', () => {
  async function sorted(sort: string, include = ''): Promise<JsonResource[]> {
    const page = await client.get(
      `/v1/builds?filter[app]=${bigApp}&limit=200&sort=${sort}${include}`,
      admin,
    )
    return page.json.data
  }

  it('version ascending and descending, numerically', async () => {
    const expected = builds.map((build) => attr(build, 'version') as string).sort(collator.compare)
    const ascending = await sorted('version')
    expect(ascending.map((build) => attr(build, 'version'))).toEqual(expected.slice(0, 200))
    const descending = await sorted('-version')
    expect(descending.map((build) => attr(build, 'version'))).toEqual(
      expected.reverse().slice(0, 200),
    )
  })

  it('uploadedDate ascending', async () => {
    const oldest = [...builds].reverse().slice(0, 200)
    expect((await sorted('uploadedDate')).map((build) => build.id)).toEqual(
      oldest.map((build) => build.id),
    )
  })

  it('preReleaseVersion, then version descending', async () => {
    const page = await sorted('-preReleaseVersion,-version', '&include=preReleaseVersion')
    const pairs = page.map((build) => [
      attr(relatedOf(build, 'preReleaseVersion'), 'version') as string,
      attr(build, 'version') as string,
    ])
    const newestMarketing = builds
      .map((build) => attr(relatedOf(build, 'preReleaseVersion'), 'version') as string)
      .sort(collator.compare)
      .at(-1)
    expect(pairs[0]?.[0]).toBe(newestMarketing)
    for (let i = 1; i < pairs.length; i++) {
      const [previousMarketing = '', previousBuild = ''] = pairs[i - 1] ?? []
      const [marketing = '', build = ''] = pairs[i] ?? []
      const order = collator.compare(previousMarketing, marketing)
      expect(order >= 0).toBe(true)
      if (order === 0) expect(collator.compare(previousBuild, build)).toBeGreaterThan(0)
    }
  })
})

describe('the seeded builds', () => {
  it('spans ~50 marketing versions on iOS, macOS, tvOS and visionOS', () => {
    const versions = new Set(
      builds.map((build) => attr(relatedOf(build, 'preReleaseVersion'), 'version')),
    )
    const platforms = new Set(
      builds.map((build) => attr(relatedOf(build, 'preReleaseVersion'), 'platform')),
    )
    expect(versions.size).toBeGreaterThanOrEqual(50)
    expect([...platforms].sort()).toEqual(['IOS', 'MAC_OS', 'TV_OS', 'VISION_OS'])
  })

  it('expires every build 90 days after upload and carries icon tokens for valid builds', () => {
    for (const build of builds) {
      const uploaded = Date.parse(attr(build, 'uploadedDate') as string)
      expect(Date.parse(attr(build, 'expirationDate') as string) - uploaded).toBe(90 * DAY)
      expect(attr(build, 'uploadedDate')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-0[78]:00$/)
      if (attr(build, 'processingState') === 'VALID') {
        expect(attr(build, 'iconAssetToken')).toMatchObject({ width: 1024, height: 1024 })
      }
    }
  })

  /** Each "needs attention" case, as the app should compute it from a build and its beta detail. */
  const cases: Record<keyof AttentionBuilds, (build: JsonResource) => boolean> = {
    expiringSoon: (build) => {
      const left = Date.parse(attr(build, 'expirationDate') as string) - NOW
      return (
        attr(build, 'processingState') === 'VALID' &&
        attr(build, 'expired') === false &&
        left <= 7 * DAY
      )
    },
    expired: (build) => attr(build, 'expired') === true,
    expiredEarly: (build) =>
      attr(build, 'expired') === true && Date.parse(attr(build, 'expirationDate') as string) > NOW,
    stuckProcessing: (build) =>
      attr(build, 'processingState') === 'PROCESSING' &&
      NOW - Date.parse(attr(build, 'uploadedDate') as string) > 3_600_000,
    processing: (build) =>
      attr(build, 'processingState') === 'PROCESSING' &&
      NOW - Date.parse(attr(build, 'uploadedDate') as string) <= 3_600_000,
    missingCompliance: (build) =>
      attr(build, 'processingState') === 'VALID' &&
      attr(build, 'expired') === false &&
      attr(build, 'usesNonExemptEncryption') === null,
    failed: (build) => attr(build, 'processingState') === 'FAILED',
    invalid: (build) => attr(build, 'processingState') === 'INVALID',
  }

  it.each(Object.keys(cases) as (keyof AttentionBuilds)[])(
    'lists exactly the %s builds in the fixtures, dated from the sandbox clock',
    (name) => {
      const expected = builds.filter(cases[name]).map((build) => build.id)
      expect(expected.length).toBeGreaterThan(0)
      const listed = new Set(sandbox.fixtures.builds[name])
      expect(expected.every((id) => listed.has(id))).toBe(true)
      const bigAppIds = new Set(builds.map((build) => build.id))
      expect([...listed].filter((id) => bigAppIds.has(id)).sort()).toEqual([...expected].sort())
    },
  )

  it('expired builds are older than 90 days unless expired early', () => {
    const early = new Set(sandbox.fixtures.builds.expiredEarly)
    for (const build of builds.filter(cases.expired)) {
      const age = NOW - Date.parse(attr(build, 'uploadedDate') as string)
      expect(early.has(build.id) || age >= 90 * DAY).toBe(true)
    }
  })

  it('gives beta details the states that match each build', () => {
    for (const build of builds) {
      const detail = relatedOf(build, 'buildBetaDetail')
      const states = [attr(detail, 'internalBuildState'), attr(detail, 'externalBuildState')]
      if (attr(build, 'processingState') === 'PROCESSING')
        expect(states).toEqual(['PROCESSING', 'PROCESSING'])
      else if (attr(build, 'processingState') !== 'VALID') {
        expect(states).toEqual(['PROCESSING_EXCEPTION', 'PROCESSING_EXCEPTION'])
      } else if (attr(build, 'expired') === true) expect(states).toEqual(['EXPIRED', 'EXPIRED'])
      else if (cases.missingCompliance(build)) {
        expect(states).toEqual(['MISSING_EXPORT_COMPLIANCE', 'MISSING_EXPORT_COMPLIANCE'])
      }
    }
  })

  it('puts attention cases in the other teams too', async () => {
    const fabrikam = sandbox.findKey({ team: 'fabrikam', revoked: false })
    const all = await client.all('/v1/builds?limit=200', fabrikam)
    for (const name of [
      'expiringSoon',
      'stuckProcessing',
      'missingCompliance',
      'failed',
      'invalid',
    ] as const) {
      expect([name, all.data.some(cases[name])]).toEqual([name, true])
    }
  })
})
