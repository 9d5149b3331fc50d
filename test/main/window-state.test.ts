import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadWindowBounds, windowBoundsSaver } from '../../src/main/window-state'

let dataDir: string

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ascent-window-'))
})

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true })
})

describe('window bounds', () => {
  it('saves the last bounds atomically, private to the user, and reads them back', async () => {
    const saver = windowBoundsSaver(dataDir)
    saver.save({ x: 1, y: 2, width: 900, height: 600 })
    saver.save({ x: 10, y: 20, width: 1000, height: 700 })
    await saver.flush()
    expect(await readdir(dataDir)).toEqual(['window.json'])
    expect((await stat(join(dataDir, 'window.json'))).mode & 0o777).toBe(0o600)
    expect(await loadWindowBounds(dataDir)).toEqual({ x: 10, y: 20, width: 1000, height: 700 })
  })

  it('writes nothing when nothing changed, and never throws when it cannot write', async () => {
    await windowBoundsSaver(dataDir).flush()
    expect(await readdir(dataDir)).toEqual([])
    const gone = windowBoundsSaver(join(dataDir, 'missing', 'folder'))
    gone.save({ width: 1000 })
    await expect(gone.flush()).resolves.toBeUndefined()
  })

  it('ignores a bad file and keeps only finite numbers', async () => {
    await writeFile(join(dataDir, 'window.json'), '{"width": 1000, "x": "left", "height": 1e999')
    expect(await loadWindowBounds(dataDir)).toEqual({})
    await writeFile(join(dataDir, 'window.json'), '{"width": 1000.4, "x": "left", "y": null}')
    expect(await loadWindowBounds(dataDir)).toEqual({ width: 1000 })
    expect(await readFile(join(dataDir, 'window.json'), 'utf8')).toContain('left')
  })
})
