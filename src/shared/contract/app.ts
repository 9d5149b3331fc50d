import { z } from 'zod'
import { event, operation } from './define'

export interface AppInfo {
  version: string
  /** The Electron the app runs on; null in the browser harness. */
  electronVersion: string | null
  /** `darwin`, `linux`, ... */
  platform: string
  /** The App Store Connect API base in use: Apple's, or the local sandbox in demo and tests. */
  apiBase: string
  usesSandbox: boolean
  /** Where secrets are kept (`macOS Keychain`, `Secret Service`), for the settings and about views. */
  secretStore: string
  /** Context menus are the system's (the app); false in the browser harness, which draws its own. */
  nativeMenus: boolean
  /** The folder of keys.json, settings.json, the cache and the logs, for Settings. */
  dataDir: string
}

/** What can be done to a saved team: its context menu, the Teams menu and shortcuts name these. */
export type TeamAction =
  'details' | 'checkNow' | 'replaceKey' | 'exportKey' | 'copyToken' | 'rename' | 'remove'

/** Menu and global shortcuts main turns into renderer commands. */
export type AppCommand =
  | { type: 'addKey' }
  | { type: 'refresh' }
  | { type: 'find' }
  /** View → Hide Sidebar (⌃⌘S): shows the sidebar again when it is hidden. */
  | { type: 'toggleSidebar' }
  /** Ascent → Settings… (⌘,). */
  | { type: 'settings' }
  | { type: 'selectTeam'; index: number }
  /** A clicked notification: the team, and the app and build it names. */
  | { type: 'open'; teamId: string; appId: string | null; buildId: string | null }
  /** `teamId` null: the team on screen (⌘I from the menu bar). */
  | { type: 'teamAction'; action: TeamAction; teamId: string | null }

const id = z.string().min(1).max(100)

export const appOperations = {
  'app:info': operation<AppInfo>()(z.undefined()),
  /** Opens an https URL in the browser if it is on main's allow-list (App Store Connect, Apple docs). */
  'app:openExternal': operation<null>()(z.object({ url: z.string().max(2048) }).strict()),
  /**
   * Shows the native context menu of an app, a build or a saved team at the pointer. Main looks
   * the item up itself and carries out the choice (copies with the system clipboard, opens an
   * allow-listed page, or sends a team action as `app:command`); answers once the menu closed.
   */
  'menu:app': operation<null>()(z.object({ teamId: id, appId: id }).strict()),
  'menu:build': operation<null>()(z.object({ teamId: id, appId: id, buildId: id }).strict()),
  'menu:team': operation<null>()(z.object({ teamId: id }).strict()),
}

export const appEvents = {
  'app:command': event<AppCommand>(),
}
