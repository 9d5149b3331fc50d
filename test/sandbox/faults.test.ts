import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { parseFaultSpec } from './faults'
import { startSandbox } from './index'
import type { Sandbox, SandboxKey } from './index'
import { ApiClient, appleError } from './support'

let sandbox: Sandbox
let client: ApiClient
let northwind: SandboxKey
let fabrikam: SandboxKey

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 3 })
  client = new ApiClient(sandbox)
  northwind = sandbox.findKey({ team: 'northwind', role: 'ADMIN' })
  fabrikam = sandbox.findKey({ team: 'fabrikam', revoked: false })
})

afterEach(() => {
  sandbox.admin.clearFaults()
  sandbox.admin.resetRequestLog()
})

afterAll(() => sandbox.close())

async function raw(path: string, key: SandboxKey, signal?: AbortSignal): Promise<Response> {
  return fetch(`${sandbox.url}${path}`, {
    headers: { Authorization: `Bearer ${await client.token(key)}` },
    signal,
  })
}

async function elapsed(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now()
  await action()
  return performance.now() - started
}

describe('latency', () => {
  it('delays matching requests only, and expires after `times`', async () => {
    sandbox.admin.setFaults([
      { kind: 'latency', ms: 250, match: { keyId: northwind.keyId }, times: 1 },
    ])
    expect((await client.get('/v1/apps?limit=1', fabrikam)).status).toBe(200)
    expect(sandbox.admin.faults()).toEqual([
      { kind: 'latency', ms: 250, match: { keyId: northwind.keyId }, times: 1 },
    ])
    const slow = await elapsed(() => client.get('/v1/apps?limit=1', northwind))
    expect(slow).toBeGreaterThanOrEqual(245)
    expect(sandbox.admin.faults()).toEqual([])
  })

  it('lets a request whose client gave up during the delay use up no later fault', async () => {
    sandbox.admin.setFaults([{ kind: 'latency', ms: 200, match: { keyId: northwind.keyId } }])
    const controller = new AbortController()
    const abandoned = raw('/v1/apps?limit=1', northwind, controller.signal)
    await sandbox.admin.waitForRequest((entry) => entry.state === 'held')
    controller.abort()
    await expect(abandoned).rejects.toThrow()
    sandbox.admin.setFaults([{ kind: 'error', status: 503, times: 1 }])
    // The abandoned request wakes up on the server, finds its client gone, and leaves the fault.
    const woken = await sandbox.admin.waitForRequest((entry) => entry.state !== 'held')
    expect(woken).toMatchObject({ keyId: northwind.keyId, state: 'dropped', status: 0 })
    expect(sandbox.admin.faults()).toEqual([{ kind: 'error', status: 503, times: 1 }])
    expect((await raw('/v1/apps?limit=1', fabrikam)).status).toBe(503)
  })

  it('takes latencyMs at start as a latency rule', async () => {
    const slowBox = await startSandbox({ latencyMs: 150 })
    try {
      const key = slowBox.findKey({ team: 'northwind', role: 'ADMIN' })
      const slowClient = new ApiClient(slowBox)
      expect(slowBox.admin.faults()).toEqual([{ kind: 'latency', ms: 150 }])
      expect(await elapsed(() => slowClient.get('/v1/apps?limit=1', key))).toBeGreaterThanOrEqual(
        145,
      )
    } finally {
      await slowBox.close()
    }
  })
})

