import { CircleAlert, ExternalLink, KeyRound, RefreshCw, ShieldCheck } from 'lucide-react'
import { createContext, useContext, type ReactNode } from 'react'
import { openExternal } from '../data/app'
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

/**
 * How much room the notice takes: `page` where the data would be, `banner` (the title and the
 * hints, or the meaning when there are none, with the actions beside them) next to data still
 * shown, `compact` (title and meaning) under a table.
 */
export type ProblemLayout = 'page' | 'banner' | 'compact'

const ExplainedAbove = createContext<Problem | null>(null)

/**
 * Around data under a banner (the team's apps and builds under Apple's refusal of its key): a
 * notice of the same problem in there names it in one line instead of explaining it again.
 */
export function ExplainedAboveProvider(props: { problem: Problem | null; children: ReactNode }) {
  return <ExplainedAbove.Provider value={props.problem}>{props.children}</ExplainedAbove.Provider>
}

/** Whether a banner above already shows `problem` with its hints and actions. */
export function useExplainedAbove(problem: Problem | null): boolean {
  const above = useContext(ExplainedAbove)
  return Boolean(problem && above?.code === problem.code && above.title === problem.title)
}

/** A problem the banner above explains: its title and a retry for this part. */
export function ProblemLine(props: { problem: Problem; loaded: boolean; onRetry: () => void }) {
  return (
    <p className="problem-line">
      <CircleAlert size={13} aria-hidden="true" className="problem-icon" />
      <span>
        {props.loaded ? 'Couldn’t refresh' : 'Couldn’t load'}: {props.problem.title}.
      </span>
      <button type="button" className="link-button" onClick={props.onRetry}>
        Retry
      </button>
    </p>
  )
}

/** A failure shown where the data would be: the diagnosis, its hints, and what to do next. */
export function ProblemNotice(
  props: { problem: Problem; compact?: boolean; layout?: ProblemLayout } & ProblemActions,
) {
  const { problem } = props
  const layout = props.layout ?? (props.compact ? 'compact' : 'page')
  const keyProblem = concernsKey(problem)
  const explained = useExplainedAbove(problem)
  if (explained) {
    return <ProblemLine problem={problem} loaded={layout !== 'page'} onRetry={props.onRetry} />
  }
  return (
    <section className={`problem problem-${layout}`} role="alert" aria-label={problem.title}>
      <div className="problem-text">
        <ProblemText
          problem={problem}
          icon={<CircleAlert size={16} aria-hidden="true" className="problem-icon" />}
          brief={layout === 'compact'}
          terse={layout === 'banner'}
        />
      </div>
      <div className="problem-actions">
        {problem.code === 'access.agreements' ? (
          <button
            type="button"
            className="button-secondary"
            onClick={() => openExternal(AGREEMENTS_URL)}
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
