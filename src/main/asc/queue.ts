/**
 * The one bound on how many requests of one key are in flight: every request of the client waits
 * here, in order. Work the user did not ask for (app activity, App Store states) runs in the
 * background lane: it takes at most a share of the slots and waits behind what the user asked for,
 * so a screen the user opens never queues behind a team's quiet refresh. Work whose signal aborts
 * while it waits leaves the queue at once and never starts.
 */
export type Lane = 'user' | 'background'

export interface RequestQueue {
  /** Runs `task` when a slot is free; rejects with `onAbort()` if `signal` aborts first. */
  run<T>(
    task: () => Promise<T>,
    signal: AbortSignal | undefined,
    onAbort: () => Error,
    lane?: Lane,
  ): Promise<T>
  readonly active: number
  readonly waiting: number
}

interface Waiter {
  lane: Lane
  start: () => void
}

/**
 * `backgroundSlots`: how many slots background work may hold at once; the rest stay free for the
 * user. Half of them by default, at least one.
 */
export function createRequestQueue(
  concurrency: number,
  backgroundSlots = Math.max(1, Math.floor(concurrency / 2)),
): RequestQueue {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError('A request queue needs a concurrency of at least 1.')
  }
  const active: Record<Lane, number> = { user: 0, background: 0 }
  const waiters: Waiter[] = []

  /** The next waiter that may start now: the user's first, then background work within its share. */
  function next(): Waiter | undefined {
    if (active.user + active.background >= concurrency) return undefined
    const user = waiters.findIndex((waiter) => waiter.lane === 'user')
    const index =
      user >= 0
        ? user
        : active.background < backgroundSlots
          ? waiters.findIndex((waiter) => waiter.lane === 'background')
          : -1
    return index >= 0 ? waiters.splice(index, 1)[0] : undefined
  }

  function pump(): void {
    for (let waiter = next(); waiter; waiter = next()) waiter.start()
  }

  return {
    run<T>(
      task: () => Promise<T>,
      signal: AbortSignal | undefined,
      onAbort: () => Error,
      lane: Lane = 'user',
    ) {
      if (signal?.aborted) return Promise.reject(onAbort())
      return new Promise<T>((resolve, reject) => {
        const waiter: Waiter = {
          lane,
          start: () => {
            signal?.removeEventListener('abort', leave)
            active[lane] += 1
            // The slot is free again before the caller hears back, so its next request can take it.
            const release = () => {
              active[lane] -= 1
              pump()
            }
            // A task that throws before its first await rejects like one that fails later.
            const running = (async () => task())()
            running.finally(release).then(resolve, reject)
          },
        }
        function leave(): void {
          const index = waiters.indexOf(waiter)
          if (index >= 0) waiters.splice(index, 1)
          reject(onAbort())
        }
        signal?.addEventListener('abort', leave, { once: true })
        waiters.push(waiter)
        pump()
      })
    },
    get active() {
      return active.user + active.background
    },
    get waiting() {
      return waiters.length
    },
  }
}
