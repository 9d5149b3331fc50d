import { ClipboardCheck, FileKey, Info } from 'lucide-react'
import type { KeyDraft } from '../../shared/contract'
import type { ClipboardState } from './useKeyIntake'

/** What main found in the imported key: public facts only. */
export function DraftSummary(props: {
  draft: KeyDraft
  clipboard: ClipboardState
  onClearClipboard: () => void
}) {
  const { draft } = props
  return (
    <section className="wizard-draft" aria-label="Imported key">
      <div role="status" className="wizard-draft-facts">
        <FileKey size={28} className="wizard-draft-icon" aria-hidden="true" />
        <dl>
          <dt>Imported</dt>
          <dd>{draft.fileName ?? 'Pasted from the clipboard'}</dd>
          <dt>Key ID in the file name</dt>
          <dd>
            {draft.keyIdFromFileName ? (
              <span className="mono">{draft.keyIdFromFileName}</span>
            ) : (
              <span className="wizard-muted">
                {draft.fileName ? 'None (not named AuthKey_…)' : 'None (no file name)'}
              </span>
            )}
          </dd>
          <dt>Fingerprint</dt>
          <dd>
            <span className="mono">{draft.fingerprintShort}</span>
            <span className="wizard-muted"> · EC {draft.curve}</span>
          </dd>
        </dl>
      </div>
      {draft.notes.length > 0 ? (
        <ul className="wizard-notes" aria-label="What Ascent repaired or converted">
          {draft.notes.map((note) => (
            <li key={note}>
              <Info size={14} aria-hidden="true" />
              {note}
            </li>
          ))}
        </ul>
      ) : null}
      <ClipboardOffer state={props.clipboard} onClear={props.onClearClipboard} />
    </section>
  )
}

function ClipboardOffer(props: { state: ClipboardState; onClear: () => void }) {
  if (props.state === null) return null
  return (
    <div className="wizard-clipboard" role="status">
      {props.state === 'holds_key' ? (
        <>
          <span>The private key is still on the clipboard, where other apps can read it.</span>
          <button type="button" className="button-secondary" onClick={props.onClear}>
            Clear Clipboard
          </button>
        </>
      ) : props.state === 'cleared' ? (
        <span>
          <ClipboardCheck size={14} aria-hidden="true" /> Clipboard cleared.
        </span>
      ) : (
        <span>The clipboard no longer holds this key, so it was left as it is.</span>
      )}
    </div>
  )
}
