import type { KeyObject, webcrypto } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { TeamDetails, TeamHistoryEntry } from '../../shared/contract/key-life'
import type { Notice, OrphanKey, TeamSummary, TeamsState } from '../../shared/contract/teams'
import type { DiagnosisCode } from '../../shared/diagnosis'
import type { KeyType, Role } from '../../shared/keys'
import { blockingProblem, checkIds } from '../../shared/keys'
import { AppError, errorCode, isAppError } from '../errors'
import { API_KEYS_URL } from '../links'
import type { Logger } from '../log'
import type { SecretStore } from '../secrets'
import type { SigningIdentity } from '../tokens'
import { accountFor, parseAccount, teamIdFor } from './accounts'
import type { DraftStore } from './drafts'
import { liveDraft } from './drafts'
import { appendHistory, historyItems } from './history'
import { withFileLock } from './lock'
import type { MetadataDocument, MetadataFs, TeamRecord } from './metadata'
import { METADATA_FILE, emptyDocument, loadMetadata, readMetadata, saveMetadata } from './metadata'
import { parseKeyText, shortFingerprint } from './parse'
import { importSigningKey } from './signing-key'

/**
 * Saved keys: one keychain item per key (the secret) plus a row in keys.json (everything else).
 * Every change keeps the two in step: nothing is ever half-saved, and nothing in the keychain is
 * deleted unless the user asked for it. The app and the `ascent` command share both: every change
 * takes keys.json's lock, reads the file afresh and writes it back, so neither loses the other's.
 */

/** Who saved a key, for its history. */
export type Via = 'app' | 'cli'

export interface SaveKeyInput {
  draftId: string
  keyType: KeyType
  /** Ignored for individual keys. */
  issuerId: string | null
  keyId: string
  name: string
  role: Role | null
  /** Apple confirmed `role` in the check before saving; absent, the role is the user's word. */
  roleVerified?: boolean
  /** Apple accepted the key but an agreement blocks the team: saved as `blocked_agreements`. */
  blockedByAgreements?: boolean
  via?: Via
}

/** What a check of a saved key found, to record on the team. */
export interface CheckVerdict {
  /**
   * `accepted`: Apple took the key (verified); `blocked`: it took the key but an agreement blocks
   * the team; `rejected`: Apple refused the key (401); `inconclusive`: no verdict on the key (the
   * network, Apple's trouble), so the status stays.
   */
  outcome: 'accepted' | 'blocked' | 'rejected' | 'inconclusive'
  /** The role Apple confirmed (Admin, by listing users), if any: the saved role is then Apple's. */
  confirmedRole: Role | null
  code: DiagnosisCode
  /** Shown with the status when it is not `verified`. */
  detail: string
  via: Via
}

/** The key a passed check verified, to become a team's new key. */
export interface RotationInput {
  draftId: string
  identity: Omit<SigningIdentity, 'fingerprint'>
  role: Role | null
  roleVerified: boolean
  blockedByAgreements: boolean
}

export interface Rotation {
  team: TeamSummary
  previousKeyId: string
  previousItemRemoved: boolean
}

export interface KeyStoreCounters {
  /** Secrets read from the keychain (`get`), this session. */
  keychainReads: number
  /** Listings of the keychain's accounts (`accounts`), this session. */
  keychainListings: number
}

