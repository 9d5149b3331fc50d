import type { KeyObject, webcrypto } from 'node:crypto'
import { join } from 'node:path'
import type { Notice, OrphanKey, TeamSummary, TeamsState } from '../../shared/contract/teams'
import type { KeyType, Role } from '../../shared/keys'
import { blockingProblem, checkIds } from '../../shared/keys'
import { AppError, errorCode, isAppError } from '../errors'
import type { Logger } from '../log'
import type { SecretStore } from '../secrets'
import type { SigningIdentity } from '../tokens'
import { accountFor, parseAccount, teamIdFor } from './accounts'
import type { DraftStore } from './drafts'
import { liveDraft } from './drafts'
import type { MetadataDocument, MetadataFs, TeamRecord } from './metadata'
import { METADATA_FILE, emptyDocument, loadMetadata, saveMetadata } from './metadata'
import { parseKeyText, shortFingerprint } from './parse'
import { importSigningKey } from './signing-key'

/**
 * Saved keys: one keychain item per key (the secret) plus a row in keys.json (everything else).
 * Every change keeps the two in step: nothing is ever half-saved, and nothing in the keychain is
 * deleted unless the user asked for it.
 */

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
}

export interface KeyStoreCounters {
  /** Secrets read from the keychain (`get`), this session. */
  keychainReads: number
  /** Listings of the keychain's accounts (`accounts`), this session. */
  keychainListings: number
}

