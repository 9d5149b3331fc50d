import { constants } from 'node:fs'
import { open, realpath, stat, type FileHandle } from 'node:fs/promises'
import { basename, extname, isAbsolute } from 'node:path'
import type { IntakeOutcome } from '../../shared/contract/keys'
import { keyIdFromFileName } from '../../shared/keys'
import { errorCode } from '../errors'
import type { Platform } from '../platform'
import type { DraftStore } from './drafts'
import type { ParseResult } from './parse'
import { parseKeyBytes, parseKeyText } from './parse'
import type { Refusal } from './refusals'
import { MAX_INPUT_BYTES, refusals } from './refusals'

/**
 * The three ways a key comes in (a chosen file, a dropped file, the clipboard). Main reads the
 * secret itself; the renderer only ever receives the draft's public facts.
 */
export interface Intake {
  importFromPath: (path: string, source: 'file' | 'drop') => Promise<IntakeOutcome>
  importFromClipboard: () => Promise<IntakeOutcome>
  /** Clears the clipboard only if it still holds the draft's key (compared by fingerprint). */
  clearClipboard: (draftId: string) => Promise<{ cleared: boolean }>
}

export interface IntakeOptions {
  clipboard: Platform['clipboard']
  drafts: DraftStore
}

type FileRead = { ok: true; bytes: Buffer } | { ok: false; refusal: Refusal }

export function createIntake({ clipboard, drafts }: IntakeOptions): Intake {
  return {
    async importFromPath(path, source) {
      const fileName = basename(path)
      const read = await readKeyFile(path, { extensions: KEY_FILE_EXTENSIONS })
      if (!read.ok) return { status: 'refused', refusal: read.refusal }
      try {
        const fromName = keyIdFromFileName(fileName)
        return outcome(parseKeyBytes(read.bytes), (parsed) =>
          drafts.add({
            source,
            fileName,
            keyIdFromFileName: fromName,
            parsed: {
              ...parsed,
              prefill: {
                ...parsed.prefill,
                keyId: parsed.prefill.keyId ?? fromName,
              },
            },
            clipboardHoldsKey: false,
          }),
        )
      } finally {
        read.bytes.fill(0)
      }
    },

    async importFromClipboard() {
      const text = await clipboard.readText()
      if (!text.trim()) return { status: 'refused', refusal: refusals.clipboardEmpty() }
      if (Buffer.byteLength(text) > MAX_INPUT_BYTES) {
        return { status: 'refused', refusal: refusals.tooLarge() }
      }
      return outcome(parseKeyText(text), (parsed) =>
        drafts.add({
          source: 'clipboard',
          fileName: null,
          keyIdFromFileName: null,
          parsed,
          clipboardHoldsKey: true,
        }),
      )
    },

    async clearClipboard(draftId) {
      const draft = drafts.describe(draftId)
      if (!draft) return { cleared: false }
      const text = await clipboard.readText()
      if (!text.trim() || Buffer.byteLength(text) > MAX_INPUT_BYTES) return { cleared: false }
      // Compare what the clipboard holds once parsed, not the damaged text: the same key pasted
      // with other line endings or quotes is still the same secret.
      const parsed = parseKeyText(text)
      if (!parsed.ok) return { cleared: false }
      parsed.key.pem.fill(0)
      if (parsed.key.fingerprint !== draft.fingerprint) return { cleared: false }
      clipboard.clear()
      drafts.update(draftId, { clipboardHoldsKey: false })
      return { cleared: true }
    },
  }
}

function outcome(
  result: ParseResult,
  makeDraft: (parsed: Extract<ParseResult, { ok: true }>['key']) => ReturnType<DraftStore['add']>,
): IntakeOutcome {
  if (!result.ok) return { status: 'refused', refusal: result.refusal }
  return { status: 'imported', draft: makeDraft(result.key) }
}

/** What "Choose File…" offers, and so the only kinds of file intake reads, chosen or dropped. */
export const KEY_FILE_EXTENSIONS: readonly string[] = ['p8', 'json', 'pem', 'der', 'txt']

export interface ReadKeyFileOptions {
  /** Refuse a file whose real name ends otherwise; the command line reads any name it is given. */
  extensions?: readonly string[]
}

/**
 * Reads at most MAX_INPUT_BYTES of a regular file. The path is resolved first (a link counts by
 * what it points to), then opened without following a link and without blocking, and only what
 * was opened is checked (`fstat`) and read: nothing can be swapped in between a check and the read.
 */
export async function readKeyFile(
  path: string,
  options: ReadKeyFileOptions = {},
): Promise<FileRead> {
  // A drop with no file behind it: the preload's `webUtils.getPathForFile` answers ''.
  if (!path.trim()) return { ok: false, refusal: refusals.notOnDisk() }
  const fileName = basename(path) || path
  if (!isAbsolute(path)) return { ok: false, refusal: refusals.fileUnreadable(fileName, false) }

  let target: string
  try {
    target = await realpath(path)
  } catch (error) {
    return { ok: false, refusal: fileError(error, fileName) }
  }
  const extension = extname(target).slice(1).toLowerCase()
  if (options.extensions && !options.extensions.includes(extension)) {
    // Only to word the refusal: a folder is told apart from a file of another kind. Nothing is read.
    const folder = await stat(target).then(
      (stats) => stats.isDirectory(),
      () => false,
    )
    return {
      ok: false,
      refusal: folder ? refusals.isDirectory(fileName) : refusals.wrongFileType(fileName),
    }
  }

  let handle: FileHandle
  try {
    handle = await open(target, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW)
  } catch (error) {
    return { ok: false, refusal: fileError(error, fileName) }
  }
  // One byte more than allowed tells a file that grew since `fstat` from one that fits.
  const buffer = Buffer.alloc(MAX_INPUT_BYTES + 1)
  let length = 0
  try {
    const stats = await handle.stat()
    if (stats.isDirectory()) return { ok: false, refusal: refusals.isDirectory(fileName) }
    if (!stats.isFile()) return { ok: false, refusal: refusals.notAFile(fileName) }
    if (stats.size > MAX_INPUT_BYTES) return { ok: false, refusal: refusals.tooLarge() }
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length)
      if (bytesRead === 0) break
      length += bytesRead
    }
  } catch (error) {
    buffer.fill(0)
    return { ok: false, refusal: fileError(error, fileName) }
  } finally {
    await handle.close().catch(() => undefined)
  }
  if (length > MAX_INPUT_BYTES) {
    buffer.fill(0)
    return { ok: false, refusal: refusals.tooLarge() }
  }
  return { ok: true, bytes: buffer.subarray(0, length) }
}

function fileError(error: unknown, fileName: string): Refusal {
  switch (errorCode(error)) {
    // ENAMETOOLONG: no file can have so long a name.
    case 'ENOENT':
    case 'ENOTDIR':
    case 'ENAMETOOLONG':
      return refusals.fileMissing(fileName)
    case 'EACCES':
    case 'EPERM':
      return refusals.fileUnreadable(fileName, true)
    case 'EISDIR':
      return refusals.isDirectory(fileName)
    // The path's last part became a link after it was resolved.
    case 'ELOOP':
      return refusals.fileUnreadable(fileName, false)
    default:
      return refusals.fileUnreadable(fileName, false)
  }
}
