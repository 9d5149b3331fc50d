import * as fs from 'node:fs/promises'
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { KeyDraft } from '../../../src/shared/contract/keys'
import type {
  CheckVerdict,
  Keys,
  KeysOptions,
  RotationInput,
  SaveKeyInput,
} from '../../../src/main/keys'
import { createKeys } from '../../../src/main/keys'
import type { MetadataFs } from '../../../src/main/keys/metadata'
import { silentLogger } from '../../../src/main/log'
import type { FakeClock, MemorySecretStore } from '../fakes'
import {
  createFakeClock,
  createMemoryClipboard,
  createMemorySecretStore,
  errorCodeOf,
} from '../fakes'
import type { P256Key } from './inputs'
import { fingerprintOfPem, ISSUER_ID, KEY_ID, p256, pemBody } from './inputs'

const OTHER_KEY_ID = 'ABCDE12345'
const OTHER_ISSUER = '11111111-2222-3333-4444-555555555555'
const TEAM_ACCOUNT = `${ISSUER_ID}/${KEY_ID}`

let root: string
let run = 0
let key: P256Key

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ascent-store-'))
  key = p256()
})

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

let dataDir: string
let secrets: MemorySecretStore
let clock: FakeClock
let keys: Keys

function open(overrides: Partial<KeysOptions> = {}): Keys {
  return createKeys({
    secrets,
    clipboard: createMemoryClipboard(),
    now: clock.now,
    dataDir,
    log: silentLogger,
    ...overrides,
  })
}

beforeEach(async () => {
  dataDir = join(root, `data-${(run += 1)}`)
  await mkdir(dataDir)
  secrets = createMemorySecretStore()
  clock = createFakeClock()
  keys = open()
})

afterEach(() => keys.dispose())

async function draftOf(pem: string, fileName = `AuthKey_${KEY_ID}.p8`): Promise<KeyDraft> {
  const path = join(dataDir, fileName)
  await writeFile(path, pem)
  const outcome = await keys.importFromPath(path, 'file')
  await rm(path)
  if (outcome.status !== 'imported') throw new Error(JSON.stringify(outcome))
  return outcome.draft
}

async function saveTeam(overrides: Partial<SaveKeyInput> = {}, pem = key.pem) {
  const draft = await draftOf(pem)
  return keys.save({
    draftId: draft.draftId,
    keyType: 'team',
    issuerId: ISSUER_ID,
    keyId: KEY_ID,
    name: 'Acme',
    role: 'APP_MANAGER',
    ...overrides,
  })
}

async function metadataText(): Promise<string> {
  return readFile(join(dataDir, 'keys.json'), 'utf8')
}

