import { TriangleAlert } from 'lucide-react'
import { useEffect, useRef, type KeyboardEvent } from 'react'
import type { AppActivity, AppRow } from '../../shared/contract'
import {
  buildState,
  formatAgo,
  formatDateTime,
  platformLabel,
  versionAndBuild,
} from '../builds/format'
import { AppIcon } from './AppIcon'

export interface AppsPaneProps {
  /** Filtered and sorted; null while the first answer is awaited. */
  apps: AppRow[] | null
  /** How many apps the team has before filtering. */
  total: number
  activity: ReadonlyMap<string, AppActivity>
  /** False until the activity (icons, newest builds, counts) has arrived once. */
  activityKnown: boolean
  selectedAppId: string | null
  query: string
  now: number
  /** `fromKeyboard`: the builds load once the selection settles. */
  onSelect: (appId: string, fromKeyboard: boolean) => void
  /** Return: go into the selected app's builds. */
  onOpen: () => void
  onClearFilters: () => void
}

const optionId = (appId: string) => `app-option-${appId}`

/** The row's tooltip: the IDs in full, the SKU with them (the row has room for the bundle ID). */
function idsTitle(app: AppRow): string {
  return app.sku ? `Bundle ID: ${app.bundleId}\nSKU: ${app.sku}` : `Bundle ID: ${app.bundleId}`
}

/** The active team's apps: a list box that ↑/↓ move through and Return opens. */
export function AppsPane(props: AppsPaneProps) {
  const listRef = useRef<HTMLDivElement>(null)
  const clicking = useRef(false)
  const { apps, selectedAppId } = props

  useEffect(() => {
    if (!selectedAppId) return
    document.getElementById(optionId(selectedAppId))?.scrollIntoView({ block: 'nearest' })
  }, [selectedAppId, apps])

  if (apps === null) return <AppsSkeleton />
  if (props.total === 0) {
    return (
      <div className="pane-empty">
        <p className="pane-empty-title">No apps in this team</p>
        <p>Apps appear here once they exist in App Store Connect and this key can see them.</p>
      </div>
    )
  }
  if (apps.length === 0) {
    return (
      <div className="pane-empty">
        <p className="pane-empty-title">
          {props.query ? `No apps match “${props.query}”` : 'No apps need attention'}
        </p>
        <button type="button" className="button-secondary" onClick={props.onClearFilters}>
          Show All Apps
        </button>
      </div>
    )
  }

  const move = (event: KeyboardEvent<HTMLDivElement>) => {
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
      if (app) props.onSelect(app.id, true)
    } else if (event.key === 'Enter' && selectedAppId) {
      event.preventDefault()
      props.onOpen()
    }
  }

  return (
    <div
      ref={listRef}
      className="app-list"
      role="listbox"
      aria-label="Apps"
      data-focus-target="apps"
      tabIndex={0}
      aria-activedescendant={selectedAppId ? optionId(selectedAppId) : undefined}
      onKeyDown={move}
      onFocus={(event) => {
        // Tabbing in selects the first app; a click selects the app clicked.
        const first = apps[0]
        if (!selectedAppId && first && event.target === event.currentTarget && !clicking.current) {
          props.onSelect(first.id, true)
        }
      }}
    >
      {apps.map((app) => (
        <AppOption
          key={app.id}
          app={app}
          activity={props.activity.get(app.id)}
          activityKnown={props.activityKnown}
          selected={app.id === selectedAppId}
          now={props.now}
          onSelect={() => {
            clicking.current = true
            listRef.current?.focus()
            clicking.current = false
            props.onSelect(app.id, false)
          }}
          onOpen={props.onOpen}
        />
      ))}
    </div>
  )
}

function AppOption(props: {
  app: AppRow
  activity: AppActivity | undefined
  activityKnown: boolean
  selected: boolean
  now: number
  onSelect: () => void
  onOpen: () => void
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
