/**
 * The live check's bookkeeping through the real handlers: progress events, cancellation, the save
 * that only takes what a passed check verified, re-importing a team's key, and the team re-check.
 */
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { allowedExternalUrl } from '../../../src/main/links'
import type { SandboxKey } from '../../sandbox'
import type { TestApp } from './support'
import { checkRequest, importFile, runCheck, useSandboxApps } from './support'

const { sandbox, app } = useSandboxApps()

afterEach(() => {
  sandbox().admin.clearFaults()
  for (const team of sandbox().teams) {
    for (const key of team.keys) {
      if (key.name !== 'Old Laptop') sandbox().admin.unrevokeKey(key.keyId)
    }
  }
})

const admin = () => sandbox().findKey({ team: 'northwind', role: 'ADMIN', type: 'team' })
const developer = () => sandbox().findKey({ team: 'northwind', role: 'DEVELOPER', type: 'team' })
const individual = () => sandbox().findKey({ team: 'northwind', type: 'individual' })
const adminIds = () => ({ issuerId: admin().issuerId!, keyId: admin().keyId })

async function errorCode(result: Promise<{ ok: boolean; error?: { code: string } }>) {
  const settled = await result
  return settled.ok ? 'ok' : settled.error?.code
}

describe('keys:check progress', () => {
  it('reports every step change for its check ID, ending with the report’s steps', async () => {
    const target = await app()
    const draft = await importFile(target, admin().p8Path!)
    const report = await runCheck(target, draft, adminIds())
    const events = target.progress.filter((event) => event.checkId === report.checkId)
    for (const event of events) {
      expect(event.steps.map((step) => step.id)).toEqual([
        'parse',
        'sign',
        'auth',
        'apps',
        'testflight',
        'users',
      ])
    }
    expect(events[0]?.steps[0]).toMatchObject({ id: 'parse', state: 'running' })
    const statesOf = (id: string) => [
      ...new Set(events.map((event) => event.steps.find((step) => step.id === id)?.state)),
    ]
    // `apps` is answered by the same request as `auth`, so it goes from pending to passed.
    for (const id of ['parse', 'sign', 'auth', 'testflight', 'users']) {
      expect(statesOf(id)).toEqual(
        id === 'parse' ? ['running', 'passed'] : ['pending', 'running', 'passed'],
      )
    }
    expect(statesOf('apps')).toEqual(['pending', 'passed'])
    expect(events.at(-1)?.steps).toEqual(report.steps)
  })
})

describe('keys:cancelCheck', () => {
  it('aborts the request in flight: the check answers keys.check_canceled and cannot be saved', async () => {
    sandbox().admin.setFaults([{ kind: 'latency', ms: 10_000, match: { keyId: admin().keyId } }])
    const target = await app()
    const draft = await importFile(target, admin().p8Path!)
    const request = checkRequest(draft, adminIds())
    const running = target.invoke('keys:check', request)
    await target.progressWhere((event) =>
      event.steps.some((step) => step.id === 'auth' && step.state === 'running'),
    )
    expect(
      await errorCode(target.invoke('keys:save', { checkId: request.checkId, name: 'N' })),
    ).toBe('keys.check_running')
    expect(await errorCode(target.invoke('keys:check', request))).toBe('keys.check_running')

    expect(await target.call('keys:cancelCheck', { checkId: request.checkId })).toBeNull()
    const result = await running
    expect(result.ok ? 'ok' : result.error.code).toBe('keys.check_canceled')
    expect(
      await errorCode(target.invoke('keys:save', { checkId: request.checkId, name: 'N' })),
    ).toBe('keys.check_unknown')
    expect(target.secrets.items.size).toBe(0)
  })

  it('runs one check per imported key: a new one replaces the running one', async () => {
    sandbox().admin.setFaults([{ kind: 'latency', ms: 10_000, match: { keyId: admin().keyId } }])
    const target = await app()
    const draft = await importFile(target, admin().p8Path!)
    const first = checkRequest(draft, adminIds())
    const running = target.invoke('keys:check', first)
    await target.progressWhere((event) =>
      event.steps.some((step) => step.id === 'auth' && step.state === 'running'),
    )
    sandbox().admin.clearFaults()
    const second = checkRequest(draft, adminIds())
    const replacing = target.invoke('keys:check', second)
    expect(await errorCode(running)).toBe('keys.check_canceled')
    const report = await replacing
    expect(report.ok && report.value.canSave).toBe(true)
    expect(await errorCode(target.invoke('keys:save', { checkId: first.checkId, name: 'N' }))).toBe(
      'keys.check_unknown',
    )
    // A check of another imported key runs beside it, untouched.
    sandbox().admin.setFaults([{ kind: 'latency', ms: 10_000, match: { keyId: admin().keyId } }])
    const slowRequest = checkRequest(draft, adminIds())
    const slow = target.invoke('keys:check', slowRequest)
    const other = await importFile(target, developer().p8Path!)
    const otherIds = { issuerId: developer().issuerId!, keyId: developer().keyId }
    expect((await target.invoke('keys:check', checkRequest(other, otherIds))).ok).toBe(true)
    expect(await target.call('keys:cancelCheck', { checkId: slowRequest.checkId })).toBeNull()
    expect(await errorCode(slow)).toBe('keys.check_canceled')
  })

  it('ignores a check ID it does not know', async () => {
    const target = await app()
    expect(await target.call('keys:cancelCheck', { checkId: randomUUID() })).toBeNull()
  })
})

