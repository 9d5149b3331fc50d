import { CircleAlert, ExternalLink, KeyRound, RefreshCw, ShieldCheck } from 'lucide-react'
import { ascent } from '../data/bridge'
import { concernsKey, type Problem } from '../diagnosis/problem'
import { ProblemText } from '../diagnosis/ProblemText'

const AGREEMENTS_URL = 'https://appstoreconnect.apple.com/business'

export interface ProblemActions {
  onRetry: () => void
  /** Checks the team's key with Apple again. */
  onRecheck: () => void
  /** Opens the wizard to import the team's key again. */
  onReplaceKey: () => void
}

/** A failure shown where the data would be: the diagnosis, its hints, and what to do next. */
export function ProblemNotice(props: { problem: Problem; compact?: boolean } & ProblemActions) {
  const { problem } = props
  const keyProblem = concernsKey(problem)
  return (
    <section
      className={`problem ${props.compact ? 'problem-compact' : ''}`}
      role="alert"
      aria-label={problem.title}
    >
      <ProblemText
        problem={problem}
        icon={<CircleAlert size={16} aria-hidden="true" className="problem-icon" />}
        brief={props.compact}
      />
      <div className="problem-actions">
        {problem.code === 'access.agreements' ? (
          <button
            type="button"
            className="button-secondary"
            onClick={() => void ascent.app.openExternal({ url: AGREEMENTS_URL })}
          >
            <ExternalLink size={13} aria-hidden="true" /> Open App Store Connect
          </button>
        ) : null}
        {keyProblem ? (
          <>
            <button type="button" className="button-secondary" onClick={props.onRecheck}>
              <ShieldCheck size={13} aria-hidden="true" /> Check Now
            </button>
            <button type="button" className="button-secondary" onClick={props.onReplaceKey}>
              <KeyRound size={13} aria-hidden="true" /> Re-import Key…
            </button>
          </>
        ) : null}
        <button type="button" className="button-primary" onClick={props.onRetry}>
          <RefreshCw size={13} aria-hidden="true" /> Retry
        </button>
      </div>
    </section>
  )
}
