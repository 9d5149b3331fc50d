import type { AttentionCounts } from '../attention'
import { resource } from './define'

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

export const appsResources = {
  /** The team's apps, sorted by name: one request to Apple. */
  apps: resource<AppRow[]>()({}),
  /**
   * Each app's newest build, icon and needs-attention counts, one per app in no particular
   * order: one or two requests per app, asked for once the apps are on screen.
   */
  activity: resource<AppActivity[]>()({}),
}
