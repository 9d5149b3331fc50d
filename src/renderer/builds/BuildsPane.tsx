import { ExternalLink, Layers, Search, TriangleAlert } from 'lucide-react'
import { useCallback, useEffect, useMemo, useRef, type RefObject } from 'react'
import type { AppActivity, AppRow, BuildDetail, BuildRow } from '../../shared/contract'
import { ProblemNotice, type ProblemActions } from '../teams/ProblemNotice'
import type { Problem } from '../diagnosis/problem'
import { ChoiceSelect } from '../shell/ChoiceSelect'
import { AttentionToggle } from './AttentionToggle'
import { BuildInspector } from './BuildInspector'
import { BuildsTable, type BuildsTableHandle, type TableFooter } from './BuildsTable'
import { PLATFORM_PATHS, platformLabel } from './format'
import {
  buildsSummary,
  buildView,
  isFiltered,
  loadingText,
  type BuildFilter,
  type ExpiryFilter,
  type StateFilter,
} from './model'

export interface BuildsPaneProps extends ProblemActions {
  app: AppRow
  activity: AppActivity | undefined
  /** Newest first; null while the first answer is awaited. */
  builds: BuildRow[] | null
  complete: boolean
  total: number | null
  /** What is being added to the list: its next page, or all the rest. */
  paging: 'more' | 'all' | null
  /** The last page asked for added nothing: Try Again rather than a spinner. */
  stalled: boolean
  problem: Problem | null
  filter: BuildFilter
  selectedBuildId: string | null
  detail: BuildDetail | null
  detailProblem: Problem | null
  detailLoading: boolean
  now: number
  tableRef: RefObject<BuildsTableHandle | null>
  /** Focus the table once it is on screen. */
  focusTable: boolean
  onTableFocused: () => void
  onFilterChange: (filter: BuildFilter) => void
  onSelectBuild: (buildId: string | null) => void
  onRetryDetail: () => void
  onOpenExternal: (path: string) => void
  /** Adds the next page of builds. */
  onLoadMore: () => void
  /** Loads every build (a filter, the End key). */
  onLoadAll: () => void
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
export function BuildsPane(props: BuildsPaneProps) {
  const { app, builds, filter, now, tableRef, onSelectBuild, onFilterChange, onOpenExternal } =
    props
  const { problem, complete, paging, selectedBuildId, detail, detailProblem, detailLoading } = props
  const { focusTable, onTableFocused, onLoadMore, onLoadAll } = props
  const { onRetry, onRecheck, onReplaceKey, onRetryDetail } = props
  const problemActions = { onRetry, onRecheck, onReplaceKey }
  const inspectorHeading = useRef<HTMLHeadingElement>(null)
  const view = useMemo(() => buildView(builds ?? [], filter, now), [builds, filter, now])
  const selected = builds?.find((build) => build.id === selectedBuildId) ?? null
  const set = (change: Partial<BuildFilter>) => onFilterChange({ ...filter, ...change })
  const count = props.total ?? builds?.length ?? 0
  const loaded = builds?.length ?? 0
  const filtered = isFiltered(filter)
  // Main counted every build's attention; the loaded ones may not have them all yet.
  const attention = complete ? view.attention : (props.activity?.attention.total ?? view.attention)

  // Each list length is asked to grow once per visit: a page that adds nothing stops the asking
  // and offers Try Again; a page canceled because another app was opened is asked again here.
  const mark = `${app.id}:${loaded}`
  const askedMore = useRef<string | null>(null)
  const askedAll = useRef<string | null>(null)
  useEffect(() => {
    askedMore.current = null
    askedAll.current = null
  }, [app.id])
  const loading = builds !== null && !complete
  const nearEnd = useCallback(() => {
    // A filter asks for all of them instead.
    if (!loading || filtered || problem || paging || askedMore.current === mark) return
    askedMore.current = mark
    onLoadMore()
  }, [loading, filtered, problem, paging, mark, onLoadMore])
  const loadAll = useCallback(() => {
    askedAll.current = mark
    onLoadAll()
  }, [mark, onLoadAll])
  const wantsAll = loading && filtered && !problem
  useEffect(() => {
    if (wantsAll && paging !== 'all' && askedAll.current !== mark) loadAll()
  }, [wantsAll, paging, mark, loadAll])

  const failed = paging === null && (problem !== null || props.stalled)
  const footer: TableFooter | null = loading
    ? {
        text: loadingText({ loaded, total: props.total, filtered, paging, failed }),
        onRetry: failed ? (filtered ? loadAll : onLoadMore) : null,
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
        </div>
        <p className="builds-summary" aria-live="polite">
          {builds === null
            ? 'Loading builds…'
            : buildsSummary(count, loaded, complete, filtered ? view.shown : null)}
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
          onClick={() => onOpenExternal(`apps/${app.id}`)}
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
            ...view.platforms.map((platform) => [platform, platformLabel(platform)] as const),
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
        {builds === null && problem ? (
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
        ) : view.shown === 0 && filtered && complete ? (
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
            onAutoFocused={onTableFocused}
            items={view.items}
            selectedBuildId={selectedBuildId}
            now={now}
            complete={complete}
            footer={footer}
            onNearEnd={nearEnd}
            onLoadAll={loadAll}
            onSelect={onSelectBuild}
            onOpen={() => inspectorHeading.current?.focus()}
          />
        )}
        {builds !== null && problem ? (
          <ProblemNotice layout="banner" problem={problem} {...problemActions} />
        ) : null}
      </div>

      {selected ? (
        <BuildInspector
          ref={inspectorHeading}
          build={selected}
          detail={detail}
          problem={detailProblem}
          loading={detailLoading}
          now={now}
          onOpenInAppStoreConnect={() =>
            onOpenExternal(
              `apps/${app.id}/testflight/${platformPath(selected.platform)}/${selected.id}`,
            )
          }
          onRetry={onRetryDetail}
          onClose={() => {
            onSelectBuild(null)
            tableRef.current?.focus()
          }}
        />
      ) : null}
    </div>
  )
}

function platformPath(platform: string | null): string {
  return (platform && PLATFORM_PATHS[platform]) ?? 'ios'
}

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
