import { randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import * as nodeFs from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { AppError, errorCode } from '../errors'

/**
 * Writes an exported key to a file only the user can read (0600). A file already there is never
 * replaced unless asked (`ascent export --force`), and then only by an atomic rename, so a failed
 * write leaves the old file whole. Each refusal is a typed error naming the path.
 */

export type ExportFs = Pick<typeof nodeFs, 'open' | 'lstat' | 'access' | 'rename' | 'unlink'>

export interface WriteOptions {
  /** Replace a file that is already there. */
  overwrite?: boolean
  fs?: ExportFs
}

/** Refuses, before anything secret is read, a path the export could not write. */
export async function checkExportPath(path: string, options: WriteOptions = {}): Promise<void> {
  const fs = options.fs ?? nodeFs
  const folder = dirname(path)
  const existing = await fs.lstat(path).catch((error: unknown) => {
    if (errorCode(error) === 'ENOENT') return null
    throw writeError(error, path)
  })
  if (existing?.isDirectory()) throw isFolder(path)
  if (existing && !options.overwrite) throw fileExists(path)
  if (existing?.isSymbolicLink()) throw symlink(path)
  try {
    await fs.access(folder, constants.W_OK | constants.X_OK)
  } catch (error) {
    throw writeError(error, path)
  }
}

export async function writeExportFile(
  path: string,
  data: Buffer,
  options: WriteOptions = {},
): Promise<void> {
  const fs = options.fs ?? nodeFs
  await checkExportPath(path, options)
  // `wx` fails if the file appeared since the check; with overwrite, a temp file is renamed over.
  const target = options.overwrite
    ? join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
    : path
  let handle: nodeFs.FileHandle | undefined
  let created = false
  try {
    handle = await fs.open(target, 'wx', 0o600)
    created = true
    // The umask may only take bits away: make sure of 0600 whatever it is.
    await handle.chmod(0o600)
    await handle.writeFile(data)
    await handle.sync()
    await handle.close()
    handle = undefined
    if (target !== path) await fs.rename(target, path)
  } catch (error) {
    await handle?.close().catch(() => undefined)
    if (created) await fs.unlink(target).catch(() => undefined)
    throw writeError(error, path)
  }
}

function writeError(error: unknown, path: string): AppError {
  switch (errorCode(error)) {
    case 'EEXIST':
      return fileExists(path)
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new AppError(
        'export.folder_not_writable',
        `Ascent may not write in ${dirname(path)}, so nothing was exported. Choose a folder you can write to.`,
      )
    case 'ENOENT':
    case 'ENOTDIR':
      return new AppError(
        'export.folder_missing',
        `There is no folder ${dirname(path)}, so nothing was exported. Choose an existing folder.`,
      )
    case 'ENOSPC':
    case 'EDQUOT':
      return new AppError(
        'export.write_failed',
        `The disk is full, so ${basename(path)} was not written. Nothing was exported.`,
      )
    default:
      return new AppError(
        'export.write_failed',
        `${basename(path)} could not be written (${errorCode(error) ?? 'unknown error'}), so nothing was exported.`,
      )
  }
}

function fileExists(path: string): AppError {
  return new AppError(
    'export.file_exists',
    `${path} already exists. Ascent does not replace key files: choose another name, or move the old file to the Trash first.`,
  )
}

function isFolder(path: string): AppError {
  return new AppError(
    'export.path_invalid',
    `${path} is a folder. Choose a file name inside it, such as the one Ascent proposes.`,
  )
}

function symlink(path: string): AppError {
  return new AppError(
    'export.path_invalid',
    `${path} is a symbolic link. Ascent does not write a key through a link: choose the file itself.`,
  )
}