describe('keys:save', () => {
  it('refuses a check ID it never ran', async () => {
    const target = await app()
    expect(await errorCode(target.invoke('keys:save', { checkId: randomUUID(), name: 'N' }))).toBe(
      'keys.check_unknown',
    )
  })

  it('saves once per check', async () => {
    const target = await app()
    const draft = await importFile(target, admin().p8Path!)
    const report = await runCheck(target, draft, adminIds())
    await target.call('keys:save', { checkId: report.checkId, name: 'Northwind' })
    expect(
      await errorCode(target.invoke('keys:save', { checkId: report.checkId, name: 'N' })),
    ).toBe('keys.check_unknown')
  })

  it('refuses a check older than 10 minutes', async () => {
    let skewMs = 0
    const target = await app({ now: () => Date.now() + skewMs })
    const draft = await importFile(target, admin().p8Path!)
    const report = await runCheck(target, draft, adminIds())
    skewMs = 11 * 60_000
    expect(
      await errorCode(target.invoke('keys:save', { checkId: report.checkId, name: 'N' })),
    ).toBe('keys.check_expired')
    expect(target.secrets.items.size).toBe(0)
  })

  it('refuses once the checked key was discarded', async () => {
    const target = await app()
    const draft = await importFile(target, admin().p8Path!)
    const report = await runCheck(target, draft, adminIds())
    await target.call('keys:discardDraft', { draftId: draft.draftId })
    expect(
      await errorCode(target.invoke('keys:save', { checkId: report.checkId, name: 'N' })),
    ).toBe('keys.draft_expired')
    expect((await target.call('teams:list', undefined)).teams).toEqual([])
  })

  it('saves an individual key without issuer ID or role', async () => {
    const key = individual()
    const target = await app()
    const draft = await importFile(target, key.p8Path!)
    const report = await runCheck(target, draft, { keyType: 'individual', keyId: key.keyId })
    expect(report.diagnosis.code).toBe('ok')
    expect(report.suggestedName).toBe('Northwind (individual key)')
    const team = await target.call('keys:save', {
      checkId: report.checkId,
      name: report.suggestedName!,
    })
    expect(team).toMatchObject({ keyType: 'individual', issuerId: null, role: null })
  })

  it('re-imports a team’s key with replaceTeamId, and refuses a check of another key', async () => {
    const target = await app()
    const first = await runCheck(target, await importFile(target, admin().p8Path!), adminIds())
    const team = await target.call('keys:save', { checkId: first.checkId, name: 'Northwind' })

    const other = await runCheck(target, await importFile(target, developer().p8Path!), {
      issuerId: developer().issuerId!,
      keyId: developer().keyId,
    })
    expect(
      await errorCode(
        target.invoke('keys:save', { checkId: other.checkId, name: 'X', replaceTeamId: team.id }),
      ),
    ).toBe('keys.check_other_key')

    const again = await runCheck(target, await importFile(target, admin().p8Path!), adminIds())
    const replaced = await target.call('keys:save', {
      checkId: again.checkId,
      name: 'Northwind (re-imported)',
      replaceTeamId: team.id,
    })
    expect(replaced).toMatchObject({
      id: team.id,
      name: 'Northwind (re-imported)',
      status: 'verified',
    })
    const state = await target.call('teams:list', undefined)
    expect(state.teams).toHaveLength(1)
    expect(target.secrets.items.size).toBe(1)
  })
})

