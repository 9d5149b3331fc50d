import { z } from 'zod'
import type { AttentionCounts } from '../attention'
import type { Diagnosis } from '../diagnosis'
import { operation } from './define'

/**
 * How an answer may be served: `cached` paints from main's cache when it has the data (any age),
 * `background` refreshes from Apple if the rate-limit policy says a refresh is due, `force`
 * refreshes now (the refresh button, ⌘R).
 */
export type RefreshMode = 'cached' | 'background' | 'force'

export const refreshMode = z.enum(['cached', 'background', 'force']).default('cached')

/** What every browsing answer says about itself. Times are ms since the epoch. */
export interface Freshness {
  /** The team the data belongs to; the renderer drops an answer for any other team. */
  teamId: string
  /** When the data came from Apple; null when there is none. */
  fetchedAt: number | null
  fromCache: boolean
  /** Old enough that a quiet refresh is due (sooner or later, by the rate-limit policy). */
  stale: boolean
  /** Why the data could not be (re)loaded; the cached data, if any, is still in the answer. */
  problem: Diagnosis | null
}

export interface AppStoreVersionBrief {
  versionString: string
  platform: string
  /** `appVersionState`, e.g. `READY_FOR_DISTRIBUTION`. */
  state: string | null
}

export interface AppRow {
  id: string
  name: string
  bundleId: string
  sku: string | null
  /** `IOS`, `MAC_OS`, `TV_OS`, `VISION_OS`, in that order. */
  platforms: string[]
  /** The newest App Store version of each platform. */
  appStoreVersions: AppStoreVersionBrief[]
}

export interface AppsAnswer extends Freshness {
  /** Sorted by name; null when nothing could be loaded. */
  apps: AppRow[] | null
}

export interface LatestBuild {
  id: string
  buildNumber: string
  marketingVersion: string | null
  platform: string | null
  processingState: string
  uploadedAt: number
  expiresAt: number | null
  expired: boolean
}

/** An app's TestFlight at a glance: the newest build, the icon, what needs attention. */
export interface AppActivity {
  appId: string
  latestBuild: LatestBuild | null
  /** Apple's icon template of the newest build that has one: fill `{w}`, `{h}`, `{f}`. */
  iconTemplateUrl: string | null
  attention: AttentionCounts
  /** When the counts were worked out (they depend on the clock). */
  countedAt: number
}

export interface AppsActivityAnswer extends Freshness {
  /** One per app of the team, in no particular order; null when nothing could be loaded. */
  activity: AppActivity[] | null
}

const teamId = z.string().min(1).max(100)

export const appsOperations = {
  /** The team's apps: one request to Apple when not cached. */
  'apps:list': operation<AppsAnswer>()(z.object({ teamId, refresh: refreshMode }).strict()),
  /** Each app's newest build, icon and needs-attention counts (one request per app). */
  'apps:activity': operation<AppsActivityAnswer>()(
    z.object({ teamId, refresh: refreshMode }).strict(),
  ),
}
