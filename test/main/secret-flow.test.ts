/**
 * The private key and the tokens main hands out never cross into the renderer: through a saved
 * key's whole life (save, details, every export to a file and to the clipboard, Copy Token, Replace
 * Key, Check Now, and their refusals), every IPC answer, every event main sent and every log line
 * is searched for any piece of either private key, in every encoding it could take, and for the
 * copied token; so is keys.json. The end-to-end proof with the renderer comes with the screens.
 */
import { createPrivateKey } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Channel, RequestOf } from '../../src/shared/contract'
import type { Sandbox } from '../sandbox'
import { startSandbox } from '../sandbox'
import type { TestApp } from './diagnosis/support'
import { checkRequest, startApp } from './diagnosis/support'

let sandbox: Sandbox
let app: TestApp

beforeAll(async () => {
  sandbox = await startSandbox({ keyFiles: true })
  app = await startApp({ apiBase: sandbox.url })
})

afterAll(async () => {
  await app.close()
  await sandbox.close()
})

function secretFragments(pem: string): string[] {
  const body = pem.replace(/-----[A-Z ]+-----|\s/g, '')
  const d = String(createPrivateKey(pem).export({ format: 'jwk' }).d)
  const fragments = [
    d,
    Buffer.from(d, 'base64url').toString('hex'),
    Buffer.from(d, 'base64url').toString('base64'),
    Buffer.from(pem).toString('base64').slice(0, 48),
  ]
  for (let start = 0; start + 24 <= body.length; start += 12) {
    fragments.push(body.slice(start, start + 24))
  }
  return fragments
}

describe('a saved key’s whole life', () => {
  it('never puts a piece of a private key or a copied token in an answer, an event or a log line', async () => {
    const admin = sandbox.findKey({ team: 'northwind', role: 'ADMIN', type: 'team' })
    const developer = sandbox.findKey({ team: 'northwind', role: 'DEVELOPER', type: 'team' })
    const other = sandbox.findKey({ team: 'fabrikam', revoked: false })
    const answers: string[] = []
    const ask = async <C extends Channel>(channel: C, request: RequestOf<C>) => {
      const result = await app.invoke(channel, request)
      answers.push(JSON.stringify(result))
      return result
    }
    const value = async <C extends Channel>(channel: C, request: RequestOf<C>) => {
      const result = await ask(channel, request)
      if (!result.ok) throw new Error(`${channel}: ${result.error.code}`)
      return result.value
    }
    const checked = async (path: string, ids: { issuerId: string; keyId: string }) => {
      const outcome = await value('keys:importDropped', { path })
      if (outcome.status !== 'imported') throw new Error('import refused')
      return value('keys:check', checkRequest(outcome.draft, ids))
    }

    const first = await checked(admin.p8Path!, { issuerId: admin.issuerId!, keyId: admin.keyId })
    const team = await value('keys:save', { checkId: first.checkId, name: 'Northwind' })
    const teamId = team.id
    // Imported again: recognised, not taken in again.
    const again = await value('keys:importDropped', { path: admin.p8Path! })
    expect(again.status === 'imported' && again.draft.savedAs).toEqual({
      teamId,
      name: 'Northwind',
    })

    await value('teams:details', { teamId })
    await value('teams:exportOptions', { teamId })
    for (const format of ['fastlane', 'p8', 'env'] as const) {
      app.saveDialog.answers.push(join(app.homeDir, `export.${format}`))
      await value('teams:export', { teamId, format, destination: 'file' })
      await value('teams:export', { teamId, format, destination: 'clipboard' })
    }
    // Refusals: an existing file, Touch ID refused.
    await writeFile(join(app.homeDir, 'taken.p8'), 'mine')
    app.saveDialog.answers.push(join(app.homeDir, 'taken.p8'))
    expect((await ask('teams:export', { teamId, format: 'p8', destination: 'file' })).ok).toBe(
      false,
    )
    app.userPresence.answers.push('refused')
    expect((await ask('teams:export', { teamId, format: 'p8', destination: 'clipboard' })).ok).toBe(
      false,
    )

    await value('teams:copyToken', { teamId, presets: ['apps', 'builds'], lifetimeSeconds: 300 })
    const token = app.clipboard.text
    expect(token).toMatch(/^eyJ/)

    const foreign = await checked(other.p8Path!, { issuerId: other.issuerId!, keyId: other.keyId })
    expect((await ask('keys:rotate', { checkId: foreign.checkId, teamId })).ok).toBe(false)
    const next = await checked(developer.p8Path!, {
      issuerId: developer.issuerId!,
      keyId: developer.keyId,
    })
    // The old item cannot be deleted: main logs it, and the rotation still completes.
    app.secrets.fail('keychain.denied', { operations: ['delete'], times: 1 })
    const rotated = await value('keys:rotate', { checkId: next.checkId, teamId })
    expect(rotated.previousItemRemoved).toBe(false)
    await value('teams:recheck', { teamId })
    await value('teams:details', { teamId })
    await value('teams:list', undefined)

    const logs = app.logLines.join('\n')
    expect(logs).toContain('old keychain item could not be deleted')
    const events = JSON.stringify(app.events)
    const metadata = await readFile(join(app.dataDir, 'keys.json'), 'utf8')
    const everything = [...answers, events, logs, metadata]
    for (const fragment of [
      ...secretFragments(admin.privateKeyPem),
      ...secretFragments(developer.privateKeyPem),
      token,
      token.split('.')[2] ?? token,
    ]) {
      for (const text of everything) expect(text).not.toContain(fragment)
    }
    for (const text of everything) expect(text).not.toContain('PRIVATE KEY')
  })
})
