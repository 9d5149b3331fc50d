import { RefreshCw, Search, TriangleAlert } from 'lucide-react'
import { useCallback, useEffect, useMemo, useRef, useState, type CSSProperties } from 'react'
import type { AppActivity, AppCommand, Freshness, TeamSummary } from '../../shared/contract'
import { AppsPane } from '../apps/AppsPane'
import { APP_SORT_LABELS, visibleApps, type AppSort } from '../apps/model'
import { AttentionToggle } from '../builds/AttentionToggle'
import { BuildsPane } from '../builds/BuildsPane'
import type { BuildsTableHandle } from '../builds/BuildsTable'
import { formatAgo } from '../builds/format'
import { ascent } from '../data/bridge'
import {
  useActivity,
  useApps,
  useBuildDetail,
  useBuilds,
  useUsage,
  type Resource,
} from '../data/browse'
import { requestTeamAction } from '../data/teamActions'
import { ChoiceSelect } from '../shell/ChoiceSelect'
import { PaneSplitter, usePaneWidth, type PaneBounds } from '../shell/PaneSplitter'
import { useCommands } from '../shell/useCommands'
import { ExplainedAboveProvider, ProblemNotice } from './ProblemNotice'
import { problemOfDiagnosis, problemOfError, type Problem } from '../diagnosis/problem'
import { RateMeter } from './RateMeter'
import { saveView, viewOf, type TeamViewState } from './viewState'

export interface TeamBrowserProps {
  team: TeamSummary
  /** Opens the wizard to import the team's key again. */
  onReplaceKey: (team: TeamSummary) => void
  /** Apple refused or accepted the key again: the sidebar's status may have changed. */
  onTeamStatusChanged: () => void
}

/** Keyboard moves through apps this long before the selected app's builds load. */
const KEY_SETTLE_MS = 150
const ASC_BASE = 'https://appstoreconnect.apple.com/'
/** Wide enough for a bundle ID and a build line; the builds table keeps the rest. */
const SORT_CHOICES = Object.entries(APP_SORT_LABELS).map(
  ([sort, label]) => [sort as AppSort, `Sort by ${label}`] as const,
)
const APPS_WIDTH: PaneBounds = { key: 'appsPaneWidth', initial: 300, min: 240, max: 440 }

function problemOf(resource: Resource<Freshness>): Problem | null {
  if (resource.answer?.problem) return problemOfDiagnosis(resource.answer.problem)
  return resource.error ? problemOfError(resource.error) : null
}

/** `value` once it has stayed the same for `ms`: arrowing through rows asks for one detail. */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value)
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms)
    return () => clearTimeout(timer)
  }, [value, ms])
  return settled
}

/** The minute, for "expires in N days" and "updated 2 minutes ago". */
function useMinute(): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000)
    return () => clearInterval(timer)
  }, [])
  return now
}

/**
 * One team's apps and builds. Mounted per team (keyed by its ID), so nothing of one team's view
 * can survive into another's; what the user had open is restored from the team's view state.
 */
