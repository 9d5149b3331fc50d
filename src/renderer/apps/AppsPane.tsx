import { TriangleAlert } from 'lucide-react'
import {
  forwardRef,
  useEffect,
  useImperativeHandle,
  useMemo,
  useRef,
  type KeyboardEvent,
} from 'react'
import type { AppActivity, AppRow, TeamSummary } from '../../shared/contract'
import {
  buildState,
  formatAgo,
  formatDateTime,
  platformLabel,
  versionAndBuild,
} from '../builds/format'
import { appMenu } from '../../shared/menus'
import { useResource } from '../data/browse'
import { useContextMenu } from '../shell/useContextMenu'
import { useMinute } from '../shell/time'
import { useFocusWhenShown } from '../shell/useFocusWhenShown'
import { useTeamView } from '../teams/TeamView'
import { AppIcon } from './AppIcon'
import { AppStoreLine } from './AppStoreState'
import { visibleApps } from './model'

export interface AppsPaneHandle {
  focus: () => void
  /** ↓ or Return in the search field: into the list, on the first app shown if none is. */
  enter: () => void
}

export interface AppsPaneProps {
  team: TeamSummary
  /** `fromKeyboard`: the builds load once the selection settles. */
  onSelect: (appId: string, fromKeyboard: boolean) => void
  /** Return: go into the selected app's builds. */
  onOpen: () => void
  /** Focus the list as soon as it is on screen (a key was just added). */
  focusWhenShown: boolean
  onFocused: () => void
}

const optionId = (appId: string) => `app-option-${appId}`

/** The row's tooltip: the IDs in full, the SKU with them (the row has room for the bundle ID). */
function idsTitle(app: AppRow): string {
  return app.sku ? `Bundle ID: ${app.bundleId}\nSKU: ${app.sku}` : `Bundle ID: ${app.bundleId}`
}

/**
 * The active team's apps, filtered and sorted as the toolbar says: a list box that ↑/↓ move
 * through and Return opens, each row with the app's newest build and what needs attention.
 */
export const AppsPane = forwardRef<AppsPaneHandle, AppsPaneProps>(function AppsPane(props, ref) {
  const { team, onSelect } = props
  const listRef = useRef<HTMLDivElement>(null)
  const clicking = useRef(false)
  const now = useMinute()
  const { view, update } = useTeamView()
  const appsResource = useResource(team.id, 'apps', {})
  const activityResource = useResource(
    team.id,
    'activity',
    {},
    {
      enabled: appsResource.value !== null,
      afterPaint: true,
    },
  )
  const all = appsResource.value
  const activity = useMemo(
    () =>
      new Map<string, AppActivity>(
        (activityResource.value ?? []).map((item) => [item.appId, item]),
      ),
    [activityResource.value],
  )
  const apps = useMemo(
    () =>
      all &&
      visibleApps(all, activity, {
        query: view.query,
        sort: view.sort,
        attentionOnly: view.attentionOnly,
      }),
    [all, activity, view.query, view.sort, view.attentionOnly],
  )
  const selectedAppId = view.appId
  const hasList = apps !== null && apps.length > 0

  useImperativeHandle(
    ref,
    () => ({
      focus: () => listRef.current?.focus(),
      enter: () => {
        const first = apps?.[0]
        if (first && !apps.some((app) => app.id === selectedAppId)) onSelect(first.id, false)
        listRef.current?.focus()
      },
    }),
    [apps, selectedAppId, onSelect],
  )
  useFocusWhenShown(listRef, props.focusWhenShown, hasList, props.onFocused)

  useEffect(() => {
    if (!selectedAppId) return
    document.getElementById(optionId(selectedAppId))?.scrollIntoView({ block: 'nearest' })
  }, [selectedAppId, apps])

  const contextMenu = useContextMenu()
  const footer = (
    <footer className="apps-footer">
      {appsResource.fetchedAt ? `Updated ${formatAgo(appsResource.fetchedAt, now)}` : ' '}
    </footer>
  )
  if (apps === null) {
    return (
      <>
        <AppsSkeleton />
        {footer}
      </>
    )
  }
  if (all?.length === 0) {
    return (
      <>
        <div className="pane-empty">
          <p className="pane-empty-title">No apps in this team</p>
          <p>Apps appear here once they exist in App Store Connect and this key can see them.</p>
        </div>
        {footer}
      </>
    )
  }
  if (apps.length === 0) {
    return (
      <>
        <div className="pane-empty">
          <p className="pane-empty-title">
            {view.query ? `No apps match “${view.query}”` : 'No apps need attention'}
          </p>
          <button
            type="button"
            className="button-secondary"
            onClick={() => update({ query: '', attentionOnly: false })}
          >
            Show All Apps
          </button>
        </div>
        {footer}
      </>
    )
  }

  const openMenu = (app: AppRow, at: { x: number; y: number }) =>
    contextMenu.open(
      { kind: 'app', teamId: team.id, appId: app.id },
      `${app.name} actions`,
      () => appMenu(app),
      at,
    )

  const move = (event: KeyboardEvent<HTMLDivElement>) => {
    if ((event.shiftKey && event.key === 'F10') || event.key === 'ContextMenu') {
      const app = apps.find((candidate) => candidate.id === selectedAppId)
      const box = document.getElementById(optionId(selectedAppId ?? ''))?.getBoundingClientRect()
      if (app && box) {
        event.preventDefault()
        openMenu(app, { x: box.left + 24, y: box.bottom - 4 })
      }
      return
    }
    const index = apps.findIndex((app) => app.id === selectedAppId)
    const target =
      event.key === 'ArrowDown'
        ? Math.min(apps.length - 1, index + 1)
        : event.key === 'ArrowUp'
          ? Math.max(0, index === -1 ? 0 : index - 1)
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? apps.length - 1
              : null
    if (target !== null) {
      event.preventDefault()
      const app = apps[target]
      if (app) onSelect(app.id, true)
    } else if (event.key === 'Enter' && selectedAppId) {
      event.preventDefault()
      props.onOpen()
    }
  }

  return (
    <>
      <div
        ref={listRef}
        className="app-list"
        role="listbox"
        aria-label="Apps"
        tabIndex={0}
        aria-activedescendant={selectedAppId ? optionId(selectedAppId) : undefined}
        onKeyDown={move}
        onCopy={(event) => {
          // ⌘C with nothing selected as text copies the selected app's name.
          const app = apps.find((candidate) => candidate.id === selectedAppId)
          if (!app || !window.getSelection()?.isCollapsed) return
          event.preventDefault()
          event.clipboardData.setData('text/plain', app.name)
        }}
        onFocus={(event) => {
          // Tabbing in selects the first app; a click selects the app clicked.
          const first = apps[0]
          if (
            !selectedAppId &&
            first &&
            event.target === event.currentTarget &&
            !clicking.current
          ) {
            onSelect(first.id, true)
          }
        }}
      >
        {apps.map((app) => (
          <AppOption
            key={app.id}
            team={team}
            app={app}
            activity={activity.get(app.id)}
            activityKnown={activityResource.value !== null}
            selected={app.id === selectedAppId}
            now={now}
            onSelect={() => {
              clicking.current = true
              listRef.current?.focus()
              clicking.current = false
              onSelect(app.id, false)
            }}
            onOpen={props.onOpen}
            onMenu={(at) => openMenu(app, at)}
          />
        ))}
      </div>
      {contextMenu.menu}
      {footer}
    </>
  )
})

