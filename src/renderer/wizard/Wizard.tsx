import { useState } from 'react'
import type { TeamSummary } from '../../shared/contract'
import { CheckStep } from './CheckStep'
import { IdsStep } from './IdsStep'
import { KeyFileStep } from './KeyFileStep'
import {
  checkForm,
  checkRequestFor,
  idsAfterImport,
  idsOfTeam,
  type IdsForm,
  type WizardStep,
} from './model'
import { NameStep } from './NameStep'
import { StepIndicator } from './StepIndicator'
import { useCheck } from './useCheck'
import { useKeyIntake } from './useKeyIntake'
import { usePasteShortcut, useWindowDrop } from './useWindowIntake'

/**
 * The guided key setup: key file → IDs → live check → name. Secrets stay in main; the wizard
 * holds only the draft's public facts. Leaving it (Cancel, Esc) discards the draft and cancels a
 * running check. With `replacing`, it re-imports the key of a saved team (a revoked or lost key):
 * the team's IDs are prefilled and the save replaces its keychain item, keeping its settings.
 */
export function Wizard(props: {
  replacing?: TeamSummary | null
  onClose: () => void
  onSaved: (team: TeamSummary) => void
}) {
  const replacing = props.replacing ?? null
  const [step, setStep] = useState<WizardStep>('key')
  const [form, setForm] = useState<IdsForm>(() => idsOfTeam(replacing))
  const check = useCheck()
  const intake = useKeyIntake((draft, previous) =>
    setForm((current) => idsAfterImport(current, draft, previous)),
  )
  const checking = check.run.phase === 'running'

  const dragging = useWindowDrop((files) => {
    if (checking) return
    setStep('key')
    intake.importDropped(files)
  })
  usePasteShortcut(step === 'key', intake.pasteClipboard)

  const draft = intake.draft
  const startCheck = () => {
    if (!draft) return
    check.start((checkId) => checkRequestFor(checkId, draft.draftId, form, checkForm(form, draft)))
    setStep('check')
  }
  const passed = check.run.phase === 'finished' && check.run.report.canSave ? check.run : null

  return (
    <div className="wizard">
      <header className="wizard-header">
        <h1 className="wizard-title">
          {replacing
            ? `Re-import the Key of “${replacing.name}”`
            : 'Add an App Store Connect API Key'}
        </h1>
        <StepIndicator current={step} />
      </header>
      {step === 'key' || !draft ? (
        <KeyFileStep
          intake={intake}
          dragging={dragging}
          onContinue={() => setStep('ids')}
          onCancel={props.onClose}
        />
      ) : step === 'ids' ? (
        <IdsStep
          form={form}
          draft={draft}
          onChange={setForm}
          onContinue={startCheck}
          onBack={() => setStep('key')}
          onCancel={props.onClose}
        />
      ) : step === 'check' || !passed ? (
        <CheckStep
          run={check.run}
          announcement={check.announcement}
          onRetry={startCheck}
          onStopCheck={check.cancel}
          onContinue={() => setStep('name')}
          onBack={() => setStep('ids')}
          onCancel={props.onClose}
        />
      ) : (
        <NameStep
          checkId={passed.checkId}
          replaceTeamId={replacing?.id}
          suggestedName={
            replacing?.name ??
            passed.report.suggestedName ??
            `Key ${form.keyId.trim().toUpperCase()}`
          }
          onSaved={(team) => {
            intake.keep()
            props.onSaved(team)
          }}
          onCheckAgain={startCheck}
          onBack={() => setStep('check')}
          onCancel={props.onClose}
        />
      )}
    </div>
  )
}
