/**
 * What the harness server and its page share when the harness stands in for a desktop (the demo):
 * the page's configuration, the harness's own events and the page's clipboard. Plain types and
 * names only: the server (Node) and the page (the bundled preload) both import this file.
 */
import type { Channel } from '../../src/shared/contract'

/** A file in one of the key folders (GET /__harness/desktop). */
export interface KnownFile {
  path: string
  name: string
  size: number
  /** Modification time in ms since the epoch, as a dropped File's `lastModified` reports it. */
  lastModified: number
}

export interface DesktopConfig {
  /** False in tests: the page keeps the test doubles (dropPaths, the harness's own clipboard). */
  enabled: boolean
  /** Where drops resolve and what the window's picker lists, for the page's messages. */
  keyFolders: string[]
  files: KnownFile[]
  /** Channels whose handler in main reads the clipboard: the page sends its clipboard along. */
  clipboardChannels: Channel[]
}

/** What the page is told when the harness stands in for no desktop (the tests). */
export const NO_DESKTOP: DesktopConfig = {
  enabled: false,
  keyFolders: [],
  files: [],
  clipboardChannels: [],
}

/** One entry of the window's key-file picker. */
export interface PickerFile {
  path: string
  name: string
  /** What the file is, when the harness knows (the demo: the sandbox team, role, revoked). */
  note: string | null
}

export interface PickerRequest {
  id: string
  files: PickerFile[]
  keyFolders: string[]
}

/** Events of the harness itself, on the page's event stream next to main's events. */
export const harnessEvents = {
  /** Show the window's key-file picker. */
  picker: '__harness:picker',
  /** The picker was answered (maybe in another tab) or given up: close it. */
  pickerClosed: '__harness:pickerClosed',
  /** Main emptied the clipboard: the page empties the browser's. */
  clipboardClear: '__harness:clipboardClear',
  /** Something the page shows the person at the window, e.g. where a link would have gone. */
  notice: '__harness:notice',
} as const

/** The page's clipboard as it read it for an IPC request, or why the browser refused. */
export type PageClipboard = { text: string } | { error: string }

/** The body of POST /__ipc. */
export interface IpcEnvelope {
  channel: string
  request?: unknown
  clipboard?: PageClipboard
}

/** The body of POST /__harness/picker: the picker's answer, null for Cancel. */
export interface PickerAnswer {
  id: string
  path: string | null
}