describe('saving', () => {
  it('keeps whether Apple confirmed the role, and reads older files as the user’s word', async () => {
    await keys.reconcile()
    expect((await saveTeam({ role: 'ADMIN', roleVerified: true })).roleVerified).toBe(true)
    const stored = JSON.parse(await metadataText()) as {
      version: number
      teams: Record<string, unknown>[]
    }
    expect(stored.teams[0]).toMatchObject({ role: 'ADMIN', roleVerified: true })

    // A version 1 file, written before the role's confirmation was kept.
    const { roleVerified: _kept, lastUsedAt: _used, history: _history, ...v1 } = stored.teams[0]!
    await writeFile(
      join(dataDir, 'keys.json'),
      JSON.stringify({ ...stored, version: 1, teams: [v1] }),
    )
    const reread = await keys.reconcile()
    expect(reread.teams[0]).toMatchObject({ role: 'ADMIN', roleVerified: false })
  })

  it('reads a version 1 keys.json and writes it back as version 2 at the next change', async () => {
    await keys.reconcile()
    await saveTeam()
    const stored = JSON.parse(await metadataText()) as { teams: Record<string, unknown>[] }
    const { lastUsedAt: _used, history: _history, ...v1 } = stored.teams[0]!
    await writeFile(
      join(dataDir, 'keys.json'),
      JSON.stringify({ ...stored, version: 1, teams: [v1] }),
    )
    keys = open()
    await keys.reconcile()
    expect((await keys.details(KEY_ID)).history).toEqual([
      { kind: 'added', at: v1.createdAt, via: 'app', summary: 'Added in Ascent' },
    ])
    await keys.rename(KEY_ID, 'Acme 2')
    const upgraded = JSON.parse(await metadataText()) as {
      version: number
      teams: Record<string, unknown>[]
    }
    expect(upgraded.version).toBe(2)
    expect(upgraded.teams[0]).toMatchObject({ name: 'Acme 2', lastUsedAt: null })
  })

  it('puts the secret in the keychain and everything else in keys.json', async () => {
    await keys.reconcile()
    const team = await saveTeam({ name: '  Acme  ' })
    expect(team).toEqual({
      id: KEY_ID,
      name: 'Acme',
      keyType: 'team',
      issuerId: ISSUER_ID,
      keyId: KEY_ID,
      role: 'APP_MANAGER',
      roleVerified: false,
      fingerprintShort: expect.stringMatching(/^([0-9A-F]{2}:){7}[0-9A-F]{2}$/) as string,
      createdAt: new Date(clock.now()).toISOString(),
      lastValidatedAt: new Date(clock.now()).toISOString(),
      status: 'verified',
      statusDetail: null,
    })
    expect([...secrets.items.keys()]).toEqual([TEAM_ACCOUNT])
    expect(secrets.items.get(TEAM_ACCOUNT)).toBe(key.pem)

    const text = await metadataText()
    const document = JSON.parse(text) as { version: number; activeTeamId: string }
    expect(document.version).toBe(2)
    expect(document.activeTeamId).toBe(KEY_ID)
    expect(text).toContain(key.fingerprint)
    expect(text).not.toContain('PRIVATE KEY')
    for (const line of pemBody(key.pem).split('\n')) expect(text).not.toContain(line)

    expect((await keys.state()).teams.map((t) => t.id)).toEqual([KEY_ID])
  })

  it('saves an individual key without an issuer ID, under individual/<KEYID>', async () => {
    const team = await saveTeam({ keyType: 'individual', issuerId: ISSUER_ID })
    expect(team.issuerId).toBeNull()
    expect([...secrets.items.keys()]).toEqual([`individual/${KEY_ID}`])
  })

  it('checks the IDs again and stores nothing when they are wrong', async () => {
    expect(await errorCodeOf(() => saveTeam({ issuerId: KEY_ID, keyId: ISSUER_ID }))).toBe(
      'input.ids_swapped',
    )
    expect(await errorCodeOf(() => saveTeam({ issuerId: 'nope' }))).toBe('input.issuer_id_invalid')
    expect(await errorCodeOf(() => saveTeam({ name: '   ' }))).toBe('keys.name_invalid')
    expect(secrets.calls.set).toBe(0)
    expect(await readdir(dataDir)).toEqual([])
  })

  it('refuses to save the same key twice', async () => {
    await saveTeam()
    expect(await errorCodeOf(() => saveTeam({ name: 'Again' }))).toBe('keys.already_saved')
    expect(await errorCodeOf(() => saveTeam({ keyId: OTHER_KEY_ID, issuerId: OTHER_ISSUER }))).toBe(
      'keys.already_saved',
    )
    expect(secrets.items.size).toBe(1)
  })

  it('writes no metadata when the keychain refuses, and the draft can be saved later', async () => {
    const draft = await draftOf(key.pem)
    const input = {
      draftId: draft.draftId,
      keyType: 'team' as const,
      issuerId: ISSUER_ID,
      keyId: KEY_ID,
      name: 'Acme',
      role: null,
    }
    secrets.fail('keychain.locked', { operations: ['set'] })
    expect(await errorCodeOf(() => keys.save(input))).toBe('keychain.locked')
    expect(await readdir(dataDir)).toEqual([])
    expect(secrets.items.size).toBe(0)

    secrets.recover()
    expect((await keys.save(input)).id).toBe(KEY_ID)
  })

  it('removes the keychain item again when keys.json cannot be written', async () => {
    const failingRename: MetadataFs = {
      ...fs,
      rename: () => Promise.reject(Object.assign(new Error('disk full'), { code: 'ENOSPC' })),
    }
    keys = open({ fs: failingRename })
    const error = await errorCodeOf(() => saveTeam())
    expect(error).toBe('keys.metadata_write_failed')
    expect(secrets.items.size).toBe(0)
    expect(await readdir(dataDir)).toEqual([])
  })

  it('puts back an older keychain item it overwrote when keys.json cannot be written', async () => {
    const older = p256().pem
    secrets.items.set(TEAM_ACCOUNT, older)
    // The data folder turns into a file: every write into it fails for real.
    await rm(dataDir, { recursive: true })
    await writeFile(dataDir, 'not a folder')
    keys = open()
    const draftHome = join(root, `drafts-${run}`)
    await mkdir(draftHome)
    await writeFile(join(draftHome, `AuthKey_${KEY_ID}.p8`), key.pem)
    const outcome = await keys.importFromPath(join(draftHome, `AuthKey_${KEY_ID}.p8`), 'file')
    if (outcome.status !== 'imported') throw new Error('import failed')
    const code = await errorCodeOf(() =>
      keys.save({
        draftId: outcome.draft.draftId,
        keyType: 'team',
        issuerId: ISSUER_ID,
        keyId: KEY_ID,
        name: 'Acme',
        role: null,
      }),
    )
    expect(code).toBe('keys.metadata_write_failed')
    expect(secrets.items.get(TEAM_ACCOUNT)).toBe(older)
  })
})

