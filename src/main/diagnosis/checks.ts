import type { ParsedRequestOf } from '../../shared/contract'
import type { RotationAnswer } from '../../shared/contract/key-life'
import type { CheckReport } from '../../shared/contract/keys'
import type { TeamSummary } from '../../shared/contract/teams'
import type { Diagnosis } from '../../shared/diagnosis'
import type { Role } from '../../shared/keys'
import { REIMPORT_CODES } from '../../shared/keys'
import type { AscClient } from '../asc'
import { AppError, isAppError } from '../errors'
import type { CheckVerdict, Keys, Via } from '../keys'
import { revokeReminder } from '../keys'
import type { Platform } from '../platform'
import type { SigningIdentity, TokenSigner } from '../tokens'
import * as copy from './copy'
import type { Surface } from './copy'
import type { CheckOutcome, PrivateKeyStatus } from './engine'
import { checkCanceled, runKeyCheck } from './engine'
import type { SeenApp } from './naming'
import { suggestTeamName } from './naming'
import { inferRole } from './role'

/**
 * The live check behind the wizard, the save that only takes what a passed check verified, and
 * the re-check of a saved team.
 *
 * Every check is recorded under its `checkId`: running (with the AbortController that cancels it),
 * then finished, with the draft, the normalized IDs and the role it verified. `keys:save` looks the
 * check up; there is no other way to save a key.
 */

export interface KeyChecksOptions {
  keys: Keys
  /** Built on `tokens`. */
  asc: AscClient
  tokens: TokenSigner
  now: () => number
  notify: Platform['notify']
  /** Whose controls the hints name: the app's (default) or the command line's flags. */
  surface?: Surface
  /** Who saves and checks, for the teams' history: the app (default) or `ascent`. */
  via?: Via
}

export interface KeyChecks {
  /** Runs the check, reporting progress as `keys:checkProgress`; throws `keys.check_canceled`. */
  check: (request: ParsedRequestOf<'keys:check'>) => Promise<CheckReport>
  /** Aborts a running check and forgets any check under this ID. Unknown IDs are ignored. */
  cancel: (checkId: string) => void
  save: (request: ParsedRequestOf<'keys:save'>) => Promise<TeamSummary>
  /** Replace Key: the team moves to the key a passed check verified (see KeyStore.rotate). */
  rotate: (request: ParsedRequestOf<'keys:rotate'>) => Promise<RotationAnswer>
  recheck: (teamId: string) => Promise<Diagnosis>
  /** Aborts everything running (at quit). */
  dispose: () => void
}

/** A passed check stays good for saving as long as an imported key stays in memory. */
const CHECK_TTL_MS = 10 * 60 * 1000
/** Finished checks remembered at once; older ones are forgotten first. */
const MAX_FINISHED_CHECKS = 50

interface RunningCheck {
  state: 'running'
  draftId: string
  controller: AbortController
}

interface FinishedCheck {
  state: 'finished'
  draftId: string
  fingerprint: string
  /** Normalized IDs; null when the IDs were not valid. */
  identity: SigningIdentity | null
  role: Role | null
  roleVerified: boolean
  /** Apple accepted the key (it may be saved), perhaps with the team blocked by agreements. */
  passed: boolean
  blockedByAgreements: boolean
  finishedAt: number
}

type CheckRecord = RunningCheck | FinishedCheck

/**
 * Apple accepted the key, but an unsigned or expired agreement blocks the team's API: the key is
 * good, and may be saved, marked blocked until a check passes.
 */
export function blockedByAgreements(outcome: CheckOutcome): boolean {
  return outcome.authenticated && outcome.diagnosis.code === 'access.agreements'
}

/** What a check of a saved key means for the team's status (see KeyStore.recordCheck). */
export function verdictOf(outcome: CheckOutcome, via: Via): CheckVerdict {
  const { diagnosis } = outcome
  const detail = `${diagnosis.title}. ${diagnosis.hints[0] ?? ''}`.trim()
  const confirmedRole = outcome.roleVerified ? outcome.role : null
  const base = { code: diagnosis.code, detail, via, confirmedRole }
  // Only Apple's refusal marks a key rejected: a network or server failure says nothing about
  // the key, and must not turn a good key red.
  if (blockedByAgreements(outcome)) return { ...base, outcome: 'blocked' }
  if (outcome.authenticated) return { ...base, outcome: 'accepted' }
  if (diagnosis.code === 'auth.rejected') return { ...base, outcome: 'rejected' }
  return { ...base, outcome: 'inconclusive' }
}

