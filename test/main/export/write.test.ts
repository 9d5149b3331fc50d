import * as fs from 'node:fs/promises'
import { mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ExportFs } from '../../../src/main/export/write'
import { writeExportFile } from '../../../src/main/export/write'
import { errorCodeOf } from '../fakes'

let folder: string

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'ascent-export-write-'))
})

afterEach(async () => {
  await rm(folder, { recursive: true, force: true })
})

/** The real file system, except that `operation` fails with `code`. */
function failing(operation: keyof ExportFs, code: string): ExportFs {
  const failure = () => Promise.reject(Object.assign(new Error(`injected ${code}`), { code }))
  return { ...fs, [operation]: failure }
}

describe('writeExportFile', () => {
  it('writes a file only the user can read, whatever the umask', async () => {
    const path = join(folder, 'AuthKey.p8')
    const previous = process.umask(0o000)
    try {
      await writeExportFile(path, Buffer.from('key'))
    } finally {
      process.umask(previous)
    }
    expect(await readFile(path, 'utf8')).toBe('key')
    expect((await stat(path)).mode & 0o777).toBe(0o600)
  })

  it('never replaces a file, a folder or a link unless asked, and then only a file', async () => {
    const path = join(folder, 'taken.p8')
    await writeFile(path, 'mine')
    expect(await errorCodeOf(() => writeExportFile(path, Buffer.from('key')))).toBe(
      'export.file_exists',
    )
    expect(await readFile(path, 'utf8')).toBe('mine')
    await writeExportFile(path, Buffer.from('key'), { overwrite: true })
    expect(await readFile(path, 'utf8')).toBe('key')
    expect((await stat(path)).mode & 0o777).toBe(0o600)

    await fs.mkdir(join(folder, 'dir.p8'))
    expect(await errorCodeOf(() => writeExportFile(join(folder, 'dir.p8'), Buffer.from('k')))).toBe(
      'export.path_invalid',
    )
    await symlink(path, join(folder, 'link.p8'))
    expect(
      await errorCodeOf(() =>
        writeExportFile(join(folder, 'link.p8'), Buffer.from('k'), { overwrite: true }),
      ),
    ).toBe('export.path_invalid')
    expect(await readFile(path, 'utf8')).toBe('key')
  })

  it('names a folder it may not write in, and one that is not there', async () => {
    const path = join(folder, 'AuthKey.p8')
    expect(
      await errorCodeOf(() =>
        writeExportFile(path, Buffer.from('k'), { fs: failing('access', 'EACCES') }),
      ),
    ).toBe('export.folder_not_writable')
    expect(
      await errorCodeOf(() =>
        writeExportFile(path, Buffer.from('k'), { fs: failing('open', 'EROFS') }),
      ),
    ).toBe('export.folder_not_writable')
    expect(
      await errorCodeOf(() => writeExportFile(join(folder, 'no', 'x.p8'), Buffer.from('k'))),
    ).toBe('export.folder_missing')
    expect(await readdir(folder)).toEqual([])
  })

  it('leaves the old file whole and no temp file behind when a replacement fails', async () => {
    const path = join(folder, 'taken.p8')
    await writeFile(path, 'mine')
    const code = await errorCodeOf(() =>
      writeExportFile(path, Buffer.from('key'), {
        overwrite: true,
        fs: failing('rename', 'ENOSPC'),
      }),
    )
    expect(code).toBe('export.write_failed')
    expect(await readFile(path, 'utf8')).toBe('mine')
    expect(await readdir(folder)).toEqual(['taken.p8'])
  })
})
