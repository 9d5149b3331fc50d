import type { IntakeOutcome, KeyDraft } from '../../shared/contract/keys'
import type { TeamSummary, TeamsState } from '../../shared/contract/teams'
import type { KeyType } from '../../shared/keys'
import { normalizeIssuerId, normalizeKeyId } from '../../shared/keys'
import type { Logger } from '../log'
import type { Platform } from '../platform'
import type { SecretStore } from '../secrets'
import type { SigningIdentity } from '../tokens'
import { createDraftStore, draftExpired } from './drafts'
import { createIntake } from './intake'
import type { MetadataFs } from './metadata'
import type { KeyStoreCounters, SaveKeyInput } from './store'
import { createKeyStore } from './store'

/**
 * Keys: intake (file, drop, clipboard → a draft held in main's memory), the keychain store
 * (secret in the keychain, everything else in `<dataDir>/keys.json`), and the session's
 * non-extractable signing keys for the token signer.
 *
 * Wiring (src/main/index.ts and the IPC handlers), with `platform.secrets` being
 * `createKeyringSecretStore()` from ../secrets:
 *   const keys = createKeys(platform)
 *   const tokens = createTokenSigner({ loadKey: keys.loadSigningKey, now: () => platform.now() })
 *   keys.onKeyRetired(tokens.forgetKey)
 *   await keys.reconcile()   // at start-up; `teams:list` then answers keys.state()
 */

export type { SaveKeyInput, KeyStoreCounters } from './store'
export type { IntakeRefusalCode } from './refusals'
export { MAX_INPUT_BYTES } from './refusals'
/** The same parser for the command line, which reads keys from files and CI variables. */
export { readKeyFile } from './intake'
export { parseKeyBytes, parseKeyText, type ParseResult } from './parse'

export interface KeysOptions extends Pick<Platform, 'clipboard' | 'now' | 'dataDir'> {
  secrets: SecretStore
  log: Logger
  /** How long an imported key stays in memory; 10 minutes unless a test says otherwise. */
  draftTtlMs?: number
  /** File operations for keys.json; tests pass a failing wrapper. */
  fs?: MetadataFs
}

export interface DraftIds {
  keyType: KeyType
  keyId: string
  issuerId: string | null
}

export interface Keys {
  // Intake. The outcome's draft holds public facts only.
  importFromPath: (path: string, source: 'file' | 'drop') => Promise<IntakeOutcome>
  importFromClipboard: () => Promise<IntakeOutcome>
  clearClipboard: (draftId: string) => { cleared: boolean }
  discardDraft: (draftId: string) => void
  /** Public facts of a draft (also shortly after it was wiped); null when unknown. */
  getDraft: (draftId: string) => KeyDraft | null
  /** Who would sign for a live draft with these IDs, for the live check before saving. */
  draftIdentity: (draftId: string, ids: DraftIds) => SigningIdentity

  // Saved keys (teams).
  reconcile: () => Promise<TeamsState>
  state: () => Promise<TeamsState>
  save: (input: SaveKeyInput) => Promise<TeamSummary>
  replaceSecret: (teamId: string, draftId: string) => Promise<TeamSummary>
  rename: (teamId: string, name: string) => Promise<TeamSummary>
  remove: (teamId: string) => Promise<void>
  setActive: (teamId: string) => Promise<void>
  markValidated: (teamId: string, at: number) => Promise<TeamSummary>
  markRejected: (teamId: string, detail: string) => Promise<TeamSummary>
  adoptOrphan: (account: string, name: string) => Promise<TeamSummary>
  forgetOrphan: (account: string) => Promise<void>

  // Signing.
  identityOf: (teamId: string) => Promise<SigningIdentity>
  /** A token signer's key loader: one keychain read per key per session. */
  loadSigningKey: (identity: SigningIdentity) => Promise<CryptoKey>
  /** Called with the fingerprint of every key removed, replaced, or discarded unsaved. */
  onKeyRetired: (listener: (fingerprint: string) => void) => () => void
  counters: () => KeyStoreCounters
  /** Wipes every draft (at quit). */
  dispose: () => void
}

export function createKeys(options: KeysOptions): Keys {
  // The store is created below; the draft store reports wipes to it once it exists.
  let releaseDraftKey: (fingerprint: string) => void = () => undefined
  const drafts = createDraftStore({
    now: () => options.now(),
    ttlMs: options.draftTtlMs,
    onWipe: (fingerprint) => releaseDraftKey(fingerprint),
  })
  const intake = createIntake({ clipboard: options.clipboard, drafts })
  const store = createKeyStore({
    secrets: options.secrets,
    drafts,
    dataDir: options.dataDir,
    now: () => options.now(),
    log: options.log,
    fs: options.fs,
  })
  releaseDraftKey = store.releaseDraftKey

  return {
    importFromPath: intake.importFromPath,
    importFromClipboard: intake.importFromClipboard,
    clearClipboard: intake.clearClipboard,
    discardDraft: (draftId) => drafts.wipe(draftId),
    getDraft: (draftId) => drafts.describe(draftId),
    draftIdentity(draftId, ids) {
      drafts.secret(draftId)
      const draft = drafts.describe(draftId)
      if (!draft) throw draftExpired()
      return {
        keyType: ids.keyType,
        keyId: normalizeKeyId(ids.keyId),
        issuerId: ids.keyType === 'team' && ids.issuerId ? normalizeIssuerId(ids.issuerId) : null,
        fingerprint: draft.fingerprint,
      }
    },

    reconcile: store.reconcile,
    state: store.state,
    save: store.save,
    replaceSecret: store.replaceSecret,
    rename: store.rename,
    remove: store.remove,
    setActive: store.setActive,
    markValidated: store.markValidated,
    markRejected: store.markRejected,
    adoptOrphan: store.adoptOrphan,
    forgetOrphan: store.forgetOrphan,

    identityOf: store.identityOf,
    loadSigningKey: store.loadSigningKey,
    onKeyRetired: store.onKeyRetired,
    counters: store.counters,
    dispose: () => drafts.wipeAll(),
  }
}
