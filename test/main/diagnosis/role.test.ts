import { describe, expect, it } from 'vitest'
import { inferRole, isRoleVerified } from '../../../src/main/diagnosis'

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

describe('isRoleVerified', () => {
  it.each([
    ['Admin that listed users → confirmed', 'ADMIN', true, true],
    ['said Admin, users not known (network) → not confirmed', 'ADMIN', null, false],
    ['said App Manager, users forbidden → not confirmed', 'APP_MANAGER', false, false],
    ['said Developer, users forbidden → not confirmed', 'DEVELOPER', false, false],
    ['no role → not confirmed', null, false, false],
  ] as const)('%s', (_name, role, users, expected) => {
    expect(isRoleVerified(role, { testFlight: true, users })).toBe(expected)
  })
})
