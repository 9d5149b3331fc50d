import { setMaxListeners } from 'node:events'

/**
 * One browsing session at a time: the active team's. Every request to Apple runs under the
 * session's signal, so starting another team's session aborts everything the previous team still
 * had in flight or queued, and nothing it was loading is stored or answered afterwards. Within a
 * session, the builds of one app at a time load under that app's own signal: asking for another
 * app's builds aborts the previous app's loads (the user has left its screen).
 */
export interface Loads {
  readonly signal: AbortSignal
  /**
   * Runs `load` once per `key` at a time: a second ask while the first runs gets the same
   * promise (a double render, or a screen asking for what a background load already fetches).
   */
  join: <T>(key: string, load: () => Promise<T>) => Promise<T>
  isLoading: (key: string) => boolean
}

/** The loads of the app whose builds are on screen. */
export interface AppLoads extends Loads {
  readonly appId: string
}

export interface TeamSession extends Loads {
  readonly teamId: string
  /**
   * The app's loads, made current: the loads of the app asked for before are aborted first. Its
   * signal also aborts with the session.
   */
  focus: (appId: string) => AppLoads
  /** The app's loads if it is the app in focus; never changes the focus. */
  loadsOf: (appId: string) => AppLoads | null
}

export interface Sessions {
  /** The team's session, made current: any other team's session is aborted first. */
  enter(teamId: string): TeamSession
  /** Aborts the team's session if it is the current one. */
  end(teamId: string): void
  current(): TeamSession | null
}

/** A signal with its loads in flight; `parent` aborting aborts it too. */
function createLoads(parent?: AbortSignal): Loads & { abort: () => void } {
  const controller = new AbortController()
  // Many parallel requests listen to one signal: more than Node's default warning level.
  setMaxListeners(0, controller.signal)
  const abort = () => controller.abort()
  parent?.addEventListener('abort', abort, { once: true })
  if (parent?.aborted) abort()
  const inflight = new Map<string, Promise<unknown>>()
  return {
    signal: controller.signal,
    join: <T>(key: string, load: () => Promise<T>): Promise<T> => {
      const running = inflight.get(key)
      if (running) return running as Promise<T>
      const started = load().finally(() => {
        if (inflight.get(key) === started) inflight.delete(key)
      })
      inflight.set(key, started)
      return started
    },
    isLoading: (key) => inflight.has(key),
    abort: () => {
      parent?.removeEventListener('abort', abort)
      controller.abort()
    },
  }
}

export function createSessions(): Sessions {
  let active: { session: TeamSession; abort: () => void } | null = null

  function open(teamId: string) {
    const loads = createLoads()
    let focused: (AppLoads & { abort: () => void }) | null = null
    const session: TeamSession = {
      teamId,
      signal: loads.signal,
      join: loads.join,
      isLoading: loads.isLoading,
      focus: (appId) => {
        if (focused?.appId === appId && !focused.signal.aborted) return focused
        focused?.abort()
        focused = { ...createLoads(loads.signal), appId }
        return focused
      },
      loadsOf: (appId) => (focused?.appId === appId ? focused : null),
    }
    return { session, abort: loads.abort }
  }

  return {
    enter(teamId) {
      if (active?.session.teamId === teamId) return active.session
      active?.abort()
      active = open(teamId)
      return active.session
    },
    end(teamId) {
      if (active?.session.teamId !== teamId) return
      active.abort()
      active = null
    },
    current: () => active?.session ?? null,
  }
}
