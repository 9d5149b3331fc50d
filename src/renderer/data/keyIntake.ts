/**
 * The wizard's calls to main: every way a key comes in (main reads the file, the drop's path or
 * the clipboard itself), the live check with its progress, and the save. The page only ever
 * learns a draft's public facts.
 */
import type { CheckProgress } from '../../shared/contract'
import { ascent } from './bridge'

export const keyIntake = {
  chooseFile: () => ascent.keys.chooseFile(),
  importDropped: (file: File) => ascent.keys.importDropped(file),
  pasteClipboard: () => ascent.keys.pasteClipboard(),
  clearClipboard: (draftId: string) => ascent.keys.clearClipboard({ draftId }),
  discardDraft: (draftId: string) => ascent.keys.discardDraft({ draftId }),
}

export const keyCheck = {
  run: (request: Parameters<typeof ascent.keys.check>[0]) => ascent.keys.check(request),
  cancel: (checkId: string) => ascent.keys.cancelCheck({ checkId }),
  onProgress: (listener: (progress: CheckProgress) => void) =>
    ascent.keys.onCheckProgress(listener),
  save: (request: Parameters<typeof ascent.keys.save>[0]) => ascent.keys.save(request),
}
