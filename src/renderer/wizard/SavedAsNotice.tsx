import { Info } from 'lucide-react'
import type { KeyDraft } from '../../shared/contract'
import type { WizardMode } from './model'

/**
 * A key Ascent already holds, recognised by its fingerprint as soon as it comes in: what that
 * means depends on what the wizard is doing. Null when the key is new, or is the one expected.
 */
export function SavedAsNotice(props: {
  draft: KeyDraft
  mode: WizardMode
  onOpenTeam: (teamId: string) => void
  onReimport: (teamId: string) => void
}) {
  const { savedAs } = props.draft
  const { mode } = props
  if (!savedAs || !savedAsBlocks(props.draft, mode)) return null
  const sameTeam = mode.kind !== 'add' && mode.team.id === savedAs.teamId
  return (
    <div className="wizard-saved-as" role="status">
      <Info size={16} aria-hidden="true" />
      <div>
        <p className="wizard-saved-as-message">
          {sameTeam
            ? `This is the key “${savedAs.name}” already uses. Choose the file of the new key you generated in App Store Connect.`
            : `This key is already saved as “${savedAs.name}”.`}
        </p>
        {mode.kind === 'add' ? (
          <div className="wizard-saved-as-actions">
            <button
              type="button"
              className="button-secondary"
              onClick={() => props.onOpenTeam(savedAs.teamId)}
            >
              Open “{savedAs.name}”
            </button>
            <button
              type="button"
              className="button-secondary"
              onClick={() => props.onReimport(savedAs.teamId)}
            >
              Re-import Its Key
            </button>
          </div>
        ) : null}
      </div>
    </div>
  )
}

/** Whether the key may go on to the IDs: not when it is another team's, or the one being replaced. */
export function savedAsBlocks(draft: KeyDraft | null, mode: WizardMode): boolean {
  const savedAs = draft?.savedAs
  if (!savedAs) return false
  return !(mode.kind === 'reimport' && mode.team.id === savedAs.teamId)
}