describe('teams:recheck', () => {
  it('marks a good key validated, leaves it alone on Apple’s trouble, and rejected only on a 401', async () => {
    let skewMs = 0
    const target = await app({ now: () => Date.now() + skewMs })
    const report = await runCheck(target, await importFile(target, admin().p8Path!), adminIds())
    const saved = await target.call('keys:save', { checkId: report.checkId, name: 'Northwind' })
    const teamId = saved.id
    const team = async () => (await target.call('teams:list', undefined)).teams[0]!

    skewMs = 5_000
    expect(await target.call('teams:recheck', { teamId })).toMatchObject({ ok: true, code: 'ok' })
    const validated = await team()
    expect(validated.status).toBe('verified')
    expect(Date.parse(validated.lastValidatedAt!)).toBeGreaterThan(
      Date.parse(saved.lastValidatedAt!),
    )

    sandbox().admin.setFaults([{ kind: 'error', status: 503, match: { keyId: admin().keyId } }])
    expect((await target.call('teams:recheck', { teamId })).code).toBe('apple.unavailable')
    sandbox().admin.setFaults([{ kind: 'hang', match: { keyId: admin().keyId } }])
    const slow = await app({ secrets: target.secrets, dataDir: target.dataDir, timeoutMs: 200 })
    expect((await slow.call('teams:recheck', { teamId })).code).toBe('network.timeout')
    sandbox().admin.clearFaults()
    expect(await team()).toMatchObject({
      status: 'verified',
      lastValidatedAt: validated.lastValidatedAt,
    })

    sandbox().admin.revokeKey(admin().keyId)
    const rejected = await target.call('teams:recheck', { teamId })
    expect(rejected.code).toBe('auth.rejected')
    expect(await team()).toMatchObject({ status: 'rejected' })
    expect((await team()).statusDetail).toContain(rejected.title)

    sandbox().admin.unrevokeKey(admin().keyId)
    expect((await target.call('teams:recheck', { teamId })).ok).toBe(true)
    expect((await team()).status).toBe('verified')
  })

  it('works in a new session, reading the key back from the keychain', async () => {
    const first = await app()
    const report = await runCheck(first, await importFile(first, admin().p8Path!), adminIds())
    const team = await first.call('keys:save', { checkId: report.checkId, name: 'Northwind' })
    const reads = first.secrets.calls.get
    const second = await app({ secrets: first.secrets, dataDir: first.dataDir })
    expect(await second.call('teams:recheck', { teamId: team.id })).toMatchObject({ ok: true })
    expect(first.secrets.calls.get).toBeGreaterThan(reads)
  })

  it('answers keys.team_not_found for a team that is not saved', async () => {
    const target = await app()
    expect(await errorCode(target.invoke('teams:recheck', { teamId: 'nope' }))).toBe(
      'keys.team_not_found',
    )
  })
})

