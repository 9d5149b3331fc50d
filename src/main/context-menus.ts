/**
 * The context menus of apps, builds and saved teams on the Mac: the page asks for one by what it
 * is about (`menu:app {teamId, appId}`), main looks the item up itself (the apps, the build, the
 * saved teams), shows the native menu (`Platform.contextMenu`) from the one declaration of its
 * items (src/shared/menus.ts), and carries out the choice: a copy with the system clipboard, a
 * page from the links allow-list, or a team action sent to the window as `app:command`.
 */
import type { AppCommand, AppRow, BuildRow, TeamSummary } from '../shared/contract'
import { appMenu, buildMenu, TEAM_MENU, type MenuEntry } from '../shared/menus'
import { AppError } from './errors'
import { allowedExternalUrl } from './links'
import type { ContextMenuHost, NativeMenuLine, Platform } from './platform'

export interface ContextMenusOptions {
  host: ContextMenuHost | undefined
  clipboard: Pick<Platform['clipboard'], 'writeText'>
  openExternal(url: string): Promise<void>
  sendCommand(command: AppCommand): void
  /** The team's apps as last loaded (the cache); null when none are known. */
  apps(teamId: string): Promise<AppRow[] | null>
  /** One build of the team, as last loaded; null when it is not known. */
  build(teamId: string, buildId: string): Promise<BuildRow | null>
  teams(): Promise<TeamSummary[]>
}

export interface ContextMenus {
  app(request: { teamId: string; appId: string }): Promise<null>
  build(request: { teamId: string; appId: string; buildId: string }): Promise<null>
  team(request: { teamId: string }): Promise<null>
}

function notFound(what: string): AppError {
  return new AppError(
    'menu.not_found',
    `That ${what} is no longer there. Refresh (⌘R) and try again.`,
  )
}

export function createContextMenus(options: ContextMenusOptions): ContextMenus {
  async function show(entries: readonly MenuEntry[], teamId: string): Promise<null> {
    const { host } = options
    if (!host) {
      throw new AppError('menu.unavailable', 'This window has no native context menus.')
    }
    const lines: NativeMenuLine[] = entries.map((entry) =>
      entry.kind === 'separator' ? { separator: true } : { label: entry.label },
    )
    const chosen = await host.popup(lines)
    const entry = chosen === null ? undefined : entries[chosen]
    if (!entry || entry.kind === 'separator') return null
    if (entry.kind === 'copy') await options.clipboard.writeText(entry.text)
    if (entry.kind === 'open') {
      const url = allowedExternalUrl(entry.url)
      if (url) await options.openExternal(url)
    }
    if (entry.kind === 'teamAction') {
      options.sendCommand({ type: 'teamAction', action: entry.action, teamId })
    }
    return null
  }

  return {
    app: async ({ teamId, appId }) => {
      const app = (await options.apps(teamId))?.find((candidate) => candidate.id === appId)
      if (!app) throw notFound('app')
      return show(appMenu(app), teamId)
    },
    build: async ({ teamId, appId, buildId }) => {
      const build = await options.build(teamId, buildId)
      if (!build) throw notFound('build')
      return show(buildMenu(appId, build), teamId)
    },
    team: async ({ teamId }) => {
      const teams = await options.teams()
      if (!teams.some((team) => team.id === teamId)) throw notFound('team')
      return show(TEAM_MENU, teamId)
    },
  }
}
