/**
 * Team actions asked for away from the sidebar (a pane's "Check Now"): the sidebar, which owns
 * the sheets for them, carries them out.
 */
import { useEffect, useLayoutEffect, useRef } from 'react'

export type TeamActionRequest = { kind: 'recheck'; teamId: string }

const listeners = new Set<(request: TeamActionRequest) => void>()

export function requestTeamAction(request: TeamActionRequest): void {
  for (const listener of listeners) listener(request)
}

export function useTeamActionRequests(handler: (request: TeamActionRequest) => void): void {
  const handlerRef = useRef(handler)
  useLayoutEffect(() => {
    handlerRef.current = handler
  })
  useEffect(() => {
    const listener = (request: TeamActionRequest) => handlerRef.current(request)
    listeners.add(listener)
    return () => {
      listeners.delete(listener)
    }
  }, [])
}
