import { z } from 'zod'
import type { Diagnosis, RateLimitFigures } from '../diagnosis'
import type { ErrorCode } from '../errors'
import type { KeyType, Role } from '../keys'
import { operation } from './define'

/**
 * `blocked_agreements`: Apple accepted the key, but an unsigned or expired agreement blocks the
 * team's API until the Account Holder signs it; cleared by the next check that passes.
 */
export type TeamStatus =
  'verified' | 'unchecked' | 'needs_reimport' | 'rejected' | 'blocked_agreements'

/** A saved key, shown as a team in the sidebar. Holds nothing secret. */
export interface TeamSummary {
  id: string
  name: string
  keyType: KeyType
  issuerId: string | null
  keyId: string
  role: Role | null
  /** Apple confirmed the role (only Admin can be); otherwise it is as the user said. */
  roleVerified: boolean
  fingerprintShort: string
  createdAt: string
  lastValidatedAt: string | null
  status: TeamStatus
  /** Why the status is what it is, when it is not `verified`. */
  statusDetail: string | null
}

/** A keychain item of Ascent's with no metadata: offered back to the user, never deleted silently. */
export interface OrphanKey {
  account: string
  keyId: string
  issuerId: string | null
  keyType: KeyType
}

export interface Notice {
  code: ErrorCode
  message: string
}

export interface TeamsState {
  teams: TeamSummary[]
  activeTeamId: string | null
  orphans: OrphanKey[]
  /** Problems found at start-up (a corrupt metadata file kept aside, keychain unavailable). */
  notices: Notice[]
}

export interface TeamUsage {
  teamId: string
  rateLimit: RateLimitFigures | null
  clockOffsetSeconds: number | null
  /**
   * Quiet refreshes near the hourly limit: `slowed` (less often) or `paused` (only when asked);
   * see the rate-limit policy in main.
   */
  backgroundRefresh: 'normal' | 'slowed' | 'paused'
}

const teamId = z.string().min(1).max(100)

export const teamsOperations = {
  'teams:list': operation<TeamsState>()(z.undefined()),
  'teams:activate': operation<null>()(z.object({ teamId }).strict()),
  'teams:rename': operation<TeamSummary>()(
    z.object({ teamId, name: z.string().trim().min(1).max(80) }).strict(),
  ),
  'teams:recheck': operation<Diagnosis>()(z.object({ teamId }).strict()),
  /** Removes the keychain item, the metadata and every cached byte of the team. */
  'teams:remove': operation<null>()(z.object({ teamId }).strict()),
  'teams:adoptOrphan': operation<TeamSummary>()(
    z
      .object({ account: z.string().min(1).max(200), name: z.string().trim().min(1).max(80) })
      .strict(),
  ),
  'teams:forgetOrphan': operation<null>()(
    z.object({ account: z.string().min(1).max(200) }).strict(),
  ),
  'teams:usage': operation<TeamUsage>()(z.object({ teamId }).strict()),
}
