import { CircleX, ExternalLink, RotateCw } from 'lucide-react'
import type { RefObject } from 'react'
import type { Diagnosis } from '../../shared/diagnosis'
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
  const facts = factsLine(diagnosis)
  const ref = useScrollIntoView<HTMLDivElement>(diagnosis)
  return (
    <div className="wizard-diagnosis" ref={ref}>
      <div role="alert" className="wizard-diagnosis-text">
        <h3>
          <CircleX size={16} className="wizard-problem-icon" aria-hidden="true" />
          {diagnosis.title}
        </h3>
        <p>{diagnosis.detail}</p>
        {diagnosis.hints.length > 0 ? (
          <ol>
            {diagnosis.hints.map((hint) => (
              <li key={hint}>{hint}</li>
            ))}
          </ol>
        ) : null}
        {facts ? <p className="wizard-diagnosis-facts mono">{facts}</p> : null}
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

/** `GET /v1/apps → 401 NOT_AUTHORIZED`: the request behind the diagnosis, for the curious. */
function factsLine(diagnosis: Diagnosis): string | null {
  const { request, httpStatus, appleErrorCode } = diagnosis.facts
  if (!request && httpStatus === undefined) return null
  const answer = [httpStatus, appleErrorCode].filter((part) => part !== undefined).join(' ')
  return [request, answer].filter(Boolean).join(' → ')
}
