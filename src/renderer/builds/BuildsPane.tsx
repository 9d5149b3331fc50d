import { ExternalLink, Layers, Search, TriangleAlert } from 'lucide-react'
import {
  forwardRef,
  useCallback,
  useEffect,
  useImperativeHandle,
  useMemo,
  useRef,
  useState,
} from 'react'
import type { AppRow, TeamSummary } from '../../shared/contract'
import { appPageUrl, buildMenu, buildPageUrl } from '../../shared/menus'
import { AppStoreSummary } from '../apps/AppStoreState'
import { openExternal } from '../data/app'
import { useBuilds, useResource } from '../data/browse'
import { ChoiceSelect } from '../shell/ChoiceSelect'
import { useContextMenu } from '../shell/useContextMenu'
import { useMinute } from '../shell/time'
import { ProblemNotice, type ProblemActions } from '../teams/ProblemNotice'
import { useTeamView } from '../teams/TeamView'
import { AttentionToggle } from './AttentionToggle'
import { BuildInspector } from './BuildInspector'
import { BuildsTable, type BuildsTableHandle, type TableFooter } from './BuildsTable'
import { platformLabel } from './format'
import {
  buildsSummary,
  buildView,
  isFiltered,
  loadingText,
  type BuildFilter,
  type BuildItem,
  type ExpiryFilter,
  type StateFilter,
} from './model'

export interface BuildsPaneHandle {
  /** Moves focus into the builds table, as soon as it is on screen. */
  focusTable: () => void
}

export interface BuildsPaneProps {
  team: TeamSummary
  app: AppRow
  /** The selection has settled: the app's builds may be asked for. */
  ready: boolean
  /** What a problem's actions do beyond Retry: check the team's key, import it again. */
  teamActions: Omit<ProblemActions, 'onRetry'>
}

const STATE_OPTIONS: [StateFilter, string][] = [
  ['all', 'Any Status'],
  ['PROCESSING', 'Processing'],
  ['VALID', 'Valid'],
  ['FAILED', 'Failed'],
  ['INVALID', 'Invalid'],
]

const EXPIRY_OPTIONS: [ExpiryFilter, string][] = [
  ['all', 'Any Expiry'],
  ['current', 'Current'],
  ['expired', 'Expired'],
]

/**
 * The selected app: its builds in a virtualized table, filters above, the inspector below. The
 * newest builds come first; the next page is asked for as the table nears the end of what is
 * loaded, and a filter (which needs every build) asks for all of them.
 */
