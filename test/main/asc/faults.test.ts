/**
 * The client under the sandbox's fault switches: retries, time-outs, a fresh token after a 401,
 * 429 with and without Retry-After, cancellation, and the per-key concurrency bound.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { AscKeyClient } from '../../../src/main/asc'
import { startSandbox } from '../../sandbox/index'
import type { FaultRule, RequestLogEntry, Sandbox, SandboxKey } from '../../sandbox/index'
import { clientFor, expectSpecKept, failureOf, identityOf } from './support'
import type { TestClient } from './support'

let sandbox: Sandbox
let admin: SandboxKey
let client: TestClient
let api: AscKeyClient
let bigApp: string
const extraClients: TestClient[] = []

beforeAll(async () => {
  sandbox = await startSandbox()
  admin = sandbox.findKey({ team: 'northwind', role: 'ADMIN' })
  bigApp = sandbox.fixtures.bigApp.id
  client = clientFor(sandbox, { timeoutMs: 2_000, random: () => 0.5 })
  api = client.asc.forKey(identityOf(admin))
  // Warm the sandbox (spec loaded, data sorted) so the timings below are the client's.
  await api.listBuilds(bigApp)
  sandbox.admin.resetRequestLog()
})

afterAll(() => sandbox.close())

afterEach(async () => {
  sandbox.admin.clearFaults()
  sandbox.admin.resetRequestLog()
  for (const each of [client, ...extraClients.splice(0)]) await expectSpecKept(each.spec)
})

function fault(rule: FaultRule): void {
  sandbox.admin.addFaults({ ...rule, match: { keyId: admin.keyId, ...rule.match } })
}

function another(options: Parameters<typeof clientFor>[1]): TestClient {
  const made = clientFor(sandbox, options)
  extraClients.push(made)
  return made
}

function statuses(): number[] {
  return sandbox.admin.requestLog().map((entry) => entry.status)
}

/** Resolves once the sandbox's log satisfies `condition`, as it reports each change. */
async function logWhere(condition: (log: RequestLogEntry[]) => boolean): Promise<void> {
  await sandbox.admin.waitForRequest(() => condition(sandbox.admin.requestLog()))
}

describe('fault switches', () => {
  it('latency: waits for a slow answer within the timeout, fails as a timeout beyond it', async () => {
    fault({ kind: 'latency', ms: 150 })
    expect(await api.probeApps()).toMatchObject({ total: 30 })
    const impatient = another({ timeoutMs: 50 })
    expect(await failureOf(impatient.asc.forKey(identityOf(admin)).probeApps())).toEqual({
      kind: 'network',
      reason: 'timeout',
      request: 'GET /v1/apps?limit=1',
      causeCode: null,
    })
    expect(sandbox.admin.requestLog()).toHaveLength(2)
  })

  it('500: retries with back-off and succeeds', async () => {
    fault({ kind: 'error', status: 500, times: 2 })
    const sleeps = client.sleeps.length
    expect(await api.probeApps()).toMatchObject({ total: 30 })
    expect(statuses()).toEqual([500, 500, 200])
    expect(client.sleeps.slice(sleeps)).toEqual([1, 2])
  })

  it('503: gives up after three retries with growing back-off, as http 503 UNEXPECTED_ERROR', async () => {
    fault({ kind: 'error', status: 503 })
    const sleeps = client.sleeps.length
    expect(await failureOf(api.probeApps())).toEqual({
      kind: 'http',
      status: 503,
      appleCode: 'UNEXPECTED_ERROR',
      request: 'GET /v1/apps?limit=1',
      retryAfterSeconds: null,
    })
    expect(statuses()).toEqual([503, 503, 503, 503])
    expect(client.sleeps.slice(sleeps)).toEqual([1, 2, 3])
  })

  it('truncated body: a bad response, not retried', async () => {
    fault({ kind: 'truncate' })
    expect(await failureOf(api.listApps())).toMatchObject({
      kind: 'bad_response',
      reason: 'truncated',
      status: 200,
    })
    expect(sandbox.admin.requestLog()).toHaveLength(1)
    await client.spec.settle()
    expect(client.spec.take(/→ 200: a JSON answer that does not parse/)).toHaveLength(1)
  })

  it("an HTML error page: retried like Apple's 5xx, reported without an Apple code", async () => {
    fault({ kind: 'html', status: 502, times: 1 })
    expect(await api.probeApps()).toMatchObject({ total: 30 })
    expect(statuses()).toEqual([502, 200])
    sandbox.admin.resetRequestLog()
    fault({ kind: 'html', status: 503 })
    expect(await failureOf(api.probeApps())).toMatchObject({
      kind: 'http',
      status: 503,
      appleCode: null,
    })
    expect(statuses()).toEqual([503, 503, 503, 503])
    expect(client.spec.take(/→ 50[23]: not JSON \(Content-Type text\/html\)/)).toHaveLength(5)
  })

  it('connection reset: retried, then reported as a reset', async () => {
    fault({ kind: 'reset', times: 2 })
    expect(await api.probeApps()).toMatchObject({ total: 30 })
    expect(sandbox.admin.requestLog()).toHaveLength(3)
    sandbox.admin.resetRequestLog()
    fault({ kind: 'reset' })
    expect(await failureOf(api.probeApps())).toMatchObject({ kind: 'network', reason: 'reset' })
    expect(sandbox.admin.requestLog()).toHaveLength(4)
  })

  it('an answer that never comes, or never finishes: a timeout, not retried', async () => {
    const impatient = another({ timeoutMs: 100 }).asc.forKey(identityOf(admin))
    fault({ kind: 'hang' })
    expect(await failureOf(impatient.probeApps())).toMatchObject({
      kind: 'network',
      reason: 'timeout',
    })
    sandbox.admin.clearFaults()
    fault({ kind: 'hang', sendHeaders: true })
    expect(await failureOf(impatient.listApps())).toMatchObject({
      kind: 'network',
      reason: 'timeout',
    })
    expect(sandbox.admin.requestLog()).toHaveLength(2)
  })

  it('loading all builds survives transient failures and stays complete', async () => {
    fault({ kind: 'error', status: 503, times: 3, match: { path: '/v1/builds' } })
    fault({ kind: 'reset', times: 1, match: { path: '/v1/builds' } })
    const all = await api.listAllBuilds(bigApp)
    expect(all).toHaveLength(5000)
    expect(new Set(all.map((build) => build.id)).size).toBe(5000)
    expect(statuses().filter((status) => status === 503)).toHaveLength(3)
  })
})

