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
   * False while main is still loading the rest (or a fresher copy): ask again with
   * `until: 'complete'` to get it.
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
   * builds in one request) and starts loading the rest; `until: 'complete'` waits for all of them.
   */
  'builds:list': operation<BuildsAnswer>()(
    z
      .object({
        teamId: id,
        appId: id,
        refresh: refreshMode,
        until: z.enum(['first', 'complete']).default('first'),
      })
      .strict(),
  ),
  /** One build with its beta groups and App Store version. */
  'builds:detail': operation<BuildDetailAnswer>()(
    z.object({ teamId: id, buildId: id, refresh: refreshMode }).strict(),
  ),
}