describe('server errors', () => {
  it.each([500, 503] as const)(
    'answers %i UNEXPECTED_ERROR for the next requests only',
    async (status) => {
      sandbox.admin.setFaults([{ kind: 'error', status, times: 2 }])
      for (let i = 0; i < 2; i++) {
        const failed = await client.get('/v1/apps?limit=1', northwind)
        expect(failed.status).toBe(status)
        expect(appleError(failed).code).toBe('UNEXPECTED_ERROR')
        expect(failed.headers.get('x-rate-limit')).toMatch(/^user-hour-lim:\d+;user-hour-rem:\d+;$/)
      }
      expect((await client.get('/v1/apps?limit=1', northwind)).status).toBe(200)
    },
  )

  it('scopes a fault to a path prefix and to a key', async () => {
    sandbox.admin.setFaults([
      { kind: 'error', match: { path: '/v1/builds' } },
      { kind: 'error', status: 503, match: { keyId: fabrikam.keyId } },
    ])
    expect((await client.get('/v1/apps?limit=1', northwind)).status).toBe(200)
    expect((await client.get('/v1/builds?limit=1', northwind)).status).toBe(500)
    expect((await client.get('/v1/apps?limit=1', fabrikam)).status).toBe(503)
  })
})

describe('broken transport', () => {
  it('sends a proxy HTML error page', async () => {
    sandbox.admin.setFaults([{ kind: 'html' }, { kind: 'html', status: 503 }])
    const bad = await raw('/v1/apps', northwind)
    expect(bad.status).toBe(502)
    expect(bad.headers.get('content-type')).toBe('text/html')
    expect(await bad.text()).toContain('<title>502 Bad Gateway</title>')
    expect(bad.headers.get('x-rate-limit')).toBeNull()
    sandbox.admin.setFaults([{ kind: 'html', status: 503 }])
    const unavailable = await raw('/v1/apps', northwind)
    expect(unavailable.status).toBe(503)
    expect(await unavailable.text()).toContain('503 Service Temporarily Unavailable')
  })

  it('truncates the body: the first half of the real answer, then a clean end', async () => {
    const path = `/v1/apps/${sandbox.fixtures.bigApp.id}`
    const whole = await (await raw(path, northwind)).text()
    sandbox.admin.setFaults([{ kind: 'truncate', times: 1 }])
    const cut = await raw(path, northwind)
    expect(cut.status).toBe(200)
    const text = await cut.text()
    expect(text).toBe(whole.slice(0, Math.floor(whole.length / 2)))
    expect(() => JSON.parse(text) as unknown).toThrow()
  })

  it('resets the connection', async () => {
    sandbox.admin.setFaults([{ kind: 'reset', times: 1 }])
    await expect(raw('/v1/apps', northwind)).rejects.toThrow(/fetch failed/)
    expect((await raw('/v1/apps', northwind)).status).toBe(200)
  })

  it('hangs without answering, or after sending headers, until the client leaves', async () => {
    const hung = (entry: { fault?: string; state: string }) =>
      entry.fault === 'hang' && entry.state === 'held'
    sandbox.admin.setFaults([{ kind: 'hang', times: 1 }])
    const silent = new AbortController()
    const unanswered = raw('/v1/apps', northwind, silent.signal)
    await sandbox.admin.waitForRequest(hung)
    silent.abort()
    await expect(unanswered).rejects.toThrow(/aborted/)
    expect(await sandbox.admin.waitUntilSettled()).toMatchObject([{ status: 0, state: 'dropped' }])

    sandbox.admin.resetRequestLog()
    sandbox.admin.setFaults([{ kind: 'hang', sendHeaders: true, times: 1 }])
    const controller = new AbortController()
    const response = await raw('/v1/apps', northwind, controller.signal)
    expect(response.status).toBe(200)
    const body = response.text()
    await sandbox.admin.waitForRequest(hung)
    controller.abort()
    await expect(body).rejects.toThrow(/aborted/)
    expect(await sandbox.admin.waitUntilSettled()).toMatchObject([{ state: 'dropped' }])
  })

  it('closes even while requests hang', async () => {
    const hanging = await startSandbox({ faults: [{ kind: 'hang', sendHeaders: true }] })
    const key = hanging.findKey({ team: 'northwind', role: 'ADMIN' })
    const hangingClient = new ApiClient(hanging)
    const pending = fetch(`${hanging.url}/v1/apps`, {
      headers: { Authorization: `Bearer ${await hangingClient.token(key)}` },
    }).then((response) => response.text())
    await hanging.admin.waitForRequest((entry) => entry.fault === 'hang')
    await hanging.close()
    await expect(pending).rejects.toThrow()
  })
})