describe('reconcile at start-up', () => {
  it('finds saved keys again after a restart', async () => {
    await saveTeam()
    keys = open()
    const state = await keys.reconcile()
    expect(state.teams.map((team) => [team.id, team.status])).toEqual([[KEY_ID, 'verified']])
    expect(state.activeTeamId).toBe(KEY_ID)
    expect(state.orphans).toEqual([])
    expect(state.notices).toEqual([])
  })

  it('lists the keychain once when the teams are asked for while start-up reconciles', async () => {
    secrets.items.set(TEAM_ACCOUNT, key.pem)
    const starting = keys.reconcile()
    const [menu, page] = await Promise.all([keys.state(), keys.state()])
    expect(await starting).toEqual(menu)
    expect(page.orphans.map((orphan) => orphan.account)).toEqual([TEAM_ACCOUNT])
    expect(secrets.calls.accounts).toBe(1)
    expect(keys.counters().keychainListings).toBe(1)
  })

  it('marks a key whose secret is gone as needing re-import', async () => {
    await saveTeam()
    secrets.items.clear()
    const state = await open().reconcile()
    expect(state.teams[0]?.status).toBe('needs_reimport')
    expect(state.teams[0]?.statusDetail).toContain(`AuthKey_${KEY_ID}.p8`)
  })

  it('offers back a keychain item without metadata, with its IDs', async () => {
    secrets.items.set(TEAM_ACCOUNT, key.pem)
    secrets.items.set(`individual/${OTHER_KEY_ID}`, p256().pem)
    const state = await keys.reconcile()
    expect(state.orphans).toEqual([
      { account: TEAM_ACCOUNT, keyId: KEY_ID, issuerId: ISSUER_ID, keyType: 'team' },
      {
        account: `individual/${OTHER_KEY_ID}`,
        keyId: OTHER_KEY_ID,
        issuerId: null,
        keyType: 'individual',
      },
    ])
    expect(secrets.items.size).toBe(2)
  })

  it('leaves items it did not write alone, and says so', async () => {
    secrets.items.set('something-else', 'whatever')
    const state = await keys.reconcile()
    expect(state.orphans).toEqual([])
    expect(state.notices.map((notice) => notice.code)).toEqual(['keys.foreign_items'])
    expect(secrets.items.has('something-else')).toBe(true)
  })

  it('sets a corrupt keys.json aside, reports it, and offers the keys back', async () => {
    await saveTeam()
    await writeFile(join(dataDir, 'keys.json'), '{ not json')
    const state = await open().reconcile()
    expect(state.teams).toEqual([])
    expect(state.notices.map((notice) => notice.code)).toEqual(['keys.metadata_corrupt'])
    const names = await readdir(dataDir)
    const aside = names.find((name) => name.startsWith('keys.json.corrupt-'))
    expect(aside).toBeDefined()
    expect(state.notices[0]?.message).toContain(aside)
    expect(await readFile(join(dataDir, aside ?? ''), 'utf8')).toBe('{ not json')
    expect(state.orphans.map((orphan) => orphan.account)).toEqual([TEAM_ACCOUNT])
  })

  it('leaves statuses unknown, not wiped, when the keychain cannot be reached', async () => {
    await saveTeam()
    const before = await metadataText()
    secrets.fail('keychain.unavailable')
    const state = await open().reconcile()
    expect(state.notices).toEqual([
      { code: 'keychain.unavailable', message: expect.stringContaining('cannot reach') as string },
    ])
    expect(state.teams.map((team) => team.status)).toEqual(['unchecked'])
    expect(state.teams[0]?.statusDetail).toMatch(/could not reach/)
    expect(state.orphans).toEqual([])
    expect(await metadataText()).toBe(before)
    secrets.recover()
    expect(secrets.items.size).toBe(1)
  })

  it('changes nothing when keys.json cannot be read', async () => {
    secrets.items.set(TEAM_ACCOUNT, key.pem)
    await mkdir(join(dataDir, 'keys.json'))
    const state = await keys.reconcile()
    expect(state.notices.map((notice) => notice.code)).toEqual(['keys.metadata_unreadable'])
    expect(state.orphans).toEqual([])
    expect(await errorCodeOf(() => keys.adoptOrphan(TEAM_ACCOUNT, 'Mine'))).toBe(
      'keys.metadata_unreadable',
    )
    expect(await errorCodeOf(() => saveTeam())).toBe('keys.metadata_unreadable')
    expect(secrets.items.get(TEAM_ACCOUNT)).toBe(key.pem)
  })
})

