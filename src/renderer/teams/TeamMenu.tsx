import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react'

export interface MenuItem {
  label: string
  onSelect: () => void
  destructive?: boolean
  /** Shown with a check mark (the sort in use). */
  checked?: boolean
  /** Shown, and not chosen (a line of information). */
  disabled?: boolean
}

/**
 * A small context menu at a point: focus moves into it, ↑/↓ move, Return chooses, Esc or a
 * click elsewhere closes it and focus goes back where it came from.
 */
export function TeamMenu(props: {
  label: string
  items: MenuItem[]
  at: { x: number; y: number }
  onClose: () => void
}) {
  const menuRef = useRef<HTMLDivElement>(null)
  const { onClose } = props
  const [at, setAt] = useState(props.at)

  // A menu opened near the window's right or bottom edge opens to the left of or above the point.
  useLayoutEffect(() => {
    const box = menuRef.current?.getBoundingClientRect()
    if (!box) return
    const margin = 4
    setAt({
      x: Math.max(margin, Math.min(props.at.x, window.innerWidth - box.width - margin)),
      y: Math.max(margin, Math.min(props.at.y, window.innerHeight - box.height - margin)),
    })
  }, [props.at])

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null
    menuRef.current?.querySelector<HTMLElement>('[role^="menuitem"]')?.focus()
    const onPointer = (event: MouseEvent) => {
      if (!menuRef.current?.contains(event.target as Node)) onClose()
    }
    window.addEventListener('mousedown', onPointer)
    return () => {
      window.removeEventListener('mousedown', onPointer)
      previous?.focus()
    }
  }, [onClose])

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const items = [...(menuRef.current?.querySelectorAll<HTMLElement>('[role^="menuitem"]') ?? [])]
    const index = items.indexOf(document.activeElement as HTMLElement)
    if (event.key === 'Escape' || event.key === 'Tab') {
      event.preventDefault()
      event.stopPropagation()
      onClose()
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault()
      const step = event.key === 'ArrowDown' ? 1 : -1
      items[(index + step + items.length) % items.length]?.focus()
    } else if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault()
      items[event.key === 'Home' ? 0 : items.length - 1]?.focus()
    }
  }

  const hasChecks = props.items.some((item) => item.checked !== undefined)
  return (
    <div
      ref={menuRef}
      className="menu"
      role="menu"
      aria-label={props.label}
      style={{ left: at.x, top: at.y }}
      onKeyDown={onKeyDown}
    >
      {props.items.map((item) => (
        <button
          key={item.label}
          type="button"
          tabIndex={-1}
          role={item.checked === undefined ? 'menuitem' : 'menuitemradio'}
          aria-checked={item.checked}
          aria-disabled={item.disabled}
          className={item.destructive ? 'menu-item menu-item-destructive' : 'menu-item'}
          onClick={() => {
            if (item.disabled) return
            onClose()
            item.onSelect()
          }}
        >
          {hasChecks ? (
            <span className="menu-check" aria-hidden="true">
              {item.checked ? '✓' : ''}
            </span>
          ) : null}
          {item.label}
        </button>
      ))}
    </div>
  )
}
