import { CircleX, ExternalLink } from 'lucide-react'
import { useEffect, useRef } from 'react'
import type { Diagnosis } from '../../shared/diagnosis'
import { problemOfDiagnosis } from '../diagnosis/problem'
import { ProblemText } from '../diagnosis/ProblemText'
import { openApiKeysPage } from './links'

/**
 * What went wrong, what it means, and what to do: the diagnosis of a failed check. Try Again is
 * the footer's primary button, where Continue would be.
 */
export function DiagnosisCallout({ diagnosis }: { diagnosis: Diagnosis }) {
  const ref = useRevealDiagnosis(diagnosis)
  const problem = problemOfDiagnosis(diagnosis)
  return (
    <div className="wizard-diagnosis" ref={ref}>
      <div role="alert">
        <ProblemText
          problem={{ ...problem, facts: null }}
          icon={<CircleX size={16} className="problem-icon" aria-hidden="true" />}
        />
      </div>
      <div className="wizard-diagnosis-actions">
        {problem.facts ? <p className="problem-facts mono">{problem.facts}</p> : null}
        <button type="button" className="button-secondary" onClick={openApiKeysPage}>
          <ExternalLink size={14} aria-hidden="true" /> Open App Store Connect
        </button>
      </div>
    </div>
  )
}

/**
 * Scrolls the step so the diagnosis shows, but never past the checklist's failed row (the two
 * belong together), and to a row's edge, so no row is left cut in half under the heading: the
 * space below the callout grows by the few pixels that edge needs.
 */
function useRevealDiagnosis(key: unknown) {
  const ref = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const callout = ref.current
    const scroller = callout?.closest<HTMLElement>('.wizard-content')
    if (!callout || !scroller) return
    const view = scroller.getBoundingClientRect()
    const bottom = view.bottom - (parseFloat(getComputedStyle(scroller).scrollPaddingBottom) || 0)
    const needed = callout.getBoundingClientRect().bottom - bottom
    if (needed <= 0) return
    const rows = [...scroller.querySelectorAll<HTMLElement>('.wizard-check')]
    const offset = (element: HTMLElement) => element.getBoundingClientRect().top - view.top
    const failed = rows.find((row) => row.classList.contains('wizard-check-failed'))
    const edge = rows.map(offset).find((rowTop) => rowTop >= needed) ?? needed
    const target = Math.min(edge, offset(failed ?? callout))
    const room = scroller.scrollHeight - scroller.clientHeight - scroller.scrollTop
    if (target > room) {
      const padding = parseFloat(getComputedStyle(scroller).paddingBottom) || 0
      scroller.style.paddingBottom = `${padding + target - room}px`
    }
    scroller.scrollBy({ top: target })
    return () => {
      scroller.style.paddingBottom = ''
    }
  }, [key])
  return ref
}