describe('changing saved keys', () => {
  it('renames, activates, and records validation and rejection', async () => {
    await saveTeam()
    const second = await saveTeam(
      { keyId: OTHER_KEY_ID, issuerId: OTHER_ISSUER, name: 'Beta' },
      p256().pem,
    )
    expect((await keys.state()).activeTeamId).toBe(KEY_ID)
    await keys.setActive(second.id)
    expect((await keys.rename(KEY_ID, 'Acme Inc')).name).toBe('Acme Inc')

    clock.advance(60_000)
    const rejected = await keys.markRejected(KEY_ID, 'Apple answered 401 NOT_AUTHORIZED.')
    expect(rejected).toMatchObject({
      status: 'rejected',
      statusDetail: 'Apple answered 401 NOT_AUTHORIZED.',
    })
    const validated = await keys.markValidated(KEY_ID, clock.now())
    expect(validated).toMatchObject({
      status: 'verified',
      statusDetail: null,
      lastValidatedAt: new Date(clock.now()).toISOString(),
    })

    const restarted = await open().reconcile()
    expect(restarted.activeTeamId).toBe(OTHER_KEY_ID)
    expect(restarted.teams.map((team) => team.name)).toEqual(['Acme Inc', 'Beta'])
    expect(await errorCodeOf(() => keys.setActive('NOSUCHTEAM'))).toBe('keys.team_not_found')
  })

  it('removes the keychain item and the metadata, and moves the active team on', async () => {
    await saveTeam()
    await saveTeam({ keyId: OTHER_KEY_ID, issuerId: OTHER_ISSUER, name: 'Beta' }, p256().pem)
    const retired: string[] = []
    keys.onKeyRetired((fingerprint) => retired.push(fingerprint))
    await keys.remove(KEY_ID)
    expect(secrets.items.has(TEAM_ACCOUNT)).toBe(false)
    expect(await metadataText()).not.toContain(KEY_ID)
    expect((await keys.state()).activeTeamId).toBe(OTHER_KEY_ID)
    expect(retired).toEqual([key.fingerprint])
  })

  it('changes nothing when the keychain refuses a removal', async () => {
    await saveTeam()
    const before = await metadataText()
    secrets.fail('keychain.denied', { operations: ['delete'] })
    expect(await errorCodeOf(() => keys.remove(KEY_ID))).toBe('keychain.denied')
    expect(await metadataText()).toBe(before)
    expect(secrets.items.has(TEAM_ACCOUNT)).toBe(true)
  })

  it('adopts an orphan as an unchecked key, or forgets it on request', async () => {
    const other = p256()
    secrets.items.set(TEAM_ACCOUNT, key.pem)
    secrets.items.set(`individual/${OTHER_KEY_ID}`, other.pem)
    await keys.reconcile()
    const adopted = await keys.adoptOrphan(TEAM_ACCOUNT, 'Found again')
    expect(adopted).toMatchObject({
      id: KEY_ID,
      name: 'Found again',
      issuerId: ISSUER_ID,
      status: 'unchecked',
      lastValidatedAt: null,
      role: null,
    })
    expect(await metadataText()).toContain(key.fingerprint)

    await keys.forgetOrphan(`individual/${OTHER_KEY_ID}`)
    expect([...secrets.items.keys()]).toEqual([TEAM_ACCOUNT])
    const state = await keys.state()
    expect(state.orphans).toEqual([])
    expect(await errorCodeOf(() => keys.forgetOrphan(TEAM_ACCOUNT))).toBe('keys.orphan_not_found')
  })

  it('will not adopt an item that holds no usable key', async () => {
    secrets.items.set(TEAM_ACCOUNT, 'garbage')
    await keys.reconcile()
    expect(await errorCodeOf(() => keys.adoptOrphan(TEAM_ACCOUNT, 'Broken'))).toBe(
      'keys.orphan_invalid',
    )
    expect(secrets.items.get(TEAM_ACCOUNT)).toBe('garbage')
  })

  it('re-imports the same key after its keychain item was lost', async () => {
    await saveTeam()
    secrets.items.clear()
    keys = open()
    expect((await keys.reconcile()).teams[0]?.status).toBe('needs_reimport')
    const draft = await draftOf(key.pem.replace(/\n/g, '\r\n'), 'copy.p8')
    const team = await keys.replaceSecret(KEY_ID, draft.draftId)
    expect(team.status).toBe('verified')
    expect(secrets.items.get(TEAM_ACCOUNT)).toBe(key.pem)
    expect((await keys.state()).teams[0]?.status).toBe('verified')
  })

  it('refuses a re-import of a different key unless the file is named for that key ID', async () => {
    await saveTeam()
    const other = p256()
    const unnamed = await draftOf(other.pem, 'key.p8')
    expect(await errorCodeOf(() => keys.replaceSecret(KEY_ID, unnamed.draftId))).toBe(
      'keys.replace_mismatch',
    )
    expect(secrets.items.get(TEAM_ACCOUNT)).toBe(key.pem)

    const retired: string[] = []
    keys.onKeyRetired((fingerprint) => retired.push(fingerprint))
    const named = await draftOf(other.pem, `AuthKey_${KEY_ID}.p8`)
    const team = await keys.replaceSecret(KEY_ID, named.draftId)
    expect(team.fingerprintShort).toBe(named.fingerprintShort)
    expect(secrets.items.get(TEAM_ACCOUNT)).toBe(other.pem)
    expect(retired).toEqual([key.fingerprint])
  })
})

