import type { AttentionCounts } from '../attention'
import { resource } from './define'

export interface AppRow {
  id: string
  name: string
  bundleId: string
  sku: string | null
  /** `IOS`, `MAC_OS`, `TV_OS`, `VISION_OS`, in that order. */
  platforms: string[]
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

/** One App Store version of an app on one platform, as its page in App Store Connect shows it. */
export interface StoreVersion {
  id: string
  versionString: string
  /** `appVersionState`: `READY_FOR_DISTRIBUTION` when live; `WAITING_FOR_REVIEW`, `IN_REVIEW`, … */
  state: string
  /** The build number of the build it ships, when one is attached. */
  buildNumber: string | null
}

/** An app on one platform of the App Store: the version live now, and the one on its way. */
export interface StorePlatform {
  /** `IOS`, `MAC_OS`, `TV_OS`, `VISION_OS`. */
  platform: string
  live: StoreVersion | null
  /** Newer than the live version and not released yet: in preparation, in review, approved. */
  next: StoreVersion | null
}

/** What an app has on the App Store, per platform (in Apple's order); none before its first version. */
export interface AppStoreState {
  appId: string
  platforms: StorePlatform[]
}

export const appsResources = {
  /** The team's apps, sorted by name: one request to Apple. */
  apps: resource<AppRow[]>()({}),
  /**
   * Each app's newest build, icon and needs-attention counts, one per app in no particular
   * order: one or two requests per app, asked for once the apps are on screen.
   */
  activity: resource<AppActivity[]>()({}),
  /**
   * Each app's App Store versions: the live one and the one on its way, per platform, with the
   * build each ships: one request per app, asked for once the apps are on screen.
   */
  appStore: resource<AppStoreState[]>()({}),
}
