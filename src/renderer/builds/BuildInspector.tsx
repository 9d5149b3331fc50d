import { CircleAlert, ExternalLink, TriangleAlert, X } from 'lucide-react'
import { forwardRef } from 'react'
import type { BuildRow, TeamSummary } from '../../shared/contract'
import { attentionReasons, ATTENTION_LABELS } from '../../shared/attention'
import { useResource } from '../data/browse'
import type { Problem } from '../diagnosis/problem'
import { useSettled } from '../shell/time'
import { BuildTestFlight } from './BuildTestFlight'
import { ProblemLine, useExplainedAbove } from '../teams/ProblemNotice'
import {
  betaStateLabel,
  buildState,
  expiryLabel,
  formatDateTime,
  type ExpiryLabel,
  platformLabel,
  versionStateLabel,
} from './format'

export interface BuildInspectorProps {
  team: TeamSummary
  /** The row from the table, shown at once; the detail adds groups and the App Store version. */
  build: BuildRow
  now: number
  onOpenInAppStoreConnect: () => void
  onClose: () => void
}

/** Arrowing through builds this fast asks for the details of the build it stops on only. */
const DETAIL_SETTLE_MS = 150

const AUDIENCE: Record<string, string> = {
  INTERNAL_ONLY: 'Internal testers only',
  APP_STORE_ELIGIBLE: 'App Store eligible',
}

const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' })

function formatDay(ms: number): string {
  return dayFormat.format(ms)
}

/** Beside the "Expires" label: "In 89 days", "Today", "Expired". */
function expiryWords(expiry: ExpiryLabel): string {
  if (expiry.expired || expiry.short === 'Today' || expiry.short === '—') return expiry.short
  return `In ${expiry.short}`
}

/** One build's facts, under the table, like Mail's message pane. */
export const BuildInspector = forwardRef<HTMLHeadingElement, BuildInspectorProps>(
  function BuildInspector(props, headingRef) {
    const { team, build, now } = props
    const settledId = useSettled(build.id, DETAIL_SETTLE_MS)
    const settled = settledId === build.id
    const details = useResource(team.id, 'build', { buildId: build.id }, { enabled: settled })
    const detail = details.value?.id === build.id ? details.value : null
    const loading = !settled || details.loading || (details.refreshing && !detail)
    const state = buildState(build, now)
    const expiry = expiryLabel(build, now)
    const reasons = attentionReasons(build, now)
    const compliance = reasons.includes('compliance')
    // A Mac build's own minimum is already macOS; other builds may also name a Mac minimum.
    const macMinimum =
      detail?.lsMinimumSystemVersion && build.platform !== 'MAC_OS'
        ? `macOS ${detail.lsMinimumSystemVersion}`
        : null
    const minOs = [
      build.minOsVersion ? `${platformLabel(build.platform)} ${build.minOsVersion}` : null,
      macMinimum,
    ].filter(Boolean)
    return (
      <section
        className="inspector"
        aria-label="Build details"
        onKeyDown={(event) => {
          // Esc closes the details, and focus goes back to the table.
          if (event.key !== 'Escape') return
          event.preventDefault()
          props.onClose()
        }}
      >
        <header className="inspector-header">
          <h2 ref={headingRef} tabIndex={-1}>
            Build {build.buildNumber}
            <span className="inspector-subtitle">
              {build.marketingVersion ? `Version ${build.marketingVersion} · ` : ''}
              {platformLabel(build.platform)}
            </span>
          </h2>
          <button
            type="button"
            className="button-secondary"
            onClick={props.onOpenInAppStoreConnect}
            title="Open in App Store Connect"
          >
            <ExternalLink size={13} aria-hidden="true" />
            <span className="builds-header-label">Open in App Store Connect</span>
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label="Close build details"
            onClick={props.onClose}
          >
            <X size={14} aria-hidden="true" />
          </button>
        </header>
        {reasons.length > 0 ? (
          <p className="inspector-attention">
            <TriangleAlert size={13} aria-hidden="true" /> Needs attention:{' '}
            {reasons.map((reason) => ATTENTION_LABELS[reason]).join(' · ')}
          </p>
        ) : null}
        {details.problem && !detail ? (
          <DetailProblem problem={details.problem} onRetry={details.refresh} />
        ) : null}
        <div className="inspector-body">
          <dl className="facts">
            <dt>Status</dt>
            <dd>
              <span className={`pill tone-${state.tone}`}>{state.label}</span>
            </dd>
            <dt>Uploaded</dt>
            <dd>{formatDateTime(build.uploadedAt)}</dd>
            <dt>Expires</dt>
            <dd
              className={
                expiry.expired ? 'expiry-expired' : expiry.soon ? 'expiry-soon' : undefined
              }
            >
              {expiryWords(expiry)}
              {build.expiresAt && !expiry.expired ? (
                <span className="muted" title={formatDateTime(build.expiresAt)}>
                  {' '}
                  · {formatDay(build.expiresAt)}
                </span>
              ) : null}
            </dd>
            <dt>Minimum OS</dt>
            <dd>{minOs.length ? minOs.join(', ') : '—'}</dd>
            <dt>Audience</dt>
            <dd>{build.audience ? (AUDIENCE[build.audience] ?? build.audience) : '—'}</dd>
          </dl>
          <dl className="facts">
            <dt>Internal testing</dt>
            <dd>{betaStateLabel(build.internalState)}</dd>
            <dt>External testing</dt>
            <dd>{betaStateLabel(build.externalState)}</dd>
            <dt>Export compliance</dt>
            <dd className={compliance ? 'compliance-missing' : undefined}>
              {compliance ? (
                <>
                  <TriangleAlert size={12} aria-hidden="true" /> Missing: answer it in App Store
                  Connect
                </>
              ) : build.usesNonExemptEncryption === null ? (
                'Not answered'
              ) : build.usesNonExemptEncryption ? (
                'Uses non-exempt encryption'
              ) : (
                'No non-exempt encryption'
              )}
            </dd>
            <dt>App Store version</dt>
            <dd>
              {detail ? (
                detail.appStoreVersion ? (
                  `${detail.appStoreVersion.versionString} (${platformLabel(detail.appStoreVersion.platform)}) · ${versionStateLabel(detail.appStoreVersion.state)}`
                ) : (
                  'Not attached to a version'
                )
              ) : (
                <DetailPlaceholder loading={loading} />
              )}
            </dd>
          </dl>
        </div>
        <BuildTestFlight team={team} buildId={build.id} enabled={settled} />
      </section>
    )
  },
)

/** Why the details are missing: with the hints, unless a banner above explains it already. */
function DetailProblem(props: { problem: Problem; onRetry: () => void }) {
  const { problem } = props
  const explained = useExplainedAbove(problem)
  if (explained) return <ProblemLine problem={problem} loaded={false} onRetry={props.onRetry} />
  return (
    <div className="inspector-problem" role="alert" aria-label={problem.title}>
      <p className="inspector-problem-title">
        <CircleAlert size={13} aria-hidden="true" />
        {problem.title}.
        <button type="button" className="link-button" onClick={props.onRetry}>
          Retry
        </button>
      </p>
      {problem.hints.length > 0 ? (
        <ol className="inspector-problem-hints">
          {problem.hints.map((hint) => (
            <li key={hint}>{hint}</li>
          ))}
        </ol>
      ) : null}
    </div>
  )
}

function DetailPlaceholder(props: { loading: boolean }) {
  return props.loading ? (
    <span className="skeleton skeleton-text" aria-label="Loading" />
  ) : (
    <span className="muted">—</span>
  )
}