describe('signing keys for the session', () => {
  it('reads the keychain once per key per session, however many requests ask', async () => {
    await saveTeam()
    keys = open()
    await keys.reconcile()
    const identity = await keys.identityOf(KEY_ID)
    const readsBefore = secrets.calls.get
    expect(identity).toEqual({
      keyType: 'team',
      keyId: KEY_ID,
      issuerId: ISSUER_ID,
      fingerprint: key.fingerprint,
    })
    const loaded = await Promise.all(
      Array.from({ length: 50 }, () => keys.loadSigningKey(identity)),
    )
    expect(new Set(loaded).size).toBe(1)
    expect(loaded[0]?.extractable).toBe(false)
    expect(loaded[0]?.usages).toEqual(['sign'])
    expect(keys.counters().keychainReads).toBe(1)
    expect(secrets.calls.get - readsBefore).toBe(1)
    await keys.loadSigningKey(identity)
    expect(keys.counters().keychainReads).toBe(1)
  })

  it('needs no keychain read for a key saved in this session', async () => {
    await saveTeam()
    const readsAfterSave = secrets.calls.get
    await keys.loadSigningKey(await keys.identityOf(KEY_ID))
    expect(secrets.calls.get).toBe(readsAfterSave)
  })

  it('reports a secret that vanished, and the team then needs re-import', async () => {
    await saveTeam()
    keys = open()
    await keys.reconcile()
    secrets.items.clear()
    const identity = await keys.identityOf(KEY_ID)
    expect(await errorCodeOf(() => keys.loadSigningKey(identity))).toBe('keys.secret_missing')
    expect((await keys.state()).teams[0]?.status).toBe('needs_reimport')
  })

  it('refuses a keychain item holding a different key than the one saved', async () => {
    await saveTeam()
    keys = open()
    await keys.reconcile()
    secrets.items.set(TEAM_ACCOUNT, p256().pem)
    const identity = await keys.identityOf(KEY_ID)
    expect(await errorCodeOf(() => keys.loadSigningKey(identity))).toBe('keys.secret_mismatch')
  })

  it('passes on a locked keychain as a typed error and tries again next time', async () => {
    await saveTeam()
    keys = open()
    await keys.reconcile()
    const identity = await keys.identityOf(KEY_ID)
    secrets.fail('keychain.locked', { operations: ['get'], times: 1 })
    expect(await errorCodeOf(() => keys.loadSigningKey(identity))).toBe('keychain.locked')
    expect((await keys.loadSigningKey(identity)).type).toBe('private')
  })
})

