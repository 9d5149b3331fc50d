import { ExternalLink, KeyRound, LoaderCircle, Upload, Terminal } from 'lucide-react'
import type { ReactNode } from 'react'
import type { TeamDetails, TeamSummary } from '../../shared/contract'
import { openExternal } from '../data/app'
import { useTeamDetails } from '../data/keyLife'
import { errorOf, useSavedTeams } from '../data/teams'
import { Sheet, SheetError } from '../shell/Sheet'
import { STATUS_LABELS, teamBadge, teamHues, teamMonogram } from '../teams/identity'
import { CopyButton } from './CopyButton'
import { dateTimeText } from './format'

/** What the details sheet can hand over to: the team's other sheets, opened in its place. */
export interface DetailsActions {
  onCheckNow: () => void
  onReplaceKey: () => void
  onExportKey: () => void
  onCopyToken: () => void
}

/** Team details (⌘I): every public fact about a saved key, its history, and what to do with it. */
export function DetailsSheet(props: { team: TeamSummary; onClose: () => void } & DetailsActions) {
  const { team } = props
  const details = useTeamDetails(team.id)
  const hue = teamHues(useSavedTeams()).get(team.id) ?? 0
  const error = errorOf(details.error)
  return (
    <Sheet title={`${team.name} details`} className="details-sheet" onClose={props.onClose}>
      <div className="sheet-body">
        <header className="details-header">
          <span
            className="monogram details-monogram"
            aria-hidden="true"
            style={{ '--hue': hue } as React.CSSProperties}
          >
            {teamMonogram(team.name)}
          </span>
          <div>
            <h2 className="sheet-title">{team.name}</h2>
            <p className="details-subtitle">
              {team.keyType === 'team' ? 'Team key' : 'Individual key'} · {teamBadge(team)} ·{' '}
              <span className={`details-status details-status-${team.status}`}>
                {STATUS_LABELS[team.status]}
              </span>
            </p>
          </div>
        </header>
        {team.statusDetail ? <p className="details-status-detail">{team.statusDetail}</p> : null}
        {details.data ? (
          <DetailsBody details={details.data} />
        ) : error ? (
          <SheetError error={error} />
        ) : (
          <p className="check-running">
            <LoaderCircle size={16} className="spin" aria-hidden="true" /> Reading the key’s
            details…
          </p>
        )}
        <div className="details-tools">
          <button type="button" className="button-secondary" onClick={props.onReplaceKey}>
            <KeyRound size={13} aria-hidden="true" /> Replace Key…
          </button>
          <button type="button" className="button-secondary" onClick={props.onExportKey}>
            <Upload size={13} aria-hidden="true" /> Export Key…
          </button>
          <button type="button" className="button-secondary" onClick={props.onCopyToken}>
            <Terminal size={13} aria-hidden="true" /> Copy Token…
          </button>
        </div>
        <div className="sheet-actions">
          {details.data ? (
            <button
              type="button"
              className="button-plain details-link"
              onClick={() => openExternal(details.data.integrationsUrl)}
            >
              Open Integrations in App Store Connect <ExternalLink size={12} aria-hidden="true" />
            </button>
          ) : null}
          <button type="button" className="button-secondary" onClick={props.onCheckNow}>
            Check Now
          </button>
          <button type="button" className="button-primary" onClick={props.onClose} data-autofocus>
            Done
          </button>
        </div>
      </div>
    </Sheet>
  )
}

function DetailsBody(props: { details: TeamDetails }) {
  const { details } = props
  const role =
    details.keyType === 'individual'
      ? 'The access of the person who generated it'
      : details.role
        ? `${teamBadge(details)} · ${roleSource(details)}`
        : 'Not given'
  return (
    <>
      <dl className="details-facts">
        {details.issuerId ? (
          <Fact label="Issuer ID" copy={details.issuerId}>
            <span className="mono">{details.issuerId}</span>
          </Fact>
        ) : null}
        <Fact label="Key ID" copy={details.keyId}>
          <span className="mono">{details.keyId}</span>
        </Fact>
        <Fact label="Role">{role}</Fact>
        <Fact label="Fingerprint" copy={details.fingerprint}>
          <span className="mono details-fingerprint" title="SHA-256 of the public key">
            {details.fingerprint}
          </span>
        </Fact>
        <Fact label="Kept in">
          {details.secretStore}{' '}
          <span className="details-muted">
            (account <span className="mono">{details.keychainAccount}</span>)
          </span>
        </Fact>
        <Fact label="Added">{dateTimeText(details.createdAt)}</Fact>
        <Fact label="Last validated">
          {details.lastValidatedAt ? dateTimeText(details.lastValidatedAt) : 'Never'}
        </Fact>
        <Fact label="Last used">
          {details.lastUsedAt ? dateTimeText(details.lastUsedAt) : 'Not yet'}
        </Fact>
      </dl>
      <section className="details-history" aria-labelledby="details-history-heading">
        <h3 id="details-history-heading">History</h3>
        {details.history.length === 0 ? (
          <p className="details-muted">Nothing yet.</p>
        ) : (
          <ol>
            {details.history.map((entry, index) => (
              <li key={`${entry.at}-${index}`}>
                <span>{entry.summary}</span>
                <time dateTime={entry.at}>{dateTimeText(entry.at)}</time>
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  )
}

/** Whose word the role is: Apple confirms Admin only (on a check); any other is the user's. */
function roleSource(details: TeamDetails): string {
  if (details.roleVerified) return 'confirmed by Apple'
  return details.role === 'ADMIN'
    ? 'as you entered it (Check Now confirms it)'
    : 'as you entered it (Apple can confirm only Admin)'
}

function Fact(props: { label: string; copy?: string; children: ReactNode }) {
  return (
    <>
      <dt>{props.label}</dt>
      <dd>
        <span className="details-value">{props.children}</span>
        {props.copy ? <CopyButton text={props.copy} label={`Copy ${props.label}`} /> : null}
      </dd>
    </>
  )
}
