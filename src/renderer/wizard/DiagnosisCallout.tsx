import { CircleX, ExternalLink, RotateCw } from 'lucide-react'
import type { RefObject } from 'react'
import type { Diagnosis } from '../../shared/diagnosis'
import { problemOfDiagnosis } from '../diagnosis/problem'
import { ProblemText } from '../diagnosis/ProblemText'
import { openApiKeysPage } from './links'
import { useScrollIntoView } from './Problem'

/** What went wrong, what it means, and what to do: the diagnosis of a failed check. */
export function DiagnosisCallout({
  diagnosis,
  retryRef,
}: {
  diagnosis: Diagnosis
  retryRef: RefObject<HTMLButtonElement | null>
}) {
  const ref = useScrollIntoView<HTMLDivElement>(diagnosis)
  return (
    <div className="wizard-diagnosis" ref={ref}>
      <div role="alert">
        <ProblemText
          problem={problemOfDiagnosis(diagnosis)}
          icon={<CircleX size={16} className="problem-icon" aria-hidden="true" />}
        />
      </div>
      <div className="wizard-diagnosis-actions">
        <button type="button" className="button-secondary" onClick={openApiKeysPage}>
          <ExternalLink size={14} aria-hidden="true" /> Open App Store Connect
        </button>
        <RetryButton retryRef={retryRef} />
      </div>
    </div>
  )
}

/** The form's submit while a check has failed, so Return tries again. */
export function RetryButton({ retryRef }: { retryRef: RefObject<HTMLButtonElement | null> }) {
  return (
    <button type="submit" className="button-primary" ref={retryRef}>
      <RotateCw size={13} aria-hidden="true" /> Try Again
    </button>
  )
}