describe('401 mid-session', () => {
  it('mints a fresh token once and retries: a clock 10 minutes fast is corrected from Date', async () => {
    const fast = another({ clock: () => Date.now() + 10 * 60_000 })
    const identity = identityOf(admin)
    expect(await fast.asc.forKey(identity).probeApps()).toMatchObject({ total: 30 })
    expect(statuses()).toEqual([401, 200])
    expect(fast.asc.counts(identity)).toMatchObject({ requests: 2, tokenRefreshes: 1, retries: 0 })
    expect(fast.tokens.counters().signatures).toBe(2)
    const offset = fast.asc.usage(identity).clockOffsetSeconds ?? 0
    expect(Math.abs(offset + 600)).toBeLessThanOrEqual(2)
  })

  it('a key revoked mid-session fails after one fresh token; once restored it works again', async () => {
    const identity = identityOf(admin)
    await api.probeApps()
    sandbox.admin.revokeKey(admin.keyId)
    try {
      sandbox.admin.resetRequestLog()
      const refreshes = client.asc.counts(identity).tokenRefreshes
      expect(await failureOf(api.probeApps())).toMatchObject({
        kind: 'http',
        status: 401,
        appleCode: 'NOT_AUTHORIZED',
      })
      expect(statuses()).toEqual([401, 401])
      expect(client.asc.counts(identity).tokenRefreshes).toBe(refreshes + 1)
    } finally {
      sandbox.admin.unrevokeKey(admin.keyId)
    }
    sandbox.admin.resetRequestLog()
    expect(await api.probeApps()).toMatchObject({ total: 30 })
    expect(statuses()).toEqual([200])
  })
})

