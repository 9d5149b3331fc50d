/**
 * Export Key… through the real handlers (createAscent on fakes, against the Apple sandbox): what
 * the sheet is offered, each format written through the save dialog (0600, and a key the sandbox
 * accepts), the clipboard cleared after a minute, and every refusal before anything leaves the
 * keychain.
 */
import { createPrivateKey } from 'node:crypto'
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { pasteCommand } from '../../../src/main/export/formats'
import type { SandboxKey } from '../../sandbox'
import type { TestApp } from '../diagnosis/support'
import { useSandboxApps } from '../diagnosis/support'
import { fingerprintOfPem } from '../keys/inputs'
import { settled } from '../fakes'

const apps = useSandboxApps()
const admin = () => apps.sandbox().findKey({ team: 'northwind', role: 'ADMIN', type: 'team' })
const individual = () => apps.sandbox().findKey({ team: 'northwind', type: 'individual' })
const appWithTeam = (key: SandboxKey = admin()) => apps.appWithTeam(key)

/** Apple's answer to a token signed with `pem` for `key`: what CI would get with the export. */
async function sandboxAccepts(pem: string, key: SandboxKey): Promise<number> {
  const jwt = new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: key.keyId, typ: 'JWT' })
    .setIssuedAt()
    .setExpirationTime('10m')
    .setAudience('appstoreconnect-v1')
  if (key.issuerId) jwt.setIssuer(key.issuerId)
  else jwt.setSubject('user')
  const token = await jwt.sign(createPrivateKey(pem))
  const response = await fetch(`${apps.sandbox().url}/v1/apps?limit=1`, {
    headers: { Authorization: `Bearer ${token}` },
  })
  return response.status
}

function history(app: TestApp, teamId: string) {
  return app.call('teams:details', { teamId }).then((details) => details.history)
}

describe('teams:exportOptions', () => {
  it('offers the three formats, their files and folders, and the CI setup without the secret', async () => {
    const { app, team } = await appWithTeam()
    const options = await app.call('teams:exportOptions', { teamId: team.id })
    expect(
      options.choices.map((choice) => [choice.format, choice.fileName, choice.folder]),
    ).toEqual([
      ['fastlane', `api_key_${admin().keyId}.json`, app.homeDir],
      ['p8', `AuthKey_${admin().keyId}.p8`, join(app.homeDir, '.appstoreconnect', 'private_keys')],
      ['env', `asc_${admin().keyId}.env`, app.homeDir],
    ])
    for (const choice of options.choices) expect(choice.leaves).toContain('Northwind')
    expect(options.ci.variables).toEqual([
      { name: 'ASC_ISSUER_ID', value: admin().issuerId, secret: false },
      { name: 'ASC_KEY_ID', value: admin().keyId, secret: false },
      { name: 'ASC_KEY_P8_BASE64', value: null, secret: true },
    ])
    expect(options.ci.ghSecretCommands).toEqual([
      `gh secret set ASC_ISSUER_ID --body ${admin().issuerId}`,
      `gh secret set ASC_KEY_ID --body ${admin().keyId}`,
    ])
    expect(options.ci.githubActions).toContain(
      'ASC_KEY_P8_BASE64: ${{ secrets.ASC_KEY_P8_BASE64 }}',
    )
    expect(options.ci.githubActions).toContain('npx ascent doctor')
    expect(options.clipboardSeconds).toBe(60)
  })

  it('leaves the issuer ID out for an individual key', async () => {
    const { app, team } = await appWithTeam(individual())
    const options = await app.call('teams:exportOptions', { teamId: team.id })
    expect(options.ci.variables.map((variable) => variable.name)).toEqual([
      'ASC_KEY_ID',
      'ASC_KEY_P8_BASE64',
    ])
    expect(options.ci.githubActions).toContain('npx ascent doctor --individual')
  })
})

