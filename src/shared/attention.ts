/**
 * When a build needs attention, as pure rules over its attributes and a clock. Main counts them
 * for the apps list; the renderer filters the builds table with the same rules.
 */

export const HOUR_MS = 3_600_000
export const DAY_MS = 24 * HOUR_MS
/** TestFlight keeps a build for 90 days after upload. */
const BUILD_LIFETIME_MS = 90 * DAY_MS
/** "Expires in N days" turns amber, and the build needs attention, from this many days. */
export const EXPIRY_WARNING_DAYS = 7
/** A build still processing after this long is stuck. */
const STUCK_PROCESSING_MS = HOUR_MS

export type AttentionReason = 'expiring' | 'stuck' | 'compliance' | 'failed'

export const ATTENTION_LABELS: Record<AttentionReason, string> = {
  expiring: 'Expires within 7 days',
  stuck: 'Stuck in processing',
  compliance: 'Export compliance missing',
  failed: 'Failed or invalid',
}

/** The attributes the rules read: a build row of either process has them. */
export interface AttentionFacts {
  processingState: string
  uploadedAt: number
  expiresAt: number | null
  expired: boolean
  usesNonExemptEncryption: boolean | null
}

export interface AttentionCounts {
  expiring: number
  stuck: number
  compliance: number
  failed: number
  /** Builds with at least one reason (a build counts once). */
  total: number
}

/** Apple's flag, or the expiry date passing since Apple said it. */
export function isExpired(
  build: Pick<AttentionFacts, 'expired' | 'expiresAt'>,
  now: number,
): boolean {
  return build.expired || (build.expiresAt !== null && build.expiresAt <= now)
}

/** Whole days left before the build expires, rounded up; null without an expiry date. */
export function daysUntilExpiry(
  build: Pick<AttentionFacts, 'expiresAt'>,
  now: number,
): number | null {
  if (build.expiresAt === null) return null
  return Math.max(0, Math.ceil((build.expiresAt - now) / DAY_MS))
}

export function attentionReasons(build: AttentionFacts, now: number): AttentionReason[] {
  const reasons: AttentionReason[] = []
  const expired = isExpired(build, now)
  const valid = build.processingState === 'VALID'
  const days = daysUntilExpiry(build, now)
  if (valid && !expired && days !== null && days <= EXPIRY_WARNING_DAYS) reasons.push('expiring')
  if (build.processingState === 'PROCESSING' && now - build.uploadedAt > STUCK_PROCESSING_MS) {
    reasons.push('stuck')
  }
  if (valid && !expired && build.usesNonExemptEncryption === null) reasons.push('compliance')
  // A failed upload matters while it would still be in TestFlight; older ones are history.
  const failed = build.processingState === 'FAILED' || build.processingState === 'INVALID'
  if (failed && !expired && now - build.uploadedAt < BUILD_LIFETIME_MS) reasons.push('failed')
  return reasons
}

export function needsAttention(build: AttentionFacts, now: number): boolean {
  return attentionReasons(build, now).length > 0
}

export function countAttention(builds: Iterable<AttentionFacts>, now: number): AttentionCounts {
  const counts: AttentionCounts = { expiring: 0, stuck: 0, compliance: 0, failed: 0, total: 0 }
  for (const build of builds) {
    const reasons = attentionReasons(build, now)
    for (const reason of reasons) counts[reason] += 1
    if (reasons.length > 0) counts.total += 1
  }
  return counts
}
