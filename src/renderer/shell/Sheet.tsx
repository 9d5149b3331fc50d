import { useEffect, useRef, type ReactNode } from 'react'
import type { IpcError } from '../../shared/result'

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])'

/** How many open sheets hold each element inert, for the elements a sheet made inert. */
const inertHolds = new Map<HTMLElement, number>()

function holdInert(element: HTMLElement): boolean {
  const holds = inertHolds.get(element) ?? 0
  // Inert for a reason of its own: not a sheet's to change.
  if (holds === 0 && element.inert) return false
  element.inert = true
  inertHolds.set(element, holds + 1)
  return true
}

function releaseInert(element: HTMLElement): void {
  const holds = inertHolds.get(element) ?? 0
  if (holds > 1) {
    inertHolds.set(element, holds - 1)
    return
  }
  inertHolds.delete(element)
  element.inert = false
}

/**
 * Makes everything but `element` and its ancestors inert, up to <body>: the window behind a sheet
 * takes no focus, no clicks and no screen-reader visits. Sheets may stack: an element stays inert
 * until every sheet that held it has closed. Returns the undo.
 */
function makeRestInert(element: HTMLElement): () => void {
  const held: HTMLElement[] = []
  for (let node = element; node.parentElement && node !== document.body;) {
    const parent: HTMLElement = node.parentElement
    for (const sibling of parent.children) {
      if (sibling === node || !(sibling instanceof HTMLElement)) continue
      if (holdInert(sibling)) held.push(sibling)
    }
    node = parent
  }
  return () => {
    for (const sibling of held) releaseInert(sibling)
  }
}

/** Where Tab goes when it must not leave the sheet; null to let the browser move focus. */
function wrapTarget(dialog: HTMLElement, backwards: boolean): HTMLElement | null {
  const focusable = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)]
  const first = focusable[0]
  const last = focusable[focusable.length - 1]
  if (!first || !last) return dialog
  const active = document.activeElement
  if (!active || !dialog.contains(active)) return backwards ? last : first
  // Focus may sit outside the tab order (a step's heading, the sheet itself): wrap when nothing
  // focusable lies that way inside the sheet, or the browser would take focus out of it.
  const ahead = focusable.filter((element) => {
    if (element === active) return false
    const position = active.compareDocumentPosition(element)
    return backwards
      ? (position & Node.DOCUMENT_POSITION_PRECEDING) !== 0
      : (position & Node.DOCUMENT_POSITION_FOLLOWING) !== 0
  })
  if (ahead.length > 0) return null
  return backwards ? last : first
}

/**
 * A sheet over the window, like a macOS sheet: modal (the window behind is inert), traps focus,
 * Esc closes, and focus returns to where it was when the sheet closes.
 */
export function Sheet(props: {
  title: string
  onClose: () => void
  children: ReactNode
  className?: string
}) {
  const { onClose } = props
  const dialogRef = useRef<HTMLDivElement>(null)
  const closeRef = useRef(onClose)
  useEffect(() => {
    closeRef.current = onClose
  })

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null
    const dialog = dialogRef.current
    if (!dialog) return
    const restore = makeRestInert(dialog.parentElement ?? dialog)
    // A sheet's default button (marked data-autofocus) takes focus, else its first control.
    const first =
      dialog.querySelector<HTMLElement>('[data-autofocus]') ??
      dialog.querySelector<HTMLElement>(FOCUSABLE)
    ;(first ?? dialog).focus()

    // Focus that fell to <body> (its element went away) is outside the sheet's own handler.
    const onBodyKey = (event: KeyboardEvent) => {
      if (event.target !== document.body) return
      if (event.key === 'Escape') closeRef.current()
      if (event.key !== 'Tab') return
      event.preventDefault()
      wrapTarget(dialog, event.shiftKey)?.focus()
    }
    document.addEventListener('keydown', onBodyKey)
    return () => {
      document.removeEventListener('keydown', onBodyKey)
      restore()
      previous?.focus()
    }
  }, [])

  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.stopPropagation()
      onClose()
      return
    }
    if (event.key !== 'Tab' || !dialogRef.current) return
    const target = wrapTarget(dialogRef.current, event.shiftKey)
    if (target) {
      event.preventDefault()
      target.focus()
    }
  }

  return (
    <div className="sheet-backdrop">
      <div
        ref={dialogRef}
        className={`sheet ${props.className ?? ''}`}
        role="dialog"
        aria-modal="true"
        aria-label={props.title}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        {props.children}
      </div>
    </div>
  )
}

/** A sheet's failure, announced: main's message, which says what to do next. */
export function SheetError(props: { error: IpcError | null }) {
  return props.error ? (
    <p className="sheet-error" role="alert">
      {props.error.message}
    </p>
  ) : null
}
