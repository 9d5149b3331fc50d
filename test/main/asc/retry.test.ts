import { describe, expect, it } from 'vitest'
import { DEFAULT_RETRY_POLICY, retryDelayMs } from '../../../src/main/asc'
import type { AscFailure } from '../../../src/main/asc'

const request = 'GET /v1/apps'

function http(status: number, retryAfterSeconds: number | null = null): AscFailure {
  return { kind: 'http', status, appleCode: null, request, retryAfterSeconds }
}

const policy = DEFAULT_RETRY_POLICY

describe('retryDelayMs', () => {
  it('retries 429, 500, 502, 503, 504 and connection resets', () => {
    for (const status of [429, 500, 502, 503, 504]) {
      expect(retryDelayMs(http(status), 0, policy, () => 0)).not.toBeNull()
    }
    const reset: AscFailure = { kind: 'network', reason: 'reset', request, causeCode: 'ECONNRESET' }
    expect(retryDelayMs(reset, 0, policy, () => 0)).not.toBeNull()
  })

  it('does not retry what another try cannot fix', () => {
    for (const status of [400, 401, 403, 404, 409]) {
      expect(retryDelayMs(http(status), 0, policy, () => 0)).toBeNull()
    }
    for (const reason of ['offline', 'timeout', 'tls'] as const) {
      expect(
        retryDelayMs({ kind: 'network', reason, request, causeCode: null }, 0, policy, () => 0),
      ).toBeNull()
    }
    const truncated: AscFailure = {
      kind: 'bad_response',
      reason: 'truncated',
      status: 200,
      request,
      issues: [],
    }
    expect(retryDelayMs(truncated, 0, policy, () => 0)).toBeNull()
    expect(retryDelayMs({ kind: 'canceled', request }, 0, policy, () => 0)).toBeNull()
  })

  it('backs off exponentially with equal jitter, capped', () => {
    const low = [0, 1, 2, 3].map((retry) =>
      retryDelayMs(http(503), retry, { ...policy, maxRetries: 10 }, () => 0),
    )
    const high = [0, 1, 2, 3].map((retry) =>
      retryDelayMs(http(503), retry, { ...policy, maxRetries: 10 }, () => 1),
    )
    expect(low).toEqual([250, 500, 1000, 2000])
    expect(high).toEqual([500, 1000, 2000, 4000])
    expect(retryDelayMs(http(503), 9, { ...policy, maxRetries: 10 }, () => 1)).toBe(
      policy.maxDelayMs,
    )
  })

  it('stops after maxRetries', () => {
    expect(retryDelayMs(http(503), policy.maxRetries - 1, policy, () => 0)).not.toBeNull()
    expect(retryDelayMs(http(503), policy.maxRetries, policy, () => 0)).toBeNull()
  })

  it('waits exactly Retry-After on a 429, but not for longer than the policy allows', () => {
    expect(retryDelayMs(http(429, 7), 0, policy, () => 0.9)).toBe(7000)
    expect(retryDelayMs(http(429, policy.maxRetryAfterSeconds + 1), 0, policy, () => 0)).toBeNull()
  })
})
