import { decodeProtectedHeader } from 'jose'
import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { IAT_LEEWAY_SECONDS } from './auth'
import { startSandbox } from './index'
import type { Sandbox, SandboxKey } from './index'
import { ApiClient, NOT_AUTHORIZED_ERROR, signToken, strangerKey } from './support'
import type { ApiResponse, TokenOptions } from './support'

const NOW = Date.UTC(2025, 5, 16, 9, 30)

let sandbox: Sandbox
let client: ApiClient
let admin: SandboxKey
let individual: SandboxKey

beforeAll(async () => {
  sandbox = await startSandbox({ now: () => NOW })
  client = new ApiClient(sandbox, () => NOW)
  admin = sandbox.findKey({ team: 'northwind', role: 'ADMIN' })
  individual = sandbox.findKey({ type: 'individual' })
})

afterAll(() => sandbox.close())

function withToken(token: string, path = '/v1/apps?limit=1'): Promise<ApiResponse> {
  return client.request(path, { authorization: `Bearer ${token}` })
}

function token(key: SandboxKey, options: TokenOptions = {}): Promise<string> {
  return signToken(key, { now: NOW, ...options })
}

/** Requests counted against each key this hour, from the admin endpoint. */
async function usage(): Promise<Record<string, number>> {
  const response = await fetch(`${sandbox.url}/__sandbox/rate-limit`)
  return ((await response.json()) as { used: Record<string, number> }).used
}

/** The sandbox key whose ID a Bearer token carries in its header's `kid`, if any. */
function keyNamedBy(authorization: string | null): SandboxKey | undefined {
  const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1]
  let kid: unknown
  try {
    kid = token ? decodeProtectedHeader(token).kid : undefined
  } catch {
    kid = undefined
  }
  return sandbox.teams.flatMap((team) => team.keys).find((key) => key.keyId === kid)
}

/**
 * Sends `authorization` (null: none) and expects Apple's bare 401, counted against no key, with
 * the X-Rate-Limit of the key the token names (as it stood), or none when it names no known key.
 */
async function expectRejected(
  authorization: string | null,
  path = '/v1/apps?limit=1',
): Promise<void> {
  const before = await usage()
  const response = await client.request(path, { authorization })
  expect(response.status).toBe(401)
  const errors = response.json.errors ?? []
  expect(errors).toHaveLength(1)
  expect(Object.keys(errors[0] ?? {}).sort()).toEqual(['code', 'detail', 'id', 'status', 'title'])
  expect(errors[0]).toMatchObject(NOT_AUTHORIZED_ERROR)
  expect(response.headers.get('date')).toBe(new Date(NOW).toUTCString())
  const named = keyNamedBy(authorization)
  expect(response.headers.get('x-rate-limit')).toBe(
    named ? `user-hour-lim:3600;user-hour-rem:${3600 - (before[named.keyId] ?? 0)};` : null,
  )
  expect(await usage()).toEqual(before)
}

describe('tokens the sandbox accepts', () => {
  it('a team key token: ES256, kid, typ JWT, iss, aud, 20-minute lifetime', async () => {
    const response = await withToken(await token(admin))
    expect(response.status).toBe(200)
    expect(response.json.data).toHaveLength(1)
  })

  it('an individual key token: sub "user" and no iss', async () => {
    expect((await withToken(await token(individual))).status).toBe(200)
  })

  it(`an iat up to ${IAT_LEEWAY_SECONDS} s in the future (clock skew), and a back-dated iat`, async () => {
    expect((await withToken(await token(admin, { iatOffset: 30 }))).status).toBe(200)
    expect((await withToken(await token(admin, { iatOffset: IAT_LEEWAY_SECONDS }))).status).toBe(
      200,
    )
    expect((await withToken(await token(admin, { iatOffset: -600 }))).status).toBe(200)
  })

  it('an issuer ID in upper case', async () => {
    const claims = { iss: admin.issuerId?.toUpperCase() }
    expect((await withToken(await token(admin, { claims }))).status).toBe(200)
  })
})

