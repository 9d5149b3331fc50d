import { describe, expect, it } from 'vitest'
import {
  roleNote,
  STATUS_LABELS,
  statusNote,
  teamBadge,
  teamMonogram,
} from '../../../src/renderer/teams/identity'

describe('a team in the sidebar', () => {
  it('says in words every status but verified, so colour is not the only signal', () => {
    expect(statusNote('verified')).toBeNull()
    expect(statusNote('needs_reimport')).toBe('Needs re-import')
    expect(statusNote('rejected')).toBe('Rejected by Apple')
    expect(statusNote('unchecked')).toBe(STATUS_LABELS.unchecked)
  })

  it('badges the key type or role, and takes two letters for the monogram', () => {
    expect(teamBadge({ keyType: 'individual', role: null })).toBe('Individual')
    expect(teamBadge({ keyType: 'team', role: null })).toBe('Team key')
    expect(teamMonogram('Northwind Labs')).toBe('NL')
    expect(teamMonogram('fabrikam')).toBe('FA')
  })

  it('says when a role is the user’s word rather than Apple’s', () => {
    expect(roleNote({ keyType: 'team', role: 'APP_MANAGER', roleVerified: false })).toMatch(
      /as you entered it/,
    )
    expect(roleNote({ keyType: 'team', role: 'ADMIN', roleVerified: true })).toBeNull()
    expect(roleNote({ keyType: 'team', role: null, roleVerified: false })).toBeNull()
    expect(roleNote({ keyType: 'individual', role: null, roleVerified: false })).toBeNull()
  })
})