describe('the request log', () => {
  it('records method, path with query, key and status, never the token', async () => {
    const app = sandbox.fixtures.bigApp.id
    await client.get(`/v1/builds?filter[app]=${app}&limit=2`, northwind)
    await client.get('/v1/users', fabrikam)
    await client.request('/v1/apps', { authorization: 'Bearer nonsense' })
    const log = sandbox.admin.requestLog()
    expect(log.map(({ method, path, keyId, status }) => ({ method, path, keyId, status }))).toEqual(
      [
        {
          method: 'GET',
          path: `/v1/builds?filter[app]=${app}&limit=2`,
          keyId: northwind.keyId,
          status: 200,
        },
        { method: 'GET', path: '/v1/users', keyId: fabrikam.keyId, status: 403 },
        { method: 'GET', path: '/v1/apps', keyId: null, status: 401 },
      ],
    )
    const serialized = JSON.stringify(log)
    expect(serialized).not.toContain(await client.token(northwind))
    expect(serialized).not.toContain('nonsense')
  })

  it('counts the requests of a paged walk, so a test can rule out N+1 fetching', async () => {
    await client.all(
      `/v1/builds?filter[app]=${sandbox.fixtures.bigApp.id}&limit=200&include=preReleaseVersion,buildBetaDetail`,
      northwind,
    )
    const log = sandbox.admin.requestLog()
    expect(log).toHaveLength(25)
    expect(log.every((entry) => entry.path.startsWith('/v1/builds?'))).toBe(true)
  })

  it('marks faulted requests', async () => {
    sandbox.admin.setFaults([{ kind: 'reset', times: 1 }])
    await expect(raw('/v1/apps', northwind)).rejects.toThrow()
    expect(sandbox.admin.requestLog()).toMatchObject([
      { path: '/v1/apps', status: 0, fault: 'reset', state: 'dropped' },
    ])
  })

  it('says which key type each token claims, checked or not', async () => {
    const individual = sandbox.findKey({ type: 'individual' })
    await client.get('/v1/apps?limit=1', northwind)
    await client.get('/v1/apps?limit=1', individual)
    await client.request('/v1/apps', { authorization: 'Bearer nonsense' })
    expect(sandbox.admin.requestLog().map((entry) => entry.keyType)).toEqual([
      'team',
      'individual',
      null,
    ])
  })

  it('reports a request as held while it waits, then answered, to a test that awaits it', async () => {
    sandbox.admin.setFaults([{ kind: 'latency', ms: 100, match: { keyId: northwind.keyId } }])
    const held = sandbox.admin.waitForRequest((entry) => entry.state === 'held')
    const answered = sandbox.admin.waitForRequest((entry) => entry.state === 'answered')
    const request = client.get('/v1/apps?limit=1', northwind)
    expect(await held).toMatchObject({ keyId: northwind.keyId, status: 0 })
    expect(await answered).toMatchObject({ keyId: northwind.keyId, status: 200 })
    expect((await request).status).toBe(200)
  })

  it('fails a wait that nothing in the log meets, saying what it held', async () => {
    await client.get('/v1/apps?limit=1', northwind)
    await expect(sandbox.admin.waitForRequest((entry) => entry.status === 418, 50)).rejects.toThrow(
      /no request matched within 50 ms\. Log: \/v1\/apps\?limit=1 answered 200/,
    )
  })
})

