import { useVirtualizer } from '@tanstack/react-virtual'
import { LoaderCircle, TriangleAlert } from 'lucide-react'
import { forwardRef, useEffect, useImperativeHandle, useRef, type KeyboardEvent } from 'react'
import type { BuildRow } from '../../shared/contract'
import { attentionReasons, ATTENTION_LABELS } from '../../shared/attention'
import { versionAndBuildText } from '../../shared/menus'
import {
  betaStateLabel,
  buildState,
  expiryLabel,
  formatAgo,
  formatDateTime,
  platformLabel,
  versionAndBuild,
} from './format'
import type { BuildItem } from './model'

const ROW_HEIGHT = 28
const OVERSCAN = 12

export interface BuildsTableHandle {
  focus: () => void
}

/** The row after the loaded ones while the list is not complete. */
export interface TableFooter {
  /** "Loading more builds… 400 of 5,000", "Filtering 400 of 5,000 loaded…". */
  text: string
  /** Set when the last page could not be loaded: the row offers to try again. */
  onRetry: (() => void) | null
}

export interface BuildsTableProps {
  items: BuildItem[]
  selectedBuildId: string | null
  now: number
  /** Whether every build of the app is loaded (the End key waits for it). */
  complete: boolean
  footer: TableFooter | null
  /** The rows in view reach the last two screens of what is loaded. */
  onNearEnd: () => void
  /** The End key on a list still loading: load all of it. */
  onLoadAll: () => void
  onSelect: (buildId: string) => void
  /** Return: open the selected build's details. */
  onOpen: () => void
  /** A context menu for a build (right click, ⇧F10 or the menu key), at a point in the window. */
  onMenu: (build: BuildRow, at: { x: number; y: number }) => void
  /** Take focus when this turns true, also on mount; then `onAutoFocused` says it happened. */
  autoFocus: boolean
  onAutoFocused: () => void
}

const rowId = (key: string) => `build-row-${key}`
const FOOTER_KEY = 'builds-footer'

/**
 * Every build of the app in one virtualized grid: only the rows in view (plus a few) are in the
 * DOM, whatever the app's size; the next page is asked for as the end of what is loaded comes
 * near. ↑/↓ move the selection, Home/End (⌘↑/⌘↓) go to the first or last build, Return opens it.
 */
