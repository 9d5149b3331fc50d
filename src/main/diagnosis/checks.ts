import type { ParsedRequestOf } from '../../shared/contract'
import type { CheckReport } from '../../shared/contract/keys'
import type { TeamSummary } from '../../shared/contract/teams'
import type { Diagnosis } from '../../shared/diagnosis'
import type { Role } from '../../shared/keys'
import { REIMPORT_CODES } from '../../shared/keys'
import type { AscClient } from '../asc'
import { AppError, isAppError } from '../errors'
import type { Keys } from '../keys'
import type { Platform } from '../platform'
import type { SigningIdentity, TokenSigner } from '../tokens'
import * as copy from './copy'
import type { PrivateKeyStatus } from './engine'
import { checkCanceled, runKeyCheck } from './engine'
import { suggestedName } from './role'

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
}

export interface KeyChecks {
  /** Runs the check, reporting progress as `keys:checkProgress`; throws `keys.check_canceled`. */
  check: (request: ParsedRequestOf<'keys:check'>) => Promise<CheckReport>
  /** Aborts a running check and forgets any check under this ID. Unknown IDs are ignored. */
  cancel: (checkId: string) => void
  save: (request: ParsedRequestOf<'keys:save'>) => Promise<TeamSummary>
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
  passed: boolean
  finishedAt: number
}

type CheckRecord = RunningCheck | FinishedCheck

export function createKeyChecks(options: KeyChecksOptions): KeyChecks {
  const { keys, now } = options
  const env = { asc: options.asc, tokens: options.tokens }
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
        if (signal.aborted) throw checkCanceled()
        records.set(checkId, {
          state: 'finished',
          draftId,
          fingerprint,
          identity: outcome.identity,
          role: outcome.role,
          roleVerified: outcome.roleVerified,
          passed: outcome.accepted,
          finishedAt: now(),
        })
        const { identity } = outcome
        return {
          checkId,
          diagnosis: outcome.diagnosis,
          warnings: outcome.warnings,
          steps: outcome.steps,
          canSave: outcome.accepted,
          suggestedName: identity
            ? suggestedName(identity.keyType, identity.issuerId, identity.keyId, {
                role: outcome.role,
                verified: outcome.roleVerified,
              })
            : null,
          role: outcome.role,
          roleVerified: outcome.roleVerified,
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
      const checked = verifiedCheck(checkId)
      const { identity, draftId } = checked
      // Throws `keys.draft_expired` once the imported key was wiped (saved, discarded, 10 minutes).
      const live = keys.draftIdentity(draftId, identity)
      if (live.fingerprint !== checked.fingerprint) {
        throw new AppError(
          'keys.check_stale',
          'The imported key changed after it was checked. Check it again before saving.',
        )
      }
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
        })
      }
      records.delete(checkId)
      return team
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
        const { diagnosis } = outcome
        // Only Apple's refusal marks a key rejected: a network or server failure says nothing
        // about the key, and must not turn a good key red.
        if (outcome.authenticated) await keys.markValidated(teamId, now())
        else if (diagnosis.code === 'auth.rejected') {
          await keys.markRejected(teamId, `${diagnosis.title}. ${diagnosis.hints[0] ?? ''}`.trim())
        }
        return diagnosis
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