describe('admin endpoints', () => {
  const admin = (path: string, init?: RequestInit) => fetch(`${sandbox.url}/__sandbox${path}`, init)

  it('sets, lists, replaces and clears faults over HTTP', async () => {
    const added = await admin('/faults', {
      method: 'POST',
      body: JSON.stringify({ kind: 'error', status: 503, times: 1 }),
    })
    expect(await added.json()).toEqual([{ kind: 'error', status: 503, times: 1 }])
    expect((await client.get('/v1/apps?limit=1', northwind)).status).toBe(503)
    await admin('/faults', {
      method: 'PUT',
      body: JSON.stringify([{ kind: 'html' }, { kind: 'reset' }]),
    })
    expect(await (await admin('/faults')).json()).toEqual([{ kind: 'html' }, { kind: 'reset' }])
    expect(await (await admin('/faults', { method: 'DELETE' })).json()).toEqual([])
    expect((await client.get('/v1/apps?limit=1', northwind)).status).toBe(200)
  })

  it('rejects malformed fault rules', async () => {
    for (const body of ['{"kind":"explode"}', '{"kind":"error","status":404}', 'not json']) {
      expect((await admin('/faults', { method: 'POST', body })).status).toBe(400)
    }
    expect(sandbox.admin.faults()).toEqual([])
  })

  it('revokes and restores a key over HTTP', async () => {
    const signed = await client.token(fabrikam)
    const revoked = await admin(`/keys/${fabrikam.keyId}/revoke`, { method: 'POST' })
    expect(await revoked.json()).toEqual({ keyId: fabrikam.keyId, revoked: true })
    expect(fabrikam.revoked).toBe(true)
    const rejected = await client.request('/v1/apps', { authorization: `Bearer ${signed}` })
    expect(rejected.status).toBe(401)
    await admin(`/keys/${fabrikam.keyId}/unrevoke`, { method: 'POST' })
    expect((await client.request('/v1/apps', { authorization: `Bearer ${signed}` })).status).toBe(
      200,
    )
    expect((await admin('/keys/NOPE/revoke', { method: 'POST' })).status).toBe(404)
  })

  it('reads and empties the request log over HTTP', async () => {
    await client.get('/v1/apps?limit=1', northwind)
    const log = (await (await admin('/requests')).json()) as unknown[]
    expect(log).toHaveLength(1)
    await admin('/requests', { method: 'DELETE' })
    expect(await (await admin('/requests')).json()).toEqual([])
  })

  it('describes the sandbox without private keys', async () => {
    const text = await (await admin('')).text()
    const summary = JSON.parse(text) as { url: string; teams: { keys: { keyId: string }[] }[] }
    expect(summary.url).toBe(sandbox.url)
    expect(summary.teams.flatMap((team) => team.keys.map((key) => key.keyId))).toContain(
      northwind.keyId,
    )
    expect(text).not.toContain('PRIVATE KEY')
  })

  it('lives outside /v1: no token needed, no rate limit, not reachable under /v1', async () => {
    const info = await admin('', { headers: { Authorization: 'Bearer nonsense' } })
    expect(info.status).toBe(200)
    expect(info.headers.get('x-rate-limit')).toBeNull()
    const underApi = await client.get('/v1/__sandbox/faults', northwind)
    expect(underApi.status).toBe(404)
    expect(appleError(underApi).code).toBe('NOT_FOUND')
    expect((await admin('/nothing')).status).toBe(404)
    expect(sandbox.admin.requestLog().map((entry) => entry.path)).toEqual(['/v1/__sandbox/faults'])
  })
})

describe('CLI fault specs', () => {
  it('parses kinds, values and scopes', () => {
    expect(parseFaultSpec('latency:300')).toEqual({ kind: 'latency', ms: 300 })
    expect(parseFaultSpec('error:503,times=2')).toEqual({ kind: 'error', status: 503, times: 2 })
    expect(parseFaultSpec('hang:headers,path=/v1/builds,key=ABCDEFGHIJ')).toEqual({
      kind: 'hang',
      sendHeaders: true,
      match: { path: '/v1/builds', keyId: 'ABCDEFGHIJ' },
    })
    expect(parseFaultSpec('reset')).toEqual({ kind: 'reset' })
    expect(() => parseFaultSpec('error:404')).toThrow(/Invalid fault/)
    expect(() => parseFaultSpec('melt')).toThrow(/Invalid fault/)
    expect(() => parseFaultSpec('html,colour=red')).toThrow(/Unknown fault option/)
  })
})