export const BuildsTable = forwardRef<BuildsTableHandle, BuildsTableProps>(
  function BuildsTable(props, ref) {
    const gridRef = useRef<HTMLDivElement>(null)
    const clicking = useRef(false)
    const scrollRef = useRef<HTMLDivElement>(null)
    /** End was pressed on a list still loading: the last build is selected once it is in. */
    const endPending = useRef(false)
    const { items, selectedBuildId, footer, complete, onNearEnd } = props
    const count = items.length + (footer ? 1 : 0)
    // The virtualizer's functions change without React knowing; this component is not memoized.
    // eslint-disable-next-line react-hooks/incompatible-library
    const virtualizer = useVirtualizer({
      count,
      getScrollElement: () => scrollRef.current,
      estimateSize: () => ROW_HEIGHT,
      overscan: OVERSCAN,
      getItemKey: (index) => items[index]?.key ?? FOOTER_KEY,
    })
    const virtualItems = virtualizer.getVirtualItems()
    // The version whose builds are at the top of the view: its header stays there while they scroll.
    const scrollTop = virtualizer.scrollOffset ?? 0
    const topIndex = virtualItems.find((virtual) => virtual.end > scrollTop)?.index ?? -1
    let stickyGroup: Extract<BuildItem, { kind: 'group' }> | null = null
    for (let index = topIndex; scrollTop > 0 && index >= 0; index -= 1) {
      const item = items[index]
      if (item?.kind === 'group') {
        stickyGroup = item
        break
      }
    }
    const screenRows = Math.ceil((virtualizer.scrollRect?.height ?? 0) / ROW_HEIGHT)
    const nearEnd =
      footer !== null && (virtualItems.at(-1)?.index ?? 0) >= items.length - 2 * screenRows
    useEffect(() => {
      if (nearEnd) onNearEnd()
    }, [nearEnd, items.length, onNearEnd])
    useImperativeHandle(ref, () => ({ focus: () => gridRef.current?.focus() }), [])
    const { autoFocus, onAutoFocused } = props
    useEffect(() => {
      if (!autoFocus) return
      gridRef.current?.focus()
      onAutoFocused()
    }, [autoFocus, onAutoFocused])

    const selectedIndex = selectedBuildId
      ? items.findIndex((item) => item.kind === 'build' && item.key === selectedBuildId)
      : -1

    useEffect(() => {
      if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' })
    }, [selectedIndex, virtualizer])

    // The inspector opening below the table (End, a click) makes it shorter after the row was
    // scrolled to: once the new height is known, the selected row is brought above it again.
    const selectedNow = useRef(selectedIndex)
    useEffect(() => {
      selectedNow.current = selectedIndex
    })
    useEffect(() => {
      const element = scrollRef.current
      if (!element) return
      let height = element.clientHeight
      const observer = new ResizeObserver(() => {
        const shorter = element.clientHeight < height
        height = element.clientHeight
        if (shorter && selectedNow.current >= 0) {
          virtualizer.scrollToIndex(selectedNow.current, { align: 'auto' })
        }
      })
      observer.observe(element)
      return () => observer.disconnect()
    }, [virtualizer])

    const select = (index: number) => {
      const item = items[index]
      if (item?.kind === 'build') props.onSelect(item.build.id)
    }

    /** The next build row from `from` in `step` direction, skipping version headers. */
    const nextBuild = (from: number, step: number): number | null => {
      for (let index = from + step; index >= 0 && index < items.length; index += step) {
        if (items[index]?.kind === 'build') return index
      }
      return null
    }

    const lastBuild = nextBuild(items.length, -1)
    const { onSelect } = props
    useEffect(() => {
      if (!endPending.current || !complete) return
      endPending.current = false
      const item = lastBuild === null ? undefined : items[lastBuild]
      if (item?.kind === 'build') onSelect(item.build.id)
    }, [complete, lastBuild, items, onSelect])

    const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
      const page = Math.max(
        1,
        Math.floor((scrollRef.current?.clientHeight ?? 280) / ROW_HEIGHT) - 1,
      )
      let target: number | null = null
      const key =
        event.metaKey && event.key === 'ArrowDown'
          ? 'End'
          : event.metaKey && event.key === 'ArrowUp'
            ? 'Home'
            : event.key
      switch (key) {
        case 'ArrowDown':
          target = nextBuild(selectedIndex, 1)
          break
        case 'ArrowUp':
          target = selectedIndex < 0 ? nextBuild(-1, 1) : nextBuild(selectedIndex, -1)
          break
        case 'PageDown':
          target = nextBuild(Math.min(items.length, Math.max(selectedIndex, 0) + page) - 1, 1)
          break
        case 'PageUp':
          target = nextBuild(Math.max(-1, selectedIndex - page), 1)
          break
        case 'Home':
          target = nextBuild(-1, 1)
          break
        case 'End':
          // The last loaded build now; the app's last one once all of them are in.
          target = lastBuild
          if (!complete) props.onLoadAll()
          break
        case 'F10':
        case 'ContextMenu': {
          const item = items[selectedIndex]
          const box = document.getElementById(rowId(item?.key ?? ''))?.getBoundingClientRect()
          if ((key === 'ContextMenu' || event.shiftKey) && item?.kind === 'build' && box) {
            event.preventDefault()
            props.onMenu(item.build, { x: box.left + 24, y: box.bottom - 4 })
          }
          return
        }
        case 'Enter':
          if (selectedIndex >= 0) {
            event.preventDefault()
            props.onOpen()
          }
          return
        default:
          return
      }
      event.preventDefault()
      endPending.current = key === 'End' && !complete
      if (target !== null) select(target)
    }

    return (
      <div
        ref={gridRef}
        className="builds-grid"
        role="grid"
        aria-label="Builds"
        aria-rowcount={count + 1}
        aria-busy={footer !== null && footer.onRetry === null}
        aria-activedescendant={selectedIndex >= 0 ? rowId(items[selectedIndex]!.key) : undefined}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onCopy={(event) => {
          // ⌘C copies the selected build as App Store Connect names it: "5.9 (4998)".
          const item = items[selectedIndex]
          if (item?.kind !== 'build' || !window.getSelection()?.isCollapsed) return
          event.preventDefault()
          event.clipboardData.setData('text/plain', versionAndBuildText(item.build))
        }}
        onFocus={(event) => {
          // Tabbing in selects the first build; a click selects the build clicked.
          if (selectedIndex < 0 && event.target === event.currentTarget && !clicking.current) {
            const first = nextBuild(-1, 1)
            if (first !== null) select(first)
          }
        }}
      >
        <div role="rowgroup" className="builds-head">
          <div role="row" aria-rowindex={1} className="build-row build-row-head">
            <span role="columnheader">Build</span>
            <span role="columnheader">Platform</span>
            <span role="columnheader">Uploaded</span>
            <span role="columnheader">Status</span>
            <span
              role="columnheader"
              aria-label="TestFlight: internal · external testing"
              title="TestFlight: internal testing · external testing"
            >
              Internal · External
            </span>
            <span role="columnheader">Expires</span>
          </div>
        </div>
        {/* Scrolled by the grid's keys: not a Tab stop of its own (Chromium makes scrollers one). */}
        <div ref={scrollRef} className="builds-scroll" tabIndex={-1}>
          {stickyGroup ? (
            // A copy for the eye: the group's own row is what assistive technology reads.
            <div className="build-row build-group build-group-sticky" aria-hidden="true">
              <GroupCell group={stickyGroup} />
            </div>
          ) : null}
          <div
            role="rowgroup"
            className="builds-body"
            style={{ height: virtualizer.getTotalSize() }}
          >
            {virtualItems.map((virtual) => {
              const item = items[virtual.index]
              const style = { transform: `translateY(${virtual.start}px)` }
              if (!item) {
                return footer ? (
                  <div
                    key={virtual.key}
                    role="row"
                    aria-rowindex={virtual.index + 2}
                    className="build-row build-row-footer"
                    style={style}
                  >
                    <span role="gridcell" className="build-footer-cell">
                      {footer.onRetry ? (
                        <>
                          <TriangleAlert size={12} aria-hidden="true" />
                          {footer.text}
                          <button
                            type="button"
                            className="button-secondary button-small"
                            onClick={footer.onRetry}
                          >
                            Try Again
                          </button>
                        </>
                      ) : (
                        <>
                          <LoaderCircle size={12} className="spin" aria-hidden="true" />
                          {footer.text}
                        </>
                      )}
                    </span>
                  </div>
                ) : null
              }
              if (item.kind === 'group') {
                return (
                  <div
                    key={virtual.key}
                    id={rowId(item.key)}
                    role="row"
                    aria-rowindex={virtual.index + 2}
                    className="build-row build-group"
                    style={style}
                  >
                    <GroupCell group={item} />
                  </div>
                )
              }
              return (
                <BuildRowView
                  key={virtual.key}
                  build={item.build}
                  index={virtual.index}
                  selected={item.build.id === selectedBuildId}
                  now={props.now}
                  style={style}
                  onSelect={() => {
                    clicking.current = true
                    gridRef.current?.focus()
                    clicking.current = false
                    props.onSelect(item.build.id)
                  }}
                  onOpen={props.onOpen}
                  onMenu={(at) => props.onMenu(item.build, at)}
                />
              )
            })}
          </div>
        </div>
      </div>
    )
  },
)

