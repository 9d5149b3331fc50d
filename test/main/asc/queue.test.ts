import { describe, expect, it } from 'vitest'
import { createRequestQueue } from '../../../src/main/asc/queue'

interface Gate {
  promise: Promise<void>
  open: () => void
}

function gate(): Gate {
  let open = () => {}
  const promise = new Promise<void>((resolve) => {
    open = resolve
  })
  return { promise, open }
}

const canceled = () => new Error('canceled')

describe('createRequestQueue', () => {
  it('runs at most `concurrency` tasks at once, in order', async () => {
    const queue = createRequestQueue(2)
    const gates = [gate(), gate(), gate(), gate()]
    const started: number[] = []
    let peak = 0
    const runs = gates.map((entry, index) =>
      queue.run(
        async () => {
          started.push(index)
          peak = Math.max(peak, queue.active)
          await entry.promise
          return index
        },
        undefined,
        canceled,
      ),
    )
    expect(started).toEqual([0, 1])
    expect(queue.waiting).toBe(2)
    gates[1]?.open()
    await runs[1]
    expect(started).toEqual([0, 1, 2])
    for (const entry of gates) entry.open()
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3])
    expect(peak).toBe(2)
    expect(queue.active).toBe(0)
  })

  it('drops waiting work whose signal aborts, without ever starting it', async () => {
    const queue = createRequestQueue(1)
    const first = gate()
    const started: string[] = []
    const running = queue.run(
      async () => {
        started.push('first')
        await first.promise
      },
      undefined,
      canceled,
    )
    const controller = new AbortController()
    const waiting = queue.run(
      () => {
        started.push('second')
        return Promise.resolve()
      },
      controller.signal,
      canceled,
    )
    controller.abort()
    await expect(waiting).rejects.toThrow('canceled')
    expect(queue.waiting).toBe(0)
    first.open()
    await running
    expect(started).toEqual(['first'])
  })

  it('refuses work whose signal has already aborted, and frees the slot of a task that throws', async () => {
    const queue = createRequestQueue(1)
    await expect(
      queue.run(() => Promise.resolve(1), AbortSignal.abort(), canceled),
    ).rejects.toThrow('canceled')
    await expect(
      queue.run(
        () => {
          throw new Error('boom')
        },
        undefined,
        canceled,
      ),
    ).rejects.toThrow('boom')
    expect(queue.active).toBe(0)
    expect(await queue.run(() => Promise.resolve('next'), undefined, canceled)).toBe('next')
  })

  it('refuses a concurrency below 1', () => {
    expect(() => createRequestQueue(0)).toThrow(RangeError)
  })

  it('gives background work at most its share of the slots, and lets the user’s go first', async () => {
    const queue = createRequestQueue(4, 2)
    const started: string[] = []
    const gates = new Map<string, Gate>()
    const task = (name: string, lane: 'user' | 'background') => {
      const entry = gate()
      gates.set(name, entry)
      return queue.run(
        async () => {
          started.push(name)
          await entry.promise
          return name
        },
        undefined,
        canceled,
        lane,
      )
    }
    const runs = [
      task('b1', 'background'),
      task('b2', 'background'),
      task('b3', 'background'),
      task('b4', 'background'),
    ]
    // Two background slots of four: the other two stay free for the user.
    expect(started).toEqual(['b1', 'b2'])
    runs.push(task('u1', 'user'), task('u2', 'user'), task('u3', 'user'))
    expect(started).toEqual(['b1', 'b2', 'u1', 'u2'])
    // A background slot frees up while the user's u3 waits: u3 goes before b3.
    gates.get('b1')?.open()
    await runs[0]
    expect(started).toEqual(['b1', 'b2', 'u1', 'u2', 'u3'])
    gates.get('u1')?.open()
    await runs[4]
    // Nothing of the user's waits now: background work takes its slot again.
    expect(started.at(-1)).toBe('b3')
    for (const entry of gates.values()) entry.open()
    expect(await Promise.all(runs)).toEqual(['b1', 'b2', 'b3', 'b4', 'u1', 'u2', 'u3'])
    expect(queue.active).toBe(0)
  })
})
