/**
 * Every diagnosis code, provoked for real against the Apple sandbox (no fetch mocks), through
 * Ascent's real `keys:check` → `keys:save` handlers; each failure also proves nothing was saved.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createAscClient } from '../../../src/main/asc'
import { runKeyCheck } from '../../../src/main/diagnosis'
import { expectSpecKept, identityOf, signerFor, specCheckingFetch } from '../asc/support'
import { createMemorySecretStore } from '../fakes'
import type { TestApp } from './support'
import {
  closedPortUrl,
  copyKeyFileAs,
  expectNothingSaved,
  importFile,
  importPasted,
  runCheck,
  startCaptivePortal,
  useSandboxApps,
} from './support'

const { sandbox, app } = useSandboxApps()
let scratch: string

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'ascent-codes-'))
})

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true })
})

afterEach(() => {
  sandbox().admin.clearFaults()
  sandbox().admin.setHourlyLimit(3600)
  sandbox().admin.resetRateLimits()
})

const northwind = () => sandbox().teams.find((team) => team.name.startsWith('Northwind'))!
const admin = () => sandbox().findKey({ team: 'northwind', role: 'ADMIN', type: 'team' })
const developer = () => sandbox().findKey({ team: 'northwind', role: 'DEVELOPER', type: 'team' })
const individual = () => sandbox().findKey({ team: 'northwind', type: 'individual' })

async function importKeyFile(target: TestApp, key = admin()) {
  return importFile(target, key.p8Path!)
}

describe('ok', () => {
  it('an Admin key passes every step, and saves as an Admin key', async () => {
    const target = await app()
    const draft = await importKeyFile(target)
    const report = await runCheck(target, draft, {
      issuerId: northwind().issuerId,
      keyId: admin().keyId,
      role: 'ADMIN',
    })
    expect(report.diagnosis).toMatchObject({ ok: true, code: 'ok' })
    expect(report.warnings).toEqual([])
    expect(report.steps.map((step) => [step.id, step.state])).toEqual([
      ['parse', 'passed'],
      ['sign', 'passed'],
      ['auth', 'passed'],
      ['apps', 'passed'],
      ['testflight', 'passed'],
      ['users', 'passed'],
    ])
    expect(report.canSave).toBe(true)
    // Named from what the check saw (the apps' bundle IDs, com.northwind.*), not from IDs.
    expect(report.suggestedName).toBe('Northwind')
    expect(report.diagnosis.facts.rateLimit?.limit).toBe(3600)

    const team = await target.call('keys:save', { checkId: report.checkId, name: 'Northwind CI' })
    expect(team).toMatchObject({ keyId: admin().keyId, role: 'ADMIN', status: 'verified' })
    expect(target.secrets.items.size).toBe(1)
  })
})

describe('input codes: found before anything is sent', () => {
  it('input.ids_swapped', async () => {
    const target = await app()
    const draft = await importKeyFile(target)
    sandbox().admin.resetRequestLog()
    const report = await runCheck(target, draft, {
      issuerId: admin().keyId,
      keyId: northwind().issuerId,
    })
    expect(report.diagnosis.code).toBe('input.ids_swapped')
    expect(report.steps.find((step) => step.id === 'sign')?.state).toBe('failed')
    expect(sandbox().admin.requestLog()).toEqual([])
    await expectNothingSaved(target, report)
  })

  it('input.issuer_id_invalid', async () => {
    const target = await app()
    const draft = await importKeyFile(target)
    const report = await runCheck(target, draft, { issuerId: 'northwind', keyId: admin().keyId })
    expect(report.diagnosis.code).toBe('input.issuer_id_invalid')
    expect(report.diagnosis.ok).toBe(false)
    await expectNothingSaved(target, report)
  })

  it('input.key_id_invalid', async () => {
    const target = await app()
    const draft = await importKeyFile(target)
    const report = await runCheck(target, draft, {
      issuerId: northwind().issuerId,
      keyId: 'AB-12',
    })
    expect(report.diagnosis.code).toBe('input.key_id_invalid')
    await expectNothingSaved(target, report)
  })

  it('input.key_id_mismatch is a warning when Apple accepts the key (a renamed file)', async () => {
    const target = await app()
    const renamed = await copyKeyFileAs(admin(), scratch, `AuthKey_${developer().keyId}.p8`)
    const draft = await importFile(target, renamed)
    const report = await runCheck(target, draft, {
      issuerId: northwind().issuerId,
      keyId: admin().keyId,
    })
    expect(report.diagnosis.code).toBe('ok')
    expect(report.canSave).toBe(true)
    expect(report.warnings.map((warning) => warning.code)).toEqual(['input.key_id_mismatch'])
    expect(report.warnings[0]?.detail).toContain(developer().keyId)
  })

  it('input.key_id_mismatch explains a 401 when the key ID entered is not the file’s', async () => {
    const target = await app()
    const draft = await importKeyFile(target, admin())
    const report = await runCheck(target, draft, {
      issuerId: northwind().issuerId,
      keyId: developer().keyId,
    })
    expect(report.diagnosis).toMatchObject({ ok: false, code: 'input.key_id_mismatch' })
    expect(report.diagnosis.facts).toMatchObject({
      httpStatus: 401,
      appleErrorCode: 'NOT_AUTHORIZED',
    })
    expect(report.diagnosis.hints[0]).toContain(admin().keyId)
    await expectNothingSaved(target, report)
  })

  it('input.private_key_invalid: a saved key whose secret left the keychain asks for a re-import', async () => {
    const secrets = createMemorySecretStore()
    const dataDir = await mkdtemp(join(scratch, 'data-'))
    const first = await app({ secrets, dataDir })
    const draft = await importKeyFile(first)
    const report = await runCheck(first, draft, {
      issuerId: northwind().issuerId,
      keyId: admin().keyId,
    })
    const team = await first.call('keys:save', { checkId: report.checkId, name: 'Northwind' })
    secrets.items.clear()

    // A new session: the signing key is read from the keychain again.
    const second = await app({ secrets, dataDir })
    const diagnosis = await second.call('teams:recheck', { teamId: team.id })
    expect(diagnosis).toMatchObject({ ok: false, code: 'input.private_key_invalid' })
    expect(diagnosis.hints[0]).toContain(`AuthKey_${admin().keyId}.p8`)
    const after = (await second.call('teams:list', undefined)).teams[0]
    expect(after?.status).toBe('needs_reimport')
    expect(secrets.items.size).toBe(0)
  })
})

describe('auth.rejected: a 401 with no local cause', () => {
  it('a revoked key, in at most three requests', async () => {
    const revoked = sandbox().findKey({ team: 'fabrikam', revoked: true })
    const target = await app()
    const draft = await importKeyFile(target, revoked)
    sandbox().admin.resetRequestLog()
    const report = await runCheck(target, draft, {
      issuerId: revoked.issuerId!,
      keyId: revoked.keyId,
    })
    // As a team key, then once more with a fresh token; then one probe as an individual key.
    expect(
      sandbox()
        .admin.requestLog()
        .map((entry) => `${entry.keyType} ${entry.method} ${entry.path} → ${entry.status}`),
    ).toEqual([
      'team GET /v1/apps?limit=1 → 401',
      'team GET /v1/apps?limit=1 → 401',
      'individual GET /v1/apps?limit=1 → 401',
    ])
    expect(report.diagnosis).toMatchObject({ ok: false, code: 'auth.rejected' })
    expect(report.diagnosis.facts).toMatchObject({
      httpStatus: 401,
      appleErrorCode: 'NOT_AUTHORIZED',
      request: 'GET /v1/apps?limit=1',
    })
    expect(report.diagnosis.hints[0]).toMatch(/revoked/i)
    expect(report.steps.find((step) => step.id === 'auth')?.state).toBe('failed')
    await expectNothingSaved(target, report)
  })

  it('another team’s issuer ID', async () => {
    const fabrikam = sandbox().teams.find((team) => team.name.startsWith('Fabrikam'))!
    const target = await app()
    const draft = await importKeyFile(target)
    const report = await runCheck(target, draft, {
      issuerId: fabrikam.issuerId,
      keyId: admin().keyId,
    })
    expect(report.diagnosis.code).toBe('auth.rejected')
    expect(report.diagnosis.hints.some((hint) => /issuer ID/.test(hint))).toBe(true)
    await expectNothingSaved(target, report)
  })

  it('a key ID that belongs to another key (pasted key, so no file name to compare)', async () => {
    const target = await app()
    const draft = await importPasted(target, admin().privateKeyPem)
    const report = await runCheck(target, draft, {
      issuerId: northwind().issuerId,
      keyId: developer().keyId,
    })
    expect(report.diagnosis.code).toBe('auth.rejected')
    expect(report.warnings).toEqual([])
    await expectNothingSaved(target, report)
  })

  it('an individual key entered as a team key: Apple accepts it as an individual key', async () => {
    const target = await app()
    const draft = await importKeyFile(target, individual())
    const report = await runCheck(target, draft, {
      issuerId: northwind().issuerId,
      keyId: individual().keyId,
    })
    expect(report.diagnosis.code).toBe('auth.rejected')
    expect(report.diagnosis.title).toBe('This is an individual key')
    expect(report.diagnosis.hints).toEqual([
      'Check it again as an individual key: choose “Individual key” (no issuer ID).',
    ])
    await expectNothingSaved(target, report)
  })

  it('a team key entered as an individual key', async () => {
    const target = await app()
    const draft = await importKeyFile(target)
    const report = await runCheck(target, draft, { keyType: 'individual', keyId: admin().keyId })
    expect(report.diagnosis.code).toBe('auth.rejected')
    expect(report.diagnosis.hints[0]).toMatch(/team key/i)
    await expectNothingSaved(target, report)
  })
})

describe('auth.clock_skew', () => {
  const fastClock = () => Date.now() + 5 * 60_000

  it('a clock 5 minutes fast: the corrected retry works, and a warning says by how much', async () => {
    const target = await app({ now: fastClock })
    const draft = await importKeyFile(target)
    const report = await runCheck(target, draft, {
      issuerId: northwind().issuerId,
      keyId: admin().keyId,
    })
    expect(report.diagnosis.code).toBe('ok')
    const skew = report.warnings.find((warning) => warning.code === 'auth.clock_skew')
    expect(skew?.title).toContain('5 minutes ahead')
    expect(skew?.facts.clockOffsetSeconds).toBeGreaterThanOrEqual(-302)
    expect(skew?.facts.clockOffsetSeconds).toBeLessThanOrEqual(-298)
    expect(report.diagnosis.facts.clockOffsetSeconds).toBe(skew?.facts.clockOffsetSeconds)
  })

  it('a clock 5 minutes fast and a 401 that persists: clock skew is the main finding', async () => {
    const revoked = sandbox().findKey({ team: 'fabrikam', revoked: true })
    const target = await app({ now: fastClock })
    const draft = await importKeyFile(target, revoked)
    const report = await runCheck(target, draft, {
      issuerId: revoked.issuerId!,
      keyId: revoked.keyId,
    })
    expect(report.diagnosis).toMatchObject({ ok: false, code: 'auth.clock_skew' })
    expect(report.diagnosis.title).toContain('5 minutes ahead')
    expect(report.diagnosis.facts.httpStatus).toBe(401)
    expect(report.diagnosis.hints.some((hint) => /revoked/i.test(hint))).toBe(true)
    await expectNothingSaved(target, report)
  })
})

describe('access codes: the token was accepted', () => {
  it('access.forbidden: a Developer key said to be Admin cannot list users', async () => {
    const target = await app()
    const draft = await importKeyFile(target, developer())
    const report = await runCheck(target, draft, {
      issuerId: northwind().issuerId,
      keyId: developer().keyId,
      role: 'ADMIN',
    })
    expect(report.diagnosis.code).toBe('ok')
    expect(report.canSave).toBe(true)
    const forbidden = report.warnings.find((warning) => warning.code === 'access.forbidden')
    expect(forbidden?.facts).toMatchObject({
      httpStatus: 403,
      appleErrorCode: 'FORBIDDEN_ERROR',
      request: 'GET /v1/users?limit=1',
    })
    expect(forbidden?.title).toContain('GET /v1/users')
    expect(report.steps.find((step) => step.id === 'users')?.state).toBe('failed')
    // Said Admin, but cannot list users: the role is saved as unknown, not as Admin.
    expect(report.suggestedName).toBe('Northwind')
    const team = await target.call('keys:save', { checkId: report.checkId, name: 'Builds' })
    expect(team.role).toBeNull()
  })

  it('a Developer key said to be Developer: the users step is skipped, not a failure', async () => {
    const target = await app()
    const draft = await importKeyFile(target, developer())
    const report = await runCheck(target, draft, {
      issuerId: northwind().issuerId,
      keyId: developer().keyId,
      role: 'DEVELOPER',
    })
    expect(report.diagnosis.code).toBe('ok')
    expect(report.warnings).toEqual([])
    const users = report.steps.find((step) => step.id === 'users')
    expect(users?.state).toBe('skipped')
    expect(users?.detail).toContain('Developer')
    expect(report.suggestedName).toBe('Northwind')
  })

  it('access.agreements: a team with unsigned agreements; the key, accepted, may be saved', async () => {
    const contoso = sandbox().findKey({ team: 'contoso' })
    const target = await app()
    const draft = await importKeyFile(target, contoso)
    const report = await runCheck(target, draft, {
      issuerId: contoso.issuerId!,
      keyId: contoso.keyId,
      role: 'ADMIN',
    })
    expect(report.diagnosis).toMatchObject({ ok: false, code: 'access.agreements' })
    expect(report.diagnosis.facts).toMatchObject({
      httpStatus: 403,
      appleErrorCode: 'FORBIDDEN.REQUIRED_AGREEMENTS_MISSING_OR_EXPIRED',
    })
    expect(report.diagnosis.hints[0]).toContain('Business')
    const states = Object.fromEntries(report.steps.map((step) => [step.id, step.state]))
    expect(states).toMatchObject({ auth: 'passed', apps: 'failed', testflight: 'skipped' })
    // Apple knows the key: it is saved, marked blocked, with the role only as the user said.
    expect(report).toMatchObject({ canSave: true, role: 'ADMIN', roleVerified: false })
    expect(report.suggestedName).toBe('App Store Connect team')
    const team = await target.call('keys:save', { checkId: report.checkId, name: 'Contoso' })
    expect(team).toMatchObject({
      status: 'blocked_agreements',
      role: 'ADMIN',
      roleVerified: false,
    })
    expect(team.statusDetail).toContain('agreement')
  })

  it('team.not_found: the app asked for is another team’s (the engine, as ascent doctor --app-id)', async () => {
    const key = admin()
    const otherTeamsApp = sandbox().teams.find((team) => team.name.startsWith('Fabrikam'))!
      .appIds[0]!
    const tokens = signerFor(sandbox())
    const spec = specCheckingFetch()
    const asc = createAscClient({ fetch: spec.fetch, baseUrl: sandbox().url, tokens })
    const outcome = await runKeyCheck(
      {
        keyType: 'team',
        issuerId: northwind().issuerId,
        keyId: key.keyId,
        keyIdFromFileName: null,
        privateKey: { ok: true, fingerprint: identityOf(key).fingerprint },
        claimedRole: null,
        appId: otherTeamsApp,
      },
      { asc, tokens },
    )
    expect(outcome.diagnosis).toMatchObject({ ok: false, code: 'team.not_found' })
    expect(outcome.diagnosis.facts).toMatchObject({ httpStatus: 404, appleErrorCode: 'NOT_FOUND' })
    expect(outcome.diagnosis.title).toContain(otherTeamsApp)
    expect(outcome.accepted).toBe(false)
    expect(outcome.authenticated).toBe(true)
    await expectSpecKept(spec)
    expect(spec.checkedResponses()).toBeGreaterThan(0)
  })
})

describe('apple.path_not_found', () => {
  it('a wrong API address: a 404 to a request that named no app is not about an app ID', async () => {
    const target = await app({ apiBase: `${sandbox().url}/api` })
    const draft = await importKeyFile(target)
    const report = await runCheck(target, draft, {
      issuerId: northwind().issuerId,
      keyId: admin().keyId,
    })
    expect(report.diagnosis).toMatchObject({ ok: false, code: 'apple.path_not_found' })
    expect(report.diagnosis.facts).toMatchObject({
      httpStatus: 404,
      appleErrorCode: 'NOT_FOUND',
      request: 'GET /api/v1/apps?limit=1',
    })
    const hints = report.diagnosis.hints.join(' ')
    expect(hints).not.toMatch(/app ID|owns the app/)
    expect(hints).toMatch(/proxy/)
    // Nothing is known about the key: the 404 is no verdict on it.
    const auth = report.steps.find((step) => step.id === 'auth')
    expect(auth).toMatchObject({ state: 'failed' })
    expect(auth?.detail).toContain(report.diagnosis.title)
    await expectNothingSaved(target, report)
    // The spec has no such path: the request was off Apple's API, as this test intends.
    expect(target.spec.take(/^GET \/api\/v1\/apps\?limit=1/)).toEqual([
      'GET /api/v1/apps?limit=1: no operation GET /api/v1/apps',
    ])
  })
})

describe('the checklist', () => {
  it('keeps a diagnosis title’s words as written in its rows: App Store Connect, not app store connect', async () => {
    sandbox().admin.setFaults([{ kind: 'hang', match: { keyId: admin().keyId } }])
    const target = await app({ timeoutMs: 300 })
    const draft = await importKeyFile(target)
    const report = await runCheck(target, draft, {
      issuerId: northwind().issuerId,
      keyId: admin().keyId,
    })
    expect(report.diagnosis.title).toBe('App Store Connect did not answer in time')
    const auth = report.steps.find((step) => step.id === 'auth')
    expect(auth?.state).toBe('failed')
    expect(auth?.detail).toContain('App Store Connect did not answer in time')
  })
})

describe('Apple’s own trouble', () => {
  it('apple.rate_limited: a warning when a later read hits the limit, the finding when the first does', async () => {
    sandbox().admin.setHourlyLimit(1)
    const target = await app()
    const draft = await importKeyFile(target)
    const ids = { issuerId: northwind().issuerId, keyId: admin().keyId }
    const first = await runCheck(target, draft, ids)
    expect(first.diagnosis.code).toBe('ok')
    expect(first.warnings.map((warning) => warning.code)).toContain('apple.rate_limited')

    const second = await runCheck(target, draft, ids)
    expect(second.diagnosis).toMatchObject({ ok: false, code: 'apple.rate_limited' })
    expect(second.diagnosis.facts).toMatchObject({
      httpStatus: 429,
      appleErrorCode: 'RATE_LIMIT_EXCEEDED',
      rateLimit: { limit: 1, remaining: 0 },
    })
    expect(second.diagnosis.facts.retryAfterSeconds).toBeGreaterThan(0)
    expect(second.diagnosis.hints[0]).toMatch(/^Try again in /)
    await expectNothingSaved(target, second)
  })

  it.each([500, 503] as const)('apple.unavailable: %i on every try', async (status) => {
    sandbox().admin.setFaults([{ kind: 'error', status, match: { keyId: admin().keyId } }])
    const target = await app()
    const draft = await importKeyFile(target)
    const report = await runCheck(target, draft, {
      issuerId: northwind().issuerId,
      keyId: admin().keyId,
    })
    expect(report.diagnosis).toMatchObject({ ok: false, code: 'apple.unavailable' })
    expect(report.diagnosis.facts).toMatchObject({
      httpStatus: status,
      appleErrorCode: 'UNEXPECTED_ERROR',
    })
    await expectNothingSaved(target, report)
  })

  it('apple.bad_response: a Wi-Fi login page answers in Apple’s place', async () => {
    const portal = await startCaptivePortal()
    try {
      const target = await app({ apiBase: portal.url })
      const draft = await importKeyFile(target)
      const report = await runCheck(target, draft, {
        issuerId: northwind().issuerId,
        keyId: admin().keyId,
      })
      expect(report.diagnosis).toMatchObject({ ok: false, code: 'apple.bad_response' })
      expect(report.diagnosis.detail).toContain('web page')
      expect(report.diagnosis.facts).toMatchObject({
        httpStatus: 200,
        request: 'GET /v1/apps?limit=1',
      })
      await expectNothingSaved(target, report)
      expect(target.spec.take(/→ 200: not JSON \(Content-Type text\/html\)$/)).toEqual([
        'GET /v1/apps?limit=1 → 200: not JSON (Content-Type text/html)',
      ])
    } finally {
      await portal.close()
    }
  })

  it('apple.bad_response: an answer cut off half-way', async () => {
    sandbox().admin.setFaults([{ kind: 'truncate', match: { keyId: admin().keyId } }])
    const target = await app()
    const draft = await importKeyFile(target)
    const report = await runCheck(target, draft, {
      issuerId: northwind().issuerId,
      keyId: admin().keyId,
    })
    expect(report.diagnosis.code).toBe('apple.bad_response')
    await expectNothingSaved(target, report)
    await target.spec.settle()
    expect(target.spec.take(/→ 200: a JSON answer that does not parse/)).toHaveLength(1)
  })
})

describe('network codes', () => {
  it('network.offline: nothing listens on the port', async () => {
    const target = await app({ apiBase: await closedPortUrl() })
    const draft = await importKeyFile(target)
    const report = await runCheck(target, draft, {
      issuerId: northwind().issuerId,
      keyId: admin().keyId,
    })
    expect(report.diagnosis).toMatchObject({ ok: false, code: 'network.offline' })
    expect(report.diagnosis.detail).toContain('refused')
    expect(report.steps.find((step) => step.id === 'auth')?.state).toBe('failed')
    await expectNothingSaved(target, report)
  })

  it('network.timeout: the sandbox never answers', async () => {
    sandbox().admin.setFaults([{ kind: 'hang', match: { keyId: admin().keyId } }])
    const target = await app({ timeoutMs: 300 })
    const draft = await importKeyFile(target)
    const report = await runCheck(target, draft, {
      issuerId: northwind().issuerId,
      keyId: admin().keyId,
    })
    expect(report.diagnosis).toMatchObject({ ok: false, code: 'network.timeout' })
    await expectNothingSaved(target, report)
  })

  it('network.tls: https to a port that speaks plain http', async () => {
    const target = await app({ apiBase: sandbox().url.replace('http://', 'https://') })
    const draft = await importKeyFile(target)
    const report = await runCheck(target, draft, {
      issuerId: northwind().issuerId,
      keyId: admin().keyId,
    })
    expect(report.diagnosis).toMatchObject({ ok: false, code: 'network.tls' })
    await expectNothingSaved(target, report)
  })
})