function GroupCell(props: { group: Extract<BuildItem, { kind: 'group' }> }) {
  const { group } = props
  return (
    <span role="gridcell" className="build-group-cell">
      <strong>Version {group.version}</strong>
      <span className="build-group-count">
        {group.count} build{group.count === 1 ? '' : 's'}
      </span>
      {group.attention > 0 ? (
        <span className="attention-count">
          <TriangleAlert size={11} aria-hidden="true" />
          {group.attention}
          <span className="visually-hidden"> need attention</span>
        </span>
      ) : null}
    </span>
  )
}

function BuildRowView(props: {
  build: BuildRow
  index: number
  selected: boolean
  now: number
  style: React.CSSProperties
  onSelect: () => void
  onOpen: () => void
  onMenu: (at: { x: number; y: number }) => void
}) {
  const { build, now } = props
  const state = buildState(build, now)
  const expiry = expiryLabel(build, now)
  const reasons = attentionReasons(build, now)
  const compliance = reasons.includes('compliance')
  const internal = betaStateLabel(build.internalState)
  const external = betaStateLabel(build.externalState)
  return (
    <div
      id={rowId(build.id)}
      role="row"
      aria-rowindex={props.index + 2}
      aria-selected={props.selected}
      className={`build-row${props.selected ? ' build-row-selected' : ''}`}
      style={props.style}
      title={
        reasons.length
          ? `Needs attention: ${reasons.map((r) => ATTENTION_LABELS[r]).join(', ')}`
          : undefined
      }
      onMouseDown={(event) => {
        event.preventDefault()
        props.onSelect()
      }}
      onDoubleClick={props.onOpen}
      onContextMenu={(event) => {
        event.preventDefault()
        props.onMenu({ x: event.clientX, y: event.clientY })
      }}
    >
      <span role="gridcell" className="mono build-version">
        {versionAndBuild(build)}
      </span>
      <span role="gridcell">{platformLabel(build.platform)}</span>
      <span role="gridcell" title={formatDateTime(build.uploadedAt)}>
        {formatAgo(build.uploadedAt, now)}
      </span>
      <span role="gridcell">
        <span className={`pill tone-${state.tone}`}>{state.label}</span>
      </span>
      <span
        role="gridcell"
        className="build-testflight"
        title={`Internal: ${internal} · External: ${external}${compliance ? ' · Export compliance missing' : ''}`}
      >
        {compliance ? (
          <span className="compliance-badge" title="Export compliance missing">
            <TriangleAlert size={12} aria-hidden="true" />
            <span className="visually-hidden">Compliance missing: </span>
          </span>
        ) : null}
        <span className="build-testflight-states">
          {internal} · {external}
        </span>
      </span>
      <span
        role="gridcell"
        className={expiry.expired ? 'expiry-expired' : expiry.soon ? 'expiry-soon' : undefined}
        title={expiry.text}
      >
        {expiry.soon ? <TriangleAlert size={12} aria-hidden="true" /> : null}
        {expiry.short}
      </span>
    </div>
  )
}