describe('keys:rotate (Replace Key)', () => {
  async function savedAdminTeam(target: TestApp) {
    const report = await runCheck(target, await importFile(target, admin().p8Path!), {
      ...adminIds(),
      role: 'ADMIN',
    })
    return target.call('keys:save', { checkId: report.checkId, name: 'Northwind CI' })
  }

  it('moves the team to a new key of the same team, with what the reminder needs', async () => {
    const target = await app()
    const team = await savedAdminTeam(target)
    const draft = await importFile(target, developer().p8Path!)
    const report = await runCheck(target, draft, {
      issuerId: developer().issuerId!,
      keyId: developer().keyId,
      role: 'DEVELOPER',
    })
    const rotated = await target.call('keys:rotate', { checkId: report.checkId, teamId: team.id })
    expect(rotated).toEqual({
      team: expect.objectContaining({
        id: team.id,
        name: 'Northwind CI',
        keyId: developer().keyId,
        role: 'DEVELOPER',
        roleVerified: false,
        status: 'verified',
      }) as unknown,
      previousKeyId: admin().keyId,
      previousItemRemoved: true,
      revoke: {
        keyId: admin().keyId,
        url: 'https://appstoreconnect.apple.com/access/integrations/api',
        steps: expect.arrayContaining([expect.stringContaining(admin().keyId)]) as unknown,
      },
    })
    expect(allowedExternalUrl(rotated.revoke.url)).toBe(rotated.revoke.url)
    expect([...target.secrets.items.keys()]).toEqual([
      `${developer().issuerId}/${developer().keyId}`,
    ])
    // The team works on its new key at once: its apps load with the new key's token.
    const apps = await target.call('browse:read', { teamId: team.id, resource: 'apps', params: {} })
    expect(apps).toMatchObject({ resource: 'apps', fromCache: false, problem: null })
    expect((apps.value as unknown[] | null)?.length).toBeGreaterThan(0)
    expect(
      sandbox()
        .admin.requestLog()
        .filter((entry) => entry.path.startsWith('/v1/apps?') && entry.status === 200)
        .at(-1)?.keyId,
    ).toBe(developer().keyId)
    const details = await target.call('teams:details', { teamId: team.id })
    expect(details.history[0]?.summary).toBe(
      `Rotated from ${admin().keyId} to ${developer().keyId}`,
    )
    expect(allowedExternalUrl(details.integrationsUrl)).toBe(details.integrationsUrl)
    // The check was used up.
    expect(
      await errorCode(target.invoke('keys:rotate', { checkId: report.checkId, teamId: team.id })),
    ).toBe('keys.check_unknown')
  })

  it('refuses another team’s key, the same key and a key Apple refused, changing nothing', async () => {
    const target = await app()
    const team = await savedAdminTeam(target)
    const before = await target.call('teams:details', { teamId: team.id })
    const attempt = async (key: SandboxKey) => {
      const report = await runCheck(target, await importFile(target, key.p8Path!), {
        issuerId: key.issuerId!,
        keyId: key.keyId,
      })
      return errorCode(target.invoke('keys:rotate', { checkId: report.checkId, teamId: team.id }))
    }
    expect(await attempt(sandbox().findKey({ team: 'fabrikam', revoked: false }))).toBe(
      'keys.rotate_other_team',
    )
    expect(await attempt(admin())).toBe('keys.rotate_same_key')
    expect(await attempt(sandbox().findKey({ team: 'fabrikam', revoked: true }))).toBe(
      'keys.check_failed',
    )
    // Checking the same key again signed with it: only its last use may have moved.
    const after = await target.call('teams:details', { teamId: team.id })
    expect({ ...after, lastUsedAt: null }).toEqual({ ...before, lastUsedAt: null })
    expect([...target.secrets.items.keys()]).toEqual([`${admin().issuerId}/${admin().keyId}`])
  })
})

describe('a team blocked by agreements', () => {
  it('is saved blocked, stays blocked on a recheck, and is verified once they are signed', async () => {
    const contoso = sandbox().findKey({ team: 'contoso' })
    const target = await app()
    const report = await runCheck(target, await importFile(target, contoso.p8Path!), {
      issuerId: contoso.issuerId!,
      keyId: contoso.keyId,
    })
    expect(report).toMatchObject({ canSave: true, diagnosis: { code: 'access.agreements' } })
    const team = await target.call('keys:save', { checkId: report.checkId, name: 'Contoso' })
    expect(team.status).toBe('blocked_agreements')

    expect((await target.call('teams:recheck', { teamId: team.id })).code).toBe('access.agreements')
    expect((await target.call('teams:details', { teamId: team.id })).status).toBe(
      'blocked_agreements',
    )
    sandbox().admin.setAgreementsSigned(contoso.issuerId!, true)
    try {
      expect((await target.call('teams:recheck', { teamId: team.id })).ok).toBe(true)
      const details = await target.call('teams:details', { teamId: team.id })
      expect(details).toMatchObject({ status: 'verified', statusDetail: null })
      expect(details.history.map((entry) => entry.summary)).toEqual([
        'Checked: Apple accepted the key',
        'Checked: an agreement must be signed',
        'Added in Ascent',
      ])
    } finally {
      sandbox().admin.setAgreementsSigned(contoso.issuerId!, false)
    }
  })
})
