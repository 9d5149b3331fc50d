/**
 * The desktop a browser page lacks, for the demo: a file picker, drag and drop with paths, a
 * clipboard main can read, and a browser for links. The page's half is page-desktop.ts.
 *
 * Where this differs from the real app, and why that is safe (the harness is a development and
 * test tool, never shipped; it serves 127.0.0.1 only, behind the run's token):
 * - Choose File: Electron's main shows the system's open dialog. Here main's dialog asks the
 *   demo's native picker (zenity, kdialog, osascript) when there is one, else the page shows the
 *   key folders' .p8 and .json files in a list of the harness's own. Main accepts only a path it
 *   listed, so the page cannot make main read a file it was not offered.
 * - Drop: Electron's preload learns a dropped file's path from `webUtils.getPathForFile`; a web
 *   page never does. Here the page matches the dropped File (name, size, modification time)
 *   against the key folders' files, which the harness lists for it, and the bridge sends that
 *   path: main reads the very file on disk, as in the app. A file from anywhere else has no path
 *   here (main refuses it as it refuses any drop without one) and the page says why.
 * - Paste: Electron's main reads the system clipboard. A browser lets only the page read it, so
 *   for the channels whose handler reads the clipboard the page reads it (navigator.clipboard: no
 *   xclip, no xsel) and sends the text along with the request; main reads that copy. The key text
 *   thus passes through the page, where the app's renderer never has it: it is what the browser
 *   hands any page the user pastes into, it goes to main only, and main still never sends a key
 *   to the page. Emptying the clipboard goes back to the page, which empties the browser's.
 * - Copy (Export Key…, Copy Token): Electron's main writes the system clipboard. Here what main
 *   copies stays in the harness, where a later paste reads it; the page is only told that
 *   something was copied, never what, so a key or token main copies still never reaches it.
 * - Save (Export Key…): the dialog answers with the path main proposes, in the harness's own
 *   home folder, and the demo prints where the file went.
 * - Links: nothing is opened. The harness records the address, the demo prints it and the page
 *   shows it.
 */
import { randomBytes } from 'node:crypto'
import { readdir, stat } from 'node:fs/promises'
import { extname, join } from 'node:path'
import type { Channel } from '../../src/shared/contract'
import type { Platform } from '../../src/main/platform'
import {
  harnessEvents,
  type DesktopConfig,
  type KnownFile,
  type PageClipboard,
  type PickerAnswer,
  type PickerFile,
  type PickerRequest,
} from './desktop-protocol'

/** A native picker's answer: the chosen path (null for Cancel), or why it could not be shown. */
export type NativePickerAnswer = { path: string | null } | { unavailable: string }

export interface DesktopOptions {
  /** Folders whose files a drop resolves to and whose keys the window's picker lists. */
  keyFolders: string[]
  /**
   * What a key file is, for the window's picker (the demo: the team and the role), and where it
   * goes in the list; files without a description follow by name.
   */
  describeKeyFile?: (path: string) => { note: string; order: number } | null
  /** The system's own file picker, tried before the window's list. */
  nativePicker?: () => Promise<NativePickerAnswer>
  /** Told of every address Ascent asks to open (the demo prints it). */
  onOpenExternal?: (url: string) => void
  /** Told of what went wrong at the desktop's edge, with what to do. */
  onNotice?: (message: string) => void
  /** Called each time a page connects to its event stream: a window shows Ascent. */
  onPageOpen?: () => void
}

export interface Desktop {
  platform: Pick<Platform, 'clipboard' | 'dialog' | 'shell'>
  config(): Promise<DesktopConfig>
  /** Takes the page's picker answer; false for a picker not open or a path it did not list. */
  answerPicker(answer: PickerAnswer): boolean
  /** Takes the page's clipboard, sent along with a request on `channel`. */
  receiveClipboard(channel: string, clipboard: PageClipboard | undefined): void
  pageOpened(): void
  /** The last page left: an open picker can no longer be answered. */
  pagesGone(): void
}

/** Sends a harness event to every connected page; answers how many it reached. */
export type SendToPages = (event: string, payload: unknown) => number

/** The handlers that read the clipboard (src/main/handlers/keys.ts). */
export const CLIPBOARD_CHANNELS: Channel[] = ['keys:pasteClipboard', 'keys:clearClipboard']
const KEY_FILE_EXTENSIONS = new Set(['.p8', '.json'])
const MAX_FILES_PER_FOLDER = 1000

