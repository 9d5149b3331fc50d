import { setMaxListeners } from 'node:events'

/**
 * One browsing session at a time: the active team's. Every request to Apple runs under the
 * session's signal, so starting another team's session aborts everything the previous team still
 * had in flight or queued, and nothing it was loading is stored or answered afterwards.
 */
export interface TeamSession {
  readonly teamId: string
  readonly signal: AbortSignal
  /**
   * Runs `load` once per `key` at a time: a second ask while the first runs gets the same
   * promise (a double render, or a screen asking for what a background load already fetches).
   */
  join<T>(key: string, load: () => Promise<T>): Promise<T>
  isLoading(key: string): boolean
}

export interface Sessions {
  /** The team's session, made current: any other team's session is aborted first. */
  enter(teamId: string): TeamSession
  /** Aborts the team's session if it is the current one. */
  end(teamId: string): void
  current(): TeamSession | null
}

export function createSessions(): Sessions {
  let active: { session: TeamSession; controller: AbortController } | null = null

  function open(teamId: string) {
    const controller = new AbortController()
    // Many parallel requests listen to one signal: more than Node's default warning level.
    setMaxListeners(0, controller.signal)
    const inflight = new Map<string, Promise<unknown>>()
    const session: TeamSession = {
      teamId,
      signal: controller.signal,
      join<T>(key: string, load: () => Promise<T>): Promise<T> {
        const running = inflight.get(key)
        if (running) return running as Promise<T>
        const started = load().finally(() => {
          if (inflight.get(key) === started) inflight.delete(key)
        })
        inflight.set(key, started)
        return started
      },
      isLoading: (key) => inflight.has(key),
    }
    return { session, controller }
  }

  return {
    enter(teamId) {
      if (active?.session.teamId === teamId) return active.session
      active?.controller.abort()
      active = open(teamId)
      return active.session
    },
    end(teamId) {
      if (active?.session.teamId !== teamId) return
      active.controller.abort()
      active = null
    },
    current: () => active?.session ?? null,
  }
}