describe('429', () => {
  it('fails at once with Retry-After when the wait is longer than the policy allows', async () => {
    const manager = sandbox.findKey({ team: 'northwind', role: 'APP_MANAGER' })
    const identity = identityOf(manager)
    const keyApi = client.asc.forKey(identity)
    sandbox.admin.resetRateLimits()
    sandbox.admin.setHourlyLimit(2)
    try {
      await keyApi.probeApps()
      await keyApi.probeApps()
      const failure = await failureOf(keyApi.probeApps())
      expect(failure).toMatchObject({ kind: 'http', status: 429, appleCode: 'RATE_LIMIT_EXCEEDED' })
      const wait = failure.kind === 'http' ? (failure.retryAfterSeconds ?? 0) : 0
      expect(wait).toBeGreaterThan(3500)
      expect(wait).toBeLessThanOrEqual(3600)
      expect(client.asc.usage(identity).rateLimit).toEqual({ limit: 2, remaining: 0 })
      expect(sandbox.admin.requestLog()).toHaveLength(3)
    } finally {
      sandbox.admin.setHourlyLimit(3600)
      sandbox.admin.resetRateLimits()
    }
  })

  it('backs off on a 429 without Retry-After, then succeeds', async () => {
    const developer = sandbox.findKey({ team: 'northwind', role: 'DEVELOPER' })
    const identity = identityOf(developer)
    const waits: number[] = []
    const patient = another({
      random: () => 0.5,
      sleep: (ms) => {
        waits.push(ms)
        // The key's hour rolls over while the client waits.
        sandbox.admin.resetRateLimits()
        return Promise.resolve()
      },
    })
    const impatient = another({ retry: { maxRetries: 0 } })
    sandbox.admin.resetRateLimits()
    sandbox.admin.setHourlyLimit(1)
    sandbox.admin.setRetryAfter(false)
    try {
      expect(await patient.asc.forKey(identity).probeApps()).toMatchObject({ total: 30 })
      // The 429 as a client that does not retry sees it: no Retry-After came with it.
      expect(await failureOf(impatient.asc.forKey(identity).probeApps())).toEqual({
        kind: 'http',
        status: 429,
        appleCode: 'RATE_LIMIT_EXCEEDED',
        request: 'GET /v1/apps?limit=1',
        retryAfterSeconds: null,
      })
      sandbox.admin.resetRequestLog()
      expect(await patient.asc.forKey(identity).listApps()).toHaveLength(30)
      expect(statuses()).toEqual([429, 200])
      expect(waits).toEqual([1])
      expect(patient.asc.counts(identity)).toMatchObject({ retries: 1 })
    } finally {
      sandbox.admin.setRetryAfter(true)
      sandbox.admin.setHourlyLimit(3600)
      sandbox.admin.resetRateLimits()
    }
  })

  it('waits exactly Retry-After, then succeeds (sandbox clock moved by the wait)', async () => {
    let clock = Date.UTC(2025, 4, 1, 9, 0, 0)
    const timed = await startSandbox({ now: () => clock, hourlyLimit: 1 })
    try {
      const key = timed.findKey({ team: 'northwind', role: 'ADMIN' })
      const waits: number[] = []
      const timedClient = clientFor(timed, {
        clock: () => clock,
        retry: { maxRetryAfterSeconds: 7200 },
        sleep: (ms) => {
          waits.push(ms)
          clock += ms
          return Promise.resolve()
        },
      })
      const keyApi = timedClient.asc.forKey(identityOf(key))
      await keyApi.probeApps()
      clock += 1_000
      expect(await keyApi.probeApps()).toMatchObject({ total: 30 })
      expect(timed.admin.requestLog().map((entry) => entry.status)).toEqual([200, 429, 200])
      expect(waits).toEqual([3_599_000])
      await expectSpecKept(timedClient.spec)
    } finally {
      await timed.close()
    }
  })
})

