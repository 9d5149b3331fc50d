import {
  CircleCheck,
  CircleDashed,
  CircleMinus,
  CircleX,
  LoaderCircle,
  TriangleAlert,
} from 'lucide-react'
import { useEffect, useRef, type RefObject } from 'react'
import type { CheckStep as CheckStepRow } from '../../shared/contract'
import type { Diagnosis } from '../../shared/diagnosis'
import { DiagnosisCallout, RetryButton } from './DiagnosisCallout'
import { STEP_STATE_LABELS } from './model'
import { Problem } from './Problem'
import { StepFrame } from './StepFrame'
import type { CheckRun } from './useCheck'

/** Step 3: the live check against Apple, one row per step, and its outcome. */
export function CheckStep(props: {
  run: CheckRun
  announcement: string
  onRetry: () => void
  onCancelCheck: () => void
  onContinue: () => void
  onBack: () => void
  onCancel: () => void
}) {
  const { run } = props
  const continueRef = useRef<HTMLButtonElement>(null)
  const retryRef = useRef<HTMLButtonElement>(null)
  const passed = run.phase === 'finished' && run.report.canSave
  const settled = run.phase !== 'running' && run.phase !== 'idle'

  useEffect(() => {
    // The Cancel Check button the focus may be on is gone: put focus on what comes next.
    if (settled) (passed ? continueRef : retryRef).current?.focus()
  }, [settled, passed])

  return (
    <StepFrame
      title="Check with Apple"
      lead="Ascent signs a token with the key and asks App Store Connect what the key may do."
      onSubmit={passed ? props.onContinue : props.onRetry}
      primaryLabel={passed || !settled ? 'Continue' : null}
      primaryDisabled={!settled}
      primaryRef={continueRef}
      onBack={run.phase === 'running' ? undefined : props.onBack}
      onCancel={props.onCancel}
      extraActions={
        run.phase === 'running' ? (
          <button type="button" className="button-secondary" onClick={props.onCancelCheck}>
            Cancel Check
          </button>
        ) : null
      }
    >
      <ul
        className="wizard-checklist"
        aria-label="Check progress"
        aria-busy={run.phase === 'running'}
      >
        {run.steps.map((step) => (
          <ChecklistRow key={step.id} step={step} />
        ))}
      </ul>
      <p className="visually-hidden" aria-live="polite">
        {props.announcement}
      </p>
      <Outcome run={run} retryRef={retryRef} />
    </StepFrame>
  )
}

const STATE_ICONS = {
  pending: CircleDashed,
  running: LoaderCircle,
  passed: CircleCheck,
  failed: CircleX,
  skipped: CircleMinus,
}

function ChecklistRow(props: { step: CheckStepRow }) {
  const { step } = props
  const Icon = STATE_ICONS[step.state]
  return (
    <li className={`wizard-check wizard-check-${step.state}`}>
      <Icon size={16} className="wizard-check-icon" aria-hidden="true" />
      <span className="wizard-check-text">
        <span className="wizard-check-label">{step.label}</span>
        {step.detail ? <span className="wizard-check-detail">{step.detail}</span> : null}
      </span>
      <span className="wizard-check-state">{STEP_STATE_LABELS[step.state]}</span>
    </li>
  )
}

function Outcome(props: { run: CheckRun; retryRef: RefObject<HTMLButtonElement | null> }) {
  const { run, retryRef } = props
  switch (run.phase) {
    case 'idle':
    case 'running':
      return null
    case 'canceled':
      return (
        <div className="wizard-outcome">
          <p>The check was canceled; nothing was saved.</p>
          <RetryButton retryRef={retryRef} />
        </div>
      )
    case 'error':
      return (
        <>
          <Problem message={run.error.message} />
          <div className="wizard-outcome">
            <RetryButton retryRef={retryRef} />
          </div>
        </>
      )
    case 'finished':
      return run.report.canSave ? (
        <>
          <div className="wizard-passed">
            <CircleCheck size={16} className="wizard-passed-icon" aria-hidden="true" />
            <p>
              <strong>{run.report.diagnosis.title}</strong> {run.report.diagnosis.detail}
            </p>
          </div>
          <Warnings warnings={run.report.warnings} />
        </>
      ) : (
        <>
          <DiagnosisCallout diagnosis={run.report.diagnosis} retryRef={retryRef} />
          <Warnings warnings={run.report.warnings} />
        </>
      )
  }
}

function Warnings(props: { warnings: Diagnosis[] }) {
  if (props.warnings.length === 0) return null
  return (
    <ul className="wizard-warnings" aria-label="Warnings">
      {props.warnings.map((warning) => (
        <li key={warning.code}>
          <TriangleAlert size={14} className="wizard-warning-icon" aria-hidden="true" />
          <div>
            <p>
              <strong>{warning.title}</strong> {warning.detail}
            </p>
            {warning.hints.map((hint) => (
              <p key={hint} className="wizard-muted">
                {hint}
              </p>
            ))}
          </div>
        </li>
      ))}
    </ul>
  )
}
