import type {
  AppStoreState as StoreState,
  StorePlatform,
  StoreVersion,
  TeamSummary,
} from '../../shared/contract'
import type { StateTone } from '../builds/format'
import { platformLabel, versionStateLabel } from '../builds/format'
import { useResource } from '../data/browse'

/** How a state reads at a glance: live and approved green, with Apple amber, refused red. */
const TONES: Record<string, StateTone> = {
  READY_FOR_DISTRIBUTION: 'valid',
  PENDING_DEVELOPER_RELEASE: 'valid',
  PENDING_APPLE_RELEASE: 'valid',
  PROCESSING_FOR_DISTRIBUTION: 'valid',
  ACCEPTED: 'valid',
  WAITING_FOR_REVIEW: 'processing',
  IN_REVIEW: 'processing',
  READY_FOR_REVIEW: 'processing',
  WAITING_FOR_EXPORT_COMPLIANCE: 'processing',
  REJECTED: 'failed',
  METADATA_REJECTED: 'failed',
  INVALID_BINARY: 'failed',
  DEVELOPER_REJECTED: 'failed',
}

function versionText(version: StoreVersion): string {
  return version.buildNumber
    ? `${version.versionString} (${version.buildNumber})`
    : version.versionString
}

/** `iOS 5.8 on the App Store · 5.9 (4990) Waiting for Review`. */
function platformText(platform: StorePlatform, named: boolean): string {
  const parts = [
    platform.live ? `${platform.live.versionString} on the App Store` : null,
    platform.next
      ? `${versionText(platform.next)} ${versionStateLabel(platform.next.state)}`
      : null,
  ].filter(Boolean)
  return `${named ? `${platformLabel(platform.platform)} ` : ''}${parts.join(' · ')}`
}

/** The team's App Store states, read once for every app; this app's, when it is in. */
function useAppStore(team: TeamSummary, appId: string) {
  const states = useResource(team.id, 'appStore', {}, { afterPaint: true })
  const state: StoreState | undefined = states.value?.find((item) => item.appId === appId)
  return { state, known: states.value !== null }
}

/**
 * The apps list row's App Store line: the platform with a version on its way (else the first),
 * its live version and the next one with its state.
 */
export function AppStoreLine(props: { team: TeamSummary; appId: string }) {
  const { state, known } = useAppStore(props.team, props.appId)
  if (!known) return <span className="skeleton skeleton-text" aria-hidden="true" />
  const platforms = state?.platforms ?? []
  const shown = platforms.find((platform) => platform.next) ?? platforms[0]
  if (!shown) return <span className="app-latest app-latest-none">Not on the App Store yet</span>
  const named = platforms.length > 1
  return (
    <span
      className="app-latest"
      title={platforms.map((platform) => platformText(platform, true)).join('\n')}
    >
      {named ? `${platformLabel(shown.platform)} ` : 'App Store '}
      {shown.live ? <span className="mono">{shown.live.versionString}</span> : null}
      {shown.live && shown.next ? ' · ' : null}
      {shown.next ? (
        <>
          <span className="mono">{shown.next.versionString}</span>
          <span
            className={`state-dot tone-${TONES[shown.next.state] ?? 'unknown'}`}
            aria-hidden="true"
          />
          {versionStateLabel(shown.next.state)}
        </>
      ) : null}
    </span>
  )
}

/** The app header's App Store line: every platform's live version and the one on its way. */
export function AppStoreSummary(props: { team: TeamSummary; appId: string }) {
  const { state, known } = useAppStore(props.team, props.appId)
  if (!known) return null
  const platforms = state?.platforms ?? []
  const named = platforms.length > 1
  const text = platforms.length
    ? platforms.map((platform) => platformText(platform, named)).join(' — ')
    : 'Not on the App Store yet'
  // The header is one line: a long one is cut short, and said in full in its tooltip.
  return <p title={platforms.map((platform) => platformText(platform, true)).join('\n')}>{text}</p>
}
