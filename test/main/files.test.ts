import * as fs from 'node:fs/promises'
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AtomicFs } from '../../src/main/files'
import { fileTimestamp, removeStaleTempFiles, writeFileAtomic } from '../../src/main/files'

let folder: string
let path: string

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'ascent-files-'))
  path = join(folder, 'data.json')
})

afterEach(async () => {
  await rm(folder, { recursive: true, force: true })
})

type Step = 'open' | 'write' | 'sync' | 'rename'

/** The real file system, except that one step fails. */
function failingAt(step: Step): AtomicFs {
  const failure = () => Object.assign(new Error(`injected ${step} failure`), { code: 'EIO' })
  return {
    ...fs,
    open: async (...args: Parameters<typeof fs.open>) => {
      if (step === 'open') throw failure()
      const handle = await fs.open(...args)
      if (String(args[0]) === folder) return handle
      return Object.assign(Object.create(handle) as fs.FileHandle, {
        writeFile:
          step === 'write' ? () => Promise.reject(failure()) : handle.writeFile.bind(handle),
        sync: step === 'sync' ? () => Promise.reject(failure()) : handle.sync.bind(handle),
        close: handle.close.bind(handle),
      })
    },
    rename: async (...args: Parameters<typeof fs.rename>) => {
      if (step === 'rename') throw failure()
      await fs.rename(...args)
    },
  }
}

describe('writeFileAtomic', () => {
  it('writes the whole file, private to the user, and leaves no temp file', async () => {
    await writeFileAtomic(path, '{"a":1}\n')
    expect(await readFile(path, 'utf8')).toBe('{"a":1}\n')
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    expect(await readdir(folder)).toEqual(['data.json'])
  })

  for (const step of ['open', 'write', 'sync', 'rename'] as const) {
    it(`keeps the old file intact and cleans up when ${step} fails`, async () => {
      await writeFile(path, 'old contents')
      await expect(writeFileAtomic(path, 'new contents', failingAt(step))).rejects.toThrow(
        `injected ${step} failure`,
      )
      expect(await readFile(path, 'utf8')).toBe('old contents')
      expect(await readdir(folder)).toEqual(['data.json'])
    })
  }
})

describe('removeStaleTempFiles', () => {
  it('removes only the temp files of that file', async () => {
    await writeFile(join(folder, '.data.json.abc123.tmp'), 'half')
    await writeFile(join(folder, '.other.json.abc123.tmp'), 'not ours')
    await writeFile(path, 'kept')
    await removeStaleTempFiles(path)
    expect((await readdir(folder)).sort()).toEqual(['.other.json.abc123.tmp', 'data.json'])
  })
})

describe('fileTimestamp', () => {
  it('is sortable and safe in a file name', () => {
    expect(fileTimestamp(Date.UTC(2026, 0, 2, 3, 4, 5, 6))).toBe('20260102T030405006Z')
  })
})
