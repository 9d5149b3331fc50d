import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

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

/** Saves at most once per second while the user drags or resizes. */
export function windowBoundsSaver(dataDir: string): (bounds: WindowBounds) => void {
  let timer: ReturnType<typeof setTimeout> | undefined
  return (bounds) => {
    clearTimeout(timer)
    timer = setTimeout(() => {
      void writeFile(join(dataDir, FILE), JSON.stringify(bounds)).catch(() => undefined)
    }, 1000)
  }
}
