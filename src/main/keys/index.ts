import type { IntakeOutcome, KeyDraft } from '../../shared/contract/keys'
import type { KeyType } from '../../shared/keys'
import { keyIdFromFileName, normalizeIssuerId, normalizeKeyId } from '../../shared/keys'
import type { Logger } from '../log'
import type { Platform } from '../platform'
import type { SecretStore } from '../secrets'
import type { SigningIdentity } from '../tokens'
import { createDraftStore, liveDraft } from './drafts'
import type { Intake } from './intake'
import { createIntake } from './intake'
import type { ParsedKey } from './parse'
import type { MetadataFs } from './metadata'
import type { KeyStore } from './store'
import { createKeyStore } from './store'

/**
 * Keys: intake (file, drop, clipboard → a draft held in main's memory), the keychain store
 * (secret in the keychain, everything else in `<dataDir>/keys.json`), and the session's
 * non-extractable signing keys for the token signer.
 *
 * Wiring (src/main/ascent.ts and the IPC handlers), with `platform.secrets` being
 * `createKeyringSecretStore()` from ../secrets:
 *   const keys = createKeys(platform)
 *   const tokens = createTokenSigner({ loadKey: keys.loadSigningKey, now: () => platform.now() })
 *   keys.onKeyRetired(tokens.forgetKey)
 *   await keys.reconcile()   // at start-up; `teams:list` then answers keys.state()
 */

export type {
  CheckVerdict,
  KeyStoreCounters,
  Rotation,
  RotationInput,
  SaveKeyInput,
  Via,
} from './store'
export { AGREEMENTS_DETAIL } from './store'
export { revokeReminder } from './revoke'
export type { ParsedKey } from './parse'
export type { IntakeRefusalCode } from './refusals'
export { MAX_INPUT_BYTES } from './refusals'
/** For the command line: the app's own file reader, parser and signing key. */
export { KEY_FILE_EXTENSIONS, readKeyFile } from './intake'
export { parseKeyBytes, parseKeyText, type ParseResult } from './parse'
export { importSigningKey } from './signing-key'

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

/** Intake (the outcome's draft holds public facts only), the saved keys (teams), and signing. */
export interface Keys extends Intake, Omit<KeyStore, 'releaseDraftKey'> {
  /** A key the command line read and parsed (`ascent add`), as a draft like any import. */
  importParsed: (
    parsed: ParsedKey,
    source: 'file' | 'environment',
    fileName: string | null,
  ) => KeyDraft
  discardDraft: (draftId: string) => void
  /** Public facts of a draft (also shortly after it was wiped); null when unknown. */
  getDraft: (draftId: string) => KeyDraft | null
  /** Who would sign for a live draft with these IDs, for the live check before saving. */
  draftIdentity: (draftId: string, ids: DraftIds) => SigningIdentity
  /** Wipes every draft and waits for writes under way (at quit). */
  dispose: () => Promise<void>
}

export function createKeys(options: KeysOptions): Keys {
  // The store is created below; the draft store reports wipes to it once it exists.
  let releaseDraftKey: (fingerprint: string) => void = () => undefined
  const drafts = createDraftStore({
    now: () => options.now(),
    ttlMs: options.draftTtlMs,
    onWipe: (fingerprint) => releaseDraftKey(fingerprint),
  })
  const { releaseDraftKey: release, ...savedKeys } = createKeyStore({
    secrets: options.secrets,
    drafts,
    dataDir: options.dataDir,
    now: () => options.now(),
    log: options.log,
    fs: options.fs,
  })
  releaseDraftKey = release

  /** A key already saved is recognised at once, by its fingerprint (keys.json read afresh). */
  async function recognised(outcome: Promise<IntakeOutcome>): Promise<IntakeOutcome> {
    const result = await outcome
    if (result.status !== 'imported') return result
    await savedKeys.savedTeams().catch(() => undefined)
    return { ...result, draft: withSavedAs(result.draft) }
  }

  function withSavedAs(draft: KeyDraft): KeyDraft {
    return { ...draft, savedAs: savedKeys.savedAs(draft.fingerprint) }
  }

  const intake = createIntake({ clipboard: options.clipboard, drafts })
  return {
    ...intake,
    importFromPath: (path, source) => recognised(intake.importFromPath(path, source)),
    importFromClipboard: () => recognised(intake.importFromClipboard()),
    importParsed(parsed, source, fileName) {
      const fromName = fileName ? keyIdFromFileName(fileName) : null
      const draft = drafts.add({
        source,
        fileName,
        keyIdFromFileName: fromName,
        parsed: {
          ...parsed,
          prefill: { ...parsed.prefill, keyId: parsed.prefill.keyId ?? fromName },
        },
        clipboardHoldsKey: false,
      })
      return withSavedAs(draft)
    },
    ...savedKeys,
    discardDraft: (draftId) => drafts.wipe(draftId),
    getDraft: (draftId) => {
      const draft = drafts.describe(draftId)
      return draft ? withSavedAs(draft) : null
    },
    draftIdentity(draftId, ids) {
      const { draft } = liveDraft(drafts, draftId)
      return {
        keyType: ids.keyType,
        keyId: normalizeKeyId(ids.keyId),
        issuerId: ids.keyType === 'team' && ids.issuerId ? normalizeIssuerId(ids.issuerId) : null,
        fingerprint: draft.fingerprint,
      }
    },
    dispose: () => {
      drafts.wipeAll()
      return savedKeys.close()
    },
  }
}
