import { describe, expect, it } from 'vitest'
import type { CheckStep, KeyDraft, TeamSummary } from '../../../src/shared/contract'
import { pendingCheckSteps } from '../../../src/shared/check-steps'
import {
  checkForm,
  checkRequestFor,
  EMPTY_IDS,
  idsAfterImport,
  idsOfMode,
  progressAnnouncement,
  swapIds,
  visibleProblems,
  type IdsForm,
} from '../../../src/renderer/wizard/model'

const ISSUER = '57246542-96fe-1a63-e053-0824d011072a'

function draft(overrides: Partial<KeyDraft> = {}): KeyDraft {
  return {
    draftId: 'draft-1',
    source: 'file',
    fileName: 'AuthKey_2X9R4HXF34.p8',
    keyIdFromFileName: '2X9R4HXF34',
    curve: 'P-256',
    fingerprint: 'ab'.repeat(32),
    fingerprintShort: 'AB:AB:AB:AB:AB:AB:AB:AB',
    prefill: { keyId: '2X9R4HXF34', issuerId: null, keyType: null },
    notes: [],
    clipboardHoldsKey: false,
    expiresAt: '2030-01-01T00:00:00.000Z',
    savedAs: null,
    ...overrides,
  }
}

const pasted = draft({
  draftId: 'draft-2',
  source: 'clipboard',
  fileName: null,
  keyIdFromFileName: null,
  prefill: { keyId: null, issuerId: null, keyType: null },
})

describe('idsOfMode', () => {
  const team: TeamSummary = {
    id: '2X9R4HXF34',
    name: 'Northwind',
    keyType: 'team',
    issuerId: '57246542-96fe-1a63-e053-0824d011072a',
    keyId: '2X9R4HXF34',
    role: 'DEVELOPER',
    roleVerified: false,
    fingerprintShort: 'AB:CD',
    createdAt: '2026-01-01T00:00:00.000Z',
    lastValidatedAt: null,
    status: 'needs_reimport',
    statusDetail: null,
  }

  it('starts a re-import from the saved team’s IDs and role', () => {
    expect(idsOfMode({ kind: 'reimport', team })).toEqual({
      keyType: 'team',
      issuerId: '57246542-96fe-1a63-e053-0824d011072a',
      keyId: '2X9R4HXF34',
      role: 'DEVELOPER',
    })
  })

  it('starts a replacement from the team’s issuer ID and role, without the old key’s ID', () => {
    expect(idsOfMode({ kind: 'rotate', team })).toEqual({
      keyType: 'team',
      issuerId: '57246542-96fe-1a63-e053-0824d011072a',
      keyId: '',
      role: 'DEVELOPER',
    })
  })

  it('starts empty when adding a new key', () => {
    expect(idsOfMode({ kind: 'add' })).toEqual({
      keyType: 'team',
      issuerId: '',
      keyId: '',
      role: null,
    })
  })
})

describe('idsAfterImport', () => {
  it('fills the key ID from the file and keeps what the key does not know', () => {
    const current: IdsForm = { keyType: 'team', issuerId: ISSUER, keyId: '', role: 'DEVELOPER' }
    expect(idsAfterImport(current, draft(), null)).toEqual({ ...current, keyId: '2X9R4HXF34' })
  })

  it('takes issuer ID and key type from a fastlane file', () => {
    const fastlane = draft({
      prefill: { keyId: 'ABCDE12345', issuerId: ISSUER, keyType: 'individual' },
    })
    expect(idsAfterImport(EMPTY_IDS, fastlane, null)).toEqual({
      keyType: 'individual',
      issuerId: ISSUER,
      keyId: 'ABCDE12345',
      role: null,
    })
  })

  it('drops a key ID that only came from the previous key', () => {
    const afterFirst = idsAfterImport(EMPTY_IDS, draft(), null)
    expect(idsAfterImport(afterFirst, pasted, draft()).keyId).toBe('')
  })

  it('keeps a key ID the user typed', () => {
    const typed = { ...EMPTY_IDS, keyId: 'zz99yy88xx' }
    expect(idsAfterImport(typed, pasted, draft()).keyId).toBe('zz99yy88xx')
  })
})

