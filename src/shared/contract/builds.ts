import { z } from 'zod'
import { refreshMode, type Freshness } from './apps'
import { operation } from './define'

export interface BuildRow {
  id: string
  /** CFBundleVersion. */
  buildNumber: string
  /** CFBundleShortVersionString. */
  marketingVersion: string | null
  platform: string | null
  uploadedAt: number
  expiresAt: number | null
  expired: boolean
  /** `PROCESSING`, `VALID`, `FAILED`, `INVALID` (or `UNKNOWN` for a state Apple added since). */
  processingState: string
  /** null: export compliance not answered. */
  usesNonExemptEncryption: boolean | null
  /** `INTERNAL_ONLY` or `APP_STORE_ELIGIBLE`. */
  audience: string | null
  minOsVersion: string | null
  internalState: string | null
  externalState: string | null
}

export interface BuildsAnswer extends Freshness {
  appId: string
  /** Newest first; null when nothing could be loaded. */
  builds: BuildRow[] | null
  /**
   * False while only the newest builds are loaded: ask with `until: 'more'` for the next page
   * (as the user scrolls), or `until: 'complete'` for all of them (a filter, the End key).
   */
  complete: boolean
  /** How many builds Apple says the app has; null when it did not say. */
  total: number | null
}

export interface BetaGroupBrief {
  id: string
  name: string
  isInternal: boolean
  publicLinkEnabled: boolean | null
  publicLink: string | null
}

export interface BuildDetail extends BuildRow {
  lsMinimumSystemVersion: string | null
  autoNotifyEnabled: boolean | null
  iconTemplateUrl: string | null
  betaGroups: BetaGroupBrief[]
  appStoreVersion: {
    id: string
    versionString: string
    platform: string
    state: string | null
  } | null
}

export interface BuildDetailAnswer extends Freshness {
  buildId: string
  detail: BuildDetail | null
}

const id = z.string().min(1).max(100)

export const buildsOperations = {
  /**
   * An app's builds. `until: 'first'` answers with what is at hand (the cache, or the newest
   * builds in one request); `until: 'more'` adds the next page to what is loaded; `until:
   * 'complete'` waits for all of them. Asking for another app's builds cancels this app's loads.
   */
  'builds:list': operation<BuildsAnswer>()(
    z
      .object({
        teamId: id,
        appId: id,
        refresh: refreshMode,
        until: z.enum(['first', 'more', 'complete']).default('first'),
      })
      .strict(),
  ),
  /** One build with its beta groups and App Store version. */
  'builds:detail': operation<BuildDetailAnswer>()(
    z.object({ teamId: id, buildId: id, refresh: refreshMode }).strict(),
  ),
}
