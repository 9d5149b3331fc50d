import type { TeamSummary } from '../../shared/contract'
import { ROLE_LABELS } from '../../shared/keys'

/** A stable hue from a text, so a team or an app keeps its colour everywhere. */
export function hueOf(seed: string): number {
  let hash = 0
  for (const char of seed) hash = (hash * 31 + char.charCodeAt(0)) >>> 0
  return hash % 360
}

/** Ten hues 36° apart, from blue: as many teams as anyone keys in, each clearly its own. */
const TEAM_HUES = Array.from({ length: 10 }, (_, index) => (210 + index * 36) % 360)

/**
 * Each team's monogram hue. A team prefers the hue its issuer ID (or key ID) hashes to, so it keeps
 * its colour as others come and go; when an older team holds that hue, it takes the next free one.
 * Ten teams get ten distinct hues; more share them.
 */
export function teamHues(
  teams: readonly Pick<TeamSummary, 'id' | 'issuerId' | 'keyId' | 'createdAt'>[],
): Map<string, number> {
  const byAge = [...teams].sort(
    (a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id),
  )
  const taken = new Set<number>()
  const hues = new Map<string, number>()
  for (const team of byAge) {
    if (taken.size === TEAM_HUES.length) taken.clear()
    let slot = hueOf(team.issuerId ?? team.keyId) % TEAM_HUES.length
    while (taken.has(slot)) slot = (slot + 1) % TEAM_HUES.length
    taken.add(slot)
    hues.set(team.id, TEAM_HUES[slot] ?? 0)
  }
  return hues
}

/** Up to two letters from the team's name. */
export function teamMonogram(name: string): string {
  const words = name
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .split(/\s+/)
    .filter(Boolean)
  const letters =
    words.length > 1 ? `${words[0]?.[0]}${words[1]?.[0]}` : (words[0]?.slice(0, 2) ?? '?')
  return letters.toUpperCase()
}

export function teamBadge(team: Pick<TeamSummary, 'keyType' | 'role'>): string {
  if (team.keyType === 'individual') return 'Individual'
  return team.role ? ROLE_LABELS[team.role] : 'Team key'
}

/** Said of a role Apple did not confirm (it can confirm Admin only): it is the user's word. */
export function roleNote(
  team: Pick<TeamSummary, 'keyType' | 'role' | 'roleVerified'>,
): string | null {
  if (team.keyType === 'individual' || team.role === null || team.roleVerified) return null
  return 'Role as you entered it: Apple can confirm only Admin.'
}

export const STATUS_LABELS: Record<TeamSummary['status'], string> = {
  verified: 'Verified',
  unchecked: 'Not checked yet',
  needs_reimport: 'Needs re-import',
  rejected: 'Rejected by Apple',
  blocked_agreements: 'Blocked by agreements',
}

/** The status in words under the team's name, for every state but verified (the usual one). */
export function statusNote(status: TeamSummary['status']): string | null {
  return status === 'verified' ? null : STATUS_LABELS[status]
}