describe('teams:export to a file', () => {
  it('writes the .p8 where the dialog says, 0600, after Touch ID, and records it', async () => {
    const { app, team } = await appWithTeam()
    const folder = join(app.homeDir, '.appstoreconnect', 'private_keys')
    const path = join(folder, `AuthKey_${admin().keyId}.p8`)
    app.saveDialog.answers.push(path)
    const answer = await app.call('teams:export', {
      teamId: team.id,
      format: 'p8',
      destination: 'file',
    })
    expect(answer).toEqual({ status: 'saved', format: 'p8', path, ghSecretCommands: [] })
    expect(app.saveDialog.requests).toEqual([
      {
        title: 'Export Northwind’s key',
        defaultPath: path,
        filters: [{ name: 'App Store Connect API key (.p8)', extensions: ['p8'] }],
      },
    ])
    // The conventional folder was there for the dialog to open in, private to the user.
    expect((await stat(folder)).mode & 0o777).toBe(0o700)
    expect(app.userPresence.asked).toEqual([
      `export AuthKey_${admin().keyId}.p8 of “Northwind” from the Test Keychain`,
    ])
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    const pem = await readFile(path, 'utf8')
    expect(fingerprintOfPem(pem)).toBe(fingerprintOfPem(admin().privateKeyPem))
    expect(await sandboxAccepts(pem, admin())).toBe(200)
    expect((await history(app, team.id))[0]).toMatchObject({
      kind: 'exported',
      format: 'p8',
      to: 'file',
      path,
      via: 'app',
      summary: `AuthKey .p8 file saved to ${path}`,
    })
  })

  it('writes fastlane’s JSON and the CI variables, each a key the sandbox accepts', async () => {
    const { app, team } = await appWithTeam()
    const json = join(app.homeDir, 'api_key.json')
    const env = join(app.homeDir, 'ci.env')
    app.saveDialog.answers.push(json, env)
    await app.call('teams:export', { teamId: team.id, format: 'fastlane', destination: 'file' })
    const fastlane = JSON.parse(await readFile(json, 'utf8')) as Record<string, unknown>
    expect(Object.keys(fastlane)).toEqual(['key_id', 'issuer_id', 'key', 'duration', 'in_house'])
    expect(fastlane).toMatchObject({
      key_id: admin().keyId,
      issuer_id: admin().issuerId,
      duration: 1200,
      in_house: false,
    })
    expect(await sandboxAccepts(fastlane.key as string, admin())).toBe(200)

    const answer = await app.call('teams:export', {
      teamId: team.id,
      format: 'env',
      destination: 'file',
    })
    expect(answer).toMatchObject({
      status: 'saved',
      ghSecretCommands: [`gh secret set --env-file ${env}`],
    })
    const lines = (await readFile(env, 'utf8')).trim().split('\n')
    expect(lines.slice(0, 2)).toEqual([
      `ASC_ISSUER_ID=${admin().issuerId}`,
      `ASC_KEY_ID=${admin().keyId}`,
    ])
    const base64 = lines[2]?.replace(/^ASC_KEY_P8_BASE64=/, '') ?? ''
    expect(await sandboxAccepts(Buffer.from(base64, 'base64').toString('utf8'), admin())).toBe(200)
    expect((await stat(env)).mode & 0o777).toBe(0o600)
  })

  it('does nothing when the dialog is canceled', async () => {
    const { app, team } = await appWithTeam()
    const answer = await app.call('teams:export', {
      teamId: team.id,
      format: 'fastlane',
      destination: 'file',
    })
    expect(answer).toEqual({ status: 'canceled' })
    expect(app.userPresence.asked).toEqual([])
    expect((await history(app, team.id)).map((entry) => entry.kind)).toEqual(['added'])
  })

  it('refuses an existing file before asking for Touch ID, and leaves it as it was', async () => {
    const { app, team } = await appWithTeam()
    const path = join(app.homeDir, 'taken.p8')
    await writeFile(path, 'mine')
    app.saveDialog.answers.push(path)
    const result = await app.invoke('teams:export', {
      teamId: team.id,
      format: 'p8',
      destination: 'file',
    })
    expect(result).toMatchObject({ ok: false, error: { code: 'export.file_exists' } })
    expect(result.ok ? '' : result.error.message).toContain(path)
    expect(await readFile(path, 'utf8')).toBe('mine')
    expect(app.userPresence.asked).toEqual([])
    expect((await history(app, team.id)).map((entry) => entry.kind)).toEqual(['added'])
  })

  it.skipIf(process.getuid?.() === 0)(
    'refuses a folder it may not write in (skipped as root, whom permissions do not stop)',
    async () => {
      const { app, team } = await appWithTeam()
      const folder = join(app.homeDir, 'locked')
      await mkdir(folder, { mode: 0o500 })
      app.saveDialog.answers.push(join(folder, 'AuthKey.p8'))
      const result = await app.invoke('teams:export', {
        teamId: team.id,
        format: 'p8',
        destination: 'file',
      })
      expect(result).toMatchObject({ ok: false, error: { code: 'export.folder_not_writable' } })
      expect(app.userPresence.asked).toEqual([])
      await chmod(folder, 0o700)
    },
  )

  it('exports nothing when Touch ID is refused', async () => {
    const { app, team } = await appWithTeam()
    const path = join(app.homeDir, 'refused.p8')
    app.saveDialog.answers.push(path)
    app.userPresence.answers.push('refused')
    const result = await app.invoke('teams:export', {
      teamId: team.id,
      format: 'p8',
      destination: 'file',
    })
    expect(result).toMatchObject({ ok: false, error: { code: 'export.not_confirmed' } })
    await expect(stat(path)).rejects.toThrow()
    expect((await history(app, team.id)).map((entry) => entry.kind)).toEqual(['added'])
  })

  it('exports nothing for a team whose keychain item is gone, and says to import it again', async () => {
    const { app: first, team } = await appWithTeam()
    first.secrets.items.clear()
    // Gone mid-session: found when the secret is read, before anything is written or copied.
    first.saveDialog.answers.push(join(first.homeDir, 'gone.p8'))
    for (const destination of ['file', 'clipboard'] as const) {
      const result = await first.invoke('teams:export', {
        teamId: team.id,
        format: 'p8',
        destination,
      })
      expect(result).toMatchObject({ ok: false, error: { code: 'keys.secret_missing' } })
      expect(result.ok ? '' : result.error.message).toContain(
        `Import AuthKey_${admin().keyId}.p8 again`,
      )
    }
    await expect(stat(join(first.homeDir, 'gone.p8'))).rejects.toThrow()
    expect(first.clipboard.written).toEqual([])

    // Known gone since start-up (needs re-import): refused before any dialog or prompt.
    const next = await apps.app({ secrets: first.secrets, dataDir: first.dataDir })
    expect((await next.call('teams:list', undefined)).teams[0]?.status).toBe('needs_reimport')
    for (const destination of ['file', 'clipboard'] as const) {
      const result = await next.invoke('teams:export', {
        teamId: team.id,
        format: 'p8',
        destination,
      })
      expect(result).toMatchObject({ ok: false, error: { code: 'keys.secret_missing' } })
    }
    expect(next.saveDialog.requests).toEqual([])
    expect(next.userPresence.asked).toEqual([])
  })
})

