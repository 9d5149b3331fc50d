import type { AppActivity, AppRow, LatestBuild } from '../../shared/contract/apps'
import type { BuildDetail, BuildRow } from '../../shared/contract/builds'
import { countAttention } from '../../shared/attention'
import type { AppSummary, BuildDetail as AscBuildDetail, BuildRow as AscBuildRow } from '../asc'
import { newestFirst } from '../asc'

/** The client's shapes, trimmed to what the screens show and safe to send over IPC. */

export function toAppRow(app: AppSummary): AppRow {
  return {
    id: app.id,
    name: app.name,
    bundleId: app.bundleId,
    sku: app.sku,
    platforms: [...app.platforms],
  }
}

export function toBuildRow(build: AscBuildRow): BuildRow {
  return {
    id: build.id,
    buildNumber: build.buildNumber,
    marketingVersion: build.marketingVersion,
    platform: build.platform,
    uploadedAt: build.uploadedAt,
    expiresAt: build.expiresAt,
    expired: build.expired,
    processingState: build.processingState,
    usesNonExemptEncryption: build.usesNonExemptEncryption,
    audience: build.buildAudienceType,
    minOsVersion: build.minOsVersion,
    internalState: build.internalState,
    externalState: build.externalState,
  }
}

export function toBuildDetail(build: AscBuildDetail): BuildDetail {
  return {
    ...toBuildRow(build),
    lsMinimumSystemVersion: build.lsMinimumSystemVersion,
    autoNotifyEnabled: build.autoNotifyEnabled,
    iconTemplateUrl: build.iconTemplateUrl,
    appStoreVersion: build.appStoreVersion && {
      id: build.appStoreVersion.id,
      versionString: build.appStoreVersion.versionString,
      platform: build.appStoreVersion.platform,
      state: build.appStoreVersion.state,
    },
  }
}

/** What an app's activity reads of a build: the client's rows, or the radar's. */
export interface ActivityBuild {
  id: string
  buildNumber: string
  marketingVersion: string | null
  platform: string | null
  processingState: string
  uploadedAt: number
  expiresAt: number | null
  expired: boolean
  usesNonExemptEncryption: boolean | null
  iconTemplateUrl: string | null
}

function toLatest(build: ActivityBuild): LatestBuild {
  return {
    id: build.id,
    buildNumber: build.buildNumber,
    marketingVersion: build.marketingVersion,
    platform: build.platform,
    processingState: build.processingState,
    uploadedAt: build.uploadedAt,
    expiresAt: build.expiresAt,
    expired: build.expired,
  }
}

/**
 * An app's activity from its builds still in TestFlight (newest first) or, when it has none,
 * from its newest build alone.
 */
export function toActivity(
  appId: string,
  builds: readonly ActivityBuild[],
  now: number,
): AppActivity {
  const newest = builds[0]
  return {
    appId,
    latestBuild: newest ? toLatest(newest) : null,
    iconTemplateUrl: builds.find((build) => build.iconTemplateUrl)?.iconTemplateUrl ?? null,
    attention: countAttention(builds, now),
    countedAt: now,
  }
}

/**
 * A fresh first page laid over a cached list: rows it has replace theirs, new builds join, the
 * rest stays. Null when the two do not meet (more new builds than one page), so the cached rows
 * after the page cannot be trusted to follow on.
 */
export function mergeNewest(
  cached: readonly BuildRow[],
  page: readonly BuildRow[],
  pageHasMore: boolean,
): BuildRow[] | null {
  const known = new Set(cached.map((build) => build.id))
  if (pageHasMore && page.length > 0 && !page.some((build) => known.has(build.id))) return null
  const fresh = new Map(page.map((build) => [build.id, build]))
  const merged = [...page, ...cached.filter((build) => !fresh.has(build.id))]
  return merged.sort(newestFirst)
}

/**
 * The next page added to the rows loaded so far: each build once (the page's copy is the newer
 * one, and a page can repeat rows when builds were uploaded since the first), newest first.
 */
export function appendPage(loaded: readonly BuildRow[], page: readonly BuildRow[]): BuildRow[] {
  const fresh = new Set(page.map((build) => build.id))
  return [...loaded.filter((build) => !fresh.has(build.id)), ...page].sort(newestFirst)
}