export interface KeyStore {
  reconcile: () => Promise<TeamsState>
  /** The saved teams, read afresh from keys.json (the command line may have added one). */
  state: () => Promise<TeamsState>
  /**
   * The saved teams from keys.json alone, without looking in the keychain (the command line:
   * listing the keychain could ask about every item on a Mac). Statuses are as last recorded.
   */
  savedTeams: () => Promise<{ teams: TeamSummary[]; activeTeamId: string | null }>
  details: (teamId: string) => Promise<TeamDetails>
  save: (input: SaveKeyInput) => Promise<TeamSummary>
  /** Re-import: the same key ID's key from another copy of its file. */
  replaceSecret: (teamId: string, draftId: string) => Promise<TeamSummary>
  /** Rotation: the team moves to another key of the same team; see `rotate` below. */
  rotate: (teamId: string, input: RotationInput) => Promise<Rotation>
  rename: (teamId: string, name: string) => Promise<TeamSummary>
  remove: (teamId: string) => Promise<void>
  setActive: (teamId: string) => Promise<void>
  markValidated: (teamId: string, at: number) => Promise<TeamSummary>
  markRejected: (teamId: string, detail: string) => Promise<TeamSummary>
  /** Records a check of the team's key: its status, and a line in its history. */
  recordCheck: (teamId: string, verdict: CheckVerdict) => Promise<TeamSummary>
  /** Records an export in the team's history (never what was exported). */
  recordHistory: (teamId: string, entry: TeamHistoryEntry) => Promise<void>
  /**
   * The team's private key as PKCS#8 PEM, read from the keychain and checked against the saved
   * fingerprint, for `use` only: the buffer is zeroed when `use` settles.
   */
  withSecret: <T>(teamId: string, use: (pem: Buffer, team: TeamSummary) => Promise<T>) => Promise<T>
  /** Notes that a saved key signed a request; written to keys.json at most every 15 minutes. */
  noteUsed: (fingerprint: string) => void
  /** The saved team holding the key with this fingerprint, if any. */
  savedAs: (fingerprint: string) => { teamId: string; name: string } | null
  adoptOrphan: (account: string, name: string) => Promise<TeamSummary>
  forgetOrphan: (account: string) => Promise<void>
  identityOf: (teamId: string) => Promise<SigningIdentity>
  /** A token signer's key loader: one keychain read per key per session. */
  loadSigningKey: (identity: SigningIdentity) => Promise<webcrypto.CryptoKey>
  /** Drops the cached signing key of a wiped draft unless a saved key or live draft uses it. */
  releaseDraftKey: (fingerprint: string) => void
  /** Called with the fingerprint of every key removed, replaced, or discarded unsaved. */
  onKeyRetired: (listener: (fingerprint: string) => void) => () => void
  /** Waits for the changes under way (the command line, before it exits). */
  settle: () => Promise<void>
  /**
   * The app quits: waits for the changes under way, and from then on records no key's use, so
   * nothing writes `keys.json` after the last change while the app's folder may be going away.
   */
  close: () => Promise<void>
  counters: () => KeyStoreCounters
}

export interface KeyStoreOptions {
  secrets: SecretStore
  drafts: DraftStore
  dataDir: string
  now(): number
  log: Logger
  fs?: MetadataFs
}

type Metadata =
  | { kind: 'ready'; document: MetadataDocument }
  /** keys.json exists but could not be read or set aside: never overwrite it. */
  | { kind: 'unreadable' }

const MAX_NAME_LENGTH = 80
/** A team's last use is written to keys.json when the stored one is older than this. */
const USE_RECORD_INTERVAL_MS = 15 * 60_000

