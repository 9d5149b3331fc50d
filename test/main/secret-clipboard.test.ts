import { describe, expect, it } from 'vitest'
import { createSecretClipboard } from '../../src/main/secret-clipboard'
import { createFakeClock, createFakeTimer, createMemoryClipboard } from './fakes'

function setup() {
  const clipboard = createMemoryClipboard()
  const timer = createFakeTimer()
  const clock = createFakeClock()
  return {
    clipboard,
    timer,
    secret: createSecretClipboard({ clipboard, timer, now: clock.now }),
    clock,
  }
}

describe('the clipboard for secrets', () => {
  it('clears what it placed when the time is up, and answers when that is', () => {
    const { clipboard, timer, secret, clock } = setup()
    expect(secret.place('token', 20_000)).toBe(clock.now() + 20_000)
    expect(clipboard.text).toBe('token')
    timer.advance(19_999)
    expect(clipboard.text).toBe('token')
    timer.advance(1)
    expect(clipboard.text).toBe('')
    expect(timer.pending()).toEqual([])
  })

  it('never clears what the user copied since, even if it was the same once', () => {
    const { clipboard, timer, secret } = setup()
    secret.place('token', 1000)
    clipboard.text = 'mine'
    timer.advance(1000)
    expect(clipboard.text).toBe('mine')
    expect(clipboard.clears).toBe(0)
  })

  it('lets a newer value’s timer decide, and clears at quit', () => {
    const { clipboard, timer, secret } = setup()
    secret.place('first', 1000)
    secret.place('second', 5000)
    expect(timer.pending()).toEqual([5000])
    timer.advance(1000)
    expect(clipboard.text).toBe('second')
    secret.clearNow()
    expect(clipboard.text).toBe('')
    expect(timer.pending()).toEqual([])
    secret.clearNow()
    expect(clipboard.clears).toBe(1)
  })
})
