import { useCallback, useEffect, useRef, useState } from 'react'
import type { CheckReport, CheckStep } from '../../shared/contract'
import { pendingCheckSteps } from '../../shared/check-steps'
import type { IpcError } from '../../shared/result'
import { keyCheck } from '../data/keyIntake'
import { progressAnnouncement, type CheckRequest } from './model'

export type CheckRun =
  | { phase: 'idle'; steps: CheckStep[] }
  | { phase: 'running'; checkId: string; steps: CheckStep[] }
  | { phase: 'finished'; checkId: string; steps: CheckStep[]; report: CheckReport }
  | { phase: 'error'; checkId: string; steps: CheckStep[]; error: IpcError }
  | { phase: 'canceled'; checkId: string; steps: CheckStep[] }

export interface Check {
  run: CheckRun
  /** The latest progress in words, for the polite live region. */
  announcement: string
  /** Starts a fresh attempt under a new check ID; any earlier attempt is ignored from now on. */
  start: (request: (checkId: string) => CheckRequest | null) => void
  cancel: () => void
}

/**
 * The live check against Apple: one `keys:check` call per attempt, its progress from
 * `keys:checkProgress` events filtered by check ID, so a late event of an old attempt never
 * lands in the new one.
 */
export function useCheck(): Check {
  const [run, setRun] = useState<CheckRun>({ phase: 'idle', steps: pendingCheckSteps() })
  const [announcement, setAnnouncement] = useState('')
  const currentId = useRef<string | null>(null)
  const shownSteps = useRef<CheckStep[]>([])

  useEffect(() => {
    const unsubscribe = keyCheck.onProgress((progress) => {
      if (progress.checkId !== currentId.current) return
      const said = progressAnnouncement(shownSteps.current, progress.steps)
      shownSteps.current = progress.steps
      if (said) setAnnouncement(said)
      setRun((previous) =>
        previous.phase === 'running' && previous.checkId === progress.checkId
          ? { ...previous, steps: progress.steps }
          : previous,
      )
    })
    return () => {
      unsubscribe()
      const running = currentId.current
      currentId.current = null
      if (running) void keyCheck.cancel(running)
    }
  }, [])

  const start = useCallback((makeRequest: (checkId: string) => CheckRequest | null) => {
    const checkId = crypto.randomUUID()
    const request = makeRequest(checkId)
    if (!request) return
    currentId.current = checkId
    shownSteps.current = pendingCheckSteps()
    setRun({ phase: 'running', checkId, steps: shownSteps.current })
    setAnnouncement('Checking the key with Apple…')
    void keyCheck.run(request).then((result) => {
      if (currentId.current !== checkId) return
      currentId.current = null
      if (result.ok) {
        const report = result.value
        setRun({ phase: 'finished', checkId, steps: report.steps, report })
        setAnnouncement(report.canSave ? 'All checks passed.' : '')
      } else {
        setRun((previous) => ({
          phase: 'error',
          checkId,
          steps: previous.steps,
          error: result.error,
        }))
        setAnnouncement('')
      }
    })
  }, [])

  const cancel = useCallback(() => {
    const checkId = currentId.current
    if (!checkId) return
    currentId.current = null
    void keyCheck.cancel(checkId)
    setRun((previous) => ({ phase: 'canceled', checkId, steps: previous.steps }))
    setAnnouncement('Check stopped.')
  }, [])

  return { run, announcement, start, cancel }
}