describe('tokens the sandbox rejects with a plain 401 NOT_AUTHORIZED', () => {
  const cases: [string, () => Promise<string | null>][] = [
    ['no Authorization header', () => Promise.resolve(null)],
    ['a token that is not a JWT', () => Promise.resolve('not-a-token')],
    ['alg none (unsigned)', () => token(admin, { algorithm: 'none' })],
    ['HS256', () => token(admin, { algorithm: 'HS256' })],
    [
      'ES384',
      () =>
        token(admin, {
          algorithm: 'ES384',
          signingKey: generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey,
        }),
    ],
    ['no typ', () => token(admin, { header: { typ: undefined } })],
    ['typ other than JWT', () => token(admin, { header: { typ: 'at+jwt' } })],
    ['no kid', () => token(admin, { header: { kid: undefined } })],
    ['an unknown kid', () => token(admin, { header: { kid: 'ZZZZZZZZZZ' } })],
    ['a signature by another key', () => token(admin, { signingKey: strangerKey() })],
    [
      'a signature by another sandbox key',
      () => token({ ...admin, privateKeyPem: individual.privateKeyPem }),
    ],
    [
      'a DER-encoded signature',
      async () => {
        const [header, payload] = (await token(admin)).split('.')
        const der = sign('sha256', Buffer.from(`${header}.${payload}`), {
          key: createPrivateKey(admin.privateKeyPem),
          dsaEncoding: 'der',
        })
        return `${header}.${payload}.${der.toString('base64url')}`
      },
    ],
    ['a wrong aud', () => token(admin, { claims: { aud: 'appstoreconnect-v2' } })],
    ['aud as an array', () => token(admin, { claims: { aud: ['appstoreconnect-v1'] } })],
    ['no aud', () => token(admin, { omitClaims: ['aud'] })],
    ['a team key without iss', () => token(admin, { omitClaims: ['iss'] })],
    [
      "a team key with another team's issuer ID",
      () => token(admin, { claims: { iss: sandbox.findKey({ team: 'fabrikam' }).issuerId } }),
    ],
    ['a team key with iss and kid swapped', () => token(admin, { claims: { iss: admin.keyId } })],
    ['an individual key with an iss', () => token(individual, { claims: { iss: admin.issuerId } })],
    ['an individual key without sub', () => token(individual, { omitClaims: ['sub'] })],
    [
      'an individual key with sub other than "user"',
      () => token(individual, { claims: { sub: 'admin' } }),
    ],
    ['a lifetime of 1201 s', () => token(admin, { lifetime: 1201 })],
    [
      'a back-dated iat with exp 1200 s after now',
      () => token(admin, { iatOffset: -60, lifetime: 1260 }),
    ],
    ['exp before iat', () => token(admin, { lifetime: -10 })],
    ['no exp', () => token(admin, { omitClaims: ['exp'] })],
    ['no iat', () => token(admin, { omitClaims: ['iat'] })],
    ['an expired token', () => token(admin, { iatOffset: -1300 })],
    ['a token whose exp is now', () => token(admin, { iatOffset: -1200 })],
    [
      `an iat more than ${IAT_LEEWAY_SECONDS} s in the future`,
      () => token(admin, { iatOffset: 120 }),
    ],
    ['a revoked key', () => token(sandbox.findKey({ revoked: true }))],
    ['a scope that is not an array', () => token(admin, { claims: { scope: 'GET /v1/apps' } })],
    ['an empty scope', () => token(admin, { claims: { scope: [] } })],
    ['a scope for another path', () => token(admin, { claims: { scope: ['GET /v1/builds'] } })],
    ['a scope for another method', () => token(admin, { claims: { scope: ['POST /v1/apps'] } })],
    [
      'a scope with other filters',
      () =>
        token(admin, { claims: { scope: ['GET /v1/apps?filter[bundleId]=com.northwind.mail'] } }),
    ],
  ]

  it.each(cases)('%s', async (_, make) => {
    const made = await make()
    await expectRejected(made === null ? null : `Bearer ${made}`)
  })

  it('a Basic Authorization header', async () => {
    await expectRejected('Basic dXNlcjpwYXNz', '/v1/apps')
  })

  it('a key revoked while in use, until it is restored', async () => {
    const key = sandbox.findKey({ team: 'northwind', role: 'DEVELOPER' })
    const signed = await token(key)
    expect((await withToken(signed)).status).toBe(200)
    sandbox.admin.revokeKey(key.keyId)
    expect(key.revoked).toBe(true)
    await expectRejected(`Bearer ${signed}`)
    sandbox.admin.unrevokeKey(key.keyId)
    expect((await withToken(signed)).status).toBe(200)
  })
})

