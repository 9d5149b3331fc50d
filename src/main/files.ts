import { randomBytes } from 'node:crypto'
import * as nodeFs from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/**
 * Files in the data folder that must never be seen half-written (keys.json, settings.json,
 * window.json): a temporary file in the same folder, fsync, rename over the old one, fsync of
 * the folder. A crash leaves the old file or the new one. Created private to the user (0600).
 */

/** The file operations used here; tests pass a wrapper that fails on purpose. */
export type AtomicFs = Pick<typeof nodeFs, 'open' | 'rename' | 'unlink' | 'readdir'>

export async function writeFileAtomic(
  path: string,
  data: string,
  fs: AtomicFs = nodeFs,
): Promise<void> {
  const directory = dirname(path)
  const temp = join(directory, `${tempPrefix(path)}${randomBytes(6).toString('hex')}.tmp`)
  let handle: nodeFs.FileHandle | undefined
  try {
    handle = await fs.open(temp, 'wx', 0o600)
    await handle.writeFile(data, 'utf8')
    await handle.sync()
    await handle.close()
    handle = undefined
    await fs.rename(temp, path)
  } catch (error) {
    await handle?.close().catch(() => undefined)
    await fs.unlink(temp).catch(() => undefined)
    throw error
  }
  await syncDirectory(directory, fs)
}

/** Makes the rename durable. Some file systems cannot fsync a folder; the rename stands anyway. */
async function syncDirectory(directory: string, fs: AtomicFs): Promise<void> {
  let handle: nodeFs.FileHandle | undefined
  try {
    handle = await fs.open(directory, 'r')
    await handle.sync()
  } catch {
    return
  } finally {
    await handle?.close().catch(() => undefined)
  }
}

function tempPrefix(path: string): string {
  return `.${basename(path)}.`
}

/** Temp files a crash between write and rename left behind. */
export async function removeStaleTempFiles(path: string, fs: AtomicFs = nodeFs): Promise<void> {
  const prefix = tempPrefix(path)
  let names: string[]
  try {
    names = await fs.readdir(dirname(path))
  } catch {
    return
  }
  for (const name of names) {
    if (name.startsWith(prefix) && name.endsWith('.tmp')) {
      await fs.unlink(join(dirname(path), name)).catch(() => undefined)
    }
  }
}

/** `2026-05-01T12:00:00.123Z` → `20260501T120000123Z`: sortable and safe in file names. */
export function fileTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:.]/g, '')
}
