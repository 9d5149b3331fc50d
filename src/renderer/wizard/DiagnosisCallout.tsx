import { CircleX, ExternalLink } from 'lucide-react'
import type { Diagnosis } from '../../shared/diagnosis'
import { problemOfDiagnosis } from '../diagnosis/problem'
import { ProblemText } from '../diagnosis/ProblemText'
import { openApiKeysPage } from './links'

/**
 * What went wrong, what it means, and what to do: the diagnosis of a failed check. Try Again is
 * the footer's primary button, where Continue would be. It is announced (an alert) and follows the
 * checklist, which stays at the top of the step: the two read in order, nothing is scrolled away.
 */
export function DiagnosisCallout({ diagnosis }: { diagnosis: Diagnosis }) {
  const problem = problemOfDiagnosis(diagnosis)
  return (
    <div className="wizard-diagnosis">
      <div role="alert">
        <ProblemText
          problem={{ ...problem, facts: null }}
          icon={<CircleX size={16} className="problem-icon" aria-hidden="true" />}
        />
      </div>
      <div className="wizard-diagnosis-actions">
        {problem.facts ? <p className="problem-facts mono">{problem.facts}</p> : null}
        <button type="button" className="button-secondary" onClick={openApiKeysPage}>
          <ExternalLink size={14} aria-hidden="true" /> Open App Store Connect
        </button>
      </div>
    </div>
  )
}
