import { describe, expect, it } from 'vitest'
import {
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
})
