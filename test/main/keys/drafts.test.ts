import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type { IntakeOutcome, KeyDraft } from '../../../src/shared/contract/keys'
import { createKeys } from '../../../src/main/keys'
import type { Keys } from '../../../src/main/keys'
import { DRAFT_TTL_MS, createDraftStore } from '../../../src/main/keys/drafts'
import type { DraftStore } from '../../../src/main/keys/drafts'
import { parseKeyText } from '../../../src/main/keys/parse'
import type { ParsedKey } from '../../../src/main/keys/parse'
import { createKeyStore } from '../../../src/main/keys/store'
import { silentLogger } from '../../../src/main/log'
import type { FakeClock, MemoryClipboard, MemorySecretStore } from '../fakes'
import {
  createFakeClock,
  createMemoryClipboard,
  createMemorySecretStore,
  errorCodeOf,
} from '../fakes'
import { ISSUER_ID, KEY_ID, p256 } from './inputs'
import type { P256Key } from './inputs'

let folder: string
let run = 0
let key: P256Key

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'ascent-drafts-'))
  key = p256()
})

afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

function parsed(pem = key.pem): ParsedKey {
  const result = parseKeyText(pem)
  if (!result.ok) throw new Error(result.refusal.message)
  return result.key
}

function isZeroed(buffer: Buffer): boolean {
  return buffer.length > 0 && buffer.every((byte) => byte === 0)
}

describe('the draft store', () => {
  let clock: FakeClock
  let wiped: string[]
  let drafts: DraftStore

  beforeEach(() => {
    clock = createFakeClock()
    wiped = []
    drafts = createDraftStore({ now: clock.now, onWipe: (fingerprint) => wiped.push(fingerprint) })
  })

  afterEach(() => {
    drafts.wipeAll()
    vi.useRealTimers()
  })

  function add(key: ParsedKey): KeyDraft {
    return drafts.add({
      source: 'file',
      fileName: 'AuthKey_2X9R4HXF34.p8',
      keyIdFromFileName: KEY_ID,
      parsed: key,
      clipboardHoldsKey: false,
    })
  }

  it('forgets the private key 10 minutes after import, by the injected clock', async () => {
    const input = parsed()
    const draft = add(input)
    expect(draft.expiresAt).toBe(new Date(clock.now() + DRAFT_TTL_MS).toISOString())
    clock.advance(DRAFT_TTL_MS - 1)
    expect(drafts.secret(draft.draftId).pem.toString()).toBe(key.pem)
    clock.advance(1)
    expect(await errorCodeOf(() => drafts.secret(draft.draftId))).toBe('keys.draft_expired')
    expect(isZeroed(input.pem)).toBe(true)
    expect(wiped).toEqual([key.fingerprint])
    // The public facts stay, so the clipboard can still be cleared.
    expect(drafts.describe(draft.draftId)?.fingerprint).toBe(key.fingerprint)
  })

  it('forgets it by timer too, when nothing touches the draft', () => {
    vi.useFakeTimers()
    const input = parsed()
    const draft = add(input)
    vi.advanceTimersByTime(DRAFT_TTL_MS - 1)
    expect(isZeroed(input.pem)).toBe(false)
    vi.advanceTimersByTime(1)
    expect(isZeroed(input.pem)).toBe(true)
    expect(drafts.findByFingerprint(key.fingerprint)).toBeNull()
    expect(drafts.describe(draft.draftId)).not.toBeNull()
  })

  it('wipes on discard, once', () => {
    const input = parsed()
    const draft = add(input)
    drafts.wipe(draft.draftId)
    drafts.wipe(draft.draftId)
    expect(isZeroed(input.pem)).toBe(true)
    expect(wiped).toEqual([key.fingerprint])
  })

  it('keeps at most 20 live drafts, wiping the oldest', () => {
    const inputs = Array.from({ length: 21 }, () => parsed())
    const added = inputs.map((input) => add(input))
    expect(isZeroed(inputs[0]?.pem ?? Buffer.alloc(0))).toBe(true)
    expect(isZeroed(inputs[1]?.pem ?? Buffer.alloc(0))).toBe(false)
    expect(drafts.secret(added[20]?.draftId ?? '').pem.length).toBeGreaterThan(0)
  })

  it('wipes the draft when it is saved', async () => {
    const secrets = createMemorySecretStore()
    const store = createKeyStore({
      secrets,
      drafts,
      dataDir: join(folder, `store-${(run += 1)}`),
      now: clock.now,
      log: silentLogger,
    })
    const input = parsed()
    const draft = add(input)
    await store.save({
      draftId: draft.draftId,
      keyType: 'team',
      issuerId: ISSUER_ID,
      keyId: KEY_ID,
      name: 'Mine',
      role: 'ADMIN',
    })
    expect(isZeroed(input.pem)).toBe(true)
    expect(secrets.items.get(`${ISSUER_ID}/${KEY_ID}`)).toBe(key.pem)
    expect(await errorCodeOf(() => drafts.secret(draft.draftId))).toBe('keys.draft_expired')
  })
})

