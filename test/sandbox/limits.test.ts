import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startSandbox } from './index'
import type { Sandbox, SandboxKey } from './index'
import { ApiClient, appleError, signToken } from './support'
import type { ApiResponse } from './support'

let clock = Date.UTC(2025, 3, 2, 8)
let sandbox: Sandbox
let client: ApiClient
let developer: SandboxKey
let appManager: SandboxKey

beforeAll(async () => {
  sandbox = await startSandbox({ hourlyLimit: 3, now: () => clock })
  client = new ApiClient(sandbox, () => clock)
  developer = sandbox.findKey({ team: 'northwind', role: 'DEVELOPER' })
  appManager = sandbox.findKey({ team: 'northwind', role: 'APP_MANAGER', type: 'team' })
})

beforeEach(() => {
  sandbox.admin.setHourlyLimit(3)
  sandbox.admin.setRetryAfter(true)
  sandbox.admin.resetRateLimits()
})

afterAll(() => sandbox.close())

function remaining(response: ApiResponse): number {
  return Number(/user-hour-rem:(\d+);/.exec(response.headers.get('x-rate-limit') ?? '')?.[1])
}

function later(seconds: number): void {
  clock += seconds * 1000
  client.forgetTokens()
}

describe('hourly limit per key', () => {
  it('counts down, then answers 429 RATE_LIMIT_EXCEEDED with Retry-After until the hour rolls', async () => {
    const seen: number[] = []
    for (let i = 0; i < 3; i++) {
      const response = await client.get('/v1/apps?limit=1', developer)
      expect(response.status).toBe(200)
      expect(response.headers.get('x-rate-limit')).toMatch(/^user-hour-lim:3;user-hour-rem:\d+;$/)
      seen.push(remaining(response))
      later(60)
    }
    expect(seen).toEqual([2, 1, 0])

    const limited = await client.get('/v1/apps?limit=1', developer)
    expect(limited.status).toBe(429)
    expect(appleError(limited).code).toBe('RATE_LIMIT_EXCEEDED')
    expect(limited.headers.get('x-rate-limit')).toBe('user-hour-lim:3;user-hour-rem:0;')
    expect(limited.headers.get('retry-after')).toBe(String(3600 - 180))

    later(3600 - 180 + 1)
    const again = await client.get('/v1/apps?limit=1', developer)
    expect(again.status).toBe(200)
    expect(remaining(again)).toBe(0)
  })

  it('waits for enough requests to age out when the limit is lowered', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await client.get('/v1/apps?limit=1', developer)).status).toBe(200)
      later(60)
    }
    sandbox.admin.setHourlyLimit(2)
    const limited = await client.get('/v1/apps?limit=1', developer)
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe(String(3600 + 60 - 180))
  })

  it('keeps a separate budget for each key', async () => {
    for (let i = 0; i < 3; i++) await client.get('/v1/apps?limit=1', developer)
    expect((await client.get('/v1/apps?limit=1', developer)).status).toBe(429)
    const other = await client.get('/v1/apps?limit=1', appManager)
    expect(other.status).toBe(200)
    expect(remaining(other)).toBe(2)
  })

  it('counts neither rejected tokens nor 429s', async () => {
    const expired = await signToken(developer, { now: clock, iatOffset: -3000 })
    for (let i = 0; i < 5; i++) {
      const rejected = await client.request('/v1/apps', { authorization: `Bearer ${expired}` })
      expect(rejected.status).toBe(401)
      // The token names the key: its figures, with this request not taken off them.
      expect(rejected.headers.get('x-rate-limit')).toBe('user-hour-lim:3;user-hour-rem:3;')
    }
    expect(remaining(await client.get('/v1/apps?limit=1', developer))).toBe(2)
    await client.get('/v1/apps?limit=1', developer)
    await client.get('/v1/apps?limit=1', developer)
    for (let i = 0; i < 3; i++) expect((await client.get('/v1/apps', developer)).status).toBe(429)
    later(3601)
    expect(remaining(await client.get('/v1/apps?limit=1', developer))).toBe(2)
  })

  it('counts errors such as 404 and 400 like any answered request', async () => {
    expect((await client.get('/v1/apps/unknown', developer)).status).toBe(404)
    expect((await client.get('/v1/apps?limit=999', developer)).status).toBe(400)
    expect(remaining(await client.get('/v1/apps?limit=1', developer))).toBe(0)
  })

  it('takes a new limit and resets counters through the programmatic and HTTP admin', async () => {
    sandbox.admin.setHourlyLimit(10)
    expect((await client.get('/v1/apps?limit=1', developer)).headers.get('x-rate-limit')).toBe(
      'user-hour-lim:10;user-hour-rem:9;',
    )
    const put = await fetch(`${sandbox.url}/__sandbox/rate-limit`, {
      method: 'PUT',
      body: JSON.stringify({ hourlyLimit: 5 }),
    })
    expect(await put.json()).toEqual({
      hourlyLimit: 5,
      retryAfter: true,
      used: { [developer.keyId]: 1 },
    })
    expect(remaining(await client.get('/v1/apps?limit=1', developer))).toBe(3)
    const reset = await fetch(`${sandbox.url}/__sandbox/rate-limit`, { method: 'DELETE' })
    expect(await reset.json()).toEqual({ hourlyLimit: 5, retryAfter: true, used: {} })
    expect(remaining(await client.get('/v1/apps?limit=1', developer))).toBe(4)
    const bad = await fetch(`${sandbox.url}/__sandbox/rate-limit`, {
      method: 'PUT',
      body: JSON.stringify({ hourlyLimit: 0 }),
    })
    expect(bad.status).toBe(400)
  })

  it('leaves Retry-After off a 429 when switched off, programmatically or over HTTP', async () => {
    sandbox.admin.setHourlyLimit(1)
    await client.get('/v1/apps?limit=1', developer)
    const withHeader = await client.get('/v1/apps?limit=1', developer)
    expect(withHeader.status).toBe(429)
    expect(withHeader.headers.get('retry-after')).not.toBeNull()

    sandbox.admin.setRetryAfter(false)
    const without = await client.get('/v1/apps?limit=1', developer)
    expect(without.status).toBe(429)
    expect(appleError(without).code).toBe('RATE_LIMIT_EXCEEDED')
    expect(without.headers.get('retry-after')).toBeNull()
    expect(without.headers.get('x-rate-limit')).toBe('user-hour-lim:1;user-hour-rem:0;')

    const put = (body: unknown) =>
      fetch(`${sandbox.url}/__sandbox/rate-limit`, { method: 'PUT', body: JSON.stringify(body) })
    const on = await put({ retryAfter: true })
    expect(await on.json()).toMatchObject({ hourlyLimit: 1, retryAfter: true })
    expect(
      (await client.get('/v1/apps?limit=1', developer)).headers.get('retry-after'),
    ).not.toBeNull()
    const off = await put({ retryAfter: false })
    expect(await off.json()).toMatchObject({ hourlyLimit: 1, retryAfter: false })
    expect((await client.get('/v1/apps?limit=1', developer)).headers.get('retry-after')).toBeNull()
    expect((await put({ retryAfter: 'no' })).status).toBe(400)
    expect((await put({ retryAfterSeconds: 5 })).status).toBe(400)
  })
})
