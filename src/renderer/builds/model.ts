import type { BuildRow } from '../../shared/contract'
import { isExpired, needsAttention } from '../../shared/attention'
import { versionAndBuild } from './format'

export type StateFilter = 'all' | 'PROCESSING' | 'VALID' | 'FAILED' | 'INVALID'
export type ExpiryFilter = 'all' | 'current' | 'expired'

export interface BuildFilter {
  /** Matches the marketing version or the build number. */
  version: string
  /** `all` or a platform (`IOS`, …). */
  platform: string
  state: StateFilter
  expiry: ExpiryFilter
  attentionOnly: boolean
  groupByVersion: boolean
}

export const DEFAULT_BUILD_FILTER: BuildFilter = {
  version: '',
  platform: 'all',
  state: 'all',
  expiry: 'all',
  attentionOnly: false,
  groupByVersion: true,
}

export function isFiltered(filter: BuildFilter): boolean {
  return (
    filter.version.trim() !== '' ||
    filter.platform !== 'all' ||
    filter.state !== 'all' ||
    filter.expiry !== 'all' ||
    filter.attentionOnly
  )
}

export type BuildItem =
  | { kind: 'group'; key: string; version: string; count: number; attention: number }
  | { kind: 'build'; key: string; build: BuildRow }

export interface BuildView {
  items: BuildItem[]
  /** Builds shown (headers not counted). */
  shown: number
  /** Builds needing attention, of all the app's builds. */
  attention: number
  platforms: string[]
}

function matches(build: BuildRow, filter: BuildFilter, now: number): boolean {
  const version = filter.version.trim().toLowerCase()
  if (version && !versionAndBuild(build).toLowerCase().includes(version)) return false
  if (filter.platform !== 'all' && build.platform !== filter.platform) return false
  if (filter.state !== 'all' && build.processingState !== filter.state) return false
  if (filter.expiry !== 'all' && isExpired(build, now) !== (filter.expiry === 'expired'))
    return false
  return !filter.attentionOnly || needsAttention(build, now)
}

/** The rows of the table: builds newest first, under a header per marketing version if grouped. */
export function buildView(
  builds: readonly BuildRow[],
  filter: BuildFilter,
  now: number,
): BuildView {
  const platforms = new Set<string>()
  let attention = 0
  const shown: BuildRow[] = []
  for (const build of builds) {
    if (build.platform) platforms.add(build.platform)
    if (needsAttention(build, now)) attention += 1
    if (matches(build, filter, now)) shown.push(build)
  }
  const order = ['IOS', 'MAC_OS', 'TV_OS', 'VISION_OS']
  const platformList = [...platforms].sort((a, b) => order.indexOf(a) - order.indexOf(b))
  if (!filter.groupByVersion) {
    return {
      items: shown.map((build) => ({ kind: 'build', key: build.id, build })),
      shown: shown.length,
      attention,
      platforms: platformList,
    }
  }
  // Groups in the order their newest build appears; builds inside stay newest first.
  const groups = new Map<string, BuildRow[]>()
  for (const build of shown) {
    const version = build.marketingVersion ?? '—'
    const group = groups.get(version)
    if (group) group.push(build)
    else groups.set(version, [build])
  }
  const items: BuildItem[] = []
  for (const [version, members] of groups) {
    items.push({
      kind: 'group',
      key: `group:${version}`,
      version,
      count: members.length,
      attention: members.filter((build) => needsAttention(build, now)).length,
    })
    for (const build of members) items.push({ kind: 'build', key: build.id, build })
  }
  return { items, shown: shown.length, attention, platforms: platformList }
}

/** "400 of 5,000", or "400" when Apple did not say how many there are. */
function progress(loaded: number, total: number | null): string {
  return total === null
    ? loaded.toLocaleString()
    : `${loaded.toLocaleString()} of ${total.toLocaleString()}`
}

/** "5,000 builds · loaded 400" while paging in; "5,000 builds · 12 match" once filtered. */
export function buildsSummary(
  count: number,
  loaded: number,
  complete: boolean,
  matching: number | null,
): string {
  const builds = `${count.toLocaleString()} build${count === 1 ? '' : 's'}`
  if (!complete) return `${builds} · loaded ${loaded.toLocaleString()}`
  return matching === null ? builds : `${builds} · ${matching.toLocaleString()} match`
}

export interface LoadingState {
  loaded: number
  total: number | null
  /** A filter is set: it waits for every build. */
  filtered: boolean
  paging: 'more' | 'all' | null
  /** The last load failed and nothing is on its way. */
  failed: boolean
}

/** What the row after the loaded builds says while the list is not complete. */
export function loadingText(state: LoadingState): string {
  const count = progress(state.loaded, state.total)
  if (state.failed) {
    return state.filtered
      ? `Filtered ${count} builds; the rest could not be loaded.`
      : 'More builds could not be loaded.'
  }
  if (state.filtered) return `Filtering ${count} loaded…`
  return state.paging === 'all' ? `Loading all builds… ${count}` : `Loading more builds… ${count}`
}