describe('visibleProblems', () => {
  it('waits for an attempt before asking for empty fields', () => {
    const check = checkForm(EMPTY_IDS, pasted)
    expect(visibleProblems(EMPTY_IDS, check, false)).toEqual({
      issuerId: null,
      keyId: null,
      swapped: false,
    })
    const attempted = visibleProblems(EMPTY_IDS, check, true)
    expect(attempted.issuerId?.code).toBe('input.issuer_id_invalid')
    expect(attempted.keyId?.code).toBe('input.key_id_invalid')
  })

  it('judges typed values at once', () => {
    const form = { ...EMPTY_IDS, issuerId: ISSUER, keyId: '2X9R' }
    const shown = visibleProblems(form, checkForm(form, pasted), false)
    expect(shown.issuerId).toBeNull()
    expect(shown.keyId?.message).toContain('4 characters')
  })

  it('shows the file-name mismatch as a warning', () => {
    const form = { ...EMPTY_IDS, issuerId: ISSUER, keyId: 'ZZZZZ11111' }
    const shown = visibleProblems(form, checkForm(form, draft()), false)
    expect(shown.keyId).toMatchObject({ code: 'input.key_id_mismatch', severity: 'warning' })
  })

  it('reports swapped IDs once, not under each field', () => {
    const form = { ...EMPTY_IDS, issuerId: '2X9R4HXF34', keyId: ISSUER }
    expect(visibleProblems(form, checkForm(form, draft()), true)).toEqual({
      issuerId: null,
      keyId: null,
      swapped: true,
    })
    const swapped = swapIds(form)
    expect(swapped).toMatchObject({ issuerId: ISSUER, keyId: '2X9R4HXF34' })
    expect(checkForm(swapped, draft()).problems).toEqual([])
  })
})

describe('checkRequestFor', () => {
  it('refuses while an ID has an error', () => {
    const form = { ...EMPTY_IDS, keyId: '2X9R4HXF34' }
    expect(checkRequestFor('c', 'd', form, checkForm(form, draft()))).toBeNull()
  })

  it('sends normalized IDs and the role of a team key; a mismatch does not block', () => {
    const form: IdsForm = {
      keyType: 'team',
      issuerId: ` ${ISSUER.toUpperCase()} `,
      keyId: 'zzzzz11111',
      role: 'APP_MANAGER',
    }
    expect(checkRequestFor('c', 'd', form, checkForm(form, draft()))).toEqual({
      checkId: 'c',
      draftId: 'd',
      keyType: 'team',
      issuerId: ISSUER,
      keyId: 'ZZZZZ11111',
      role: 'APP_MANAGER',
    })
  })

  it('sends no issuer ID and no role for an individual key', () => {
    const form: IdsForm = {
      keyType: 'individual',
      issuerId: 'left over',
      keyId: '2X9R4HXF34',
      role: 'ADMIN',
    }
    expect(checkRequestFor('c', 'd', form, checkForm(form, draft()))).toMatchObject({
      keyType: 'individual',
      issuerId: '',
      role: null,
    })
  })
})

describe('progressAnnouncement', () => {
  const steps = pendingCheckSteps()
  const set = (list: CheckStep[], id: string, state: CheckStep['state']) =>
    list.map((step) => (step.id === id ? { ...step, state } : step))

  it('lists the six steps of the check in order', () => {
    expect(steps.map((step) => step.id)).toEqual([
      'parse',
      'sign',
      'auth',
      'apps',
      'testflight',
      'users',
    ])
  })

  it('says what changed, and nothing when nothing did', () => {
    const parsed = set(set(steps, 'parse', 'passed'), 'sign', 'running')
    expect(progressAnnouncement(steps, parsed)).toBe(
      'Key parses (P-256): passed. Token signed: checking.',
    )
    expect(progressAnnouncement(parsed, parsed)).toBeNull()
    expect(progressAnnouncement(parsed, set(parsed, 'sign', 'failed'))).toBe(
      'Token signed: failed.',
    )
  })
})