describe('drafts through the keys module', () => {
  let clock: FakeClock
  let clipboard: MemoryClipboard
  let secrets: MemorySecretStore
  let keys: Keys

  beforeEach(() => {
    clock = createFakeClock()
    clipboard = createMemoryClipboard()
    secrets = createMemorySecretStore()
    keys = createKeys({
      secrets,
      clipboard,
      now: clock.now,
      dataDir: join(folder, `keys-${(run += 1)}`),
      log: silentLogger,
    })
  })

  afterEach(() => keys.dispose())

  async function paste(text: string): Promise<KeyDraft> {
    clipboard.text = text
    const outcome: IntakeOutcome = await keys.importFromClipboard()
    if (outcome.status !== 'imported') throw new Error(JSON.stringify(outcome))
    return outcome.draft
  }

  it('refuses to save an expired draft, and stores nothing', async () => {
    const draft = await paste(key.pem)
    clock.advance(DRAFT_TTL_MS)
    const code = await errorCodeOf(() =>
      keys.save({
        draftId: draft.draftId,
        keyType: 'individual',
        issuerId: null,
        keyId: KEY_ID,
        name: 'Late',
        role: null,
      }),
    )
    expect(code).toBe('keys.draft_expired')
    expect(secrets.items.size).toBe(0)
    expect(
      await errorCodeOf(() =>
        keys.draftIdentity(draft.draftId, { keyType: 'individual', keyId: KEY_ID, issuerId: null }),
      ),
    ).toBe('keys.draft_expired')
  })

  it('signs with a draft before it is saved, and forgets that key on discard', async () => {
    const draft = await paste(key.pem)
    const retired: string[] = []
    keys.onKeyRetired((fingerprint) => retired.push(fingerprint))
    const identity = keys.draftIdentity(draft.draftId, {
      keyType: 'team',
      keyId: KEY_ID.toLowerCase(),
      issuerId: ISSUER_ID.toUpperCase(),
    })
    expect(identity).toEqual({
      keyType: 'team',
      keyId: KEY_ID,
      issuerId: ISSUER_ID,
      fingerprint: key.fingerprint,
    })
    const signingKey = await keys.loadSigningKey(identity)
    expect(signingKey.extractable).toBe(false)
    expect(secrets.calls.get).toBe(0)

    keys.discardDraft(draft.draftId)
    expect(retired).toEqual([key.fingerprint])
    expect(await errorCodeOf(() => keys.loadSigningKey(identity))).toBe('keys.unknown_key')
  })

  it('clears the clipboard only while it holds the same key, however it is damaged', async () => {
    const draft = await paste(key.pem.replace(/\n/g, '\r\n'))
    expect(draft.clipboardHoldsKey).toBe(true)

    clipboard.text = 'something else the user copied since'
    expect(await keys.clearClipboard(draft.draftId)).toEqual({ cleared: false })
    expect(clipboard.text).toBe('something else the user copied since')

    clipboard.text = p256().pem
    expect(await keys.clearClipboard(draft.draftId)).toEqual({ cleared: false })
    expect(clipboard.clears).toBe(0)

    clipboard.text = `"${key.pem.replace(/\n/g, '\\n')}"`
    expect(await keys.clearClipboard(draft.draftId)).toEqual({ cleared: true })
    expect(clipboard.text).toBe('')
    expect(keys.getDraft(draft.draftId)?.clipboardHoldsKey).toBe(false)
  })

  it('can still clear the clipboard after the key was saved', async () => {
    const draft = await paste(key.pem)
    await keys.save({
      draftId: draft.draftId,
      keyType: 'individual',
      issuerId: null,
      keyId: KEY_ID,
      name: 'Me',
      role: null,
    })
    expect(await keys.clearClipboard(draft.draftId)).toEqual({ cleared: true })
    expect(clipboard.clears).toBe(1)
    expect(await keys.clearClipboard('no-such-draft')).toEqual({ cleared: false })
  })

  it('wipes every draft on dispose', async () => {
    const draft = await paste(key.pem)
    await keys.dispose()
    expect(
      await errorCodeOf(() =>
        keys.draftIdentity(draft.draftId, { keyType: 'individual', keyId: KEY_ID, issuerId: null }),
      ),
    ).toBe('keys.draft_expired')
  })
})
