import type { HandlersOf } from '../ipc'
import type { Keys } from '../keys'
import type { Platform } from '../platform'

type IntakeChannel =
  | 'keys:chooseFile'
  | 'keys:importDropped'
  | 'keys:pasteClipboard'
  | 'keys:clearClipboard'
  | 'keys:discardDraft'

/** Key intake: every path to a key ends in main, which reads the secret itself. */
export function keyIntakeHandlers(
  platform: Platform,
  keys: Keys,
): Pick<HandlersOf<'keys'>, IntakeChannel> {
  return {
    'keys:chooseFile': async () => {
      const path = await platform.dialog.chooseKeyFile()
      return path === null ? { status: 'canceled' } : keys.importFromPath(path, 'file')
    },
    'keys:importDropped': ({ path }) => keys.importFromPath(path, 'drop'),
    'keys:pasteClipboard': () => keys.importFromClipboard(),
    'keys:clearClipboard': ({ draftId }) => keys.clearClipboard(draftId),
    'keys:discardDraft': ({ draftId }) => {
      keys.discardDraft(draftId)
      return null
    },
  }
}
