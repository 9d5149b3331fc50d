/**
 * Writes that arrive too late never land under a team. Every load (a screen's, a refresh, the
 * radar's) takes a ticket for its team when it starts and stores only while the ticket is still
 * good. A ticket goes bad when the team is removed, its cache cleared, or the key it was read with
 * is retired (Replace Key, a re-import with another key file): what that key read may not be what
 * the team's key sees now.
 */
export interface TeamGuard {
  /** A ticket for a load of `teamId` read with the key whose fingerprint is given. */
  ticket(teamId: string, fingerprint: string): number
  /** Whether data loaded under `ticket` may still be stored for the team. */
  valid(teamId: string, ticket: number): boolean
  /** Every ticket of the team goes bad (removed, cache cleared). */
  invalidate(teamId: string): void
  /** Every ticket taken with this key goes bad (it was replaced or removed). */
  keyRetired(fingerprint: string): void
}

export function createTeamGuard(): TeamGuard {
  let nextTicket = 1
  /** Per team, the oldest ticket still good. */
  const goodFrom = new Map<string, number>()
  /** Per team, the fingerprints its tickets were taken with since it was last invalidated. */
  const keysOf = new Map<string, Set<string>>()

  function invalidate(teamId: string): void {
    goodFrom.set(teamId, nextTicket)
    keysOf.delete(teamId)
  }

  return {
    ticket(teamId, fingerprint) {
      const keys = keysOf.get(teamId) ?? new Set<string>()
      keys.add(fingerprint)
      keysOf.set(teamId, keys)
      return nextTicket++
    },
    valid: (teamId, ticket) => ticket >= (goodFrom.get(teamId) ?? 0),
    invalidate,
    keyRetired(fingerprint) {
      for (const [teamId, keys] of [...keysOf]) if (keys.has(fingerprint)) invalidate(teamId)
    },
  }
}