export function createDesktop(options: DesktopOptions, send: SendToPages): Desktop {
  let clipboardText = ''
  let pending: { id: string; paths: Set<string>; resolve: (path: string | null) => void } | null =
    null
  const notice = (message: string) => options.onNotice?.(message)

  const closePicker = (answer: string | null) => {
    if (!pending) return
    const { id, resolve } = pending
    pending = null
    send(harnessEvents.pickerClosed, { id })
    resolve(answer)
  }

  async function windowPicker(): Promise<string | null> {
    const files = await pickerFiles(options)
    closePicker(null)
    const id = randomBytes(8).toString('hex')
    return new Promise((resolve) => {
      pending = { id, paths: new Set(files.map((file) => file.path)), resolve }
      const request: PickerRequest = { id, files, keyFolders: options.keyFolders }
      if (send(harnessEvents.picker, request) === 0) {
        pending = null
        notice('“Choose File…” found no window to list the key files in: reload the page.')
        resolve(null)
      }
    })
  }

  return {
    platform: {
      dialog: {
        chooseKeyFile: async () => {
          if (options.nativePicker) {
            const answer = await options.nativePicker()
            if ('path' in answer) return answer.path
            notice(`${answer.unavailable} The window lists the key files instead.`)
          }
          return windowPicker()
        },
        chooseSavePath: ({ defaultPath }) => {
          notice(`The demo has no save dialog: Ascent saves to ${defaultPath}`)
          return Promise.resolve(defaultPath)
        },
      },
      clipboard: {
        readText: () => Promise.resolve(clipboardText),
        writeText: (text) => {
          clipboardText = text
          notice('Ascent copied to its clipboard; in the demo it stays inside the harness.')
          return Promise.resolve()
        },
        clear: () => {
          clipboardText = ''
          send(harnessEvents.clipboardClear, {})
        },
      },
      shell: {
        openExternal: (url) => {
          options.onOpenExternal?.(url)
          send(harnessEvents.notice, {
            message: `Ascent would open ${url} in your browser; the demo only shows where.`,
          })
          return Promise.resolve()
        },
      },
    },

    config: async () => ({
      enabled: true,
      keyFolders: options.keyFolders,
      files: await listFolders(options.keyFolders),
      clipboardChannels: CLIPBOARD_CHANNELS,
    }),

    answerPicker({ id, path }) {
      if (!pending || pending.id !== id) return false
      if (path !== null && !pending.paths.has(path)) return false
      closePicker(path)
      return true
    },

    receiveClipboard(channel, clipboard) {
      if (!(CLIPBOARD_CHANNELS as string[]).includes(channel)) return
      if (clipboard && 'text' in clipboard && typeof clipboard.text === 'string') {
        clipboardText = clipboard.text
        return
      }
      // The browser would not say: main must not read a clipboard the user has since changed.
      clipboardText = ''
      const reason = clipboard && 'error' in clipboard ? String(clipboard.error) : 'nothing sent'
      notice(
        `The browser did not let the demo read the clipboard (${reason}): allow clipboard access for this page, then paste again.`,
      )
    },

    pageOpened: () => options.onPageOpen?.(),
    pagesGone: () => closePicker(null),
  }
}

/** Every regular, visible file directly in the folders (a missing folder lists nothing). */
export async function listFolders(folders: string[]): Promise<KnownFile[]> {
  const files: KnownFile[] = []
  for (const folder of folders) {
    let names: string[]
    try {
      names = (await readdir(folder)).filter((name) => !name.startsWith('.')).sort()
    } catch {
      continue
    }
    for (const name of names.slice(0, MAX_FILES_PER_FOLDER)) {
      const path = join(folder, name)
      try {
        const stats = await stat(path)
        if (stats.isFile()) {
          files.push({ path, name, size: stats.size, lastModified: Math.round(stats.mtimeMs) })
        }
      } catch {
        // Gone since the listing, or unreadable: not a file the page can be offered.
      }
    }
  }
  return files
}

/** The key files a native open dialog would offer (.p8, .json), described ones first. */
async function pickerFiles(options: DesktopOptions): Promise<PickerFile[]> {
  const described = (await listFolders(options.keyFolders))
    .filter((file) => KEY_FILE_EXTENSIONS.has(extname(file.name).toLowerCase()))
    .map((file) => ({ file, about: options.describeKeyFile?.(file.path) ?? null }))
  const rank = (entry: (typeof described)[number]) => entry.about?.order ?? Infinity
  return described
    .sort((a, b) => rank(a) - rank(b) || a.file.name.localeCompare(b.file.name))
    .map(({ file, about }) => ({ path: file.path, name: file.name, note: about?.note ?? null }))
}
