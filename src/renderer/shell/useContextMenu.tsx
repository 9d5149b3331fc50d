import { useCallback, useState, type ReactNode } from 'react'
import { type MenuEntry } from '../../shared/menus'
import { openExternal } from '../data/app'
import { showNativeMenu, useAppInfo, type MenuTarget } from '../data/menus'
import { TeamMenu, type MenuItem } from '../teams/TeamMenu'
import { copyText } from './copyText'
import { runCommand } from './useCommands'

interface Shown {
  label: string
  at: { x: number; y: number }
  items: MenuItem[]
}

function pageItem(entry: Exclude<MenuEntry, { kind: 'separator' }>, teamId: string): MenuItem {
  if (entry.kind === 'copy') return { label: entry.label, onSelect: () => copyText(entry.text) }
  if (entry.kind === 'open') return { label: entry.label, onSelect: () => openExternal(entry.url) }
  return {
    label: entry.label,
    destructive: entry.destructive,
    onSelect: () => runCommand({ type: 'teamAction', action: entry.action, teamId }),
  }
}

/**
 * A context menu for an app, a build or a team: the system's on the Mac (main builds it from
 * the same declaration, src/shared/menus.ts), or, in the browser harness, the same items drawn
 * in the page (`menu`, which the caller renders).
 */
export function useContextMenu(): {
  open: (
    target: MenuTarget,
    label: string,
    entries: () => readonly MenuEntry[],
    at: { x: number; y: number },
  ) => void
  menu: ReactNode
} {
  const info = useAppInfo()
  const [shown, setShown] = useState<Shown | null>(null)
  const close = useCallback(() => setShown(null), [])
  const open = useCallback(
    (
      target: MenuTarget,
      label: string,
      entries: () => readonly MenuEntry[],
      at: { x: number; y: number },
    ) => {
      if (info?.nativeMenus) {
        showNativeMenu(target)
        return
      }
      const items = entries().flatMap((entry) =>
        entry.kind === 'separator' ? [] : [pageItem(entry, target.teamId)],
      )
      setShown({ label, at, items })
    },
    [info],
  )
  const menu = shown ? (
    <TeamMenu label={shown.label} at={shown.at} items={shown.items} onClose={close} />
  ) : null
  return { open, menu }
}