describe('cancellation', () => {
  it('aborts a request in flight: canceled at once, nothing more is sent', async () => {
    fault({ kind: 'hang' })
    const sent = client.asc.counts(identityOf(admin)).requests
    const controller = new AbortController()
    const listing = api.listApps({ signal: controller.signal })
    await sandbox.admin.waitForRequest((entry) => entry.fault === 'hang')
    controller.abort()
    expect(await failureOf(listing)).toEqual({
      kind: 'canceled',
      request: expect.stringMatching(/^GET \/v1\/apps\?/) as unknown,
    })
    // The sandbox saw the connection go: the one request ended unanswered, and no other came.
    expect(await sandbox.admin.waitUntilSettled()).toMatchObject([{ state: 'dropped' }])
    expect(client.asc.counts(identityOf(admin)).requests).toBe(sent + 1)
  })

  it('drops queued requests: they never reach Apple', async () => {
    const single = another({ concurrency: 1 })
    const keyApi = single.asc.forKey(identityOf(admin))
    fault({ kind: 'latency', ms: 150 })
    const controller = new AbortController()
    const first = keyApi.probeApps()
    const second = keyApi.listApps({ signal: controller.signal })
    const third = keyApi.getApp(bigApp, { signal: controller.signal })
    await sandbox.admin.waitForRequest((entry) => entry.state === 'held')
    controller.abort()
    expect(await failureOf(second)).toMatchObject({ kind: 'canceled' })
    expect(await failureOf(third)).toMatchObject({ kind: 'canceled' })
    expect(await first).toMatchObject({ total: 30 })
    // One slot, served in order: by the time a later request is answered, anything still queued
    // before it would have gone out.
    await keyApi.probeTestFlight()
    expect(sandbox.admin.requestLog().map((entry) => entry.path)).toEqual([
      '/v1/apps?limit=1',
      '/v1/betaGroups?limit=1',
    ])
    expect(single.spec.requests).toHaveLength(2)
  })

  it('stops loading all builds: in-flight parts aborted, queued parts never sent', async () => {
    fault({ kind: 'latency', ms: 100 })
    const controller = new AbortController()
    const before = client.spec.requests.length
    const loading = api.listAllBuilds(bigApp, { signal: controller.signal })
    await logWhere((log) => log.filter((entry) => entry.state === 'held').length >= 2)
    controller.abort()
    const sentAtAbort = client.spec.requests.length - before
    expect(await failureOf(loading)).toMatchObject({ kind: 'canceled' })
    const log = await sandbox.admin.waitUntilSettled()
    expect(client.spec.requests.length - before).toBe(sentAtAbort)
    expect(log).toHaveLength(sentAtAbort)
    // Every part was still held when the client gave up: each found it gone, none was answered.
    const parts = log.filter((entry) => entry.path.startsWith('/v1/builds?'))
    expect(parts.length).toBeGreaterThanOrEqual(2)
    expect(parts.map((entry) => entry.state)).toEqual(parts.map(() => 'dropped'))
    // About 27 requests make the whole load; only the running ones had gone out.
    expect(sentAtAbort).toBeLessThan(10)
  })
})

/** The most requests that were at the sandbox at once, from arrival times and a known latency. */
function peakInFlight(log: RequestLogEntry[], latencyMs: number): number {
  const arrivals = log.map((entry) => Date.parse(entry.at))
  // Every request is held at least `latencyMs` after it arrives, so all arrivals within one
  // latency before a request's own arrival were still there with it. (2 ms spare for timer slack.)
  return Math.max(
    ...arrivals.map(
      (at) => arrivals.filter((other) => other <= at && other > at - latencyMs + 2).length,
    ),
  )
}

describe('concurrency', () => {
  it('never has more than 4 requests of a key in flight (and does use all 4)', async () => {
    fault({ kind: 'latency', ms: 100 })
    const all = await api.listAllBuilds(bigApp)
    expect(all).toHaveLength(5000)
    const log = sandbox.admin.requestLog()
    expect(log.length).toBeGreaterThan(20)
    expect(peakInFlight(log, 100)).toBe(4)
  })

  it('honours a smaller bound', async () => {
    const pair = another({ concurrency: 2 })
    fault({ kind: 'latency', ms: 100 })
    await pair.asc.forKey(identityOf(admin)).listAllBuilds(bigApp)
    expect(peakInFlight(sandbox.admin.requestLog(), 100)).toBe(2)
  })

  it('queues per key: another key is not held up by a busy one', async () => {
    const single = another({ concurrency: 1 })
    fault({ kind: 'hang', times: 1 })
    const developer = sandbox.findKey({ team: 'northwind', role: 'DEVELOPER' })
    const busy = single.asc.forKey(identityOf(admin))
    const other = single.asc.forKey(identityOf(developer))
    const stuck = new AbortController()
    const first = busy.probeApps({ signal: stuck.signal })
    const second = busy.probeTestFlight()
    await sandbox.admin.waitForRequest((entry) => entry.fault === 'hang')
    // The busy key's one slot is taken (and its next request waits), yet the other key's goes.
    await other.probeApps()
    expect(sandbox.admin.requestLog().map((entry) => `${entry.keyId} ${entry.state}`)).toEqual([
      `${admin.keyId} held`,
      `${developer.keyId} answered`,
    ])
    stuck.abort()
    expect(await failureOf(first)).toMatchObject({ kind: 'canceled' })
    await second
    expect(sandbox.admin.requestLog().at(-1)).toMatchObject({
      keyId: admin.keyId,
      path: '/v1/betaGroups?limit=1',
      state: 'answered',
    })
  })
})
