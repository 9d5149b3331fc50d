import { describe, expect, it } from 'vitest'
import { DIAGNOSIS_CODES } from '../../../src/shared/diagnosis'
import type { DiagnosableFailure, FailureContext } from '../../../src/main/diagnosis'
import { diagnoseFailure, factsOf } from '../../../src/main/diagnosis'

const context: FailureContext = {
  keyType: 'team',
  usage: { rateLimit: { limit: 3600, remaining: 12 }, clockOffsetSeconds: -3 },
  appId: null,
}

function http(status: number, appleCode: string | null, retryAfterSeconds: number | null = null) {
  return {
    kind: 'http',
    status,
    appleCode,
    request: 'GET /v1/apps?limit=1',
    retryAfterSeconds,
  } satisfies DiagnosableFailure
}

describe('diagnoseFailure', () => {
  it.each([
    [http(401, 'NOT_AUTHORIZED'), 'auth.rejected'],
    [http(401, null), 'auth.rejected'],
    [http(403, 'FORBIDDEN_ERROR'), 'access.forbidden'],
    [http(403, 'FORBIDDEN.REQUIRED_AGREEMENTS_MISSING_OR_EXPIRED'), 'access.agreements'],
    [http(403, 'FORBIDDEN.REQUIRED_AGREEMENTS_MISSING_OR_EXPIRED.TAX'), 'access.agreements'],
    [http(403, null), 'access.forbidden'],
    [http(404, 'NOT_FOUND'), 'apple.path_not_found'],
    [http(429, 'RATE_LIMIT_EXCEEDED', 120), 'apple.rate_limited'],
    [http(500, 'UNEXPECTED_ERROR'), 'apple.unavailable'],
    [http(502, null), 'apple.unavailable'],
    [http(400, 'PARAMETER_ERROR.INVALID'), 'apple.bad_response'],
    [
      { kind: 'network', reason: 'offline', request: 'GET /v1/apps', causeCode: 'ENOTFOUND' },
      'network.offline',
    ],
    [
      { kind: 'network', reason: 'reset', request: 'GET /v1/apps', causeCode: null },
      'network.offline',
    ],
    [
      { kind: 'network', reason: 'timeout', request: 'GET /v1/apps', causeCode: null },
      'network.timeout',
    ],
    [
      { kind: 'network', reason: 'tls', request: 'GET /v1/apps', causeCode: 'CERT_HAS_EXPIRED' },
      'network.tls',
    ],
    [
      { kind: 'bad_response', reason: 'html', status: 200, request: 'GET /v1/apps', issues: [] },
      'apple.bad_response',
    ],
    [
      {
        kind: 'bad_response',
        reason: 'shape',
        status: 200,
        request: 'GET /v1/apps',
        issues: ['data'],
      },
      'apple.bad_response',
    ],
  ] satisfies [DiagnosableFailure, string][])(
    '%j → %s, by kind, status and Apple code',
    (failure, code) => {
      const diagnosis = diagnoseFailure(failure, context)
      expect(diagnosis.code).toBe(code)
      expect(DIAGNOSIS_CODES).toContain(diagnosis.code)
      expect(diagnosis.ok).toBe(false)
      expect(diagnosis.title.length).toBeGreaterThan(0)
      expect(diagnosis.hints.length).toBeGreaterThan(0)
      expect(diagnosis.facts.request).toBe(failure.request)
    },
  )

  it('says when to retry after a 429, and carries the figures seen', () => {
    const diagnosis = diagnoseFailure(http(429, 'RATE_LIMIT_EXCEEDED', 1500), context)
    expect(diagnosis.hints[0]).toBe('Try again in 25 minutes (Apple asked to wait 1500 s).')
    expect(diagnosis.detail).toContain('3600 requests an hour')
    expect(diagnosis.facts).toEqual({
      clockOffsetSeconds: -3,
      rateLimit: { limit: 3600, remaining: 12 },
      request: 'GET /v1/apps?limit=1',
      httpStatus: 429,
      appleErrorCode: 'RATE_LIMIT_EXCEEDED',
      retryAfterSeconds: 1500,
    })
  })

  it('names the app a 404 was about', () => {
    const diagnosis = diagnoseFailure(http(404, 'NOT_FOUND'), { ...context, appId: '1234567890' })
    expect(diagnosis.title).toBe('App 1234567890 is not in this key’s team')
  })

  const appIdHint = /app ID|owns the app|Apple ID/

  it.each([
    'GET /v1/apps/1234567890?fields[apps]=name',
    'GET /v1/builds/5ae0c3f5-0bd1-4f2c-a6d3-c9bc64a1e9c2?include=preReleaseVersion',
    'GET /v1/builds?filter[app]=1234567890&sort=-uploadedDate&limit=200',
    'GET /v1/apps/1234567890/betaGroups?limit=200',
  ])('keeps the app hints for a 404 to a request that named an app or a build: %s', (request) => {
    const diagnosis = diagnoseFailure({ ...http(404, 'NOT_FOUND'), request }, context)
    expect(diagnosis.code).toBe('team.not_found')
    expect(diagnosis.hints.some((hint) => appIdHint.test(hint))).toBe(true)
  })

  it.each(['GET /v1/apps?limit=1', 'GET /api/v1/apps?limit=1', 'GET /v1/betaGroups?limit=1'])(
    'points a 404 to a request that named no app at the address, a proxy or Apple: %s',
    (request) => {
      const diagnosis = diagnoseFailure({ ...http(404, 'NOT_FOUND'), request }, context)
      expect(diagnosis.code).toBe('apple.path_not_found')
      expect(diagnosis.detail).toContain(request)
      expect(diagnosis.hints.some((hint) => appIdHint.test(hint))).toBe(false)
      expect(diagnosis.hints.join(' ')).toMatch(/proxy/)
      expect(diagnosis.hints.join(' ')).toMatch(/system-status/)
      expect(diagnosis.facts).toMatchObject({ httpStatus: 404, appleErrorCode: 'NOT_FOUND' })
    },
  )

  it('names the API address to check by the surface: --api-base for ascent doctor', () => {
    const failure = http(404, 'NOT_FOUND')
    const cli = diagnoseFailure(failure, { ...context, surface: 'cli' })
    expect(cli.hints[0]).toContain('--api-base')
    const app = diagnoseFailure(failure, context)
    expect(app.hints.join(' ')).not.toContain('--api-base')
  })

  it('names the request a 403 was about, and who may make it', () => {
    const failure = { ...http(403, 'FORBIDDEN_ERROR'), request: 'GET /v1/users?limit=1' }
    const diagnosis = diagnoseFailure(failure, context)
    expect(diagnosis.title).toBe('The key’s role does not allow GET /v1/users')
    expect(diagnosis.detail).toContain('Only Admin keys may manage users.')
  })
})

describe('factsOf', () => {
  it('leaves out what was not seen', () => {
    expect(factsOf({ rateLimit: null, clockOffsetSeconds: null })).toEqual({})
  })
})