describe('rotation (Replace Key)', () => {
  const NEW_KEY_ID = 'NEWKEY1234'
  const NEW_ACCOUNT = `${ISSUER_ID}/${NEW_KEY_ID}`

  async function rotation(
    pem: string,
    identity: Partial<RotationInput['identity']> = {},
  ): Promise<RotationInput> {
    const keyId = identity.keyId ?? NEW_KEY_ID
    const draft = await draftOf(pem, `AuthKey_${keyId}.p8`)
    return {
      draftId: draft.draftId,
      identity: { keyType: 'team', keyId, issuerId: ISSUER_ID, ...identity },
      role: 'ADMIN',
      roleVerified: true,
      blockedByAgreements: false,
    }
  }

  async function rejection(promise: Promise<unknown>): Promise<Error> {
    try {
      await promise
    } catch (error) {
      return error as Error
    }
    throw new Error('expected the rotation to fail')
  }

  async function savedRotating(): Promise<{ before: string; fresh: P256Key }> {
    await keys.reconcile()
    await saveTeam()
    await keys.rename(KEY_ID, 'Acme Inc')
    return { before: await metadataText(), fresh: p256() }
  }

  it('moves the team to the new key and keeps its ID, name and history', async () => {
    const { fresh } = await savedRotating()
    const retired: string[] = []
    keys.onKeyRetired((fingerprint) => retired.push(fingerprint))
    clock.advance(60_000)
    const done = await keys.rotate(KEY_ID, await rotation(fresh.pem))
    expect(done).toMatchObject({
      previousKeyId: KEY_ID,
      previousItemRemoved: true,
      team: { id: KEY_ID, name: 'Acme Inc', keyId: NEW_KEY_ID, role: 'ADMIN', status: 'verified' },
    })
    expect([...secrets.items]).toEqual([[NEW_ACCOUNT, fresh.pem]])
    expect(retired).toEqual([key.fingerprint])
    expect(await keys.identityOf(KEY_ID)).toEqual({
      keyType: 'team',
      keyId: NEW_KEY_ID,
      issuerId: ISSUER_ID,
      fingerprint: fresh.fingerprint,
    })
    const details = await keys.details(KEY_ID)
    expect(details.history.map((entry) => entry.summary)).toEqual([
      `Rotated from ${KEY_ID} to ${NEW_KEY_ID}`,
      'Added in Ascent',
    ])
    expect(details.history[0]?.at).toBe(new Date(clock.now()).toISOString())
    expect(details.keychainAccount).toBe(NEW_ACCOUNT)
    // The old key, if added again, is another team with an ID of its own.
    const old = await saveTeam({ name: 'Old key' })
    expect(old.id).toBe(`${KEY_ID}-2`)
  })

  it('keeps the old key working when the new keychain item cannot be written', async () => {
    const { before, fresh } = await savedRotating()
    const input = await rotation(fresh.pem)
    secrets.fail('keychain.locked', { operations: ['set'] })
    const error = await rejection(keys.rotate(KEY_ID, input))
    expect(error).toMatchObject({ code: 'keychain.locked' })
    expect(error.message).toContain(`“Acme Inc” still uses key ${KEY_ID}`)
    secrets.recover()
    expect([...secrets.items]).toEqual([[TEAM_ACCOUNT, key.pem]])
    expect(await metadataText()).toBe(before)
  })

  it('removes the new item again, and keeps the old key, when keys.json cannot be written', async () => {
    const { before, fresh } = await savedRotating()
    const failingRename: MetadataFs = {
      ...fs,
      rename: () => Promise.reject(Object.assign(new Error('disk full'), { code: 'ENOSPC' })),
    }
    keys = open({ fs: failingRename })
    await keys.reconcile()
    const error = await rejection(keys.rotate(KEY_ID, await rotation(fresh.pem)))
    expect(error).toMatchObject({ code: 'keys.metadata_write_failed' })
    expect(error.message).toContain(`still uses key ${KEY_ID}`)
    expect([...secrets.items]).toEqual([[TEAM_ACCOUNT, key.pem]])
    expect(await metadataText()).toBe(before)
    // The old key still signs.
    expect((await keys.loadSigningKey(await keys.identityOf(KEY_ID))).type).toBe('private')
  })

  it('stays on the new key when the old item cannot be deleted, and offers the old item back', async () => {
    const { fresh } = await savedRotating()
    const input = await rotation(fresh.pem)
    secrets.fail('keychain.denied', { operations: ['delete'] })
    const done = await keys.rotate(KEY_ID, input)
    secrets.recover()
    expect(done).toMatchObject({ previousItemRemoved: false, team: { keyId: NEW_KEY_ID } })
    expect(secrets.items.get(NEW_ACCOUNT)).toBe(fresh.pem)
    const state = await open().reconcile()
    expect(state.teams.map((team) => [team.id, team.keyId, team.status])).toEqual([
      [KEY_ID, NEW_KEY_ID, 'verified'],
    ])
    expect(state.orphans.map((orphan) => orphan.account)).toEqual([TEAM_ACCOUNT])
  })

  it('refuses another team’s key, the same key, another kind of key, and a key saved elsewhere', async () => {
    const { before, fresh } = await savedRotating()
    const cases: [string, () => Promise<RotationInput>][] = [
      ['keys.rotate_other_team', () => rotation(fresh.pem, { issuerId: OTHER_ISSUER })],
      ['keys.rotate_same_key', () => rotation(key.pem)],
      ['keys.rotate_same_key', () => rotation(fresh.pem, { keyId: KEY_ID })],
      [
        'keys.rotate_other_type',
        () => rotation(fresh.pem, { keyType: 'individual', issuerId: null }),
      ],
    ]
    for (const [code, input] of cases) {
      expect(await errorCodeOf(async () => keys.rotate(KEY_ID, await input()))).toBe(code)
      expect([...secrets.items.keys()]).toEqual([TEAM_ACCOUNT])
      expect(await metadataText()).toBe(before)
    }
    await saveTeam({ keyId: OTHER_KEY_ID, name: 'Other' }, fresh.pem)
    const taken = await rotation(fresh.pem, { keyId: OTHER_KEY_ID })
    expect(await errorCodeOf(() => keys.rotate(KEY_ID, taken))).toBe('keys.already_saved')
    expect(secrets.items.get(TEAM_ACCOUNT)).toBe(key.pem)
    expect(await errorCodeOf(() => keys.rotate('NOSUCHTEAM', taken))).toBe('keys.team_not_found')
  })
})

