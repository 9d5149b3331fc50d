import { open, stat } from 'node:fs/promises'
import { basename, isAbsolute } from 'node:path'
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
      const read = await readKeyFile(path)
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
      const size = Buffer.byteLength(text)
      if (size > MAX_INPUT_BYTES) return { status: 'refused', refusal: refusals.tooLarge(size) }
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

/** Reads at most MAX_INPUT_BYTES, refusing oversized and non-regular files before reading. */
export async function readKeyFile(path: string): Promise<FileRead> {
  // A drop with no file behind it: the preload's `webUtils.getPathForFile` answers ''.
  if (!path.trim()) return { ok: false, refusal: refusals.notOnDisk() }
  const fileName = basename(path) || path
  if (!isAbsolute(path)) return { ok: false, refusal: refusals.fileUnreadable(fileName, false) }
  let size: number
  try {
    const stats = await stat(path)
    if (stats.isDirectory()) return { ok: false, refusal: refusals.isDirectory(fileName) }
    if (!stats.isFile()) return { ok: false, refusal: refusals.notAFile(fileName) }
    size = stats.size
  } catch (error) {
    return { ok: false, refusal: fileError(error, fileName) }
  }
  if (size > MAX_INPUT_BYTES) return { ok: false, refusal: refusals.tooLarge(size) }

  // One byte more than allowed tells a file that grew since `stat` from one that fits.
  const buffer = Buffer.alloc(MAX_INPUT_BYTES + 1)
  let length = 0
  try {
    const handle = await open(path, 'r')
    try {
      while (length < buffer.length) {
        const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length)
        if (bytesRead === 0) break
        length += bytesRead
      }
    } finally {
      await handle.close()
    }
  } catch (error) {
    buffer.fill(0)
    return { ok: false, refusal: fileError(error, fileName) }
  }
  if (length > MAX_INPUT_BYTES) {
    buffer.fill(0)
    return { ok: false, refusal: refusals.tooLarge(length) }
  }
  return { ok: true, bytes: buffer.subarray(0, length) }
}

function fileError(error: unknown, fileName: string): Refusal {
  switch (errorCode(error)) {
    case 'ENOENT':
    case 'ENOTDIR':
      return refusals.fileMissing(fileName)
    case 'EACCES':
    case 'EPERM':
      return refusals.fileUnreadable(fileName, true)
    case 'EISDIR':
      return refusals.isDirectory(fileName)
    default:
      return refusals.fileUnreadable(fileName, false)
  }
}
