import { useEffect, useLayoutEffect, useRef } from 'react'
import type { AppCommand } from '../../shared/contract'
import { onAppCommand } from '../data/app'

/** ⌘ on a Mac, Ctrl elsewhere (the browser harness on Linux). */
export function hasCommandKey(event: KeyboardEvent): boolean {
  return navigator.platform.startsWith('Mac') ? event.metaKey : event.ctrlKey || event.metaKey
}

function commandFor(event: KeyboardEvent): AppCommand | null {
  // ⌃⌘S, as Finder and Mail hide their sidebars.
  if (event.ctrlKey && event.metaKey && !event.altKey && event.key.toLowerCase() === 's') {
    return { type: 'toggleSidebar' }
  }
  if (!hasCommandKey(event) || event.altKey || event.shiftKey) return null
  if (/^[1-9]$/.test(event.key)) return { type: 'selectTeam', index: Number(event.key) - 1 }
  switch (event.key.toLowerCase()) {
    case 'n':
      return { type: 'addKey' }
    case 'r':
      return { type: 'refresh' }
    case 'f':
      return { type: 'find' }
    case ',':
      return { type: 'settings' }
    case 'i':
      return { type: 'teamAction', action: 'details', teamId: null }
    default:
      return null
  }
}

const pageCommands = new Set<(command: AppCommand) => void>()

/** A command the page itself gives (a menu the harness draws), into the same stream. */
export function runCommand(command: AppCommand): void {
  for (const listener of pageCommands) listener(command)
}

/**
 * One stream of app commands, whether they come from the app menu (main sends `app:command`) or
 * from the keyboard inside the page (the browser harness has no native menu).
 */
export function useCommands(onCommand: (command: AppCommand) => void): void {
  const handlerRef = useRef(onCommand)
  useLayoutEffect(() => {
    handlerRef.current = onCommand
  })

  useEffect(() => {
    // A sheet is modal, as on a Mac: while one is open the app's commands wait.
    const run = (command: AppCommand) => {
      if (document.querySelector('[aria-modal="true"]')) return
      handlerRef.current(command)
    }
    const onKeyDown = (event: KeyboardEvent) => {
      const command = commandFor(event)
      if (!command) return
      event.preventDefault()
      run(command)
    }
    window.addEventListener('keydown', onKeyDown)
    const unsubscribe = onAppCommand(run)
    pageCommands.add(run)
    return () => {
      window.removeEventListener('keydown', onKeyDown)
      unsubscribe()
      pageCommands.delete(run)
    }
  }, [])
}
