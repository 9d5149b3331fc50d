import { Ellipsis, PanelLeft, RefreshCw, Search, TriangleAlert } from 'lucide-react'
import { useCallback, useEffect, useRef, useState, type CSSProperties } from 'react'
import type { AppCommand, TeamSummary } from '../../shared/contract'
import { AppsPane, type AppsPaneHandle } from '../apps/AppsPane'
import { APP_SORT_LABELS, type AppSort } from '../apps/model'
import { AttentionToggle } from '../builds/AttentionToggle'
import { BuildsPane, type BuildsPaneHandle } from '../builds/BuildsPane'
import {
  useRefreshTeam,
  useResource,
  useTeamActivity,
  useTeamAttention,
  useTeamPoll,
  useUsage,
} from '../data/browse'
import { requestTeamAction } from '../data/teamActions'
import { ChoiceSelect } from '../shell/ChoiceSelect'
import { PaneSplitter, usePaneWidth, type PaneBounds } from '../shell/PaneSplitter'
import { useCommands } from '../shell/useCommands'
import { ExplainedAboveProvider, ProblemNotice } from './ProblemNotice'
import { RateMeter } from './RateMeter'
import { rateWords } from './rateWords'
import { TeamMenu, type MenuItem } from './TeamMenu'
import { TeamViewProvider, useTeamView } from './TeamView'

export interface TeamBrowserProps {
  team: TeamSummary
  /** Opens the wizard to import the team's key again. */
  onReplaceKey: (team: TeamSummary) => void
  /** Apple refused or accepted the key again: the sidebar's status may have changed. */
  onTeamStatusChanged: () => void
  /** Focus the apps list as soon as it is on screen (the team was just added). */
  focusApps: boolean
  onAppsFocused: () => void
  /** The sidebar is hidden: the toolbar offers to show it again. */
  sidebarHidden?: boolean
  onShowSidebar?: () => void
}

/** Keyboard moves through apps this long before the selected app's builds load. */
const KEY_SETTLE_MS = 150
/** Wide enough for a bundle ID and a build line; the builds table keeps the rest. */
const SORT_CHOICES = Object.entries(APP_SORT_LABELS).map(
  ([sort, label]) => [sort as AppSort, `Sort by ${label}`] as const,
)
const APPS_WIDTH: PaneBounds = { key: 'appsPaneWidth', initial: 300, min: 240, max: 440 }

/**
 * One team's apps and builds. Mounted per team (keyed by its ID), so nothing of one team's view
 * can survive into another's; what the user had open is restored from the team's view state.
 */
export function TeamBrowser(props: TeamBrowserProps) {
  return (
    <TeamViewProvider teamId={props.team.id}>
      <TeamPanes {...props} />
    </TeamViewProvider>
  )
}

