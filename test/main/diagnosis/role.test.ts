import { describe, expect, it } from 'vitest'
import { inferRole, suggestedName } from '../../../src/main/diagnosis'

describe('inferRole', () => {
  it.each([
    ['users readable → Admin, whatever was said', 'DEVELOPER', true, true, 'ADMIN'],
    ['users readable, nothing said → Admin', null, true, true, 'ADMIN'],
    ['said Admin, users forbidden → unknown', 'ADMIN', true, false, null],
    ['said Admin, users not known (network) → Admin', 'ADMIN', true, null, 'ADMIN'],
    ['said App Manager, users forbidden → App Manager', 'APP_MANAGER', true, false, 'APP_MANAGER'],
    ['said Developer, TestFlight forbidden → unknown', 'DEVELOPER', false, false, null],
    ['nothing said, not Admin → unknown', null, true, false, null],
  ] as const)('%s', (_name, claimed, testFlight, users, expected) => {
    expect(inferRole('team', claimed, { testFlight, users })).toBe(expected)
  })

  it('gives individual keys no role: they carry their user’s access', () => {
    expect(inferRole('individual', 'ADMIN', { testFlight: true, users: true })).toBeNull()
  })
})

describe('suggestedName', () => {
  it('names a team key by its issuer ID and role, an individual key by its key ID', () => {
    const issuer = '57246542-96fe-1a63-e053-0824d011072a'
    expect(suggestedName('team', issuer, '2X9R4HXF34', 'APP_MANAGER')).toBe(
      'Team 57246542 — App Manager',
    )
    expect(suggestedName('team', issuer, '2X9R4HXF34', null)).toBe('Team 57246542')
    expect(suggestedName('individual', null, '2X9R4HXF34', null)).toBe('Individual key 2X9R4HXF34')
  })
})
