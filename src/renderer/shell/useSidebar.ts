import { useCallback, useEffect, useState } from 'react'

/** Below this window width the sidebar hides itself, unless the user asked for it. */
export const SIDEBAR_AUTO_HIDE_WIDTH = 1000

const NARROW_QUERY = `(max-width: ${SIDEBAR_AUTO_HIDE_WIDTH - 1}px)`

function useNarrowWindow(): boolean {
  const [narrow, setNarrow] = useState(() => window.matchMedia(NARROW_QUERY).matches)
  useEffect(() => {
    const query = window.matchMedia(NARROW_QUERY)
    const onChange = () => setNarrow(query.matches)
    query.addEventListener('change', onChange)
    return () => query.removeEventListener('change', onChange)
  }, [])
  return narrow
}

/**
 * Whether the teams sidebar shows: the user's choice (View → Hide Sidebar, ⌃⌘S) when they made
 * one for this window size, otherwise shown on a wide window and hidden on a narrow one. A choice
 * made while narrow is forgotten once the window is wide again, and the other way round.
 */
export function useSidebar(): { visible: boolean; toggle: () => void } {
  const narrow = useNarrowWindow()
  const [choice, setChoice] = useState<{ narrow: boolean; visible: boolean } | null>(null)
  const visible = choice && choice.narrow === narrow ? choice.visible : !narrow
  const toggle = useCallback(() => setChoice({ narrow, visible: !visible }), [narrow, visible])
  return { visible, toggle }
}