export const BuildsPane = forwardRef<BuildsPaneHandle, BuildsPaneProps>(
  function BuildsPane(props, ref) {
    const { team, app, ready } = props
    const now = useMinute()
    const { view, update } = useTeamView()
    const filter = view.buildFilter
    const selectedBuildId = view.buildId
    const tableRef = useRef<BuildsTableHandle>(null)
    const inspectorHeading = useRef<HTMLHeadingElement>(null)
    const [focusTable, setFocusTable] = useState(false)
    const tableFocused = useCallback(() => setFocusTable(false), [])
    useImperativeHandle(ref, () => ({ focusTable: () => setFocusTable(true) }), [])

    const list = useBuilds(team.id, app.id, ready)
    const contextMenu = useContextMenu()
    const activity = useResource(team.id, 'activity', {}, { afterPaint: true })
    const builds = ready ? list.builds : null
    const { complete, paging, problem } = list
    const buildsView = useMemo(() => buildView(builds ?? [], filter, now), [builds, filter, now])
    // The inspector shows the selected build only while the filters show it too.
    const selected =
      buildsView.items.find(
        (item): item is Extract<BuildItem, { kind: 'build' }> =>
          item.kind === 'build' && item.build.id === selectedBuildId,
      )?.build ?? null
    const set = (change: Partial<BuildFilter>) => update({ buildFilter: { ...filter, ...change } })
    const selectBuild = useCallback((buildId: string | null) => update({ buildId }), [update])
    const count = list.total ?? builds?.length ?? 0
    const loaded = builds?.length ?? 0
    const filtered = isFiltered(filter)
    // Main counted every build's attention; the loaded ones may not have them all yet.
    const appAttention = activity.value?.find((item) => item.appId === app.id)?.attention.total
    const attention = complete ? buildsView.attention : (appAttention ?? buildsView.attention)
    const problemActions = { onRetry: list.refresh, ...props.teamActions }
    // A page that could not be added is explained like the list's own failure, under the rows.
    const bannerProblem = problem ?? list.pageProblem
    const bannerActions = problem ? problemActions : { ...problemActions, onRetry: list.retryPage }

    const loading = builds !== null && !complete
    const { more, all } = list
    const nearEnd = useCallback(() => {
      // A filter asks for all of them instead; a list that cannot be refreshed asks for no page.
      if (!filtered && !problem) more()
    }, [filtered, problem, more])
    // A filter needs every build: asked for once; after a failure, Try Again asks again.
    const wantsAll = loading && filtered && !problem && list.pageProblem === null
    useEffect(() => {
      if (wantsAll) all()
    }, [wantsAll, all])

    const pageFailed = paging === null && (list.pageProblem !== null || list.stalled)
    const footer: TableFooter | null = loading
      ? {
          text: loadingText({ loaded, total: list.total, filtered, paging, failed: pageFailed }),
          onRetry: pageFailed ? (filtered ? all : list.retryPage) : null,
        }
      : null

    return (
      <div className="builds-pane-inner">
        <header className="builds-header">
          <div className="builds-title">
            <h2>{app.name}</h2>
            <p className="mono" title={app.sku ? `SKU ${app.sku}` : undefined}>
              {app.bundleId}
              {app.sku ? ` · SKU ${app.sku}` : null}
            </p>
            <AppStoreSummary team={team} appId={app.id} />
          </div>
          <p className="builds-summary" aria-live="polite">
            {builds === null
              ? 'Loading builds…'
              : buildsSummary(count, loaded, complete, filtered ? buildsView.shown : null)}
            {attention > 0 ? (
              <span className="attention-count">
                <TriangleAlert size={11} aria-hidden="true" /> {attention} need attention
              </span>
            ) : null}
          </p>
          <button
            type="button"
            className="toggle"
            aria-pressed={filter.groupByVersion}
            title="Group by marketing version"
            onClick={() => set({ groupByVersion: !filter.groupByVersion })}
          >
            <Layers size={13} aria-hidden="true" />
            <span className="visually-hidden">Group by Version</span>
          </button>
          <button
            type="button"
            className="button-secondary"
            title="Open the app’s page in App Store Connect"
            onClick={() => openExternal(appPageUrl(app.id))}
          >
            <ExternalLink size={13} aria-hidden="true" />
            <span className="builds-header-label">Open in App Store Connect</span>
          </button>
        </header>

        <div className="builds-filters" role="group" aria-label="Filter builds">
          <label className="search-field search-field-small">
            <Search size={12} aria-hidden="true" />
            <input
              type="search"
              placeholder="Version"
              aria-label="Filter by version or build number"
              value={filter.version}
              onChange={(event) => set({ version: event.target.value })}
            />
          </label>
          <ChoiceSelect
            label="Platform"
            value={filter.platform}
            choices={[
              ['all', 'All Platforms'],
              ...buildsView.platforms.map(
                (platform) => [platform, platformLabel(platform)] as const,
              ),
            ]}
            onChange={(platform) => set({ platform })}
          />
          <ChoiceSelect
            label="Status"
            value={filter.state}
            choices={STATE_OPTIONS}
            onChange={(state) => set({ state })}
          />
          <ChoiceSelect
            label="Expiry"
            value={filter.expiry}
            choices={EXPIRY_OPTIONS}
            onChange={(expiry) => set({ expiry })}
          />
          <AttentionToggle
            pressed={filter.attentionOnly}
            count={attention}
            onToggle={() => set({ attentionOnly: !filter.attentionOnly })}
          />
        </div>

        <div className="builds-body-area">
          {builds === null && problem && ready ? (
            <ProblemNotice problem={problem} {...problemActions} />
          ) : builds === null ? (
            <BuildsSkeleton />
          ) : builds.length === 0 ? (
            <div className="pane-empty">
              <p className="pane-empty-title">No builds yet</p>
              <p>
                Builds appear here a few minutes after they are uploaded from Xcode or Transporter.
              </p>
            </div>
          ) : buildsView.shown === 0 && filtered && complete ? (
            <div className="pane-empty">
              <p className="pane-empty-title">No builds match these filters</p>
              <button
                type="button"
                className="button-secondary"
                onClick={() =>
                  set({
                    version: '',
                    platform: 'all',
                    state: 'all',
                    expiry: 'all',
                    attentionOnly: false,
                  })
                }
              >
                Clear Filters
              </button>
            </div>
          ) : (
            <BuildsTable
              ref={tableRef}
              autoFocus={focusTable}
              onAutoFocused={tableFocused}
              items={buildsView.items}
              selectedBuildId={selectedBuildId}
              now={now}
              complete={complete}
              footer={footer}
              onNearEnd={nearEnd}
              onLoadAll={all}
              onSelect={selectBuild}
              onOpen={() => inspectorHeading.current?.focus()}
              onMenu={(build, at) => {
                selectBuild(build.id)
                contextMenu.open(
                  { kind: 'build', teamId: team.id, appId: app.id, buildId: build.id },
                  `Build ${build.buildNumber} actions`,
                  () => buildMenu(app.id, build),
                  at,
                )
              }}
            />
          )}
          {builds !== null && bannerProblem ? (
            <ProblemNotice layout="banner" problem={bannerProblem} {...bannerActions} />
          ) : null}
        </div>

        {selected ? (
          <BuildInspector
            ref={inspectorHeading}
            team={team}
            build={selected}
            now={now}
            onOpenInAppStoreConnect={() => openExternal(buildPageUrl(app.id, selected))}
            onClose={() => {
              selectBuild(null)
              tableRef.current?.focus()
            }}
          />
        ) : null}
        {contextMenu.menu}
      </div>
    )
  },
)

function BuildsSkeleton() {
  return (
    <div className="builds-grid" aria-busy="true" aria-label="Loading builds">
      <div className="build-row build-row-head" aria-hidden="true">
        <span>Build</span>
        <span>Platform</span>
        <span>Uploaded</span>
        <span>Status</span>
        <span>Internal · External</span>
        <span>Expires</span>
      </div>
      {Array.from({ length: 10 }, (_, index) => (
        <div
          key={index}
          className="build-row build-row-loading build-row-static"
          aria-hidden="true"
        >
          {Array.from({ length: 6 }, (_, cell) => (
            <span key={cell} className="skeleton skeleton-line" />
          ))}
        </div>
      ))}
    </div>
  )
}
