import { ClipboardPaste, FileUp, FolderOpen } from 'lucide-react'
import { useEffect, useRef, type ReactNode } from 'react'
import { DraftSummary } from './DraftSummary'
import { KeyGuide } from './KeyGuide'
import { Problem } from './Problem'
import { StepFrame } from './StepFrame'
import type { KeyIntake } from './useKeyIntake'

/** Step 1: the .p8 comes in by drop (anywhere on the window), dialog or clipboard. */
export function KeyFileStep(props: {
  intake: KeyIntake
  dragging: boolean
  /** What Ascent knows of the key that came in (it is already saved), under its facts. */
  notice: ReactNode
  /** The key may not go on (it is another team's, or the one being replaced). */
  blocked: boolean
  onContinue: () => void
  onCancel: () => void
}) {
  const { intake } = props
  const continueRef = useRef<HTMLButtonElement>(null)
  const draftId = intake.draft?.draftId
  // With a key in, or a refusal to read, the drop zone gives its room to what was found.
  const compact = intake.draft !== null || intake.problem !== null

  const { blocked } = props
  useEffect(() => {
    // A key just came in: Return goes on from here (unless it cannot go on).
    if (draftId && !blocked) continueRef.current?.focus()
  }, [draftId, blocked])

  return (
    <StepFrame
      title="Add the key file"
      lead="The private key never leaves your Mac: Ascent reads it, checks it and stores it in the Keychain."
      onSubmit={props.onContinue}
      primaryLabel="Continue"
      primaryDisabled={!intake.draft || blocked}
      primaryRef={continueRef}
      onCancel={props.onCancel}
    >
      {intake.draft ? null : <KeyGuide />}
      <div
        className={`wizard-dropzone${props.dragging ? ' wizard-dropzone-active' : ''}${compact ? ' wizard-dropzone-compact' : ''}`}
        aria-busy={intake.busy}
      >
        <FileUp size={compact ? 18 : 30} className="wizard-dropzone-icon" aria-hidden="true" />
        <p className="wizard-dropzone-label">
          {compact ? (
            'Drop another key file here, or'
          ) : (
            <>
              Drop <code>AuthKey_XXXXXXXXXX.p8</code> here
            </>
          )}
        </p>
        {/* aria-disabled while main works: a disabled button would drop focus to <body>. */}
        <div className="wizard-dropzone-actions">
          <button
            type="button"
            className="button-secondary"
            onClick={intake.chooseFile}
            aria-disabled={intake.busy}
          >
            <FolderOpen size={14} aria-hidden="true" /> Choose File…
          </button>
          <button
            type="button"
            className="button-secondary"
            onClick={intake.pasteClipboard}
            aria-disabled={intake.busy}
            aria-keyshortcuts="Meta+V"
          >
            <ClipboardPaste size={14} aria-hidden="true" /> Paste from Clipboard
          </button>
        </div>
        {compact ? null : (
          <p className="wizard-dropzone-hint">
            A fastlane API key <code>.json</code> works too. ⌘V pastes a key you copied.
          </p>
        )}
      </div>
      {intake.problem ? (
        <Problem message={intake.problem.message} fix={intake.problem.fix} />
      ) : null}
      {intake.draft ? (
        <DraftSummary
          draft={intake.draft}
          clipboard={intake.clipboard}
          onClearClipboard={intake.clearClipboard}
        />
      ) : null}
      {props.notice}
    </StepFrame>
  )
}
