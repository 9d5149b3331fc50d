import { createHash } from 'node:crypto'
import type { Platform, Timer } from './platform'

/**
 * The clipboard for secrets main puts there itself (an exported key, a token for curl): cleared
 * after a while if it still holds what was put there, and at quit. Only a hash of the value is
 * kept to compare with, never the value.
 */
export interface SecretClipboard {
  /** Puts `text` on the clipboard and clears it after `ms` if unchanged; answers when, in ms. */
  place(text: string, ms: number): number
  /** Clears now what was placed and is still there (at quit). */
  clearNow(): void
}

export function createSecretClipboard(options: {
  clipboard: Platform['clipboard']
  timer: Timer
  now(): number
}): SecretClipboard {
  const { clipboard } = options
  let placed: { digest: string; cancel: () => void } | null = null

  function clearIfUnchanged(): void {
    if (!placed) return
    if (digestOf(clipboard.readText()) === placed.digest) clipboard.clear()
    placed.cancel()
    placed = null
  }

  return {
    place(text, ms) {
      // What an earlier placement put there is gone now: its timer has nothing to clear.
      placed?.cancel()
      clipboard.writeText(text)
      const digest = digestOf(text)
      const cancel = options.timer.after(ms, () => {
        if (placed?.digest === digest) clearIfUnchanged()
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
