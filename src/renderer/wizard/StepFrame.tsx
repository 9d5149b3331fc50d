import { useEffect, useId, useRef, type ReactNode, type RefObject } from 'react'

export interface StepFrameProps {
  title: string
  /** One line under the heading: what this step is for. */
  lead: ReactNode
  children: ReactNode
  /** Return (in a field, or anywhere that is not itself a button) and the primary button. */
  onSubmit: () => void
  /** The footer's primary button; null when the step's primary sits in its content instead. */
  primaryLabel: string | null
  /** Blocks the submit, whichever button or key asks for it. */
  primaryDisabled?: boolean
  primaryRef?: RefObject<HTMLButtonElement | null>
  /** Focused when the step appears; the heading when absent. */
  initialFocus?: RefObject<HTMLElement | null>
  onBack?: () => void
  /** Absent once there is nothing left to cancel (the key was replaced): no Cancel then. */
  onCancel?: () => void
  /** Buttons shown before Back, such as "Stop Check". */
  extraActions?: ReactNode
  /** When it changes (a check run again), the content starts again from its top. */
  contentKey?: string
}

/** Elements whose own Return behaviour must be kept. */
const HANDLES_RETURN = new Set(['BUTTON', 'A', 'SELECT', 'TEXTAREA', 'SUMMARY'])

/**
 * One wizard step: a form whose submit is the primary action, the heading that takes focus when
 * the step appears, and the footer (Cancel · Back · primary).
 */
export function StepFrame({ initialFocus, primaryRef, ...props }: StepFrameProps) {
  const headingRef = useRef<HTMLHeadingElement>(null)
  const headingId = useId()
  const focusOnMount = useRef(initialFocus)
  const contentRef = useRef<HTMLDivElement>(null)
  const { contentKey } = props
  useEffect(() => {
    contentRef.current?.scrollTo({ top: 0 })
  }, [contentKey])

  useEffect(() => {
    // Once, when the step appears; a frame later, so it wins over the sheet's own initial focus
    // (the sheet's effect runs after its children's).
    const frame = requestAnimationFrame(() =>
      (focusOnMount.current?.current ?? headingRef.current)?.focus(),
    )
    return () => cancelAnimationFrame(frame)
  }, [])

  useEffect(() => {
    // A button that just went away or was disabled (Stop Check, Try Again) leaves focus on <body>,
    // outside the sheet: Esc and Tab would stop working. Bring it back to the step.
    if (document.activeElement === document.body) headingRef.current?.focus()
  })

  const onKeyDown = (event: React.KeyboardEvent<HTMLFormElement>) => {
    if (event.key !== 'Enter' || event.metaKey || event.ctrlKey || event.altKey) return
    const target = event.target as HTMLElement
    // Text fields submit on Return natively; radios and plain elements need the help.
    const keepsReturn =
      target instanceof HTMLInputElement
        ? !['radio', 'checkbox'].includes(target.type)
        : HANDLES_RETURN.has(target.tagName)
    if (keepsReturn) return
    event.preventDefault()
    if (!props.primaryDisabled) event.currentTarget.requestSubmit()
  }

  return (
    <form
      className="wizard-step"
      aria-labelledby={headingId}
      noValidate
      onKeyDown={onKeyDown}
      onSubmit={(event) => {
        event.preventDefault()
        if (!props.primaryDisabled) props.onSubmit()
      }}
    >
      <div className="wizard-body">
        {/* Outside the scrolling part: a long diagnosis scrolls under it, never the heading. */}
        <div className="wizard-intro">
          <h2 className="wizard-heading" id={headingId} ref={headingRef} tabIndex={-1}>
            {props.title}
          </h2>
          <p className="wizard-lead">{props.lead}</p>
        </div>
        <div className="wizard-content" ref={contentRef}>
          {props.children}
        </div>
      </div>
      <div className="wizard-footer">
        {props.onCancel ? (
          <button type="button" className="button-secondary" onClick={props.onCancel}>
            Cancel
          </button>
        ) : null}
        <span className="wizard-footer-spacer" />
        {props.extraActions}
        {props.onBack ? (
          <button type="button" className="button-secondary" onClick={props.onBack}>
            Back
          </button>
        ) : null}
        {props.primaryLabel === null ? null : (
          <button
            type="submit"
            className="button-primary"
            disabled={props.primaryDisabled}
            ref={primaryRef}
          >
            {props.primaryLabel}
          </button>
        )}
      </div>
    </form>
  )
}