function TeamPanes(props: TeamBrowserProps) {
  const { team, onTeamStatusChanged } = props
  const teamId = team.id
  const { view, update } = useTeamView()
  const [loadedAppId, setLoadedAppId] = useState<string | null>(view.appId)
  const settle = useRef<ReturnType<typeof setTimeout> | null>(null)
  const searchRef = useRef<HTMLInputElement>(null)
  const appsRef = useRef<AppsPaneHandle>(null)
  const buildsRef = useRef<BuildsPaneHandle>(null)
  const [appsWidth, setAppsWidth] = usePaneWidth(APPS_WIDTH)
  useEffect(() => () => clearTimeout(settle.current ?? undefined), [])

  const apps = useResource(teamId, 'apps', {})
  const appList = apps.value
  const activity = useResource(
    teamId,
    'activity',
    {},
    {
      enabled: appList !== null,
      afterPaint: true,
    },
  )
  const teamAttention = useTeamAttention(teamId) ?? 0
  const usage = useUsage(teamId)
  const status = useTeamActivity(teamId)
  const refreshAll = useRefreshTeam(teamId)
  useTeamPoll(teamId)
  const selectedApp = appList?.find((app) => app.id === view.appId) ?? null

  // The sidebar shows whether Apple accepts the key: follow what the answers found out.
  const appsProblem = apps.problem?.code ?? null
  const { fetchedAt } = apps
  useEffect(() => {
    const refused = appsProblem === 'auth.rejected' && team.status !== 'rejected'
    const acceptedAgain = appsProblem === null && fetchedAt !== null && team.status === 'rejected'
    if (refused || acceptedAgain) onTeamStatusChanged()
  }, [appsProblem, fetchedAt, team.status, onTeamStatusChanged])

  // "Check Now" found the key accepted again: the apps shown with Apple's refusal refresh at once.
  const lastStatus = useRef(team.status)
  const { refresh: refreshApps } = apps
  const { refresh: refreshActivity } = activity
  useEffect(() => {
    const was = lastStatus.current
    lastStatus.current = team.status
    if (was === 'rejected' && team.status === 'verified' && appsProblem === 'auth.rejected') {
      refreshApps()
      refreshActivity()
    }
  }, [team.status, appsProblem, refreshApps, refreshActivity])

  const selectApp = useCallback(
    (appId: string, fromKeyboard: boolean) => {
      if (appId === view.appId) return
      update({ appId, buildId: null })
      clearTimeout(settle.current ?? undefined)
      if (!fromKeyboard) setLoadedAppId(appId)
      else settle.current = setTimeout(() => setLoadedAppId(appId), KEY_SETTLE_MS)
    },
    [view.appId, update],
  )

  /** Return in the apps list: load the selected app's builds now and move into its table. */
  const openBuilds = () => {
    if (!view.appId) return
    clearTimeout(settle.current ?? undefined)
    setLoadedAppId(view.appId)
    buildsRef.current?.focusTable()
  }

  useCommands((command: AppCommand) => {
    if (command.type === 'find') {
      searchRef.current?.focus()
      searchRef.current?.select()
    }
    if (command.type === 'refresh') refreshAll()
  })

  const teamActions = {
    onRecheck: () => requestTeamAction({ kind: 'recheck', teamId }),
    onReplaceKey: () => props.onReplaceKey(team),
  }

  const [overflowAt, setOverflowAt] = useState<{ x: number; y: number } | null>(null)
  const closeOverflow = useCallback(() => setOverflowAt(null), [])
  /** What a narrow toolbar leaves out, in its "More" menu: the sort and the requests left. */
  const overflowItems: MenuItem[] = [
    ...SORT_CHOICES.map(([sort, label]) => ({
      label,
      checked: view.sort === sort,
      onSelect: () => update({ sort }),
    })),
    ...(usage?.rateLimit
      ? [
          {
            label: rateWords(usage.rateLimit, usage.backgroundRefresh).full,
            disabled: true,
            onSelect: () => undefined,
          },
        ]
      : []),
  ]

  const hasData = appList !== null
  // Apps still shown from the cache: the failure to refresh them (or their newest builds and
  // icons) stands above them, with what to do about it.
  const cachedAppsProblem = hasData ? (apps.problem ?? activity.problem) : null
  const retryApps = () => {
    apps.refresh()
    activity.refresh()
  }

  return (
    <div className="browser">
      <div className="toolbar" role="toolbar" aria-label={`${team.name} toolbar`}>
        {props.sidebarHidden ? (
          <button
            type="button"
            className="icon-button"
            aria-label="Show Sidebar"
            aria-keyshortcuts="Control+Meta+S"
            title="Show Sidebar (⌃⌘S)"
            onClick={props.onShowSidebar}
          >
            <PanelLeft size={14} aria-hidden="true" />
          </button>
        ) : null}
        <div className="toolbar-title">
          <h1 title={team.name}>{team.name}</h1>
          <span className="toolbar-subtitle">
            {appList ? `${appList.length} app${appList.length === 1 ? '' : 's'}` : ' '}
          </span>
        </div>
        {appList !== null ? (
          <>
            <label className="search-field">
              <Search size={13} aria-hidden="true" />
              <input
                ref={searchRef}
                type="search"
                placeholder="Search apps"
                aria-label="Search apps by name, bundle ID or SKU"
                aria-keyshortcuts="Meta+F"
                value={view.query}
                onChange={(event) => update({ query: event.target.value })}
                onKeyDown={(event) => {
                  if (event.key === 'Escape' && view.query) {
                    event.preventDefault()
                    update({ query: '' })
                  }
                  if (event.key === 'ArrowDown' || event.key === 'Enter') {
                    event.preventDefault()
                    appsRef.current?.enter()
                  }
                }}
              />
            </label>
            <span className="toolbar-collapsible">
              <ChoiceSelect
                label="Sort apps"
                value={view.sort}
                choices={SORT_CHOICES}
                onChange={(sort) => update({ sort })}
              />
            </span>
            <AttentionToggle
              pressed={view.attentionOnly}
              count={teamAttention}
              onToggle={() => update({ attentionOnly: !view.attentionOnly })}
              title="Show only apps with builds that need attention"
            />
          </>
        ) : null}
        <div className="toolbar-spacer" />
        <p className="status-line" role="status" aria-live="polite">
          {status.busy && hasData ? (
            <>
              <RefreshCw size={12} className="spin" aria-hidden="true" /> Refreshing…
            </>
          ) : status.failed && hasData && !cachedAppsProblem ? (
            <span className="status-failed">Couldn’t refresh</span>
          ) : null}
        </p>
        <span className="toolbar-collapsible">
          <RateMeter usage={usage} />
        </span>
        {appList !== null ? (
          <button
            type="button"
            className="icon-button toolbar-overflow"
            aria-label="More"
            aria-haspopup="menu"
            title="More"
            onClick={(event) => {
              const box = event.currentTarget.getBoundingClientRect()
              setOverflowAt({ x: box.right, y: box.bottom + 4 })
            }}
          >
            <Ellipsis size={14} aria-hidden="true" />
          </button>
        ) : null}
        <button
          type="button"
          className="icon-button"
          aria-label="Refresh"
          aria-keyshortcuts="Meta+R"
          title="Refresh (⌘R)"
          onClick={refreshAll}
          disabled={apps.loading}
        >
          <RefreshCw size={14} aria-hidden="true" className={status.busy ? 'spin' : undefined} />
        </button>
      </div>

      {overflowAt ? (
        <TeamMenu label="More" at={overflowAt} onClose={closeOverflow} items={overflowItems} />
      ) : null}

      {appList === null && apps.problem ? (
        <div className="browser-problem">
          <ProblemNotice problem={apps.problem} onRetry={apps.refresh} {...teamActions} />
        </div>
      ) : (
        <>
          {cachedAppsProblem ? (
            <ProblemNotice
              layout="banner"
              problem={cachedAppsProblem}
              onRetry={retryApps}
              {...teamActions}
            />
          ) : null}
          <ExplainedAboveProvider problem={cachedAppsProblem}>
            <div
              className="browser-panes"
              style={{ '--apps-width': `${appsWidth}px` } as CSSProperties}
            >
              <section className="apps-pane" aria-label="Apps">
                <AppsPane
                  ref={appsRef}
                  team={team}
                  onSelect={selectApp}
                  onOpen={openBuilds}
                  focusWhenShown={props.focusApps}
                  onFocused={props.onAppsFocused}
                />
              </section>
              <PaneSplitter
                label="Apps list width"
                width={appsWidth}
                bounds={APPS_WIDTH}
                onResize={setAppsWidth}
              />
              <section className="builds-pane" aria-label="Builds">
                {selectedApp ? (
                  <BuildsPane
                    key={selectedApp.id}
                    ref={buildsRef}
                    team={team}
                    app={selectedApp}
                    ready={loadedAppId === selectedApp.id}
                    teamActions={teamActions}
                  />
                ) : (
                  <div className="pane-empty pane-empty-large">
                    <p className="pane-empty-title">
                      {appList === null ? 'Loading apps…' : 'Select an app to see its builds'}
                    </p>
                    {teamAttention > 0 ? (
                      <p>
                        <TriangleAlert size={12} aria-hidden="true" /> {teamAttention} build
                        {teamAttention === 1 ? '' : 's'} in this team need attention.
                      </p>
                    ) : null}
                  </div>
                )}
              </section>
            </div>
          </ExplainedAboveProvider>
        </>
      )}
    </div>
  )
}
