/**
 * A bound on how many requests of one key are in flight. Work waits in order; work whose signal
 * aborts while it waits leaves the queue at once and never starts.
 */
export interface RequestQueue {
  /** Runs `task` when a slot is free; rejects with `onAbort()` if `signal` aborts first. */
  run<T>(task: () => Promise<T>, signal: AbortSignal | undefined, onAbort: () => Error): Promise<T>
  readonly active: number
  readonly waiting: number
}

interface Waiter {
  start: () => void
}

export function createRequestQueue(concurrency: number): RequestQueue {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError('A request queue needs a concurrency of at least 1.')
  }
  let active = 0
  const waiters: Waiter[] = []

  function release(): void {
    active -= 1
    const next = waiters.shift()
    if (next) next.start()
  }

  return {
    run<T>(task: () => Promise<T>, signal: AbortSignal | undefined, onAbort: () => Error) {
      if (signal?.aborted) return Promise.reject(onAbort())
      const execute = async (): Promise<T> => {
        active += 1
        try {
          return await task()
        } finally {
          release()
        }
      }
      if (active < concurrency) return execute()
      return new Promise<T>((resolve, reject) => {
        const waiter: Waiter = {
          start: () => {
            signal?.removeEventListener('abort', leave)
            execute().then(resolve, reject)
          },
        }
        function leave(): void {
          const index = waiters.indexOf(waiter)
          if (index >= 0) waiters.splice(index, 1)
          reject(onAbort())
        }
        signal?.addEventListener('abort', leave, { once: true })
        waiters.push(waiter)
      })
    },
    get active() {
      return active
    },
    get waiting() {
      return waiters.length
    },
  }
}
