import { useCallback, useState, type KeyboardEvent, type PointerEvent } from 'react'
import { clampWidth, widthForKey, type PaneBounds } from './paneWidth'

export type { PaneBounds }

const STORAGE_PREFIX = 'ascent.'

function storedWidth(bounds: PaneBounds): number {
  try {
    const saved = localStorage.getItem(STORAGE_PREFIX + bounds.key)
    // An empty value would read as 0, the narrowest width, rather than as nothing set.
    return saved === null || saved.trim() === ''
      ? bounds.initial
      : clampWidth(Number(saved), bounds)
  } catch {
    return bounds.initial
  }
}

/** A pane width the user set, kept across teams and restarts. */
export function usePaneWidth(bounds: PaneBounds): [number, (width: number) => void] {
  const [width, setWidth] = useState(() => storedWidth(bounds))
  const resize = useCallback(
    (next: number) => {
      const clamped = clampWidth(next, bounds)
      setWidth(clamped)
      try {
        localStorage.setItem(STORAGE_PREFIX + bounds.key, String(clamped))
      } catch {
        // Storage is full or off: the width still holds for this window.
      }
    },
    [bounds],
  )
  return [width, resize]
}

/**
 * The divider on a pane's right edge, like Finder's: drag it, or focus it and use ←/→
 * (Home/End for the narrowest and widest); a double-click puts it back.
 */
export function PaneSplitter(props: {
  label: string
  width: number
  bounds: PaneBounds
  onResize: (width: number) => void
}) {
  const { width, bounds, onResize } = props

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return
    event.preventDefault()
    const handle = event.currentTarget
    const startX = event.clientX
    const startWidth = width
    handle.setPointerCapture(event.pointerId)
    const move = (moved: globalThis.PointerEvent) => onResize(startWidth + moved.clientX - startX)
    const stop = () => {
      handle.removeEventListener('pointermove', move)
      handle.removeEventListener('pointerup', stop)
      handle.removeEventListener('pointercancel', stop)
    }
    handle.addEventListener('pointermove', move)
    handle.addEventListener('pointerup', stop)
    handle.addEventListener('pointercancel', stop)
  }

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const next = widthForKey(event.key, event.shiftKey, width, bounds)
    if (next === null) return
    event.preventDefault()
    onResize(next)
  }

  return (
    <div
      className="pane-splitter"
      role="separator"
      aria-orientation="vertical"
      aria-label={props.label}
      aria-valuemin={bounds.min}
      aria-valuemax={bounds.max}
      aria-valuenow={width}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onKeyDown={onKeyDown}
      onDoubleClick={() => onResize(bounds.initial)}
    />
  )
}