export function TeamBrowser(props: TeamBrowserProps) {
  const { team } = props
  const teamId = team.id
  const [view, setView] = useState<TeamViewState>(() => viewOf(teamId))
  const [loadedAppId, setLoadedAppId] = useState<string | null>(view.appId)
  /** The app whose builds table takes focus as soon as it is on screen (Return in the apps list). */
  const [focusTableOf, setFocusTableOf] = useState<string | null>(null)
  const tableFocused = useCallback(() => setFocusTableOf(null), [])
  const settle = useRef<ReturnType<typeof setTimeout> | null>(null)
  const searchRef = useRef<HTMLInputElement>(null)
  const tableRef = useRef<BuildsTableHandle>(null)
  const now = useMinute()
  const [appsWidth, setAppsWidth] = usePaneWidth(APPS_WIDTH)

  useEffect(() => saveView(teamId, view), [teamId, view])
  useEffect(() => () => clearTimeout(settle.current ?? undefined), [])

  const apps = useApps(teamId)
  const appList = apps.answer?.apps ?? null
  const activity = useActivity(teamId, appList !== null)
  const builds = useBuilds(teamId, loadedAppId)
  const settledBuildId = useSettled(view.buildId, KEY_SETTLE_MS)
  const detail = useBuildDetail(teamId, settledBuildId === view.buildId ? settledBuildId : null)
  const usage = useUsage(teamId)

  const activityMap = useMemo(
    () =>
      new Map<string, AppActivity>(
        (activity.answer?.activity ?? []).map((item) => [item.appId, item]),
      ),
    [activity.answer],
  )
  const teamAttention = useMemo(
    () => [...activityMap.values()].reduce((sum, item) => sum + item.attention.total, 0),
    [activityMap],
  )
  const shownApps = useMemo(
    () =>
      appList &&
      visibleApps(appList, activityMap, {
        query: view.query,
        sort: view.sort,
        attentionOnly: view.attentionOnly,
      }),
    [appList, activityMap, view.query, view.sort, view.attentionOnly],
  )
  const selectedApp = appList?.find((app) => app.id === view.appId) ?? null

  // The sidebar shows whether Apple accepts the key: follow what the answers found out.
  const appsProblem = apps.answer?.problem?.code ?? null
  const appsFresh = apps.answer !== undefined && !apps.answer.fromCache && !apps.answer.problem
  const { onTeamStatusChanged } = props
  useEffect(() => {
    const refused = appsProblem === 'auth.rejected' && team.status !== 'rejected'
    const acceptedAgain = appsFresh && team.status === 'rejected'
    if (refused || acceptedAgain) onTeamStatusChanged()
  }, [appsProblem, appsFresh, team.status, onTeamStatusChanged])

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

  const update = (change: Partial<TeamViewState>) =>
    setView((current) => ({ ...current, ...change }))

  const selectApp = (appId: string, immediately: boolean) => {
    if (appId === view.appId) return
    update({ appId, buildId: null })
    clearTimeout(settle.current ?? undefined)
    if (immediately) setLoadedAppId(appId)
    else settle.current = setTimeout(() => setLoadedAppId(appId), KEY_SETTLE_MS)
  }

  /** Return in the apps list: load the selected app's builds now and move into its table. */
  const openBuilds = () => {
    if (!view.appId) return
    clearTimeout(settle.current ?? undefined)
    setLoadedAppId(view.appId)
    setFocusTableOf(view.appId)
  }

  const refreshAll = () => {
    apps.refresh()
    if (appList) activity.refresh()
    if (loadedAppId) builds.refresh()
    if (view.buildId) detail.refresh()
  }

  useCommands((command: AppCommand) => {
    if (command.type === 'find') {
      searchRef.current?.focus()
      searchRef.current?.select()
    }
    if (command.type === 'refresh') refreshAll()
  })

  const problemActions = {
    onRecheck: () => requestTeamAction({ kind: 'recheck', teamId }),
    onReplaceKey: () => props.onReplaceKey(team),
  }
  const openExternal = (path: string) => void ascent.app.openExternal({ url: `${ASC_BASE}${path}` })

  const appsProblemShown = problemOf(apps)
  const hasData = appList !== null
  // Apps still shown from the cache: the failure to refresh them (or their newest builds and
  // icons) stands above them, with what to do about it.
  const cachedAppsProblem = hasData ? (appsProblemShown ?? problemOf(activity)) : null
  const busy = apps.busy || activity.busy || builds.busy
  const failed = [apps, activity, builds].some((resource) => resource.answer?.problem)
  // While the keyboard moves through apps, the last app's builds never show under the next one.
  const buildsAnswer =
    loadedAppId === view.appId && builds.answer?.appId === loadedAppId ? builds.answer : undefined

  return (
    <div className="browser">
      <div className="toolbar" role="toolbar" aria-label={`${team.name} toolbar`}>
        <div className="toolbar-title">
          <h1>{team.name}</h1>
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
                    const first = shownApps?.[0]
                    if (first && !shownApps?.some((app) => app.id === view.appId)) {
                      selectApp(first.id, true)
                    }
                    document.querySelector<HTMLElement>('.app-list')?.focus()
                  }
                }}
              />
            </label>
            <ChoiceSelect
              label="Sort apps"
              value={view.sort}
              choices={SORT_CHOICES}
              onChange={(sort) => update({ sort })}
            />
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
          {busy && hasData ? (
            <>
              <RefreshCw size={12} className="spin" aria-hidden="true" /> Refreshing…
            </>
          ) : failed && hasData && !cachedAppsProblem ? (
            <span className="status-failed">Couldn’t refresh</span>
          ) : null}
        </p>
        <RateMeter usage={usage} />
        <button
          type="button"
          className="icon-button"
          aria-label="Refresh"
          aria-keyshortcuts="Meta+R"
          title="Refresh (⌘R)"
          onClick={refreshAll}
          disabled={apps.busy && !hasData}
        >
          <RefreshCw size={14} aria-hidden="true" className={busy ? 'spin' : undefined} />
        </button>
      </div>

      {appList === null && appsProblemShown ? (
        <div className="browser-problem">
          <ProblemNotice problem={appsProblemShown} onRetry={apps.refresh} {...problemActions} />
        </div>
      ) : (
        <>
          {cachedAppsProblem ? (
            <ProblemNotice
              layout="banner"
              problem={cachedAppsProblem}
              onRetry={refreshAll}
              {...problemActions}
            />
          ) : null}
          <ExplainedAboveProvider problem={cachedAppsProblem}>
            <div
              className="browser-panes"
              style={{ '--apps-width': `${appsWidth}px` } as CSSProperties}
            >
              <section className="apps-pane" aria-label="Apps">
                <AppsPane
                  apps={shownApps}
                  total={appList?.length ?? 0}
                  activity={activityMap}
                  activityKnown={activity.answer?.activity != null}
                  selectedAppId={view.appId}
                  query={view.query}
                  now={now}
                  onSelect={(appId, fromKeyboard) => selectApp(appId, !fromKeyboard)}
                  onOpen={openBuilds}
                  onClearFilters={() => update({ query: '', attentionOnly: false })}
                />
                <footer className="apps-footer">
                  {apps.answer?.fetchedAt
                    ? `Updated ${formatAgo(apps.answer.fetchedAt, now)}`
                    : ' '}
                </footer>
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
                    app={selectedApp}
                    activity={activityMap.get(selectedApp.id)}
                    builds={buildsAnswer?.builds ?? null}
                    complete={buildsAnswer?.complete ?? false}
                    total={buildsAnswer?.total ?? null}
                    paging={builds.paging}
                    stalled={builds.stalled}
                    onLoadMore={builds.more}
                    onLoadAll={builds.all}
                    problem={buildsAnswer || builds.error ? problemOf(builds) : null}
                    filter={view.buildFilter}
                    selectedBuildId={view.buildId}
                    detail={
                      detail.answer?.detail?.id === view.buildId ? detail.answer.detail : null
                    }
                    detailProblem={problemOf(detail)}
                    detailLoading={detail.busy || settledBuildId !== view.buildId}
                    now={now}
                    tableRef={tableRef}
                    focusTable={focusTableOf === selectedApp.id}
                    onTableFocused={tableFocused}
                    onFilterChange={(buildFilter) => update({ buildFilter })}
                    onSelectBuild={(buildId) => update({ buildId })}
                    onRetry={builds.refresh}
                    onRetryDetail={detail.refresh}
                    onOpenExternal={openExternal}
                    {...problemActions}
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
