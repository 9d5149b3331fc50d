/**
 * The wizard's pure logic: how an imported key prefills the IDs, which ID problems to show, what
 * the check request carries, and what to announce as the check progresses. No React, no bridge.
 */
import type {
  CheckStep,
  CheckStepState,
  KeyDraft,
  RequestOf,
  TeamSummary,
} from '../../shared/contract'
import {
  checkIds,
  hasBlockingProblem,
  type IdCheck,
  type IdProblem,
  type KeyType,
  type Role,
} from '../../shared/keys'

export type WizardStep = 'key' | 'ids' | 'check' | 'name'

/**
 * What the wizard is for: a new team; the same key of a saved team brought back (it was revoked
 * in the Keychain or lost); or a new key for a saved team (rotation).
 */
export type WizardMode =
  { kind: 'add' } | { kind: 'reimport'; team: TeamSummary } | { kind: 'rotate'; team: TeamSummary }

export const WIZARD_STEPS: { id: WizardStep; label: string }[] = [
  { id: 'key', label: 'Key file' },
  { id: 'ids', label: 'IDs' },
  { id: 'check', label: 'Check' },
  { id: 'name', label: 'Name' },
]

export const API_KEYS_URL = 'https://appstoreconnect.apple.com/access/integrations/api'

/** What the user typed on the IDs step. `role: null` is "I don't know". */
export interface IdsForm {
  keyType: KeyType
  issuerId: string
  keyId: string
  role: Role | null
}

export type CheckRequest = RequestOf<'keys:check'>

export const EMPTY_IDS: IdsForm = { keyType: 'team', issuerId: '', keyId: '', role: null }

/**
 * Re-importing a saved team's key starts from the IDs and role it was saved with; replacing it,
 * from its issuer ID (the new key's ID comes with its file).
 */
export function idsOfMode(mode: WizardMode): IdsForm {
  if (mode.kind === 'add') return EMPTY_IDS
  const { team } = mode
  return {
    keyType: team.keyType,
    issuerId: team.issuerId ?? '',
    keyId: mode.kind === 'reimport' ? team.keyId : '',
    role: team.role,
  }
}

function keyIdOf(draft: KeyDraft): string | null {
  return draft.prefill.keyId ?? draft.keyIdFromFileName
}

/**
 * The IDs after a key is imported: what the key brought wins; a key ID that only came from the
 * previous key is dropped (it belongs to that key), one the user typed is kept.
 */
export function idsAfterImport(
  current: IdsForm,
  draft: KeyDraft,
  previous: KeyDraft | null,
): IdsForm {
  const previousKeyId = previous ? keyIdOf(previous) : null
  const typedKeyId = current.keyId.trim().toUpperCase()
  const keyIdCameFromPrevious = previousKeyId !== null && typedKeyId === previousKeyId
  return {
    keyType: draft.prefill.keyType ?? current.keyType,
    issuerId: draft.prefill.issuerId ?? current.issuerId,
    keyId: keyIdOf(draft) ?? (keyIdCameFromPrevious ? '' : current.keyId),
    role: current.role,
  }
}

export function checkForm(form: IdsForm, draft: KeyDraft | null): IdCheck {
  return checkIds({ ...form, keyIdFromFileName: draft?.keyIdFromFileName ?? null })
}

/** Swaps the two fields, for the one-click fix of `input.ids_swapped`. */
export function swapIds(form: IdsForm): IdsForm {
  return { ...form, issuerId: form.keyId.trim(), keyId: form.issuerId.trim() }
}

export interface FieldProblems {
  issuerId: IdProblem | null
  keyId: IdProblem | null
  swapped: boolean
}

/**
 * The problem to show under each field. An empty field's "enter it" error waits until the user
 * tries to continue; anything typed is judged at once.
 */
export function visibleProblems(form: IdsForm, check: IdCheck, attempted: boolean): FieldProblems {
  const swapped = check.problems.some((problem) => problem.code === 'input.ids_swapped')
  const pick = (field: 'issuerId' | 'keyId'): IdProblem | null => {
    if (swapped) return null
    const problem = check.problems.find((candidate) => candidate.field === field)
    if (!problem) return null
    if (problem.severity === 'warning' || attempted) return problem
    return form[field].trim() ? problem : null
  }
  return { issuerId: pick('issuerId'), keyId: pick('keyId'), swapped }
}

/** The `keys:check` request for valid IDs; null while any ID still has an error. */
export function checkRequestFor(
  checkId: string,
  draftId: string,
  form: IdsForm,
  check: IdCheck,
): CheckRequest | null {
  if (hasBlockingProblem(check)) return null
  if (check.keyId === null || (form.keyType === 'team' && check.issuerId === null)) return null
  return {
    checkId,
    draftId,
    keyType: form.keyType,
    issuerId: form.keyType === 'team' ? (check.issuerId ?? '') : '',
    keyId: check.keyId,
    role: form.keyType === 'team' ? form.role : null,
  }
}

export const STEP_STATE_LABELS: Record<CheckStepState, string> = {
  pending: 'Waiting',
  running: 'Checking…',
  passed: 'Passed',
  failed: 'Failed',
  skipped: 'Skipped',
}

const ANNOUNCED_STATES: Record<CheckStepState, string> = {
  pending: 'waiting',
  running: 'checking',
  passed: 'passed',
  failed: 'failed',
  skipped: 'skipped',
}

/** What changed between two progress events, in words for the live region; null if nothing did. */
export function progressAnnouncement(previous: CheckStep[], next: CheckStep[]): string | null {
  const before = new Map(previous.map((step) => [step.id, step.state]))
  const changed = next.filter(
    (step) => step.state !== 'pending' && before.get(step.id) !== step.state,
  )
  if (changed.length === 0) return null
  return changed.map((step) => `${step.label}: ${ANNOUNCED_STATES[step.state]}.`).join(' ')
}
