import { useEffect, useLayoutEffect, useRef, type RefObject } from 'react'

/**
 * Focuses `ref`'s element once `shown` says it is on screen, while `wanted` holds (the apps list
 * after a key was added: the new team's apps arrive a moment later), then calls `onDone`. Gives
 * up, leaving focus alone, when the user puts focus somewhere first; `onDone` is called either way.
 */
export function useFocusWhenShown(
  ref: RefObject<HTMLElement | null>,
  wanted: boolean,
  shown: boolean,
  onDone: () => void,
): void {
  const onDoneRef = useRef(onDone)
  useLayoutEffect(() => {
    onDoneRef.current = onDone
  })
  useEffect(() => {
    if (!wanted) return
    const element = ref.current
    if (shown && element) {
      element.focus()
      onDoneRef.current()
      return
    }
    const movedOn = () => onDoneRef.current()
    document.addEventListener('focusin', movedOn)
    return () => document.removeEventListener('focusin', movedOn)
  }, [ref, wanted, shown])
}
