/** A pane's width: where it is remembered, what it starts at, and how far it may go. */
export interface PaneBounds {
  key: string
  initial: number
  min: number
  max: number
}

/** Arrow keys move a divider this far; Shift moves it further. */
const STEP = 10
const BIG_STEP = 50

export function clampWidth(width: number, bounds: PaneBounds): number {
  if (!Number.isFinite(width)) return bounds.initial
  return Math.round(Math.min(bounds.max, Math.max(bounds.min, width)))
}

/** The width a key press asks for, or null for a key the divider does not take. */
export function widthForKey(
  key: string,
  shift: boolean,
  width: number,
  bounds: PaneBounds,
): number | null {
  const step = shift ? BIG_STEP : STEP
  switch (key) {
    case 'ArrowLeft':
      return clampWidth(width - step, bounds)
    case 'ArrowRight':
      return clampWidth(width + step, bounds)
    case 'Home':
      return bounds.min
    case 'End':
      return bounds.max
    default:
      return null
  }
}
