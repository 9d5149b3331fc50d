import {
  CircleCheck,
  CircleDashed,
  CircleMinus,
  CircleX,
  LoaderCircle,
  TriangleAlert,
} from 'lucide-react'
import { useEffect, useRef } from 'react'
import type { CheckStep as CheckStepRow } from '../../shared/contract'
import type { Diagnosis, DiagnosisCode } from '../../shared/diagnosis'
import { describeRole } from '../../shared/diagnosis'
import { DiagnosisCallout } from './DiagnosisCallout'
import { STEP_STATE_LABELS } from './model'
import { Problem } from './Problem'
import { StepFrame } from './StepFrame'
import type { CheckRun } from './useCheck'

/** Failed checks whose way forward is the IDs step. */
const IDS_LIKELY_FAULT = new Set<DiagnosisCode>(['auth.rejected', 'input.key_id_mismatch'])

/**
 * Step 3: the live check against Apple, one row per step, and its outcome. The footer's primary
 * button stays in one place: Continue once the key passed, Try Again after anything else.
 */
export function CheckStep(props: {
  run: CheckRun
  announcement: string
  onRetry: () => void
  onStopCheck: () => void
  onContinue: () => void
  onBack: () => void
  onCancel: () => void
}) {
  const { run } = props
  const primaryRef = useRef<HTMLButtonElement>(null)
  const passed = run.phase === 'finished' && run.report.canSave
  const settled = run.phase !== 'running' && run.phase !== 'idle'
  // Apple refused a key just read from its file (or refused a key ID other than the file's): the
  // IDs typed beside it are the likely fault, so going back to them is the way forward, and trying
  // the same again the other choice.
  const idsLikely =
    run.phase === 'finished' && !passed && IDS_LIKELY_FAULT.has(run.report.diagnosis.code)
  // The diagnosis below says why the check failed: the failed and skipped rows do not say it too.
  const explained = run.phase === 'finished' && !passed

  useEffect(() => {
    // The Stop Check button the focus may be on is gone: put focus on what comes next.
    if (settled) primaryRef.current?.focus()
  }, [settled, passed])

  return (
    <StepFrame
      title="Check with Apple"
      lead="Ascent signs a token with the key and asks App Store Connect what the key may do."
      onSubmit={passed ? props.onContinue : idsLikely ? props.onBack : props.onRetry}
      primaryLabel={idsLikely ? 'Back to IDs' : settled && !passed ? 'Try Again' : 'Continue'}
      primaryDisabled={!settled}
      primaryRef={primaryRef}
      onBack={run.phase === 'running' || idsLikely ? undefined : props.onBack}
      onCancel={props.onCancel}
      contentKey={run.phase === 'idle' ? undefined : run.checkId}
      extraActions={
        run.phase === 'running' ? (
          <button type="button" className="button-secondary" onClick={props.onStopCheck}>
            Stop Check
          </button>
        ) : idsLikely ? (
          <button type="button" className="button-secondary" onClick={props.onRetry}>
            Try Again
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
          <ChecklistRow key={step.id} step={step} explained={explained} />
        ))}
      </ul>
      <p className="visually-hidden" aria-live="polite">
        {props.announcement}
      </p>
      <Outcome run={run} />
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

function ChecklistRow(props: { step: CheckStepRow; explained: boolean }) {
  const { step } = props
  const Icon = STATE_ICONS[step.state]
  const quiet = props.explained && (step.state === 'failed' || step.state === 'skipped')
  return (
    <li className={`wizard-check wizard-check-${step.state}`}>
      <Icon size={16} className="wizard-check-icon" aria-hidden="true" />
      <span className="wizard-check-text">
        <span className="wizard-check-label">{step.label}</span>
        {step.detail && !quiet ? <span className="wizard-check-detail">{step.detail}</span> : null}
      </span>
      <span className="wizard-check-state">{STEP_STATE_LABELS[step.state]}</span>
    </li>
  )
}

function Outcome(props: { run: CheckRun }) {
  const { run } = props
  switch (run.phase) {
    case 'idle':
    case 'running':
      return null
    case 'canceled':
      return <p className="wizard-stopped">The check was stopped; nothing was saved.</p>
    case 'error':
      return <Problem message={run.error.message} />
    case 'finished': {
      const { report } = run
      return report.canSave ? (
        <>
          <div className="wizard-passed">
            <CircleCheck size={16} className="wizard-passed-icon" aria-hidden="true" />
            <div>
              <h3 className="wizard-passed-title">{report.diagnosis.title}</h3>
              <p>{report.diagnosis.detail}</p>
              {report.role ? (
                <p className="wizard-passed-role">
                  Role: {describeRole(report.role, report.roleVerified)}
                </p>
              ) : null}
            </div>
          </div>
          <Warnings warnings={report.warnings} />
        </>
      ) : (
        <>
          <DiagnosisCallout diagnosis={report.diagnosis} />
          <Warnings warnings={report.warnings} />
        </>
      )
    }
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