describe('history, last use and what the details show', () => {
  it('records checks, one line for a repeated outcome, and the status each outcome means', async () => {
    await keys.reconcile()
    await saveTeam()
    const check = (outcome: CheckVerdict['outcome'], code: CheckVerdict['code']) =>
      keys.recordCheck(KEY_ID, {
        outcome,
        code,
        detail: `said ${code}`,
        via: 'app',
        confirmedRole: null,
      })
    clock.advance(1000)
    expect(await check('accepted', 'ok')).toMatchObject({ status: 'verified' })
    clock.advance(1000)
    await check('accepted', 'ok')
    expect(await check('blocked', 'access.agreements')).toMatchObject({
      status: 'blocked_agreements',
      statusDetail: 'said access.agreements',
      lastValidatedAt: new Date(clock.now()).toISOString(),
    })
    // No verdict on the key: the status stays, the check is still in the history.
    expect(await check('inconclusive', 'network.offline')).toMatchObject({
      status: 'blocked_agreements',
    })
    expect(await check('rejected', 'auth.rejected')).toMatchObject({ status: 'rejected' })
    expect(await check('accepted', 'ok')).toMatchObject({ status: 'verified', statusDetail: null })
    const details = await keys.details(KEY_ID)
    expect(details.history.map((entry) => entry.summary)).toEqual([
      'Checked: Apple accepted the key',
      'Checked: Apple rejected the key',
      'Checked: no connection',
      'Checked: an agreement must be signed',
      'Checked: Apple accepted the key',
      'Added in Ascent',
    ])
  })

  it('takes the role as Apple’s once a check confirms that very role, and only then', async () => {
    await keys.reconcile()
    await saveTeam({ role: 'ADMIN' })
    const accepted = (confirmedRole: CheckVerdict['confirmedRole']) =>
      keys.recordCheck(KEY_ID, {
        outcome: 'accepted',
        code: 'ok',
        detail: '',
        via: 'app',
        confirmedRole,
      })
    expect(await accepted(null)).toMatchObject({ role: 'ADMIN', roleVerified: false })
    expect(await accepted('ADMIN')).toMatchObject({ role: 'ADMIN', roleVerified: true })
    // Apple saw another role than the one saved: the saved one is still only the user's word.
    expect(await accepted('APP_MANAGER')).toMatchObject({ role: 'ADMIN', roleVerified: false })
  })

  it('keeps at most 50 entries, the newest', async () => {
    await keys.reconcile()
    await saveTeam()
    for (let n = 0; n < 60; n += 1) {
      await keys.recordHistory(KEY_ID, {
        kind: 'exported',
        at: new Date(clock.now() + n).toISOString(),
        format: 'p8',
        to: 'file',
        path: `/tmp/export-${n}.p8`,
        via: 'cli',
      })
    }
    const { history } = await keys.details(KEY_ID)
    expect(history).toHaveLength(50)
    expect(history[0]).toMatchObject({ path: '/tmp/export-59.p8' })
    expect(history.at(-1)).toMatchObject({ path: '/tmp/export-10.p8' })
    expect(history[0]?.summary).toBe('AuthKey .p8 file saved to /tmp/export-59.p8 by ascent export')
  })

  it('writes the last use at most every 15 minutes; the details show the latest', async () => {
    await keys.reconcile()
    await saveTeam()
    const stored = async () =>
      (JSON.parse(await metadataText()) as { teams: { lastUsedAt: string | null }[] }).teams[0]
        ?.lastUsedAt
    expect(await stored()).toBeNull()
    const first = new Date(clock.now()).toISOString()
    keys.noteUsed(key.fingerprint)
    await keys.settle()
    expect(await stored()).toBe(first)

    clock.advance(60_000)
    const writes = await metadataText()
    for (let n = 0; n < 100; n += 1) keys.noteUsed(key.fingerprint)
    await keys.settle()
    expect(await metadataText()).toBe(writes)
    expect((await keys.details(KEY_ID)).lastUsedAt).toBe(new Date(clock.now()).toISOString())

    clock.advance(15 * 60_000)
    keys.noteUsed(key.fingerprint)
    await keys.settle()
    expect(await stored()).toBe(new Date(clock.now()).toISOString())
    // A key that is not saved (a draft being checked) is nobody's use.
    keys.noteUsed(p256().fingerprint)
    await keys.settle()

    // Once the app quits, a request still landing writes nothing.
    await keys.close()
    const closedWith = await metadataText()
    clock.advance(15 * 60_000)
    keys.noteUsed(key.fingerprint)
    await keys.settle()
    expect(await metadataText()).toBe(closedWith)
  })

  it('recognises a key already saved when it is imported again, by its fingerprint', async () => {
    await keys.reconcile()
    await saveTeam()
    const again = await draftOf(key.pem.replace(/\n/g, '\r\n'), 'renamed.p8')
    expect(again.savedAs).toEqual({ teamId: KEY_ID, name: 'Acme' })
    expect((await draftOf(p256().pem)).savedAs).toBeNull()
  })

  it('lists the saved teams from keys.json without looking in the keychain', async () => {
    await saveTeam()
    const listings = secrets.calls.accounts
    const fresh = open()
    expect((await fresh.savedTeams()).teams.map((team) => team.id)).toEqual([KEY_ID])
    expect(secrets.calls.accounts).toBe(listings)
    await fresh.dispose()
  })

  it('hands out the secret checked against the saved fingerprint, then zeroes it', async () => {
    await keys.reconcile()
    await saveTeam()
    let seen: Buffer | null = null
    const fingerprint = await keys.withSecret(KEY_ID, (pem) => {
      seen = pem
      return Promise.resolve(fingerprintOfPem(pem.toString('utf8')))
    })
    expect(fingerprint).toBe(key.fingerprint)
    expect([...(seen ?? Buffer.from('x'))].every((byte) => byte === 0)).toBe(true)

    secrets.items.set(TEAM_ACCOUNT, p256().pem)
    expect(await errorCodeOf(() => keys.withSecret(KEY_ID, () => Promise.resolve()))).toBe(
      'keys.secret_mismatch',
    )
    secrets.items.clear()
    const reads = secrets.calls.get
    expect(await errorCodeOf(() => keys.withSecret(KEY_ID, () => Promise.resolve()))).toBe(
      'keys.secret_missing',
    )
    expect(secrets.calls.get).toBe(reads + 1)
    // Now known to be gone: refused without asking the keychain again.
    expect(await errorCodeOf(() => keys.withSecret(KEY_ID, () => Promise.resolve()))).toBe(
      'keys.secret_missing',
    )
    expect(secrets.calls.get).toBe(reads + 1)
  })
})
