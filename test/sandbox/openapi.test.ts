import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startSandbox } from './index'
import type { Sandbox } from './index'
import {
  findOperation,
  loadSpec,
  readSpecText,
  validateRequest,
  validateResponse,
  VENDORED_SPEC,
} from './openapi'
import { ApiClient } from './support'

describe('the spec', () => {
  it('is Apple’s 3.8.0 OpenAPI document', () => {
    expect(loadSpec().info.version).toBe('3.8.0')
  })

  it('is vendored with the project, unchanged from the copy its SOURCE note names', () => {
    const note = readFileSync(join(dirname(VENDORED_SPEC), 'SOURCE.md'), 'utf8')
    const recorded = /sha256\s+`([0-9a-f]{64})`/.exec(note)?.[1]
    expect(recorded).toMatch(/^[0-9a-f]{64}$/)
    const text = readSpecText(VENDORED_SPEC)
    expect(createHash('sha256').update(text).digest('hex')).toBe(recorded)
    expect((JSON.parse(text) as { info: { version: string } }).info.version).toBe('3.8.0')
    expect(note).toContain(basename(VENDORED_SPEC))
  })

  it('finds operations by path template, literal segments first', () => {
    expect(findOperation('GET', '/v1/apps/123/builds')?.template).toBe('/v1/apps/{id}/builds')
    expect(findOperation('GET', '/v1/apps/123')?.operation?.operationId).toBe('apps_getInstance')
    expect(findOperation('GET', '/v1/builds/abc/relationships/betaGroups')?.template).toBe(
      '/v1/builds/{id}/relationships/betaGroups',
    )
    expect(findOperation('PUT', '/v1/apps/123')?.operation).toBeNull()
    expect(findOperation('GET', '/v1/nothing')).toBeNull()
  })
})

describe('validateRequest', () => {
  it('accepts declared parameters with valid values, and cursor where limit is declared', () => {
    expect(
      validateRequest(
        'GET',
        '/v1/builds?filter[app]=1&filter[processingState]=VALID,PROCESSING&sort=-uploadedDate&limit=200&include=app,icons&limit[betaGroups]=50&cursor=abc',
      ),
    ).toEqual({ valid: true, errors: [] })
    expect(
      validateRequest('GET', 'https://api.appstoreconnect.apple.com/v1/apps?fields%5Bapps%5D=name'),
    ).toEqual({
      valid: true,
      errors: [],
    })
  })

  it.each([
    ['/v1/apps?foo=1', 'query foo: not a parameter of apps_getCollection'],
    ['/v1/apps?limit=201', 'query limit=201: value must be <= 200'],
    ['/v1/apps?limit=ten', 'query limit=ten: value must be integer'],
    ['/v1/apps?limit=2.5', 'query limit=2.5: value must be integer'],
    ['/v1/apps?limit=2&limit=3', 'query limit: given 2 times'],
    ['/v1/builds?limit[betaGroups]=51', 'query limit[betaGroups]=51: value must be <= 50'],
    [
      '/v1/builds?filter[preReleaseVersion.platform]=IOS,ANDROID',
      'query filter[preReleaseVersion.platform]=IOS,ANDROID: /1 must be equal to one of the allowed values',
    ],
    ['/v1/builds?sort=-name', 'query sort=-name: /0 must be equal to one of the allowed values'],
    ['/v1/builds?include=app&include=icons', 'query include: given 2 times'],
    ['/v1/apps/1?cursor=abc', 'query cursor: not a parameter of apps_getInstance'],
    [
      '/v1/apps?exists[gameCenterEnabledVersions]=yes',
      'query exists[gameCenterEnabledVersions]=yes: value must be boolean',
    ],
    ['/v1/reviewSubmissions?limit=5', 'query filter[app]: required, missing'],
    [
      '/v1/gameCenterDetails/1/metrics/classicMatchmakingRequests?granularity=P1W',
      'query granularity=P1W: value must be equal to one of the allowed values (P1D, PT1H, PT15M)',
    ],
    ['/v1/unknown', 'no operation GET /v1/unknown'],
  ])('rejects %s', (url, error) => {
    const result = validateRequest('GET', url)
    expect(result.valid).toBe(false)
    expect(result.errors[0]).toContain(error)
  })

  it('takes the values the schemas allow, whatever the sandbox adds (limit=0, an empty item)', () => {
    for (const url of [
      '/v1/reviewSubmissions?filter[app]=1',
      '/v1/gameCenterDetails/1/metrics/classicMatchmakingRequests?granularity=PT1H',
      '/v1/apps?exists[gameCenterEnabledVersions]=false&limit=0',
      '/v1/builds?filter[app]=',
    ]) {
      expect([url, validateRequest('GET', url)]).toEqual([url, { valid: true, errors: [] }])
    }
  })
})

