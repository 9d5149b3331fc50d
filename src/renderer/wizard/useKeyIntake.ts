import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react'
import type { IntakeOutcome, KeyDraft } from '../../shared/contract'
import type { Result } from '../../shared/result'
import { keyIntake } from '../data/keyIntake'

/** Why the last import did not bring a key: main's refusal, or a failure to reach main. */
export interface IntakeProblem {
  message: string
  fix: string | null
}

export type ClipboardState = 'holds_key' | 'cleared' | 'not_cleared' | null

export interface KeyIntake {
  draft: KeyDraft | null
  problem: IntakeProblem | null
  busy: boolean
  clipboard: ClipboardState
  chooseFile: () => void
  importDropped: (files: FileList) => void
  pasteClipboard: () => void
  clearClipboard: () => void
  /** The draft was saved: main has consumed it, so leaving must not discard it. */
  keep: () => void
}

/**
 * The key file's way in. Main reads the file or the clipboard; the page only learns the draft's
 * public facts. The draft is discarded when a new key replaces it and when the wizard goes away.
 */
export function useKeyIntake(
  onImported: (draft: KeyDraft, previous: KeyDraft | null) => void,
): KeyIntake {
  const [draft, setDraft] = useState<KeyDraft | null>(null)
  const [problem, setProblem] = useState<IntakeProblem | null>(null)
  const [busy, setBusy] = useState(false)
  const [clipboard, setClipboard] = useState<ClipboardState>(null)
  const draftRef = useRef<KeyDraft | null>(null)
  const inFlight = useRef(false)
  const onImportedRef = useRef(onImported)
  useLayoutEffect(() => {
    onImportedRef.current = onImported
  })

  useEffect(
    () => () => {
      const left = draftRef.current
      draftRef.current = null
      if (left) void keyIntake.discardDraft(left.draftId)
    },
    [],
  )

  const run = useCallback(async (call: () => Promise<Result<IntakeOutcome>>) => {
    // ⌘V can arrive both as a key press and as a paste event; one import at a time.
    if (inFlight.current) return
    inFlight.current = true
    setBusy(true)
    try {
      const result = await call()
      if (!result.ok) {
        setProblem({ message: result.error.message, fix: null })
        return
      }
      const outcome = result.value
      if (outcome.status === 'canceled') return
      if (outcome.status === 'refused') {
        setProblem({ message: outcome.refusal.message, fix: outcome.refusal.fix })
        return
      }
      const previous = draftRef.current
      if (previous) void keyIntake.discardDraft(previous.draftId)
      draftRef.current = outcome.draft
      setDraft(outcome.draft)
      setProblem(null)
      setClipboard(outcome.draft.clipboardHoldsKey ? 'holds_key' : null)
      onImportedRef.current(outcome.draft, previous)
    } finally {
      inFlight.current = false
      setBusy(false)
    }
  }, [])

  const importDropped = useCallback(
    (files: FileList) => {
      const file = files[0]
      if (!file) return
      if (files.length > 1) {
        setProblem({
          message: `${files.length} files were dropped; Ascent imports one key at a time.`,
          fix: 'Drop only the AuthKey_XXXXXXXXXX.p8 file.',
        })
        return
      }
      void run(() => keyIntake.importDropped(file))
    },
    [run],
  )

  const clearClipboard = useCallback(() => {
    const current = draftRef.current
    if (!current) return
    void keyIntake.clearClipboard(current.draftId).then((result) => {
      setClipboard(result.ok && result.value.cleared ? 'cleared' : 'not_cleared')
    })
  }, [])

  return {
    draft,
    problem,
    busy,
    clipboard,
    chooseFile: useCallback(() => void run(() => keyIntake.chooseFile()), [run]),
    importDropped,
    pasteClipboard: useCallback(() => void run(() => keyIntake.pasteClipboard()), [run]),
    clearClipboard,
    keep: useCallback(() => {
      draftRef.current = null
    }, []),
  }
}
