import { z } from 'zod'
import type { Diagnosis } from '../diagnosis'
import type { CodesOf } from '../errors'
import type { KeyType, Role } from '../keys'
import type { TeamSummary } from './teams'
import { event, operation } from './define'

/** `environment`: `ascent add` read the key from ASC_KEY_P8_BASE64. */
export type IntakeSource = 'file' | 'drop' | 'clipboard' | 'environment'

/** Why a key file was refused; `code` is stable (`intake.rsa_key`, `intake.too_large`, ...). */
export interface IntakeRefusal {
  code: CodesOf<'intake'>
  message: string
  /** How to fix it, when there is something the user can do. */
  fix: string | null
}

/**
 * What the renderer learns about an imported key: public facts only. The private key stays in
 * main's memory under `draftId` until the key is saved, discarded, or 10 minutes pass.
 */
export interface KeyDraft {
  draftId: string
  source: IntakeSource
  fileName: string | null
  keyIdFromFileName: string | null
  curve: 'P-256'
  /** SHA-256 of the public key (SPKI DER), lower-case hex. */
  fingerprint: string
  /** The first 8 bytes of the fingerprint as `AB:CD:…`, for telling keys apart at a glance. */
  fingerprintShort: string
  /** IDs found next to the key (fastlane JSON, file name). */
  prefill: { keyId: string | null; issuerId: string | null; keyType: KeyType | null }
  /** What intake repaired or converted on the way in, in plain words. */
  notes: string[]
  /** True when the clipboard still holds this key after a paste (the UI offers to clear it). */
  clipboardHoldsKey: boolean
  expiresAt: string
  /** The saved team that already holds this very key (same fingerprint), if any. */
  savedAs: { teamId: string; name: string } | null
}

export type IntakeOutcome =
  | { status: 'canceled' }
  | { status: 'refused'; refusal: IntakeRefusal }
  | { status: 'imported'; draft: KeyDraft }

/** The steps in order, with their labels: ../check-steps.ts. */
export type CheckStepId = 'parse' | 'sign' | 'auth' | 'apps' | 'testflight' | 'users'
export type CheckStepState = 'pending' | 'running' | 'passed' | 'failed' | 'skipped'

export interface CheckStep {
  id: CheckStepId
  label: string
  state: CheckStepState
  detail: string | null
}

export interface CheckReport {
  checkId: string
  /** The outcome: `ok`, or the most likely cause of the failure. */
  diagnosis: Diagnosis
  /** Non-blocking findings, such as `input.key_id_mismatch`. */
  warnings: Diagnosis[]
  steps: CheckStep[]
  /** True only when Apple accepted the key; `keys:save` refuses anything else. */
  canSave: boolean
  suggestedName: string | null
  /** The role to save: confirmed by Apple (`roleVerified`, Admin only) or as the user said. */
  role: Role | null
  roleVerified: boolean
}

export interface CheckProgress {
  checkId: string
  steps: CheckStep[]
}

const id = z.string().min(1).max(100)
const role = z.enum(['ADMIN', 'APP_MANAGER', 'DEVELOPER'])

export const checkRequest = z
  .object({
    checkId: id,
    draftId: id,
    keyType: z.enum(['team', 'individual']),
    issuerId: z.string().max(100),
    keyId: z.string().max(100),
    role: role.nullable(),
  })
  .strict()

export const keysOperations = {
  /** Main shows the open dialog and reads the chosen file. */
  'keys:chooseFile': operation<IntakeOutcome>()(z.undefined()),
  /** The bridge takes the dropped File and sends only its path; main reads the file. */
  'keys:importDropped': operation<IntakeOutcome>()(
    z.object({ path: z.string().max(4096) }).strict(),
  ),
  /** Main reads the clipboard itself; the page never sees what it holds. */
  'keys:pasteClipboard': operation<IntakeOutcome>()(z.undefined()),
  /** Clears the clipboard if it still holds the draft's key. */
  'keys:clearClipboard': operation<{ cleared: boolean }>()(z.object({ draftId: id }).strict()),
  'keys:discardDraft': operation<null>()(z.object({ draftId: id }).strict()),
  /** The live check against Apple; progress arrives as `keys:checkProgress` events. */
  'keys:check': operation<CheckReport>()(checkRequest),
  'keys:cancelCheck': operation<null>()(z.object({ checkId: id }).strict()),
  /** Saves the key a passed check verified. `replaceTeamId` re-imports the secret of a saved team. */
  'keys:save': operation<TeamSummary>()(
    z
      .object({
        checkId: id,
        name: z.string().trim().min(1).max(80),
        replaceTeamId: id.optional(),
      })
      .strict(),
  ),
}

export const keysEvents = {
  'keys:checkProgress': event<CheckProgress>(),
}
