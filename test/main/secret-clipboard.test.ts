import { describe, expect, it } from 'vitest'
import { createSecretClipboard } from '../../src/main/secret-clipboard'
import { createFakeClock, createFakeTimer, createMemoryClipboard, settled } from './fakes'

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
  it('clears what it placed when the time is up, and answers when that is', async () => {
    const { clipboard, timer, secret, clock } = setup()
    expect(await secret.place('token', 20_000)).toBe(clock.now() + 20_000)
    expect(clipboard.text).toBe('token')
    timer.advance(19_999)
    await settled()
    expect(clipboard.text).toBe('token')
    timer.advance(1)
    await settled()
    expect(clipboard.text).toBe('')
    expect(timer.pending()).toEqual([])
  })

  it('never clears what the user copied since, even if it was the same once', async () => {
    const { clipboard, timer, secret } = setup()
    await secret.place('token', 1000)
    clipboard.text = 'mine'
    timer.advance(1000)
    await settled()
    expect(clipboard.text).toBe('mine')
    expect(clipboard.clears).toBe(0)
  })

  it('lets a newer value’s timer decide, and clears at quit', async () => {
    const { clipboard, timer, secret } = setup()
    await secret.place('first', 1000)
    await secret.place('second', 5000)
    expect(timer.pending()).toEqual([5000])
    timer.advance(1000)
    await settled()
    expect(clipboard.text).toBe('second')
    await secret.clearNow()
    expect(clipboard.text).toBe('')
    expect(timer.pending()).toEqual([])
    await secret.clearNow()
    expect(clipboard.clears).toBe(1)
  })
})