export function createKeyStore(options: KeyStoreOptions): KeyStore {
  const { secrets, drafts, log } = options
  const metadataPath = join(options.dataDir, METADATA_FILE)
  const lockPath = `${metadataPath}.lock`
  let metadata: Metadata | null = null
  /** Accounts in the keychain at the last look; null when the keychain could not be reached. */
  let present: Set<string> | null = null
  /** The accounts keys.json named at the last look, to notice another process's changes. */
  let knownAccounts = new Set<string>()
  let reconciled = false
  let notices: Notice[] = []
  let foreignAccounts = 0
  const signingKeys = new Map<string, Promise<webcrypto.CryptoKey>>()
  const retiredListeners = new Set<(fingerprint: string) => void>()
  const counters: KeyStoreCounters = { keychainReads: 0, keychainListings: 0 }
  /** Set as the app quits: uses are no longer written. */
  let closed = false
  /** Each team's last use this session, ms; written to keys.json now and then. */
  const usedAt = new Map<string, number>()
  const useWrites = new Set<string>()
  let queue: Promise<unknown> = Promise.resolve()

  /** Changes run one at a time in this process; the lock keeps other processes out. */
  function serialized<T>(change: () => Promise<T>): Promise<T> {
    const result = queue.then(change)
    queue = result.catch(() => undefined)
    return result
  }

  async function locked<T>(work: () => Promise<T>): Promise<T> {
    try {
      await mkdir(options.dataDir, { recursive: true, mode: 0o700 })
    } catch (error) {
      throw writeFailed(error)
    }
    return withFileLock(lockPath, work).catch((error: unknown) => {
      throw isAppError(error) ? error : writeFailed(error)
    })
  }

  /** Loads keys.json for a change, under the lock: sets a corrupt file aside, with a notice. */
  async function loadDocument(): Promise<Metadata> {
    const load = await loadMetadata(metadataPath, () => options.now(), options.fs)
    switch (load.kind) {
      case 'loaded':
        return { kind: 'ready', document: load.document }
      case 'missing':
        return { kind: 'ready', document: emptyDocument() }
      case 'corrupt':
        log.warn('keys.json was not readable and was set aside', { movedTo: load.movedTo })
        notices.push({
          code: 'keys.metadata_corrupt',
          message: `Ascent’s list of saved keys was damaged (or written by a newer Ascent) and has been kept aside as ${load.movedTo}. Keys still in the ${secrets.backend} are offered back below.`,
        })
        return { kind: 'ready', document: emptyDocument() }
      case 'unreadable':
        return unreadable(load.error)
    }
  }

  function unreadable(error: unknown): Metadata {
    log.error('keys.json could not be read', { error: describe(error) })
    if (!notices.some((notice) => notice.code === 'keys.metadata_unreadable')) {
      notices.push({
        code: 'keys.metadata_unreadable',
        message: `Ascent could not read its list of saved keys (${METADATA_FILE} in its data folder), so it will not change it. Check the folder’s permissions and restart Ascent.`,
      })
    }
    return { kind: 'unreadable' }
  }

  /** Reads keys.json afresh without the lock (writes are atomic); the lock only to set it aside. */
  async function reread(): Promise<Metadata> {
    const read = await readMetadata(metadataPath, options.fs)
    switch (read.kind) {
      case 'loaded':
        return { kind: 'ready', document: read.document }
      case 'missing':
        return { kind: 'ready', document: emptyDocument() }
      case 'invalid':
        return locked(loadDocument)
      case 'unreadable':
        return unreadable(read.error)
    }
  }

  function readyDocument(loaded: Metadata): MetadataDocument {
    metadata = loaded
    if (loaded.kind === 'unreadable') {
      throw new AppError(
        'keys.metadata_unreadable',
        `Ascent cannot read its list of saved keys (${METADATA_FILE}), so it will not change it. Check the data folder’s permissions and restart Ascent.`,
      )
    }
    return loaded.document
  }

  /** The document as last read, or read now. */
  async function currentDocument(): Promise<MetadataDocument> {
    return readyDocument(metadata ?? (await reread()))
  }

  async function writeDocument(document: MetadataDocument): Promise<void> {
    try {
      await saveMetadata(metadataPath, document, options.fs)
    } catch (error) {
      throw writeFailed(error)
    }
    metadata = { kind: 'ready', document }
    knownAccounts = accountsOf(document)
  }

  function writeFailed(error: unknown): AppError {
    log.error('keys.json could not be written', { error: describe(error) })
    return new AppError(
      'keys.metadata_write_failed',
      'Ascent could not save its list of keys to its data folder, so nothing was changed. Check that the disk is not full and the folder is writable, then try again.',
    )
  }

  /**
   * One change of keys.json: under the lock, on the file as it is now (another process may have
   * changed it), written back only if `apply` returns a document.
   */
  function change<T>(
    apply: (document: MetadataDocument) => Promise<{ document?: MetadataDocument; result: T }>,
  ): Promise<T> {
    return serialized(() =>
      locked(async () => {
        const { document, result } = await apply(readyDocument(await loadDocument()))
        if (document) await writeDocument(document)
        return result
      }),
    )
  }

  async function readSecret(account: string): Promise<string | null> {
    counters.keychainReads += 1
    return secrets.get(account)
  }

  async function listKeychain(): Promise<void> {
    try {
      counters.keychainListings += 1
      const accounts = await secrets.accounts()
      present = new Set(accounts.filter((account) => parseAccount(account)))
      foreignAccounts = accounts.length - present.size
    } catch (error) {
      if (!isAppError(error)) throw error
      log.warn('keychain unreachable', { code: error.code })
      present = null
      foreignAccounts = 0
      notices = notices.filter((notice) => notice.code !== error.code)
      notices.push({ code: error.code, message: error.message })
    }
  }

  function retire(fingerprint: string): void {
    signingKeys.delete(fingerprint)
    for (const listener of retiredListeners) listener(fingerprint)
  }

  function summarize(record: TeamRecord): TeamSummary {
    let status: TeamSummary['status'] = record.status
    let statusDetail = record.statusDetail
    if (present === null && reconciled) {
      status = 'unchecked'
      statusDetail = `Ascent could not reach the ${secrets.backend}, so it could not confirm this key is still stored there.`
    } else if (present !== null && !present.has(record.account)) {
      status = 'needs_reimport'
      statusDetail = `The private key is no longer in the ${secrets.backend}. Import AuthKey_${record.keyId}.p8 again.`
    }
    return {
      id: record.id,
      name: record.name,
      keyType: record.keyType,
      issuerId: record.issuerId,
      keyId: record.keyId,
      role: record.role,
      roleVerified: record.roleVerified,
      fingerprintShort: shortFingerprint(record.fingerprint),
      createdAt: record.createdAt,
      lastValidatedAt: record.lastValidatedAt,
      status,
      statusDetail,
    }
  }

  function snapshot(): TeamsState {
    const document = metadata?.kind === 'ready' ? metadata.document : emptyDocument()
    const known = accountsOf(document)
    const orphans: OrphanKey[] = []
    // Without readable metadata every item would look orphaned: offer none rather than all.
    for (const account of metadata?.kind === 'ready' ? (present ?? []) : []) {
      const ids = parseAccount(account)
      if (ids && !known.has(account)) orphans.push({ account, ...ids })
    }
    const teams = document.teams.map(summarize)
    const activeTeamId = teams.some((team) => team.id === document.activeTeamId)
      ? document.activeTeamId
      : (teams[0]?.id ?? null)
    const foreign: Notice[] =
      foreignAccounts > 0
        ? [
            {
              code: 'keys.foreign_items',
              message: `${foreignAccounts} item(s) under “Ascent” in the ${secrets.backend} were not written by this version of Ascent and were left alone.`,
            },
          ]
        : []
    return { teams, activeTeamId, orphans, notices: [...notices, ...foreign] }
  }

  function findTeam(document: MetadataDocument, teamId: string): TeamRecord {
    const record = document.teams.find((team) => team.id === teamId)
    if (!record) {
      throw new AppError('keys.team_not_found', 'That key is no longer saved in Ascent.')
    }
    return record
  }

  function withTeam(document: MetadataDocument, updated: TeamRecord): MetadataDocument {
    return {
      ...document,
      teams: document.teams.map((team) => (team.id === updated.id ? updated : team)),
    }
  }

  /** Changes one saved team's row in keys.json (the keychain is left alone). */
  function updateTeam(
    teamId: string,
    update: (record: TeamRecord) => TeamRecord,
  ): Promise<TeamSummary> {
    return change((document) => {
      const updated = update(findTeam(document, teamId))
      return Promise.resolve({ document: withTeam(document, updated), result: summarize(updated) })
    })
  }

  function cacheSigningKey(fingerprint: string, privateKey: KeyObject): void {
    if (!signingKeys.has(fingerprint)) signingKeys.set(fingerprint, importSigningKey(privateKey))
  }

  function rejectDuplicate(
    document: MetadataDocument,
    keyId: string,
    fingerprint: string,
    exceptTeamId: string | null = null,
  ): void {
    const same = document.teams.find(
      (team) =>
        team.id !== exceptTeamId && (team.keyId === keyId || team.fingerprint === fingerprint),
    )
    if (same) {
      throw new AppError(
        'keys.already_saved',
        `This key is already saved as “${same.name}”. To give it a new private key file, re-import it from that team.`,
      )
    }
  }

  /** The key ID, or with a suffix when a rotated team already carries that ID. */
  function newTeamId(document: MetadataDocument, keyId: string): string {
    const base = teamIdFor(keyId)
    let id = base
    for (let n = 2; document.teams.some((team) => team.id === id); n += 1) id = `${base}-${n}`
    return id
  }

  /**
   * Writes the secret, then the metadata; if the metadata fails, the keychain is put back as it
   * was (the item deleted, or its older secret restored).
   */
  async function writeBoth(
    account: string,
    pem: string,
    document: MetadataDocument,
  ): Promise<void> {
    const previous = await readSecret(account)
    await secrets.set(account, pem)
    present?.add(account)
    try {
      await writeDocument(document)
    } catch (error) {
      await restoreItem(account, previous)
      throw error
    }
  }

  async function restoreItem(account: string, previous: string | null): Promise<void> {
    try {
      if (previous === null) {
        await secrets.delete(account)
        present?.delete(account)
      } else {
        await secrets.set(account, previous)
      }
    } catch (rollbackError) {
      // The item stays behind and is offered back as an orphan at the next start.
      log.error('could not undo a keychain write after keys.json failed', {
        account,
        error: describe(rollbackError),
      })
    }
  }

  function at(): string {
    return new Date(options.now()).toISOString()
  }

  const store: KeyStore = {
    async reconcile() {
      return serialized(async () => {
        notices = []
        metadata = await locked(loadDocument).catch((error: unknown) => {
          // The data folder cannot take the lock (not a folder, no permission): read as is.
          if (!isAppError(error) || error.code !== 'keys.metadata_write_failed') throw error
          return reread()
        })
        if (metadata.kind === 'ready') knownAccounts = accountsOf(metadata.document)
        await listKeychain()
        reconciled = true
        return snapshot()
      })
    },

    async state() {
      if (!reconciled) {
        // A reconcile already under way (the one at start-up) answers for this call too.
        await queue
        if (!reconciled) return store.reconcile()
      }
      return serialized(async () => {
        metadata = await reread()
        if (metadata.kind === 'ready') {
          const accounts = accountsOf(metadata.document)
          // Another process (the command line) added or removed a key: look in the keychain again.
          if (!sameSet(accounts, knownAccounts)) {
            knownAccounts = accounts
            await listKeychain()
          }
        }
        return snapshot()
      })
    },

    async savedTeams() {
      const document = await serialized(async () => readyDocument(await reread()))
      return { teams: document.teams.map(summarize), activeTeamId: document.activeTeamId }
    },

    async details(teamId) {
      const document = await serialized(async () => readyDocument(await reread()))
      const record = findTeam(document, teamId)
      const stored = record.lastUsedAt ? Date.parse(record.lastUsedAt) : null
      const used = Math.max(stored ?? 0, usedAt.get(teamId) ?? 0)
      return {
        ...summarize(record),
        fingerprint: record.fingerprint,
        lastUsedAt: used > 0 ? new Date(used).toISOString() : null,
        history: historyItems(record.history),
        secretStore: secrets.backend,
        keychainAccount: record.account,
        integrationsUrl: API_KEYS_URL,
      }
    },

    async save(input) {
      const name = validName(input.name)
      return change(async (document) => {
        // The draft is read here, in turn: one wiped while this waited is refused, never written.
        const { draft, secret } = liveDraft(drafts, input.draftId)
        const ids = checkIds({
          keyType: input.keyType,
          issuerId: input.issuerId ?? '',
          keyId: input.keyId,
          keyIdFromFileName: draft.keyIdFromFileName,
        })
        const blocking = blockingProblem(ids)
        if (blocking || !ids.keyId) {
          throw new AppError(blocking?.code ?? 'input.key_id_invalid', blocking?.message ?? '')
        }
        const keyId = ids.keyId
        const { fingerprint } = draft
        const identity = { keyType: input.keyType, keyId, issuerId: ids.issuerId }
        rejectDuplicate(document, keyId, fingerprint)
        const id = newTeamId(document, keyId)
        const now = at()
        const blocked = input.blockedByAgreements === true
        const record: TeamRecord = {
          id,
          account: accountFor(identity),
          name,
          keyType: input.keyType,
          issuerId: ids.issuerId,
          keyId,
          role: input.role,
          roleVerified: input.role !== null && input.roleVerified === true,
          fingerprint,
          createdAt: now,
          lastValidatedAt: now,
          lastUsedAt: null,
          status: blocked ? 'blocked_agreements' : 'verified',
          statusDetail: blocked ? AGREEMENTS_DETAIL : null,
          history: [{ kind: 'added', at: now, via: input.via ?? 'app' }],
        }
        await writeBoth(record.account, secret.pem.toString('utf8'), {
          ...document,
          activeTeamId: document.activeTeamId ?? id,
          teams: [...document.teams, record],
        })
        cacheSigningKey(fingerprint, secret.privateKey)
        drafts.wipe(input.draftId)
        return { result: summarize(record) }
      })
    },

    replaceSecret(teamId, draftId) {
      return change(async (document) => {
        const record = findTeam(document, teamId)
        const { draft, secret } = liveDraft(drafts, draftId)
        const { fingerprint } = draft
        if (fingerprint !== record.fingerprint) {
          // A key ID names one private key for good. A file with another key is only accepted
          // when it says it belongs to this key ID (its name or fastlane file) — the case of a
          // key file that was lost and is now brought back from a different copy.
          const namedFor = draft.prefill.keyId ?? draft.keyIdFromFileName
          if (namedFor !== record.keyId) {
            throw new AppError(
              'keys.replace_mismatch',
              `This file holds a different private key (${shortFingerprint(fingerprint)}) from the one saved for key ${record.keyId} (${shortFingerprint(record.fingerprint)}). Choose AuthKey_${record.keyId}.p8, or add this key as a new team.`,
            )
          }
          const other = document.teams.find(
            (team) => team.fingerprint === fingerprint && team.id !== teamId,
          )
          if (other) rejectDuplicate(document, other.keyId, fingerprint)
        }
        const now = at()
        const updated: TeamRecord = {
          ...record,
          fingerprint,
          lastValidatedAt: now,
          status: 'verified',
          statusDetail: null,
          history: appendHistory(record.history, { kind: 'reimported', at: now }),
        }
        await writeBoth(record.account, secret.pem.toString('utf8'), withTeam(document, updated))
        if (record.fingerprint !== fingerprint) retire(record.fingerprint)
        cacheSigningKey(fingerprint, secret.privateKey)
        drafts.wipe(draftId)
        return { result: summarize(updated) }
      })
    },

    /**
     * Moves a team to another key of the same team, in an order that keeps the old key working
     * whatever fails: (1) the new keychain item is written; (2) keys.json switches the team to it
     * in one atomic write (on failure the new item is removed again); (3) only then is the old
     * item deleted. A failure at (3) leaves the team on its new key and the old item behind,
     * offered back as a key without a team. No keychain write ever follows the old item's removal.
     */
    rotate(teamId, input) {
      return change(async (document) => {
        const record = findTeam(document, teamId)
        const { draft, secret } = liveDraft(drafts, input.draftId)
        const { identity } = input
        const { fingerprint } = draft
        const unchanged = `Nothing was changed: “${record.name}” still uses key ${record.keyId}.`
        if (identity.keyType !== record.keyType) {
          throw new AppError(
            'keys.rotate_other_type',
            `“${record.name}” holds ${record.keyType === 'team' ? 'a team key' : 'an individual key'}, and this is ${identity.keyType === 'team' ? 'a team key' : 'an individual key'}. A key can only be replaced by one of the same kind; add this one as a new team instead. ${unchanged}`,
          )
        }
        if (identity.keyType === 'team' && identity.issuerId !== record.issuerId) {
          throw new AppError(
            'keys.rotate_other_team',
            `This key belongs to another team (issuer ID ${identity.issuerId ?? 'none'}), not to “${record.name}” (issuer ID ${record.issuerId ?? 'none'}). Choose a key generated in the same team, or add this one as a new team. ${unchanged}`,
          )
        }
        if (identity.keyId === record.keyId || fingerprint === record.fingerprint) {
          throw new AppError(
            'keys.rotate_same_key',
            `This is the key “${record.name}” already uses (${record.keyId}). Generate a new key in App Store Connect and choose its file; to bring back a lost copy of this one, use Re-import instead. ${unchanged}`,
          )
        }
        rejectDuplicate(document, identity.keyId, fingerprint, teamId)

        const account = accountFor(identity)
        const now = at()
        const blocked = input.blockedByAgreements
        const updated: TeamRecord = {
          ...record,
          account,
          keyId: identity.keyId,
          fingerprint,
          role: input.role,
          roleVerified: input.role !== null && input.roleVerified,
          lastValidatedAt: now,
          status: blocked ? 'blocked_agreements' : 'verified',
          statusDetail: blocked ? AGREEMENTS_DETAIL : null,
          history: appendHistory(record.history, {
            kind: 'rotated',
            at: now,
            fromKeyId: record.keyId,
            toKeyId: identity.keyId,
          }),
        }
        try {
          await writeBoth(account, secret.pem.toString('utf8'), withTeam(document, updated))
        } catch (error) {
          if (!isAppError(error)) throw error
          throw new AppError(error.code, `${error.message} ${unchanged}`)
        }

        let previousItemRemoved = true
        try {
          await secrets.delete(record.account)
          present?.delete(record.account)
        } catch (error) {
          previousItemRemoved = false
          log.warn('the old keychain item could not be deleted after a rotation', {
            account: record.account,
            error: describe(error),
          })
        }
        retire(record.fingerprint)
        cacheSigningKey(fingerprint, secret.privateKey)
        drafts.wipe(input.draftId)
        return {
          result: { team: summarize(updated), previousKeyId: record.keyId, previousItemRemoved },
        }
      })
    },

    async rename(teamId, name) {
      const valid = validName(name)
      return updateTeam(teamId, (team) => ({ ...team, name: valid }))
    },

    remove(teamId) {
      return change(async (document) => {
        const record = findTeam(document, teamId)
        // The keychain first: if it refuses, nothing has changed and the user can try again.
        await secrets.delete(record.account)
        present?.delete(record.account)
        const teams = document.teams.filter((team) => team.id !== teamId)
        await writeDocument({
          ...document,
          teams,
          activeTeamId:
            document.activeTeamId === teamId ? (teams[0]?.id ?? null) : document.activeTeamId,
        })
        retire(record.fingerprint)
        return { result: undefined }
      })
    },

    setActive(teamId) {
      return change((document) => {
        findTeam(document, teamId)
        return Promise.resolve(
          document.activeTeamId === teamId
            ? { result: undefined }
            : { document: { ...document, activeTeamId: teamId }, result: undefined },
        )
      })
    },

    markValidated: (teamId, time) =>
      updateTeam(teamId, (team) => ({
        ...team,
        status: 'verified',
        statusDetail: null,
        lastValidatedAt: new Date(time).toISOString(),
      })),

    markRejected: (teamId, detail) =>
      updateTeam(teamId, (team) => ({ ...team, status: 'rejected', statusDetail: detail })),

    recordCheck(teamId, verdict) {
      return updateTeam(teamId, (team) => {
        const now = at()
        const history = appendHistory(team.history, {
          kind: 'checked',
          at: now,
          code: verdict.code,
          ok: verdict.outcome === 'accepted',
          via: verdict.via,
        })
        switch (verdict.outcome) {
          case 'accepted':
            return {
              ...team,
              status: 'verified',
              statusDetail: null,
              lastValidatedAt: now,
              roleVerified: team.role !== null && verdict.confirmedRole === team.role,
              history,
            }
          case 'blocked':
            return {
              ...team,
              status: 'blocked_agreements',
              statusDetail: verdict.detail,
              lastValidatedAt: now,
              history,
            }
          case 'rejected':
            return { ...team, status: 'rejected', statusDetail: verdict.detail, history }
          case 'inconclusive':
            return { ...team, history }
        }
      })
    },

    async recordHistory(teamId, entry) {
      await updateTeam(teamId, (team) => ({
        ...team,
        history: appendHistory(team.history, entry),
      }))
    },

    async withSecret(teamId, use) {
      const record = findTeam(await currentDocument(), teamId)
      const missing = () =>
        new AppError(
          'keys.secret_missing',
          `The private key of “${record.name}” is no longer in the ${secrets.backend}, so there is nothing to export. Import AuthKey_${record.keyId}.p8 again (Replace Key… → Re-import), then export.`,
        )
      if (present !== null && !present.has(record.account)) throw missing()
      const text = await readSecret(record.account)
      if (text === null) {
        present?.delete(record.account)
        throw missing()
      }
      const parsed = parseKeyText(text)
      if (!parsed.ok || parsed.key.fingerprint !== record.fingerprint) {
        if (parsed.ok) parsed.key.pem.fill(0)
        throw new AppError(
          'keys.secret_mismatch',
          `The ${secrets.backend} holds a different or damaged private key for “${record.name}”, so Ascent exports nothing. Import AuthKey_${record.keyId}.p8 again.`,
        )
      }
      try {
        return await use(parsed.key.pem, summarize(record))
      } finally {
        parsed.key.pem.fill(0)
      }
    },

    noteUsed(fingerprint) {
      if (closed || metadata?.kind !== 'ready') return
      const record = metadata.document.teams.find((team) => team.fingerprint === fingerprint)
      if (!record) return
      const { id } = record
      const now = options.now()
      usedAt.set(id, Math.max(now, usedAt.get(id) ?? 0))
      const stored = record.lastUsedAt ? Date.parse(record.lastUsedAt) : null
      if ((stored !== null && now - stored < USE_RECORD_INTERVAL_MS) || useWrites.has(id)) return
      useWrites.add(id)
      updateTeam(id, (team) => {
        const latest = Math.max(
          usedAt.get(id) ?? 0,
          team.lastUsedAt ? Date.parse(team.lastUsedAt) : 0,
        )
        return { ...team, lastUsedAt: new Date(latest).toISOString() }
      })
        .catch((error: unknown) => {
          log.warn('could not record when a key was last used', { error: describe(error) })
        })
        .finally(() => useWrites.delete(id))
    },

    savedAs(fingerprint) {
      if (metadata?.kind !== 'ready') return null
      const team = metadata.document.teams.find((record) => record.fingerprint === fingerprint)
      return team ? { teamId: team.id, name: team.name } : null
    },

    async adoptOrphan(account, name) {
      const valid = validName(name)
      return change(async (document) => {
        const ids = parseAccount(account)
        if (!ids || document.teams.some((team) => team.account === account)) {
          throw orphanNotFound()
        }
        const secret = await readSecret(account)
        if (secret === null) {
          present?.delete(account)
          throw orphanNotFound()
        }
        const parsed = parseKeyText(secret)
        if (!parsed.ok) {
          throw new AppError(
            'keys.orphan_invalid',
            `The ${secrets.backend} item for key ${ids.keyId} does not hold a usable private key. Forget it, then import AuthKey_${ids.keyId}.p8 again.`,
          )
        }
        parsed.key.pem.fill(0)
        rejectDuplicate(document, ids.keyId, parsed.key.fingerprint)
        const id = newTeamId(document, ids.keyId)
        const now = at()
        const record: TeamRecord = {
          id,
          account,
          name: valid,
          ...ids,
          role: null,
          roleVerified: false,
          fingerprint: parsed.key.fingerprint,
          createdAt: now,
          lastValidatedAt: null,
          lastUsedAt: null,
          status: 'unchecked',
          statusDetail: null,
          history: [{ kind: 'added', at: now, via: 'keychain' }],
        }
        await writeDocument({
          ...document,
          activeTeamId: document.activeTeamId ?? id,
          teams: [...document.teams, record],
        })
        present?.add(account)
        return { result: summarize(record) }
      })
    },

    forgetOrphan(account) {
      return change(async (document) => {
        if (!parseAccount(account) || document.teams.some((team) => team.account === account)) {
          throw orphanNotFound()
        }
        await secrets.delete(account)
        present?.delete(account)
        return { result: undefined }
      })
    },

    async identityOf(teamId) {
      await queue
      const record = findTeam(await currentDocument(), teamId)
      return {
        keyType: record.keyType,
        keyId: record.keyId,
        issuerId: record.issuerId,
        fingerprint: record.fingerprint,
      }
    },

    loadSigningKey(identity) {
      const { fingerprint } = identity
      const cached = signingKeys.get(fingerprint)
      if (cached) return cached
      const loading = (async () => {
        const draft = drafts.findByFingerprint(fingerprint)
        if (draft) return importSigningKey(draft.privateKey)
        const record = (await currentDocument()).teams.find(
          (team) => team.fingerprint === fingerprint,
        )
        if (!record) {
          throw new AppError(
            'keys.unknown_key',
            'This key is neither saved nor recently imported. Import the key file again.',
          )
        }
        const pem = await readSecret(record.account)
        if (pem === null) {
          present?.delete(record.account)
          throw new AppError(
            'keys.secret_missing',
            `The private key of “${record.name}” is no longer in the ${secrets.backend}. Import AuthKey_${record.keyId}.p8 again.`,
          )
        }
        const parsed = parseKeyText(pem)
        if (parsed.ok) parsed.key.pem.fill(0)
        if (!parsed.ok || parsed.key.fingerprint !== fingerprint) {
          throw new AppError(
            'keys.secret_mismatch',
            `The ${secrets.backend} holds a different or damaged private key for “${record.name}”. Import AuthKey_${record.keyId}.p8 again.`,
          )
        }
        return importSigningKey(parsed.key.privateKey)
      })()
      signingKeys.set(fingerprint, loading)
      loading.catch(() => {
        if (signingKeys.get(fingerprint) === loading) signingKeys.delete(fingerprint)
      })
      return loading
    },

    releaseDraftKey(fingerprint) {
      const saved =
        metadata?.kind === 'ready' &&
        metadata.document.teams.some((team) => team.fingerprint === fingerprint)
      if (!saved && !drafts.findByFingerprint(fingerprint)) retire(fingerprint)
    },

    onKeyRetired(listener) {
      retiredListeners.add(listener)
      return () => retiredListeners.delete(listener)
    },

    async settle() {
      await queue
    },

    async close() {
      closed = true
      await queue
    },

    counters: () => ({ ...counters }),
  }
  return store
}

/** The status detail of a team blocked by agreements. */
export const AGREEMENTS_DETAIL =
  'Apple accepted the key, but an agreement in App Store Connect is unsigned or expired, which blocks the team’s API. The Account Holder signs it under Business; then Check Now.'

function validName(name: string): string {
  const trimmed = name.trim()
  if (!trimmed || trimmed.length > MAX_NAME_LENGTH) {
    throw new AppError(
      'keys.name_invalid',
      `Give the key a name of 1 to ${MAX_NAME_LENGTH} characters.`,
    )
  }
  return trimmed
}

function orphanNotFound(): AppError {
  return new AppError(
    'keys.orphan_not_found',
    'That keychain item is no longer there, or it already belongs to a saved key.',
  )
}

function accountsOf(document: MetadataDocument): Set<string> {
  return new Set(document.teams.map((team) => team.account))
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((item) => b.has(item))
}

/** For the log: the error's code or name, never its message. */
function describe(error: unknown): string {
  return errorCode(error) ?? (error instanceof Error ? error.name : 'unknown')
}
