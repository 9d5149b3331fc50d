/**
 * Copy Token for curl, through the real handlers against the Apple sandbox: a read-only token on
 * the clipboard, scoped to the chosen presets, cleared when it expires; the answer's curl line
 * reads it from the clipboard and holds no token.
 */
import { createPublicKey } from 'node:crypto'
import { decodeJwt, jwtVerify } from 'jose'
import { describe, expect, it } from 'vitest'
import { pasteCommand } from '../../src/main/export/formats'
import { useSandboxApps } from './diagnosis/support'
import { settled } from './fakes'

const apps = useSandboxApps()
const admin = () => apps.sandbox().findKey({ team: 'northwind', role: 'ADMIN', type: 'team' })
const appWithTeam = () => apps.appWithTeam(admin())

describe('teams:copyToken', () => {
  it('puts a scoped, read-only token on the clipboard and answers a curl line without it', async () => {
    const { app, team } = await appWithTeam()
    const before = Date.now()
    const answer = await app.call('teams:copyToken', {
      teamId: team.id,
      presets: ['apps', 'testflight'],
      lifetimeSeconds: 600,
    })
    const token = app.clipboard.text
    expect(JSON.stringify(answer)).not.toContain(token)
    expect(answer).toMatchObject({
      teamId: team.id,
      scope: ['GET /v1/apps', 'GET /v1/betaGroups', 'GET /v1/preReleaseVersions'],
      curl: `curl -H "Authorization: Bearer $(${pasteCommand()})" '${apps.sandbox().url}/v1/apps?limit=5'`,
    })
    expect(answer.clearsAt).toBe(answer.expiresAt)
    expect(Date.parse(answer.expiresAt) - before).toBeGreaterThanOrEqual(600_000)
    expect(Date.parse(answer.expiresAt) - before).toBeLessThan(610_000)

    const { payload } = await jwtVerify(token, createPublicKey(admin().privateKeyPem), {
      audience: 'appstoreconnect-v1',
      issuer: admin().issuerId!,
    })
    expect(payload.exp! - payload.iat!).toBe(600)
    const get = (path: string) =>
      fetch(`${apps.sandbox().url}${path}`, { headers: { Authorization: `Bearer ${token}` } })
    expect((await get('/v1/apps?limit=5')).status).toBe(200)
    expect((await get('/v1/betaGroups?limit=5')).status).toBe(200)
    expect((await get('/v1/builds?limit=5')).status).toBe(401)

    expect(app.timer.pending()).toEqual([600_000])
    app.timer.advance(600_000)
    await settled()
    expect(app.clipboard.text).toBe('')
  })

  it('lives 20 minutes unless told otherwise, and never longer', async () => {
    const { app, team } = await appWithTeam()
    await app.call('teams:copyToken', { teamId: team.id, presets: ['builds'] })
    const claims = decodeJwt(app.clipboard.text)
    expect(claims.exp! - claims.iat!).toBe(1200)
    expect(claims.scope).toEqual(['GET /v1/builds'])
    const tooLong = await app.invoke('teams:copyToken', {
      teamId: team.id,
      presets: ['apps'],
      lifetimeSeconds: 1201,
    })
    expect(tooLong).toMatchObject({ ok: false, error: { code: 'ipc.invalid_request' } })
    const none = await app.invoke('teams:copyToken', { teamId: team.id, presets: [] })
    expect(none).toMatchObject({ ok: false, error: { code: 'ipc.invalid_request' } })
  })

  it('copies nothing for a team whose key is gone from the keychain, or not saved', async () => {
    const { app, team } = await appWithTeam()
    const next = await apps.app({ secrets: app.secrets, dataDir: app.dataDir })
    app.secrets.items.clear()
    const gone = await next.invoke('teams:copyToken', { teamId: team.id, presets: ['apps'] })
    expect(gone).toMatchObject({ ok: false, error: { code: 'keys.secret_missing' } })
    const unknown = await next.invoke('teams:copyToken', {
      teamId: 'NOSUCHTEAM',
      presets: ['apps'],
    })
    expect(unknown).toMatchObject({ ok: false, error: { code: 'keys.team_not_found' } })
    expect(next.clipboard.written).toEqual([])
  })
})