export function createKeyChecks(options: KeyChecksOptions): KeyChecks {
  const { keys, now } = options
  const via = options.via ?? 'app'
  const env = { asc: options.asc, tokens: options.tokens, surface: options.surface }
  const records = new Map<string, CheckRecord>()
  const rechecks = new Set<AbortController>()

  function forgetOld(): void {
    const finished = [...records].filter(
      (entry): entry is [string, FinishedCheck] => entry[1].state === 'finished',
    )
    const tooMany = finished.length - MAX_FINISHED_CHECKS
    finished.forEach(([checkId, record], index) => {
      if (index < tooMany || now() - record.finishedAt > CHECK_TTL_MS) records.delete(checkId)
    })
  }

  function verifiedCheck(checkId: string): FinishedCheck & { identity: SigningIdentity } {
    const record = records.get(checkId)
    if (!record) {
      throw new AppError(
        'keys.check_unknown',
        'Ascent has no record of this check: it was canceled, already used, or Ascent restarted. Check the key again.',
      )
    }
    if (record.state === 'running') {
      throw new AppError('keys.check_running', 'The check is still running. Wait for it to finish.')
    }
    if (!record.passed || !record.identity) {
      throw new AppError(
        'keys.check_failed',
        'Apple did not accept this key in its check, so it cannot be saved. Fix the problem the check found, then check again.',
      )
    }
    if (now() - record.finishedAt > CHECK_TTL_MS) {
      records.delete(checkId)
      throw new AppError(
        'keys.check_expired',
        'This check is more than 10 minutes old. Check the key again before saving it.',
      )
    }
    return { ...record, identity: record.identity }
  }

  /** The apps the key sees, for the suggested name; null when they cannot be listed. */
  async function appsSeen(
    identity: SigningIdentity,
    signal: AbortSignal,
  ): Promise<SeenApp[] | null> {
    try {
      const apps = await options.asc.forKey(identity).listApps({ signal })
      return apps.map((app) => ({ name: app.name, bundleId: app.bundleId }))
    } catch {
      return null
    }
  }

  /** A passed check whose imported key is still the one it checked. */
  function liveCheck(checkId: string): FinishedCheck & { identity: SigningIdentity } {
    const checked = verifiedCheck(checkId)
    // Throws `keys.draft_expired` once the imported key was wiped (saved, discarded, 10 minutes).
    const live = keys.draftIdentity(checked.draftId, checked.identity)
    if (live.fingerprint !== checked.fingerprint) {
      throw new AppError(
        'keys.check_stale',
        'The imported key changed after it was checked. Check it again before saving.',
      )
    }
    return checked
  }

  return {
    async check(request) {
      const { checkId, draftId } = request
      forgetOld()
      if (records.get(checkId)?.state === 'running') {
        throw new AppError('keys.check_running', 'This check is already running.')
      }
      // One check per imported key at a time: the newest replaces a running one (which answers
      // keys.check_canceled), so two never send the same key's requests side by side.
      for (const [id, record] of records) {
        if (record.state === 'running' && record.draftId === draftId) {
          record.controller.abort()
          records.delete(id)
        }
      }
      // Throws `keys.draft_expired` when the imported key is no longer in memory.
      const { fingerprint } = keys.draftIdentity(draftId, request)
      const keyIdFromFileName = keys.getDraft(draftId)?.keyIdFromFileName ?? null
      const running: RunningCheck = {
        state: 'running',
        draftId,
        controller: new AbortController(),
      }
      records.set(checkId, running)
      const { signal } = running.controller
      try {
        const outcome = await runKeyCheck(
          {
            keyType: request.keyType,
            issuerId: request.issuerId,
            keyId: request.keyId,
            keyIdFromFileName,
            privateKey: { ok: true, fingerprint },
            claimedRole: request.role,
          },
          env,
          {
            signal,
            onProgress: (steps) => options.notify('keys:checkProgress', { checkId, steps }),
          },
        )
        const blocked = blockedByAgreements(outcome)
        const passed = outcome.accepted || blocked
        // Blocked, the check could read nothing that tells the role: it is the user's word.
        const role = blocked
          ? inferRole(request.keyType, request.role, { testFlight: null, users: null })
          : outcome.role
        const roleVerified = blocked ? false : outcome.roleVerified
        const { identity } = outcome
        const name =
          passed && identity
            ? suggestTeamName({
                keyType: identity.keyType,
                apps: outcome.accepted ? await appsSeen(identity, signal) : null,
                taken: (await keys.savedTeams()).teams.map((team) => team.name),
              })
            : null
        if (signal.aborted) throw checkCanceled()
        records.set(checkId, {
          state: 'finished',
          draftId,
          fingerprint,
          identity,
          role,
          roleVerified,
          passed,
          blockedByAgreements: blocked,
          finishedAt: now(),
        })
        return {
          checkId,
          diagnosis: outcome.diagnosis,
          warnings: outcome.warnings,
          steps: outcome.steps,
          canSave: passed,
          suggestedName: name,
          role,
          roleVerified,
        }
      } catch (error) {
        if (records.get(checkId) === running) records.delete(checkId)
        throw error
      }
    },

    cancel(checkId) {
      const record = records.get(checkId)
      if (record?.state === 'running') record.controller.abort()
      records.delete(checkId)
    },

    async save({ checkId, name, replaceTeamId }) {
      const checked = liveCheck(checkId)
      const { identity, draftId } = checked
      let team: TeamSummary
      if (replaceTeamId) {
        const saved = await keys.identityOf(replaceTeamId)
        if (
          saved.keyType !== identity.keyType ||
          saved.keyId !== identity.keyId ||
          saved.issuerId !== identity.issuerId
        ) {
          throw new AppError(
            'keys.check_other_key',
            `This check verified key ${identity.keyId}, not the key saved for this team (${saved.keyId}). Import AuthKey_${saved.keyId}.p8 and check it instead.`,
          )
        }
        team = await keys.replaceSecret(replaceTeamId, draftId)
        if (team.name !== name) team = await keys.rename(replaceTeamId, name)
      } else {
        team = await keys.save({
          draftId,
          keyType: identity.keyType,
          issuerId: identity.issuerId,
          keyId: identity.keyId,
          name,
          role: checked.role,
          roleVerified: checked.roleVerified,
          blockedByAgreements: checked.blockedByAgreements,
          via,
        })
      }
      records.delete(checkId)
      return team
    },

    async rotate({ checkId, teamId }) {
      const checked = liveCheck(checkId)
      const { identity } = checked
      const rotation = await keys.rotate(teamId, {
        draftId: checked.draftId,
        identity: { keyType: identity.keyType, keyId: identity.keyId, issuerId: identity.issuerId },
        role: checked.role,
        roleVerified: checked.roleVerified,
        blockedByAgreements: checked.blockedByAgreements,
      })
      records.delete(checkId)
      return {
        ...rotation,
        revoke: revokeReminder(identity.keyType, rotation.previousKeyId),
      }
    },

    async recheck(teamId) {
      const identity = await keys.identityOf(teamId)
      const saved = (await keys.state()).teams.find((team) => team.id === teamId)
      let privateKey: PrivateKeyStatus
      try {
        await keys.loadSigningKey(identity)
        privateKey = { ok: true, fingerprint: identity.fingerprint }
      } catch (error) {
        if (!isAppError(error) || !REIMPORT_CODES.has(error.code)) throw error
        privateKey = {
          ok: false,
          diagnosis: copy.savedKeyUnavailable(error.message, identity.keyId),
        }
      }
      const controller = new AbortController()
      rechecks.add(controller)
      try {
        const outcome = await runKeyCheck(
          {
            keyType: identity.keyType,
            issuerId: identity.issuerId ?? '',
            keyId: identity.keyId,
            keyIdFromFileName: null,
            privateKey,
            claimedRole: saved?.role ?? null,
          },
          env,
          { signal: controller.signal },
        )
        await keys.recordCheck(teamId, verdictOf(outcome, via))
        return outcome.diagnosis
      } finally {
        rechecks.delete(controller)
      }
    },

    dispose() {
      for (const record of records.values()) {
        if (record.state === 'running') record.controller.abort()
      }
      for (const controller of rechecks) controller.abort()
    },
  }
}
