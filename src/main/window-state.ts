import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomic } from './files'

/** The window's size and place, remembered between launches. Not precious: a bad file is ignored. */
export interface WindowBounds {
  x?: number
  y?: number
  width?: number
  height?: number
}

const FILE = 'window.json'

export async function loadWindowBounds(dataDir: string): Promise<WindowBounds> {
  try {
    const parsed = JSON.parse(await readFile(join(dataDir, FILE), 'utf8')) as unknown
    if (typeof parsed !== 'object' || parsed === null) return {}
    const bounds: WindowBounds = {}
    for (const key of ['x', 'y', 'width', 'height'] as const) {
      const value = (parsed as Record<string, unknown>)[key]
      if (typeof value === 'number' && Number.isFinite(value)) bounds[key] = Math.round(value)
    }
    return bounds
  } catch {
    return {}
  }
}

/**
 * Saves at most once per second while the user drags or resizes, atomically: quitting in the
 * middle of a write leaves the previous bounds, not a torn file. `flush` writes a pending save
 * at once (at quit).
 */
export function windowBoundsSaver(dataDir: string): {
  save: (bounds: WindowBounds) => void
  flush: () => Promise<void>
} {
  let timer: ReturnType<typeof setTimeout> | undefined
  let pending: WindowBounds | null = null
  const write = async () => {
    clearTimeout(timer)
    const bounds = pending
    pending = null
    if (bounds) await writeFileAtomic(join(dataDir, FILE), JSON.stringify(bounds)).catch(() => {})
  }
  return {
    save: (bounds) => {
      pending = bounds
      clearTimeout(timer)
      timer = setTimeout(() => void write(), 1000)
    },
    flush: write,
  }
}
