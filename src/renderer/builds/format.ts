/** Words and dates for build facts, as App Store Connect and Xcode's Organizer put them. */
import {
  daysUntilExpiry,
  EXPIRY_WARNING_DAYS,
  isExpired,
  type AttentionFacts,
} from '../../shared/attention'

const PLATFORM_LABELS: Record<string, string> = {
  IOS: 'iOS',
  MAC_OS: 'macOS',
  TV_OS: 'tvOS',
  VISION_OS: 'visionOS',
}

export function platformLabel(platform: string | null): string {
  if (!platform) return '—'
  return PLATFORM_LABELS[platform] ?? platform
}

export type StateTone = 'processing' | 'valid' | 'failed' | 'expired' | 'unknown'

export interface StateLabel {
  label: string
  tone: StateTone
}

/** The pill: Processing amber, Valid green, Invalid/Failed red, Expired grey. */
export function buildState(
  build: Pick<AttentionFacts, 'processingState' | 'expired' | 'expiresAt'>,
  now: number,
): StateLabel {
  if (build.processingState === 'PROCESSING') return { label: 'Processing', tone: 'processing' }
  if (build.processingState === 'FAILED') return { label: 'Failed', tone: 'failed' }
  if (build.processingState === 'INVALID') return { label: 'Invalid', tone: 'failed' }
  if (isExpired(build, now)) return { label: 'Expired', tone: 'expired' }
  if (build.processingState === 'VALID') return { label: 'Valid', tone: 'valid' }
  return { label: 'Unknown', tone: 'unknown' }
}

const BETA_STATES: Record<string, string> = {
  PROCESSING: 'Processing',
  PROCESSING_EXCEPTION: 'Processing Exception',
  MISSING_EXPORT_COMPLIANCE: 'Missing Compliance',
  READY_FOR_BETA_TESTING: 'Ready to Test',
  IN_BETA_TESTING: 'Testing',
  EXPIRED: 'Expired',
  IN_EXPORT_COMPLIANCE_REVIEW: 'Compliance Review',
  READY_FOR_BETA_SUBMISSION: 'Ready to Submit',
  WAITING_FOR_BETA_REVIEW: 'Waiting for Review',
  IN_BETA_REVIEW: 'In Review',
  BETA_REJECTED: 'Rejected',
  BETA_APPROVED: 'Approved',
}

export function betaStateLabel(state: string | null): string {
  if (!state) return '—'
  return BETA_STATES[state] ?? state.toLowerCase().replace(/_/g, ' ')
}

const VERSION_STATES: Record<string, string> = {
  ACCEPTED: 'Accepted',
  DEVELOPER_REJECTED: 'Developer Rejected',
  IN_REVIEW: 'In Review',
  INVALID_BINARY: 'Invalid Binary',
  METADATA_REJECTED: 'Metadata Rejected',
  PENDING_APPLE_RELEASE: 'Pending Apple Release',
  PENDING_DEVELOPER_RELEASE: 'Pending Developer Release',
  PREPARE_FOR_SUBMISSION: 'Prepare for Submission',
  PROCESSING_FOR_DISTRIBUTION: 'Processing for Distribution',
  READY_FOR_DISTRIBUTION: 'Ready for Distribution',
  READY_FOR_REVIEW: 'Ready for Review',
  REJECTED: 'Rejected',
  REPLACED_WITH_NEW_VERSION: 'Replaced with New Version',
  WAITING_FOR_EXPORT_COMPLIANCE: 'Waiting for Export Compliance',
  WAITING_FOR_REVIEW: 'Waiting for Review',
}

export function versionStateLabel(state: string | null): string {
  if (!state) return '—'
  return VERSION_STATES[state] ?? state.toLowerCase().replace(/_/g, ' ')
}

export interface ExpiryLabel {
  /** "Expires in 89 days", "Expires today", "Expired". */
  text: string
  /** For the table's Expires column: "89 days", "Today", "Expired". */
  short: string
  /** Amber from 7 days left, when the build starts to need attention. */
  soon: boolean
  expired: boolean
}

export function expiryLabel(build: AttentionFacts, now: number): ExpiryLabel {
  if (isExpired(build, now)) {
    return { text: 'Expired', short: 'Expired', soon: false, expired: true }
  }
  const days = daysUntilExpiry(build, now)
  if (days === null) return { text: '—', short: '—', soon: false, expired: false }
  const short = days <= 0 ? 'Today' : `${days} day${days === 1 ? '' : 's'}`
  const text = days <= 0 ? 'Expires today' : `Expires in ${short}`
  return { text, short, soon: days <= EXPIRY_WARNING_DAYS, expired: false }
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' })
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'short',
})
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' })

function formatDate(ms: number): string {
  return dateFormat.format(ms)
}

export function formatDateTime(ms: number): string {
  return dateTimeFormat.format(ms)
}

/** "5 minutes ago", "yesterday", then the date. */
export function formatAgo(ms: number, now: number): string {
  const seconds = Math.round((ms - now) / 1000)
  const abs = Math.abs(seconds)
  if (abs < 45) return 'just now'
  if (abs < 3600) return relative.format(Math.round(seconds / 60), 'minute')
  if (abs < 86_400) return relative.format(Math.round(seconds / 3600), 'hour')
  if (abs < 7 * 86_400) return relative.format(Math.round(seconds / 86_400), 'day')
  return formatDate(ms)
}

/** `5.9 (5000)`: marketing version and build number, as Xcode shows them. */
export function versionAndBuild(build: { marketingVersion: string | null; buildNumber: string }) {
  return build.marketingVersion
    ? `${build.marketingVersion} (${build.buildNumber})`
    : build.buildNumber
}
