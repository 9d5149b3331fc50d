import { randomUUID } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import type { IntakeSource, KeyDraft } from '../../shared/contract/keys'
import { AppError } from '../errors'
import type { ParsedKey } from './parse'
import { shortFingerprint } from './parse'

/**
 * Imported keys waiting to be checked and saved. The private key lives only here, in main's
 * memory: a PEM buffer that is zeroed on wipe, and a KeyObject that is dropped. Wiped on save,
 * on discard, and 10 minutes after import (checked lazily against the injected clock on every
 * access, and by an unref'd timer so an idle app forgets it too).
 *
 * The public facts of a wiped draft stay known for a while (bounded), so the clipboard can
 * still be cleared after the key was saved.
 */

export const DRAFT_TTL_MS = 10 * 60 * 1000
/** Live drafts kept at once; importing more wipes the oldest. */
const MAX_LIVE_DRAFTS = 20
/** Wiped drafts whose public facts are remembered (for clearing the clipboard). */
const MAX_RETIRED_DRAFTS = 50

export interface DraftSecret {
  /** Normalized PKCS#8 PEM; all zeros once wiped. */
  readonly pem: Buffer
  readonly privateKey: KeyObject
}

export interface NewDraft {
  source: IntakeSource
  fileName: string | null
  keyIdFromFileName: string | null
  parsed: ParsedKey
  clipboardHoldsKey: boolean
}

export interface DraftStore {
  add: (input: NewDraft) => KeyDraft
  /** Public facts of a live or recently wiped draft; null when unknown. */
  describe: (draftId: string) => KeyDraft | null
  /** The private key of a live draft; throws `keys.draft_expired` once it was wiped. */
  secret: (draftId: string) => DraftSecret
  /** The live draft holding the key with this fingerprint, if any. */
  findByFingerprint: (fingerprint: string) => DraftSecret | null
  update: (draftId: string, change: Partial<Pick<KeyDraft, 'clipboardHoldsKey'>>) => void
  wipe: (draftId: string) => void
  wipeAll: () => void
}

export interface DraftStoreOptions {
  now(): number
  ttlMs?: number
  /** Called with the fingerprint of every draft whose secret is wiped. */
  onWipe?(fingerprint: string): void
}

interface Entry {
  draft: KeyDraft
  secret: DraftSecret | null
  expiresAtMs: number
  timer: ReturnType<typeof setTimeout> | null
}

export function draftExpired(): AppError {
  return new AppError(
    'keys.draft_expired',
    'This imported key is no longer in memory (it is forgotten 10 minutes after import, and after it is saved or discarded). Import the key file again.',
  )
}

/** A live draft's public facts and its private key; throws `keys.draft_expired` once it was wiped. */
export function liveDraft(
  drafts: DraftStore,
  draftId: string,
): { draft: KeyDraft; secret: DraftSecret } {
  const secret = drafts.secret(draftId)
  const draft = drafts.describe(draftId)
  if (!draft) throw draftExpired()
  return { draft, secret }
}

export function createDraftStore(options: DraftStoreOptions): DraftStore {
  const ttlMs = options.ttlMs ?? DRAFT_TTL_MS
  const entries = new Map<string, Entry>()

  function wipeEntry(entry: Entry): void {
    if (entry.timer) clearTimeout(entry.timer)
    entry.timer = null
    if (!entry.secret) return
    entry.secret.pem.fill(0)
    entry.secret = null
    options.onWipe?.(entry.draft.fingerprint)
    forgetOldRetired()
  }

  function forgetOldRetired(): void {
    const retired = [...entries].filter(([, entry]) => !entry.secret)
    for (const [draftId] of retired.slice(0, Math.max(0, retired.length - MAX_RETIRED_DRAFTS))) {
      entries.delete(draftId)
    }
  }

  /** The entry with its secret, after applying lazy expiry; null when wiped or unknown. */
  function live(draftId: string): (Entry & { secret: DraftSecret }) | null {
    const entry = entries.get(draftId)
    if (!entry?.secret) return null
    if (options.now() >= entry.expiresAtMs) {
      wipeEntry(entry)
      return null
    }
    return entry as Entry & { secret: DraftSecret }
  }

  return {
    add(input) {
      const liveIds = [...entries].filter(([id]) => live(id)).map(([id]) => id)
      for (const draftId of liveIds.slice(0, Math.max(0, liveIds.length - MAX_LIVE_DRAFTS + 1))) {
        const entry = entries.get(draftId)
        if (entry) wipeEntry(entry)
      }
      const draftId = randomUUID()
      const expiresAtMs = options.now() + ttlMs
      const draft: KeyDraft = {
        draftId,
        source: input.source,
        fileName: input.fileName,
        keyIdFromFileName: input.keyIdFromFileName,
        curve: 'P-256',
        fingerprint: input.parsed.fingerprint,
        fingerprintShort: shortFingerprint(input.parsed.fingerprint),
        prefill: { ...input.parsed.prefill },
        notes: [...input.parsed.notes],
        clipboardHoldsKey: input.clipboardHoldsKey,
        expiresAt: new Date(expiresAtMs).toISOString(),
        // The keys module, which knows the saved teams, fills this in.
        savedAs: null,
      }
      const entry: Entry = {
        draft,
        secret: { pem: input.parsed.pem, privateKey: input.parsed.privateKey },
        expiresAtMs,
        timer: null,
      }
      entry.timer = setTimeout(() => wipeEntry(entry), ttlMs)
      entry.timer.unref()
      entries.set(draftId, entry)
      return { ...draft }
    },

    describe(draftId) {
      live(draftId)
      const entry = entries.get(draftId)
      return entry ? { ...entry.draft } : null
    },

    secret(draftId) {
      const entry = live(draftId)
      if (!entry) throw draftExpired()
      return entry.secret
    },

    findByFingerprint(fingerprint) {
      for (const [draftId, entry] of entries) {
        const found = entry.draft.fingerprint === fingerprint ? live(draftId) : null
        if (found) return found.secret
      }
      return null
    },

    update(draftId, change) {
      const entry = entries.get(draftId)
      if (entry) entry.draft = { ...entry.draft, ...change }
    },

    wipe(draftId) {
      const entry = entries.get(draftId)
      if (entry) wipeEntry(entry)
    },

    wipeAll() {
      for (const entry of entries.values()) wipeEntry(entry)
    },
  }
}
