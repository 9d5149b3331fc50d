import { useState } from 'react'
import type { TeamSummary } from '../../shared/contract'
import { useSavedTeams } from '../data/teams'
import { CheckStep } from './CheckStep'
import { IdsStep } from './IdsStep'
import { KeyFileStep } from './KeyFileStep'
import {
  checkForm,
  checkRequestFor,
  idsAfterImport,
  idsOfMode,
  type IdsForm,
  type WizardMode,
  type WizardStep,
} from './model'
import { NameStep } from './NameStep'
import { RotateStep } from './RotateStep'
import { SavedAsNotice, savedAsBlocks } from './SavedAsNotice'
import { StepIndicator } from './StepIndicator'
import { useCheck } from './useCheck'
import { useKeyIntake } from './useKeyIntake'
import { usePasteShortcut, useWindowDrop } from './useWindowIntake'

const TITLES: Record<WizardMode['kind'], (name: string) => string> = {
  add: () => 'Add an App Store Connect API Key',
  reimport: (name) => `Re-import the Key of “${name}”`,
  rotate: (name) => `Replace the Key of “${name}”`,
}

/**
 * The guided key setup: key file → IDs → live check → name. Secrets stay in main; the wizard
 * holds only the draft's public facts. Leaving it (Cancel, Esc) discards the draft and cancels a
 * running check. A re-import brings back the key of a saved team (revoked in the Keychain, or
 * lost): its IDs are prefilled and the save replaces its keychain item, keeping its settings. A
 * replacement (rotation) takes a new key of the same team and ends in `keys:rotate`.
 */
export function Wizard(props: {
  mode: WizardMode
  onClose: () => void
  onSaved: (team: TeamSummary) => void
  /** A key already saved was brought in: the user opens its team instead. */
  onOpenTeam: (teamId: string) => void
}) {
  const [mode, setMode] = useState(props.mode)
  const [step, setStep] = useState<WizardStep>('key')
  const [form, setForm] = useState<IdsForm>(() => idsOfMode(mode))
  const savedTeams = useSavedTeams()
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
  const reimport = (teamId: string) => {
    const team = savedTeams.find((candidate) => candidate.id === teamId)
    if (!team) return
    const next: WizardMode = { kind: 'reimport', team }
    setMode(next)
    setForm(idsOfMode(next))
  }

  return (
    <div className="wizard">
      <header className="wizard-header">
        <h1 className="wizard-title">
          {TITLES[mode.kind](mode.kind === 'add' ? '' : mode.team.name)}
        </h1>
        <StepIndicator current={step} lastLabel={mode.kind === 'rotate' ? 'Replace' : 'Name'} />
      </header>
      {step === 'key' || !draft ? (
        <KeyFileStep
          intake={intake}
          dragging={dragging}
          blocked={savedAsBlocks(draft, mode)}
          notice={
            draft ? (
              <SavedAsNotice
                draft={draft}
                mode={mode}
                onOpenTeam={props.onOpenTeam}
                onReimport={reimport}
              />
            ) : null
          }
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
      ) : mode.kind === 'rotate' ? (
        <RotateStep
          checkId={passed.checkId}
          team={mode.team}
          newKeyId={form.keyId.trim().toUpperCase()}
          onDone={(team) => {
            intake.keep()
            props.onSaved(team)
          }}
          onCheckAgain={startCheck}
          onBack={() => setStep('check')}
          onCancel={props.onClose}
        />
      ) : (
        <NameStep
          checkId={passed.checkId}
          replaceTeamId={mode.kind === 'reimport' ? mode.team.id : undefined}
          suggestedName={
            mode.kind === 'reimport'
              ? mode.team.name
              : (passed.report.suggestedName ?? `Key ${form.keyId.trim().toUpperCase()}`)
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
