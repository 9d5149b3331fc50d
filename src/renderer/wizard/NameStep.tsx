import { KeyRound } from 'lucide-react'
import { useRef, useState } from 'react'
import type { TeamSummary } from '../../shared/contract'
import type { IpcError } from '../../shared/result'
import { keyCheck } from '../data/keyIntake'
import { Problem } from './Problem'
import { StepFrame } from './StepFrame'

const MAX_NAME = 80

/** Step 4: name the team and save the checked key to the Keychain. */
export function NameStep(props: {
  checkId: string
  /** Set when the key replaces the secret of this saved team. */
  replaceTeamId?: string
  suggestedName: string
  onSaved: (team: TeamSummary) => void
  onCheckAgain: () => void
  onBack: () => void
  onCancel: () => void
}) {
  const [name, setName] = useState(props.suggestedName)
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<IpcError | null>(null)
  const inputRef = useRef<HTMLInputElement>(null)
  const empty = name.trim() === ''

  const save = () => {
    if (saving) return
    if (empty) {
      setError({ code: 'renderer.name_empty', message: 'Give the team a name to save it.' })
      inputRef.current?.focus()
      return
    }
    setSaving(true)
    setError(null)
    const request = {
      checkId: props.checkId,
      name: name.trim(),
      replaceTeamId: props.replaceTeamId,
    }
    void keyCheck.save(request).then((result) => {
      setSaving(false)
      if (result.ok) props.onSaved(result.value)
      else setError(result.error)
    })
  }

  return (
    <StepFrame
      title="Name the team"
      lead="Apple does not say what a team is called, so choose the name the sidebar shows."
      onSubmit={save}
      primaryLabel={saving ? 'Saving…' : 'Save to Keychain'}
      initialFocus={inputRef}
      onBack={saving ? undefined : props.onBack}
      onCancel={props.onCancel}
    >
      <div className="wizard-field">
        <label htmlFor="wizard-name">Name</label>
        <input
          id="wizard-name"
          ref={inputRef}
          className="wizard-input"
          value={name}
          maxLength={MAX_NAME}
          onChange={(event) => setName(event.target.value)}
          aria-invalid={error?.code === 'renderer.name_empty'}
          aria-describedby="wizard-name-help"
          spellCheck={false}
          autoComplete="off"
        />
        <p id="wizard-name-help" className="wizard-help">
          You can rename it later from the sidebar.
        </p>
      </div>
      <p className="wizard-note">
        <KeyRound size={14} aria-hidden="true" />
        The private key goes into the Keychain; the IDs and the name stay in Ascent’s settings.
      </p>
      {error ? (
        <>
          <Problem message={error.message} />
          {error.code === 'renderer.name_empty' ? null : (
            <div className="wizard-outcome">
              <button type="button" className="button-secondary" onClick={props.onCheckAgain}>
                Check Again
              </button>
            </div>
          )}
        </>
      ) : null}
    </StepFrame>
  )
}
