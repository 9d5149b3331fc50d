import { describe, expect, it } from 'vitest'
import {
  roleNote,
  STATUS_LABELS,
  statusNote,
  teamBadge,
  teamHues,
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

describe('team colours', () => {
  const team = (id: string, issuerId: string, createdAt: string) => ({
    id,
    issuerId,
    keyId: id,
    createdAt,
  })
  /** The distance between two hues on the colour wheel. */
  const apart = (a: number, b: number) => Math.min(Math.abs(a - b), 360 - Math.abs(a - b))

  it('gives up to ten teams hues at least 36° apart, even when their IDs hash alike', () => {
    // The same issuer ID hashes to the same hue: the worst case for a hash alone.
    const teams = Array.from({ length: 10 }, (_, index) =>
      team(`K${index}`, 'same-issuer', `2026-01-0${index}T00:00:00.000Z`),
    )
    const hues = [...teamHues(teams).values()]
    expect(hues).toHaveLength(10)
    for (const [index, hue] of hues.entries()) {
      for (const other of hues.slice(index + 1))
        expect(apart(hue, other)).toBeGreaterThanOrEqual(36)
    }
  })

  it('keeps a team’s colour when a newer team comes or goes', () => {
    const older = team('A', '57246542-96fe-1a63-e053-0824d011072a', '2026-01-01T00:00:00.000Z')
    const newer = team('B', '57246542-96fe-1a63-e053-0824d011072a', '2026-02-01T00:00:00.000Z')
    const alone = teamHues([older]).get('A')
    expect(teamHues([newer, older]).get('A')).toBe(alone)
    expect(teamHues([newer, older]).get('B')).not.toBe(alone)
  })
})
