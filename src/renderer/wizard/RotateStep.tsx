import { CircleCheck, ExternalLink, KeyRound } from 'lucide-react'
import { useRef } from 'react'
import type { TeamSummary } from '../../shared/contract'
import { openExternal } from '../data/app'
import { useRotateKey } from '../data/keyLife'
import { errorOf } from '../data/teams'
import { Problem } from './Problem'
import { StepFrame } from './StepFrame'

/**
 * The last step of Replace Key…: the checked key becomes the team's key in one step in main (the
 * old one stays until the new one is saved), then the reminder to revoke the old key, which only
 * App Store Connect can do.
 */
export function RotateStep(props: {
  checkId: string
  team: TeamSummary
  newKeyId: string
  onDone: (team: TeamSummary) => void
  onCheckAgain: () => void
  onBack: () => void
  onCancel: () => void
}) {
  const { team } = props
  const rotate = useRotateKey()
  const answer = rotate.data
  const error = errorOf(rotate.error)
  const doneRef = useRef<HTMLButtonElement>(null)

  if (answer) {
    return (
      <StepFrame
        title="Key replaced"
        lead={
          <>
            “{answer.team.name}” now uses key <span className="mono">{answer.team.keyId}</span>. Its
            name, cached data and history stay as they were.
          </>
        }
        onSubmit={() => props.onDone(answer.team)}
        primaryLabel="Done"
        primaryRef={doneRef}
        initialFocus={doneRef}
      >
        <div className="wizard-rotated" role="status">
          <CircleCheck size={16} aria-hidden="true" />
          <p>
            {answer.previousItemRemoved
              ? `The old key ${answer.previousKeyId} is gone from the Keychain.`
              : `The old key ${answer.previousKeyId} could not be deleted from the Keychain; the sidebar offers it under “Found in Keychain”.`}
          </p>
        </div>
        <section className="wizard-revoke" aria-labelledby="wizard-revoke-heading">
          <h3 id="wizard-revoke-heading">
            Now revoke key <span className="mono">{answer.revoke.keyId}</span>
          </h3>
          <p>
            Apple’s API cannot revoke keys, and the old key works until someone does. In App Store
            Connect:
          </p>
          <ol>
            {answer.revoke.steps.map((step) => (
              <li key={step}>{step}</li>
            ))}
          </ol>
          <button
            type="button"
            className="button-secondary"
            onClick={() => openExternal(answer.revoke.url)}
          >
            Open Integrations in App Store Connect <ExternalLink size={12} aria-hidden="true" />
          </button>
        </section>
      </StepFrame>
    )
  }

  return (
    <StepFrame
      title={`Replace the key of “${team.name}”`}
      lead="Apple accepted the new key for this team."
      onSubmit={() => {
        if (!rotate.isPending) rotate.mutate({ checkId: props.checkId, teamId: team.id })
      }}
      primaryLabel={rotate.isPending ? 'Replacing…' : 'Replace Key'}
      primaryDisabled={rotate.isPending}
      onBack={rotate.isPending ? undefined : props.onBack}
      onCancel={props.onCancel}
    >
      <p className="wizard-note">
        <KeyRound size={14} aria-hidden="true" />
        <span>
          Ascent saves key <span className="mono">{props.newKeyId}</span> to the Keychain, switches
          “{team.name}” to it, and only then deletes key <span className="mono">{team.keyId}</span>.
          If anything fails on the way, the team keeps its old key.
        </span>
      </p>
      {error ? (
        <>
          <Problem message={error.message} />
          <div className="wizard-outcome">
            <button type="button" className="button-secondary" onClick={props.onCheckAgain}>
              Check Again
            </button>
          </div>
        </>
      ) : null}
    </StepFrame>
  )
}