describe('teams:export to the clipboard', () => {
  it('copies the value, then clears it after 60 s if it is still there', async () => {
    const { app, team } = await appWithTeam()
    const answer = await app.call('teams:export', {
      teamId: team.id,
      format: 'env',
      destination: 'clipboard',
    })
    expect(answer).toMatchObject({
      status: 'copied',
      format: 'env',
      ghSecretCommands: [
        `gh secret set ASC_ISSUER_ID --body ${admin().issuerId}`,
        `gh secret set ASC_KEY_ID --body ${admin().keyId}`,
        `${pasteCommand()} | gh secret set ASC_KEY_P8_BASE64`,
      ],
    })
    // The one secret value, base64 of the .p8 as ASC_KEY_P8_BASE64 holds it.
    expect(Buffer.from(app.clipboard.text, 'base64').toString('utf8')).toBe(admin().privateKeyPem)
    expect(app.timer.pending()).toEqual([60_000])
    app.timer.advance(59_999)
    await settled()
    expect(app.clipboard.text).not.toBe('')
    app.timer.advance(1)
    await settled()
    expect(app.clipboard.text).toBe('')
    expect((await history(app, team.id))[0]).toMatchObject({ format: 'env', to: 'clipboard' })
  })

  it('leaves the clipboard alone when the user copied something else meanwhile', async () => {
    const { app, team } = await appWithTeam()
    await app.call('teams:export', { teamId: team.id, format: 'p8', destination: 'clipboard' })
    expect(fingerprintOfPem(app.clipboard.text)).toBe(fingerprintOfPem(admin().privateKeyPem))
    app.clipboard.text = 'something the user copied'
    app.timer.advance(60_000)
    await settled()
    expect(app.clipboard.text).toBe('something the user copied')
    expect(app.clipboard.clears).toBe(0)
  })

  it('clears a copied key still on the clipboard when Ascent quits', async () => {
    const { app, team } = await appWithTeam()
    await app.call('teams:export', {
      teamId: team.id,
      format: 'fastlane',
      destination: 'clipboard',
    })
    expect(JSON.parse(app.clipboard.text)).toMatchObject({ key_id: admin().keyId })
    await app.ascent.dispose()
    expect(app.clipboard.text).toBe('')
  })
})
