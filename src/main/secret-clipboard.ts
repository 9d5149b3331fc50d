import { createHash } from 'node:crypto'
import type { Platform, Timer } from './platform'

/**
 * The clipboard for secrets main puts there itself (an exported key, a token for curl): cleared
 * after a while if it still holds what was put there, and at quit. Only a hash of the value is
 * kept to compare with, never the value.
 */
export interface SecretClipboard {
  /** Puts `text` on the clipboard and clears it after `ms` if unchanged; answers when, in ms. */
  place(text: string, ms: number): Promise<number>
  /** Clears now what was placed and is still there (at quit). */
  clearNow(): Promise<void>
}

export function createSecretClipboard(options: {
  clipboard: Platform['clipboard']
  timer: Timer
  now(): number
}): SecretClipboard {
  const { clipboard } = options
  let placed: { digest: string; cancel: () => void } | null = null

  async function clearIfUnchanged(): Promise<void> {
    const clearing = placed
    if (!clearing) return
    placed = null
    clearing.cancel()
    if (digestOf(await clipboard.readText()) === clearing.digest) clipboard.clear()
  }

  return {
    async place(text, ms) {
      // What an earlier placement put there is gone now: its timer has nothing to clear.
      placed?.cancel()
      placed = null
      await clipboard.writeText(text)
      const digest = digestOf(text)
      const cancel = options.timer.after(ms, () => {
        if (placed?.digest === digest) void clearIfUnchanged()
      })
      placed = { digest, cancel }
      return options.now() + ms
    },
    clearNow: clearIfUnchanged,
  }
}

function digestOf(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}