export interface KeyStore {
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
  identityOf: (teamId: string) => Promise<SigningIdentity>
  /** A token signer's key loader: one keychain read per key per session. */
  loadSigningKey: (identity: SigningIdentity) => Promise<webcrypto.CryptoKey>
  /** Drops the cached signing key of a wiped draft unless a saved key or live draft uses it. */
  releaseDraftKey: (fingerprint: string) => void
  /** Called with the fingerprint of every key removed, replaced, or discarded unsaved. */
  onKeyRetired: (listener: (fingerprint: string) => void) => () => void
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

export function createKeyStore(options: KeyStoreOptions): KeyStore {
  const { secrets, drafts, log } = options
  const metadataPath = join(options.dataDir, METADATA_FILE)
  let metadata: Metadata | null = null
  /** Accounts in the keychain at the last look; null when the keychain could not be reached. */
  let present: Set<string> | null = null
  let reconciled = false
  let notices: Notice[] = []
  let foreignAccounts = 0
  const signingKeys = new Map<string, Promise<webcrypto.CryptoKey>>()
  const retiredListeners = new Set<(fingerprint: string) => void>()
  const counters: KeyStoreCounters = { keychainReads: 0, keychainListings: 0 }
  let queue: Promise<unknown> = Promise.resolve()

  /** Changes run one at a time, so two writes of keys.json never interleave. */
  function serialized<T>(change: () => Promise<T>): Promise<T> {
    const result = queue.then(change)
    queue = result.catch(() => undefined)
    return result
  }

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
        log.error('keys.json could not be read', { error: describe(load.error) })
        notices.push({
          code: 'keys.metadata_unreadable',
          message: `Ascent could not read its list of saved keys (${METADATA_FILE} in its data folder), so it will not change it. Check the folder’s permissions and restart Ascent.`,
        })
        return { kind: 'unreadable' }
    }
  }

  async function documentOrThrow(): Promise<MetadataDocument> {
    metadata ??= await loadDocument()
    if (metadata.kind === 'unreadable') {
      throw new AppError(
        'keys.metadata_unreadable',
        `Ascent cannot read its list of saved keys (${METADATA_FILE}), so it will not change it. Check the data folder’s permissions and restart Ascent.`,
      )
    }
    return metadata.document
  }

  async function writeDocument(document: MetadataDocument): Promise<void> {
    try {
      await saveMetadata(metadataPath, document, options.fs)
    } catch (error) {
      log.error('keys.json could not be written', { error: describe(error) })
      throw new AppError(
        'keys.metadata_write_failed',
        'Ascent could not save its list of keys to its data folder, so nothing was changed. Check that the disk is not full and the folder is writable, then try again.',
      )
    }
    metadata = { kind: 'ready', document }
  }

  async function readSecret(account: string): Promise<string | null> {
    counters.keychainReads += 1
    return secrets.get(account)
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
      roleVerified: record.roleVerified ?? false,
      fingerprintShort: shortFingerprint(record.fingerprint),
      createdAt: record.createdAt,
      lastValidatedAt: record.lastValidatedAt,
      status,
      statusDetail,
    }
  }

  function snapshot(): TeamsState {
    const document = metadata?.kind === 'ready' ? metadata.document : emptyDocument()
    const known = new Set(document.teams.map((team) => team.account))
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
    change: (record: TeamRecord) => TeamRecord,
  ): Promise<TeamSummary> {
    return serialized(async () => {
      const document = await documentOrThrow()
      const updated = change(findTeam(document, teamId))
      await writeDocument(withTeam(document, updated))
      return summarize(updated)
    })
  }

  function cacheSigningKey(fingerprint: string, privateKey: KeyObject): void {
    if (!signingKeys.has(fingerprint)) signingKeys.set(fingerprint, importSigningKey(privateKey))
  }

  function rejectDuplicate(document: MetadataDocument, id: string, fingerprint: string): void {
    const same = document.teams.find((team) => team.id === id || team.fingerprint === fingerprint)
    if (same) {
      throw new AppError(
        'keys.already_saved',
        `This key is already saved as “${same.name}”. To give it a new private key file, re-import it from that team.`,
      )
    }
  }

  /** Writes the secret, then the metadata; if the metadata fails, the keychain is put back. */
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
      throw error
    }
  }

  const store: KeyStore = {
    async reconcile() {
      return serialized(async () => {
        notices = []
        metadata = await loadDocument()
        try {
          counters.keychainListings += 1
          const accounts = await secrets.accounts()
          present = new Set(accounts.filter((account) => parseAccount(account)))
          foreignAccounts = accounts.length - present.size
        } catch (error) {
          if (!isAppError(error)) throw error
          log.warn('keychain unreachable at start-up', { code: error.code })
          present = null
          foreignAccounts = 0
          notices.push({ code: error.code, message: error.message })
        }
        reconciled = true
        return snapshot()
      })
    },

    async state() {
      // A reconcile already under way (the one at start-up) answers for this call too.
      await queue
      return reconciled ? snapshot() : store.reconcile()
    },

    save(input) {
      return serialized(async () => {
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
        const name = validName(input.name)
        const document = await documentOrThrow()
        const { fingerprint } = draft
        const identity = { keyType: input.keyType, keyId: ids.keyId, issuerId: ids.issuerId }
        const id = teamIdFor(ids.keyId)
        rejectDuplicate(document, id, fingerprint)

        const at = new Date(options.now()).toISOString()
        const record: TeamRecord = {
          id,
          account: accountFor(identity),
          name,
          keyType: input.keyType,
          issuerId: ids.issuerId,
          keyId: ids.keyId,
          role: input.role,
          roleVerified: input.role !== null && input.roleVerified === true,
          fingerprint,
          createdAt: at,
          lastValidatedAt: at,
          status: 'verified',
          statusDetail: null,
        }
        await writeBoth(record.account, secret.pem.toString('utf8'), {
          ...document,
          activeTeamId: document.activeTeamId ?? id,
          teams: [...document.teams, record],
        })
        cacheSigningKey(fingerprint, secret.privateKey)
        drafts.wipe(input.draftId)
        return summarize(record)
      })
    },

    replaceSecret(teamId, draftId) {
      return serialized(async () => {
        const document = await documentOrThrow()
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
          if (other) rejectDuplicate(document, other.id, fingerprint)
        }
        const at = new Date(options.now()).toISOString()
        const updated: TeamRecord = {
          ...record,
          fingerprint,
          lastValidatedAt: at,
          status: 'verified',
          statusDetail: null,
        }
        await writeBoth(record.account, secret.pem.toString('utf8'), withTeam(document, updated))
        if (record.fingerprint !== fingerprint) retire(record.fingerprint)
        cacheSigningKey(fingerprint, secret.privateKey)
        drafts.wipe(draftId)
        return summarize(updated)
      })
    },

    rename: (teamId, name) => updateTeam(teamId, (team) => ({ ...team, name: validName(name) })),

    remove(teamId) {
      return serialized(async () => {
        const document = await documentOrThrow()
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
      })
    },

    setActive(teamId) {
      return serialized(async () => {
        const document = await documentOrThrow()
        findTeam(document, teamId)
        if (document.activeTeamId !== teamId) {
          await writeDocument({ ...document, activeTeamId: teamId })
        }
      })
    },

    markValidated: (teamId, at) =>
      updateTeam(teamId, (team) => ({
        ...team,
        status: 'verified',
        statusDetail: null,
        lastValidatedAt: new Date(at).toISOString(),
      })),

    markRejected: (teamId, detail) =>
      updateTeam(teamId, (team) => ({ ...team, status: 'rejected', statusDetail: detail })),

    adoptOrphan(account, name) {
      return serialized(async () => {
        const document = await documentOrThrow()
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
        const id = teamIdFor(ids.keyId)
        rejectDuplicate(document, id, parsed.key.fingerprint)
        const record: TeamRecord = {
          id,
          account,
          name: validName(name),
          ...ids,
          role: null,
          fingerprint: parsed.key.fingerprint,
          createdAt: new Date(options.now()).toISOString(),
          lastValidatedAt: null,
          status: 'unchecked',
          statusDetail: null,
        }
        await writeDocument({
          ...document,
          activeTeamId: document.activeTeamId ?? id,
          teams: [...document.teams, record],
        })
        present?.add(account)
        return summarize(record)
      })
    },

    forgetOrphan(account) {
      return serialized(async () => {
        const document = await documentOrThrow()
        if (!parseAccount(account) || document.teams.some((team) => team.account === account)) {
          throw orphanNotFound()
        }
        await secrets.delete(account)
        present?.delete(account)
      })
    },

    async identityOf(teamId) {
      await queue
      const record = findTeam(await documentOrThrow(), teamId)
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
        const record = (await documentOrThrow()).teams.find(
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

    counters: () => ({ ...counters }),
  }
  return store
}

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

/** For the log: the error's code or name, never its message. */
function describe(error: unknown): string {
  return errorCode(error) ?? (error instanceof Error ? error.name : 'unknown')
}