describe('scope', () => {
  const bigAppBuilds = () =>
    `GET /v1/builds?filter[app]=${sandbox.fixtures.bigApp.id}&filter[processingState]=VALID`

  it('matches with parameters in any order, ignoring limit, sort and cursor', async () => {
    const scoped = await token(admin, { claims: { scope: [bigAppBuilds()] } })
    const app = sandbox.fixtures.bigApp.id
    const first = await withToken(
      scoped,
      `/v1/builds?filter%5BprocessingState%5D=VALID&limit=3&sort=-uploadedDate&filter%5Bapp%5D=${app}`,
    )
    expect(first.status).toBe(200)
    const next = first.json.links.next
    expect(next).toContain('cursor=')
    const second = await client.request(next ?? '', { authorization: `Bearer ${scoped}` })
    expect(second.status).toBe(200)
    expect(second.json.data[0]?.id).not.toBe(first.json.data[0]?.id)
  })

  it('rejects a request that leaves out a scoped parameter or adds one', async () => {
    const scoped = await token(admin, { claims: { scope: [bigAppBuilds()] } })
    const app = sandbox.fixtures.bigApp.id
    await expectRejected(`Bearer ${scoped}`, `/v1/builds?filter[app]=${app}`)
    await expectRejected(
      `Bearer ${scoped}`,
      `/v1/builds?filter[app]=${app}&filter[processingState]=VALID&include=app`,
    )
  })

  it('accepts any entry of several', async () => {
    const scoped = await token(admin, { claims: { scope: [bigAppBuilds(), 'GET /v1/apps'] } })
    expect((await withToken(scoped, '/v1/apps?limit=2')).status).toBe(200)
    await expectRejected(`Bearer ${scoped}`, '/v1/betaGroups')
  })
})

describe('X-Rate-Limit on a 401', () => {
  it('carries the figures of the key the token names, and does not count the request', async () => {
    const key = sandbox.findKey({ team: 'northwind', role: 'APP_MANAGER', type: 'team' })
    const accepted = await withToken(await token(key))
    expect(accepted.status).toBe(200)
    const header = accepted.headers.get('x-rate-limit') ?? ''
    expect(header).toMatch(/^user-hour-lim:3600;user-hour-rem:\d+;$/)
    const expired = `Bearer ${await token(key, { iatOffset: -1300 })}`
    for (let i = 0; i < 2; i++) {
      const rejected = await client.request('/v1/apps', { authorization: expired })
      expect(rejected.status).toBe(401)
      expect(rejected.headers.get('x-rate-limit')).toBe(header)
    }
    const remaining = (value: string | null) => Number(/rem:(\d+);/.exec(value ?? '')?.[1])
    const next = await withToken(await token(key))
    expect(remaining(next.headers.get('x-rate-limit'))).toBe(remaining(header) - 1)
  })

  it('has none when the token names no key the sandbox knows', async () => {
    for (const authorization of [
      null,
      'Basic dXNlcjpwYXNz',
      'Bearer not-a-token',
      `Bearer ${await token(admin, { header: { kid: 'ZZZZZZZZZZ' } })}`,
      `Bearer ${await token(admin, { header: { kid: undefined } })}`,
    ]) {
      const rejected = await client.request('/v1/apps', { authorization })
      expect([authorization, rejected.status]).toEqual([authorization, 401])
      expect(rejected.headers.get('x-rate-limit')).toBeNull()
    }
  })
})
