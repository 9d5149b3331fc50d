import { CircleX } from 'lucide-react'
import { useEffect, useRef } from 'react'

/** Brings a callout that just appeared below the fold of the step into view. */
export function useScrollIntoView<T extends HTMLElement>(key: unknown) {
  const ref = useRef<T>(null)
  useEffect(() => {
    ref.current?.scrollIntoView({ block: 'nearest' })
  }, [key])
  return ref
}

/** A blocking problem, announced when it appears: what is wrong, then how to fix it. */
export function Problem(props: { message: string; fix?: string | null }) {
  const ref = useScrollIntoView<HTMLDivElement>(props.message)
  return (
    <div role="alert" className="wizard-problem" ref={ref}>
      <CircleX size={16} className="wizard-problem-icon" aria-hidden="true" />
      <div className="wizard-problem-text">
        <p className="wizard-problem-message">{props.message}</p>
        {props.fix ? <p className="wizard-problem-fix">{props.fix}</p> : null}
      </div>
    </div>
  )
}