function AppOption(props: {
  team: TeamSummary
  app: AppRow
  activity: AppActivity | undefined
  activityKnown: boolean
  selected: boolean
  now: number
  onSelect: () => void
  onOpen: () => void
  onMenu: (at: { x: number; y: number }) => void
}) {
  const { app, activity } = props
  const latest = activity?.latestBuild ?? null
  const attention = activity?.attention.total ?? 0
  const state = latest ? buildState(latest, props.now) : null
  return (
    <div
      id={optionId(app.id)}
      role="option"
      aria-selected={props.selected}
      className="app-option"
      onMouseDown={(event) => {
        // Keep focus on the list box, which owns the keyboard.
        event.preventDefault()
        props.onSelect()
      }}
      onDoubleClick={props.onOpen}
      onContextMenu={(event) => {
        event.preventDefault()
        props.onMenu({ x: event.clientX, y: event.clientY })
      }}
    >
      <AppIcon
        name={app.name}
        seed={app.bundleId}
        templateUrl={activity?.iconTemplateUrl ?? null}
        size={32}
      />
      <div className="app-text">
        <div className="app-line">
          <span className="app-name">{app.name}</span>
          {attention > 0 ? (
            <span className="attention-count" title={`${attention} builds need attention`}>
              <TriangleAlert size={11} aria-hidden="true" />
              {attention}
              <span className="visually-hidden"> need attention</span>
            </span>
          ) : null}
        </div>
        <div className="app-ids">
          <span className="app-bundle mono" title={idsTitle(app)}>
            {app.bundleId}
          </span>
          {app.sku ? <span className="app-sku visually-hidden">, SKU {app.sku}</span> : null}
          <span className="platforms">
            {app.platforms.map((platform) => (
              <span key={platform} className="chip">
                {platformLabel(platform)}
              </span>
            ))}
          </span>
        </div>
        <div className="app-meta">
          {latest && state ? (
            <span
              className="app-latest"
              title={`Newest build, uploaded ${formatDateTime(latest.uploadedAt)}`}
            >
              <span className="mono">{versionAndBuild(latest)}</span>
              <span className={`state-dot tone-${state.tone}`} aria-hidden="true" />
              {state.label}
              <span className="app-latest-age">· {formatAgo(latest.uploadedAt, props.now)}</span>
            </span>
          ) : props.activityKnown ? (
            <span className="app-latest app-latest-none">No builds</span>
          ) : (
            <span className="skeleton skeleton-text" aria-hidden="true" />
          )}
        </div>
        <div className="app-meta">
          <AppStoreLine team={props.team} appId={app.id} />
        </div>
      </div>
    </div>
  )
}

function AppsSkeleton() {
  return (
    <div className="app-list" aria-busy="true" aria-label="Loading apps">
      {Array.from({ length: 7 }, (_, index) => (
        <div key={index} className="app-option app-option-skeleton" aria-hidden="true">
          <span className="skeleton skeleton-icon" />
          <div className="app-text">
            <span
              className="skeleton skeleton-line"
              style={{ width: `${60 + ((index * 17) % 30)}%` }}
            />
            <span className="skeleton skeleton-line skeleton-short" />
          </div>
        </div>
      ))}
    </div>
  )
}
