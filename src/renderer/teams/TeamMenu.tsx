import { useEffect, useRef, type KeyboardEvent } from 'react'

export interface MenuItem {
  label: string
  onSelect: () => void
  destructive?: boolean
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

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null
    menuRef.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus()
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
    const items = [...(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])]
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

  return (
    <div
      ref={menuRef}
      className="menu"
      role="menu"
      aria-label={props.label}
      style={{ left: props.at.x, top: props.at.y }}
      onKeyDown={onKeyDown}
    >
      {props.items.map((item) => (
        <button
          key={item.label}
          type="button"
          role="menuitem"
          tabIndex={-1}
          className={item.destructive ? 'menu-item menu-item-destructive' : 'menu-item'}
          onClick={() => {
            onClose()
            item.onSelect()
          }}
        >
          {item.label}
        </button>
      ))}
    </div>
  )
}