describe('validateResponse', () => {
  let sandbox: Sandbox
  let client: ApiClient
  let page: unknown

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 21 })
    client = new ApiClient(sandbox)
    const admin = sandbox.findKey({ team: 'northwind', role: 'ADMIN' })
    page = (
      await client.get(
        `/v1/builds?filter[app]=${sandbox.fixtures.bigApp.id}&limit=5&include=app,buildBetaDetail&sort=-uploadedDate`,
        admin,
      )
    ).body
  })

  afterAll(() => sandbox.close())

  const url = '/v1/builds?limit=5'
  type Page = {
    data: { attributes: Record<string, unknown>; type?: unknown }[]
    included: { type: string }[]
    links?: unknown
  }
  const mutated = (change: (copy: Page) => void): unknown => {
    const copy = structuredClone(page) as Page
    change(copy)
    return copy
  }

  it('accepts a sandbox page, including Apple’s nulls for unset attributes', () => {
    const builds = (page as Page).data
    expect(builds.some((build) => build.attributes.usesNonExemptEncryption === null)).toBe(true)
    expect(validateResponse('GET', url, 200, page)).toEqual({ valid: true, errors: [] })
  })

  it.each([
    [
      'an enum value outside the spec',
      (copy: Page) => (copy.data[0]!.attributes.processingState = 'DONE'),
    ],
    ['a wrongly typed attribute', (copy: Page) => (copy.data[0]!.attributes.expired = 'no')],
    ['a null where the spec requires a value', (copy: Page) => (copy.data[0]!.type = null)],
    ['missing links', (copy: Page) => delete copy.links],
    [
      'an included resource of a foreign type',
      (copy: Page) => copy.included.push({ type: 'bundleIds' }),
    ],
    [
      'a date that is not a date-time',
      (copy: Page) => (copy.data[0]!.attributes.uploadedDate = 'yesterday'),
    ],
  ])('rejects %s', (_, change) => {
    const result = validateResponse('GET', url, 200, mutated(change))
    expect(result.valid).toBe(false)
    expect(result.errors.length).toBeGreaterThan(0)
  })

  it('checks errors against ErrorResponse, for undeclared statuses too', () => {
    const error = {
      errors: [{ id: 'x', status: '429', code: 'RATE_LIMIT_EXCEEDED', title: 't', detail: 'd' }],
    }
    expect(validateResponse('GET', url, 429, error).valid).toBe(true)
    expect(validateResponse('GET', url, 404, error).valid).toBe(true)
    expect(
      validateResponse('GET', url, 401, { errors: [{ status: '401', title: 't' }] }).valid,
    ).toBe(false)
    expect(validateResponse('GET', url, 204, {}).valid).toBe(false)
  })
})

describe('OpenAPI 3.0 nullable', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ascent-spec-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('accepts null where a schema says nullable: true, also beside a $ref', async () => {
    const spec = {
      openapi: '3.0.1',
      info: { version: 'test' },
      paths: {
        '/v1/things': {
          get: {
            operationId: 'things',
            parameters: [],
            responses: {
              '200': {
                content: {
                  'application/json': { schema: { $ref: '#/components/schemas/Things' } },
                },
              },
            },
          },
        },
      },
      components: {
        schemas: {
          Things: {
            type: 'object',
            required: ['count', 'label', 'size'],
            properties: {
              count: { type: 'integer', nullable: true },
              label: { type: 'string' },
              size: { $ref: '#/components/schemas/Size', nullable: true },
            },
          },
          Size: { type: 'object', properties: { width: { type: 'integer' } } },
        },
      },
    }
    const file = join(dir, 'spec.json')
    writeFileSync(file, JSON.stringify(spec))
    vi.stubEnv('ASC_OPENAPI_SPEC', file)
    vi.resetModules()
    try {
      const fresh = await import('./openapi')
      expect(
        fresh.validateResponse('GET', '/v1/things', 200, { count: null, label: 'a', size: null })
          .valid,
      ).toBe(true)
      expect(
        fresh.validateResponse('GET', '/v1/things', 200, { count: 1, label: null, size: null })
          .valid,
      ).toBe(false)
      expect(
        fresh.validateResponse('GET', '/v1/things', 200, {
          count: 1,
          label: 'a',
          size: { width: 'x' },
        }).valid,
      ).toBe(false)
    } finally {
      vi.unstubAllEnvs()
    }
  })
})
